// Node IDs: 26 characters like the manual's (a ULID: 48-bit time + 80 random bits, Crockford base32).
// Pure: time and randomness come from the caller.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const NODE_ID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Encodes `nowMs` (10 chars) and the first 10 bytes of `random` (16 chars) as a ULID. */
export function makeNodeId(nowMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new RangeError('makeNodeId needs 10 random bytes');
  let t = Math.max(0, Math.floor(nowMs));
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 80 bits → 16 base32 digits, 5 bits at a time from the most significant end.
  let bits = 0;
  let acc = 0;
  let rand = '';
  for (let i = 0; i < 10; i++) {
    acc = (acc << 8) | random[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}

export const isNodeId = (s: string): boolean => NODE_ID_RE.test(s);
