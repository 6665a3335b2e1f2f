// DTMF tone generator (ITU-T Q.23 frequency pairs): for tests, and for in-band sending
// towards legs that did not negotiate telephone-event.
import type { DtmfDigit, ToneOptions } from './dtmf-types.ts';
import { digitFrequencies } from './digits.ts';

export function generateDtmfTone(digit: DtmfDigit, options: ToneOptions): Int16Array {
  const rate = options.sampleRate ?? 8000;
  const amplitude = options.amplitude ?? 7000;
  const rowAmp = amplitude * 10 ** (-(options.rowAttenuationDb ?? 0) / 20);
  const colAmp = amplitude * 10 ** (-(options.colAttenuationDb ?? 0) / 20);
  const { row, col } = digitFrequencies(digit);
  const n = Math.round((options.durationMs * rate) / 1000);
  const out = new Int16Array(n);
  const wr = (2 * Math.PI * row) / rate;
  const wc = (2 * Math.PI * col) / rate;
  for (let i = 0; i < n; i++) out[i] = Math.round(rowAmp * Math.sin(wr * i) + colAmp * Math.sin(wc * i));
  return out;
}

/** Digits separated by silence, e.g. for a whole number dialled in-band. */
export function generateDtmfSequence(
  digits: readonly DtmfDigit[], toneMs: number, gapMs: number, options: Omit<ToneOptions, 'durationMs'> = {},
): Int16Array {
  const rate = options.sampleRate ?? 8000;
  const gap = Math.round((gapMs * rate) / 1000);
  const tones = digits.map((d) => generateDtmfTone(d, { ...options, durationMs: toneMs }));
  const out = new Int16Array(tones.reduce((n, t) => n + t.length + gap, 0));
  let offset = 0;
  for (const t of tones) {
    out.set(t, offset);
    offset += t.length + gap;
  }
  return out;
}
