// Number strings as carriers and phones write them: validation, the national key two spellings of
// one number share (+86 20 8888 0000, 862088880000, 02088880000), and the sending prefix.

/** A number a channel may carry: digits with an optional leading +, 3–20 digits. */
export const NUMBER_RE = /^\+?[0-9]{3,20}$/;
export const NUMBER_MSG = '号码为 3–20 位数字，可以 + 开头 (number: 3–20 digits, optionally starting with +)';
/** Digits (and * #) dialled before the callee: a carrier's access or routing prefix. */
export const PREFIX_RE = /^[0-9*#+]{0,8}$/;
export const PREFIX_MSG = '发送前缀最多 8 位数字或 * # + (send prefix: up to 8 of 0-9 * # +)';

const CN = '86';

/** Digits only: spaces, dashes, dots and brackets dropped; a leading + or 00 kept as +. */
export function cleanNumber(raw: string): string {
  const s = raw.trim().replace(/[\s\-.()]/g, '');
  if (s.startsWith('+')) return '+' + s.slice(1).replace(/\D/g, '');
  if (s.startsWith('00')) return '+' + s.slice(2).replace(/\D/g, '');
  return s.replace(/[^0-9*#]/g, '');
}

/**
 * The key two spellings of one Chinese number share: the national significant number. `+86`, `0086`
 * and a bare `86` before a full-length number are dropped, then the trunk prefix `0` of a landline.
 * Numbers of other countries keep their `+` and country code.
 */
export function nationalKey(raw: string): string {
  let n = cleanNumber(raw);
  if (n.startsWith('+')) {
    if (!n.startsWith('+' + CN)) return n;
    n = n.slice(1 + CN.length);
  } else if (n.startsWith(CN) && (n.length === 12 || n.length === 13)) {
    // 86 + a 10–11 digit national number (a landline without its 0, or a mobile).
    n = n.slice(CN.length);
  }
  if (n.startsWith('0') && n.length > 3) n = n.slice(1);
  return n;
}

/** Whether two spellings name the same number. */
export function sameNumber(a: string, b: string): boolean {
  return nationalKey(a) === nationalKey(b);
}

/** The Request-URI user for an outbound call: the sending prefix, then the callee as dialled. */
export function withSendPrefix(prefix: string, dialled: string): string {
  const callee = cleanNumber(dialled);
  return prefix ? prefix + callee : callee;
}

/** Finds the number (of `numbers`) that a called user names, by national key. */
export function matchNumber<T extends { number: string }>(called: string, numbers: readonly T[]): T | undefined {
  const key = nationalKey(called);
  if (key === '') return undefined;
  return numbers.find((n) => nationalKey(n.number) === key);
}
