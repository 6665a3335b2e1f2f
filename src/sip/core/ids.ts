// Identifiers drawn from an injected random source: branches, tags, Call-IDs.
import { MAGIC_COOKIE } from './header-via.ts';

/** Uniform in [0, 1), like Math.random; production passes a crypto-backed source. */
export type RandomSource = () => number;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(random: RandomSource, length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length) % ALPHABET.length];
  return out;
}

/** RFC 3261 8.1.1.7: "The branch ID inserted by an element compliant with this
 * specification MUST always begin with the characters "z9hG4bK"." */
export function newBranch(random: RandomSource): string {
  return MAGIC_COOKIE + randomToken(random, 16);
}

/** RFC 3261 19.3: tags need at least 32 bits of randomness; 12 base62 chars give ~71. */
export function newTag(random: RandomSource): string {
  return randomToken(random, 12);
}

/** RFC 3261 8.1.1.4: globally unique Call-ID; the host part is optional. */
export function newCallId(random: RandomSource, host?: string): string {
  const id = randomToken(random, 22);
  return host ? `${id}@${host}` : id;
}

/** Initial CSeq: RFC 3261 8.1.1.5 allows any value below 2**31; keep it small for headroom. */
export function initialCSeq(random: RandomSource): number {
  return 1 + Math.floor(random() * 0x7fff);
}
