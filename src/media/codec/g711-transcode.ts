// A-law ↔ µ-law transcoding by 256-entry tables, for legs whose law differs from the router's.
// Each entry maps a code to the code of the other law whose decoded value is nearest, which
// keeps a round trip A→µ→A transparent wherever µ-law's resolution allows it.
import { ALAW_DECODE, ULAW_DECODE, alawEncodeSample, ulawEncodeSample } from './g711.ts';

function nearest(value: number, guess: number, decode: Int16Array): number {
  // The truncating encoder is at most one step away from the nearest code; the codes on
  // either side of the guess in the same sign half are the only other candidates.
  let best = guess;
  let bestErr = Math.abs(decode[guess] - value);
  for (const candidate of [guess - 1, guess + 1]) {
    if (candidate < 0 || candidate > 255 || (candidate ^ guess) & 0x80) continue;
    const err = Math.abs(decode[candidate] - value);
    if (err < bestErr) {
      best = candidate;
      bestErr = err;
    }
  }
  return best;
}

function buildAlawToUlaw(): Uint8Array {
  const table = new Uint8Array(256);
  for (let a = 0; a < 256; a++) {
    const value = ALAW_DECODE[a];
    table[a] = nearest(value, ulawEncodeSample(value), ULAW_DECODE);
  }
  return table;
}

function buildUlawToAlaw(): Uint8Array {
  const table = new Uint8Array(256);
  for (let u = 0; u < 256; u++) {
    const value = ULAW_DECODE[u];
    table[u] = nearest(value, alawEncodeSample(value), ALAW_DECODE);
  }
  return table;
}

export const ALAW_TO_ULAW: Uint8Array = buildAlawToUlaw();
export const ULAW_TO_ALAW: Uint8Array = buildUlawToAlaw();

/** Transcodes `src` into `dst` (which may be the same buffer) through a 256-entry table. */
export function transcodeG711(table: Uint8Array, src: Uint8Array, dst: Uint8Array = src): void {
  const n = Math.min(src.length, dst.length);
  for (let i = 0; i < n; i++) dst[i] = table[src[i]];
}

/** Transcodes `buf[start, end)` in place (the packet path: no view of the range). */
export function transcodeG711Range(table: Uint8Array, buf: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) buf[i] = table[buf[i]];
}
