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

/**
 * Issues and checks nonces of one realm and key, doing the HMAC once per nonce rather than once per request:
 * a nonce is handed out again for `reuseMs` (Kamailio's nonces carry whole seconds; replays stay caught by
 * the nonce-count kept per nonce, client nonce and user), and the last nonces seen authentic are remembered
 * with their issue time. The window is short because some clients (sipp) send the same cnonce every time:
 * one re-registering inside it would repeat nonce, cnonce and nc=1, which is what a replay looks like.
 */
export class NonceIssuer {
  #current = '';
  #currentAt = -Infinity;
  readonly #known = new Map<string, number>();

  constructor(private readonly key: Uint8Array, private readonly realm: string, private readonly reuseMs = 100, private readonly remember = 128) {}

  /** The nonce for a challenge at `nowMs`. */
  issue(nowMs: number): string {
    if (nowMs - this.#currentAt >= this.reuseMs || nowMs < this.#currentAt) {
      this.#current = createNonce(this.key, this.realm, nowMs);
      this.#currentAt = nowMs;
      this.#learn(this.#current, Math.max(0, Math.floor(nowMs)));
    }
    return this.#current;
  }

  /** checkNonce, with the HMAC skipped for a nonce already known to be ours. */
  check(nonce: string, nowMs: number, maxAgeMs: number): NonceState {
    let issued = this.#known.get(nonce);
    if (issued === undefined) {
      const state = checkNonce(nonce, this.key, this.realm, nowMs, maxAgeMs);
      if (state === 'invalid') return state;
      issued = Number(Buffer.from(nonce, 'base64').readBigUInt64BE(0));
      this.#learn(nonce, issued);
    }
    if (issued > nowMs + FUTURE_SLACK_MS) return 'invalid';
    return nowMs - issued > maxAgeMs ? 'stale' : 'valid';
  }

  #learn(nonce: string, issued: number): void {
    this.#known.set(nonce, issued);
    if (this.#known.size > this.remember) this.#known.delete(this.#known.keys().next().value as string);
  }
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
