// The DTMF keypad: RFC 4733 3.2 event codes and the ITU-T Q.23 row/column frequencies.
import type { DtmfDigit } from './dtmf-types.ts';

/** RFC 4733 3.2 table 1: events 0–9, then * (10), # (11), A–D (12–15). */
export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D',
];

/** Q.23 low group (rows) and high group (columns) in Hz. */
export const ROW_FREQS = [697, 770, 852, 941] as const;
export const COL_FREQS = [1209, 1336, 1477, 1633] as const;

/** Keypad layout: KEYPAD[row][col]. */
export const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (DTMF_DIGITS as readonly string[]).includes(value);
}

export function digitToEvent(digit: DtmfDigit): number {
  return DTMF_DIGITS.indexOf(digit);
}

/** Maps an event code to a digit; codes above 15 (flash, fax tones) are not digits. */
export function eventToDigit(event: number): DtmfDigit | undefined {
  return event >= 0 && event < 16 ? DTMF_DIGITS[event] : undefined;
}

export function digitFrequencies(digit: DtmfDigit): { row: number; col: number } {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r].indexOf(digit);
    if (c >= 0) return { row: ROW_FREQS[r], col: COL_FREQS[c] };
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}
