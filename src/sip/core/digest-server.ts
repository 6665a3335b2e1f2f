// Server side of Digest: challenges (RFC 8760 2.4 order) and verification of credentials
// with constant-time comparison, stateless nonces and optional nonce-count tracking.
import { timingSafeEqual } from 'node:crypto';
import { computeHa1, computeResponse, serializeChallenge, toDigestCredentials } from './digest.ts';
import { checkNonce, createNonce, type NonceIssuer } from './digest-nonce.ts';
import type {
  DigestAlgorithm, DigestCredentials, DigestSecret, DigestVerdict, NonceCountStore,
} from './digest-types.ts';
import type { AuthHeader } from './header-types.ts';

export interface DigestServerOptions {
  realm: string;
  /** HMAC key for nonces (from the box's data dir; at least 32 random bytes). */
  key: Uint8Array;
  /** Nonce lifetime before it is answered with stale=true. Default 5 minutes. */
  nonceTtlMs?: number;
  /** Offered and accepted algorithms, strongest first. Default SHA-256 then MD5. */
  algorithms?: readonly DigestAlgorithm[];
  ncStore?: NonceCountStore;
  opaque?: string;
  /** RFC 7616 3.4.4: ask clients to hash the username (userhash=true in every challenge). */
  userhash?: boolean;
  /** Issues and checks the nonces (made with `key` and `realm`) with fewer HMACs; without it each is made and checked afresh. */
  nonces?: NonceIssuer;
}

const DEFAULT_TTL = 5 * 60_000;
const DEFAULT_ALGS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/**
 * WWW-Authenticate (or Proxy-Authenticate) values, one per algorithm. RFC 8760 2.4: "the
 * server SHOULD send ... challenges ... in order of preference, with the most preferred
 * first" — SHA-256 before MD5. All share one nonce and qop="auth".
 */
export function buildChallenges(opts: DigestServerOptions, nowMs: number, stale = false): string[] {
  const nonce = opts.nonces ? opts.nonces.issue(nowMs) : createNonce(opts.key, opts.realm, nowMs);
  return (opts.algorithms ?? DEFAULT_ALGS).map((algorithm) => serializeChallenge({
    realm: opts.realm, nonce, algorithm, qop: ['auth'], stale,
    ...(opts.opaque !== undefined ? { opaque: opts.opaque } : {}),
    ...(opts.userhash ? { userhash: true } : {}),
  }));
}

function hexEqual(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface VerifyInput {
  /** The Authorization / Proxy-Authorization header (parsed) or Digest credentials. */
  credentials: AuthHeader | DigestCredentials;
  method: string;
  /**
   * Secret of the user, looked up by the caller. With userhash=true credentials the caller resolves the
   * hashed username first and passes the user's name as `username`.
   */
  secret: DigestSecret;
  /** The user's name when the credentials carry a hashed one (RFC 7616 3.4.4). */
  username?: string;
  /** When given, the digest-uri must equal it (RFC 7616 3.4.6). */
  requestUri?: string;
  body?: Uint8Array;
}

/**
 * Verifies credentials. Order: realm, algorithm, nonce authenticity, response (constant
 * time), then freshness: a correct response on an expired nonce gives 'stale' so the caller
 * re-challenges with stale=true (RFC 7616 3.3), then nonce-count replay.
 */
export function verifyDigest(input: VerifyInput, opts: DigestServerOptions, nowMs: number): DigestVerdict {
  const c = 'scheme' in input.credentials ? toDigestCredentials(input.credentials) : input.credentials;
  if (!c) return { ok: false, reason: 'scheme' in input.credentials && input.credentials.scheme.toLowerCase() !== 'digest' ? 'not-digest' : 'malformed' };
  const fail = (reason: Exclude<DigestVerdict, { ok: true }>['reason']): DigestVerdict => ({ ok: false, reason, username: c.username });
  if (c.realm !== opts.realm) return fail('wrong-realm');
  if (!(opts.algorithms ?? DEFAULT_ALGS).includes(c.algorithm)) return fail('unsupported-algorithm');
  const ttl = opts.nonceTtlMs ?? DEFAULT_TTL;
  const nonceState = opts.nonces ? opts.nonces.check(c.nonce, nowMs, ttl) : checkNonce(c.nonce, opts.key, opts.realm, nowMs, ttl);
  if (nonceState === 'invalid') return fail('bad-nonce');
  if (input.requestUri !== undefined && input.requestUri !== c.uri) return fail('uri-mismatch');
  // RFC 7616 3.4.4: the client hashes the username "after any other hash calculation", so A1 holds the name.
  const ha1 = computeHa1(c.algorithm, c.userhash && input.username !== undefined ? input.username : c.username, c.realm, input.secret, c.nonce, c.cnonce);
  const expected = computeResponse({
    algorithm: c.algorithm, ha1, nonce: c.nonce, method: input.method, uri: c.uri,
    qop: c.qop, nc: c.nc, cnonce: c.cnonce, body: input.body,
  });
  if (!hexEqual(expected, c.response)) return fail('bad-response');
  if (nonceState === 'stale') return fail('stale');
  if (opts.ncStore && c.nc !== undefined && !opts.ncStore.check(c.nonce, parseInt(c.nc, 16))) return fail('replay');
  return { ok: true, username: c.userhash && input.username !== undefined ? input.username : c.username, algorithm: c.algorithm };
}
