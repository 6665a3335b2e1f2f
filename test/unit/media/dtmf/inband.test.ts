import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InbandDtmfDetector, generateDtmfTone, generateDtmfSequence, DTMF_DIGITS, type DtmfEvent,
} from '../../../../src/media/dtmf/index.ts';
import { decodeG711, encodeG711 } from '../../../../src/media/codec/index.ts';

function detect(signal: Int16Array, blockSize = 160): DtmfEvent[] {
  const events: DtmfEvent[] = [];
  const det = new InbandDtmfDetector({ onDigit: (e) => events.push(e) });
  for (let i = 0; i < signal.length; i += blockSize) det.process(signal.subarray(i, i + blockSize));
  det.flush();
  return events;
}

/** Deterministic PRNG (mulberry32) so noise tests are repeatable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('all 16 digits are detected once each, with their duration', () => {
  const seq = generateDtmfSequence([...DTMF_DIGITS], 80, 60);
  const events = detect(seq);
  assert.deepEqual(events.map((e) => e.digit), [...DTMF_DIGITS]);
  for (const e of events) {
    assert.equal(e.source, 'inband');
    assert.ok(e.durationMs >= 70 && e.durationMs <= 100, `${e.digit}: ${e.durationMs} ms`);
  }
});

test('all 16 digits survive G.711 A-law and µ-law', () => {
  for (const law of ['pcma', 'pcmu'] as const) {
    const seq = generateDtmfSequence([...DTMF_DIGITS], 60, 50, { amplitude: 3000 });
    const events = detect(decodeG711(law, encodeG711(law, seq)), 160);
    assert.deepEqual(events.map((e) => e.digit), [...DTMF_DIGITS], law);
  }
});

test('minimum duration: 40 ms tones are reported, 25 ms blips are not (any alignment)', () => {
  for (const offset of [0, 13, 27, 40, 101]) {
    const long = new Int16Array(offset + 1200);
    long.set(generateDtmfTone('5', { durationMs: 40 }), offset);
    assert.deepEqual(detect(long, 37).map((e) => e.digit), ['5'], `40 ms at ${offset}`);
    const short = new Int16Array(offset + 1200);
    short.set(generateDtmfTone('5', { durationMs: 25 }), offset);
    assert.deepEqual(detect(short, 37), [], `25 ms at ${offset}`);
  }
});

test('the same digit twice with a short gap gives two presses; excessive twist is rejected', () => {
  const twice = generateDtmfSequence(['3', '3'], 60, 45);
  assert.deepEqual(detect(twice).map((e) => e.digit), ['3', '3']);
  assert.deepEqual(detect(generateDtmfTone('8', { durationMs: 100, rowAttenuationDb: 6 })).map((e) => e.digit), ['8']);
  assert.deepEqual(detect(generateDtmfTone('8', { durationMs: 100, rowAttenuationDb: 12 })), []);
  assert.deepEqual(detect(generateDtmfTone('8', { durationMs: 100, colAttenuationDb: 9 })), []);
});

test('a digit under moderate noise is still found; too quiet tones are not', () => {
  const rnd = prng(7);
  const tone = generateDtmfTone('9', { durationMs: 100, amplitude: 4000 });
  const noisy = Int16Array.from(tone, (s) => s + Math.round((rnd() - 0.5) * 600));
  assert.deepEqual(detect(noisy).map((e) => e.digit), ['9']);
  assert.deepEqual(detect(generateDtmfTone('9', { durationMs: 100, amplitude: 200 })), []);
});

test('no talk-off on white noise', () => {
  const rnd = prng(42);
  const noise = Int16Array.from({ length: 8000 * 5 }, () => Math.round((rnd() - 0.5) * 16000));
  assert.deepEqual(detect(noise), []);
});

test('no talk-off on a speech-like multi-tone with harmonics near DTMF frequencies', () => {
  // A voiced sound: gliding pitch 110–190 Hz, 30 harmonics shaped by formants near 700 Hz and
  // 1200 Hz (so harmonics pass right by 697/770 and 1209 Hz), syllable-rate amplitude.
  const rate = 8000;
  const n = rate * 6;
  const out = new Int16Array(n);
  let phase = 0;
  const formant = (f: number, c: number, bw: number): number => 1 / (1 + ((f - c) / bw) ** 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const f0 = 150 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / rate;
    let s = 0;
    for (let h = 1; h <= 30; h++) {
      const f = h * f0;
      if (f > 3600) break;
      const gain = formant(f, 700, 120) + 0.8 * formant(f, 1200, 150) + 0.3 * formant(f, 2500, 200) + 0.05;
      s += (gain * Math.sin(h * phase)) / Math.sqrt(h);
    }
    const syllable = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    out[i] = Math.round(4000 * s * syllable);
  }
  assert.deepEqual(detect(out), []);
  assert.deepEqual(detect(decodeG711('pcmu', encodeG711('pcmu', out))), []);
});
