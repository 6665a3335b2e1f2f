// Stateless server nonces: nonce = base64(timestamp || HMAC-SHA256(key, timestamp || realm)).
// The server keeps no per-nonce state; age comes from the signed timestamp.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TS_BYTES = 8;
const MAC_BYTES = 32;
/** Tolerated clock step backwards (a nonce "from the future"). */
const FUTURE_SLACK_MS = 5_000;

function mac(key: Uint8Array, ts: Buffer, realm: string): Buffer {
  return createHmac('sha256', key).update(ts).update(realm, 'utf8').digest();
}

export function createNonce(key: Uint8Array, realm: string, nowMs: number): string {
  const ts = Buffer.alloc(TS_BYTES);
  ts.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(nowMs))));
  return Buffer.concat([ts, mac(key, ts, realm)]).toString('base64');
}

export type NonceState = 'valid' | 'stale' | 'invalid';

/**
 * 'invalid' for a nonce we did not make (bad MAC, wrong realm, garbage), 'stale' for one we
 * made that is older than maxAgeMs: RFC 7616 3.3 "stale ... indicating that the previous
 * request from the client was rejected because the nonce value was stale".
 */
export function checkNonce(nonce: string, key: Uint8Array, realm: string, nowMs: number, maxAgeMs: number): NonceState {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(nonce)) return 'invalid';
  const raw = Buffer.from(nonce, 'base64');
  if (raw.length !== TS_BYTES + MAC_BYTES) return 'invalid';
  const ts = raw.subarray(0, TS_BYTES);
  if (!timingSafeEqual(raw.subarray(TS_BYTES), mac(key, ts, realm))) return 'invalid';
  const issued = Number(ts.readBigUInt64BE());
  if (issued > nowMs + FUTURE_SLACK_MS) return 'invalid';
  return nowMs - issued > maxAgeMs ? 'stale' : 'valid';
}

/** In-memory nonce-count store, bounded: the oldest nonces are forgotten first. */
export class MemoryNonceCountStore {
  readonly #last = new Map<string, number>();
  readonly #max: number;

  constructor(maxNonces = 10_000) {
    this.#max = maxNonces;
  }

  check(nonce: string, nc: number): boolean {
    const last = this.#last.get(nonce);
    if (last !== undefined && nc <= last) return false;
    this.#last.delete(nonce);
    this.#last.set(nonce, nc);
    if (this.#last.size > this.#max) this.#last.delete(this.#last.keys().next().value as string);
    return true;
  }
}
