// Identifiers: UUIDs for records (sync idempotency keys), random tokens and passwords.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

export const token = (bytes = 32): string => randomBytes(bytes).toString('base64url');

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';
const SPECIAL = '!@#$%^&*-_=+';

/** A random password with at least one upper, lower, digit and special character (the manual's rule). */
export function randomPassword(length = 12): string {
  const all = UPPER + LOWER + DIGIT + SPECIAL;
  const pick = (set: string): string => set[randomInt(set.length)]!;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGIT), pick(SPECIAL)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
