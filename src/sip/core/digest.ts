// Digest computations (RFC 7616 3.4.1-3.4.3) and the mapping between auth headers and
// typed Digest challenges/credentials.
import { createHash } from 'node:crypto';
import { serializeAuthHeader } from './header-auth.ts';
import type { AuthHeader } from './header-types.ts';
import type { DigestAlgorithm, DigestChallenge, DigestCredentials, DigestSecret, Qop } from './digest-types.ts';

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  'md5': 'MD5', 'md5-sess': 'MD5-sess', 'sha-256': 'SHA-256', 'sha-256-sess': 'SHA-256-sess',
  'sha-512-256': 'SHA-512-256', 'sha-512-256-sess': 'SHA-512-256-sess',
};

const HASH: Record<string, string> = { 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** RFC 7616 3.3: "If this is not present, it is assumed to be "MD5"." */
export function parseAlgorithm(text: string | undefined): DigestAlgorithm | undefined {
  return text === undefined ? 'MD5' : ALGORITHMS[text.toLowerCase()];
}

export function isSessionAlgorithm(alg: DigestAlgorithm): boolean {
  return alg.endsWith('-sess');
}

/** H(data) as lower-case hex for the algorithm's hash function. */
export function digestHash(alg: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(HASH[alg.replace(/-sess$/, '')]).update(data).digest('hex');
}

/**
 * RFC 7616 3.4.4: the hashed username, H(unq(username) ":" unq(realm)), with the algorithm's hash
 * function (the same for its -sess variant).
 */
export function hashUsername(alg: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(alg, `${username}:${realm}`);
}

/** RFC 7616 3.4.2: A1 = username ":" realm ":" passwd (plus ":" nonce ":" cnonce for -sess). */
export function computeHa1(alg: DigestAlgorithm, username: string, realm: string, secret: DigestSecret, nonce?: string, cnonce?: string): string {
  const base = 'ha1' in secret ? secret.ha1 : digestHash(alg, `${username}:${realm}:${secret.password}`);
  return isSessionAlgorithm(alg) ? digestHash(alg, `${base}:${nonce ?? ''}:${cnonce ?? ''}`) : base;
}

export interface ResponseInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: Qop;
  nc?: string;
  cnonce?: string;
  body?: Uint8Array;
}

/**
 * RFC 7616 3.4.1: response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)); A2 = Method:request-uri
 * (for auth-int also :H(entity-body)). Without qop (RFC 2069 form): KD(H(A1), nonce:H(A2)).
 */
export function computeResponse(p: ResponseInput): string {
  const a2 = p.qop === 'auth-int'
    ? `${p.method}:${p.uri}:${digestHash(p.algorithm, p.body ?? new Uint8Array())}`
    : `${p.method}:${p.uri}`;
  const ha2 = digestHash(p.algorithm, a2);
  const data = p.qop ? `${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}` : `${p.nonce}:${ha2}`;
  return digestHash(p.algorithm, `${p.ha1}:${data}`);
}

const isDigest = (h: AuthHeader) => h.scheme.toLowerCase() === 'digest';

/** A Digest challenge, or undefined for other schemes / missing realm or nonce / unknown algorithm. */
export function toDigestChallenge(h: AuthHeader): DigestChallenge | undefined {
  const realm = h.params.get('realm');
  const nonce = h.params.get('nonce');
  const algorithm = parseAlgorithm(h.params.get('algorithm'));
  if (!isDigest(h) || realm === undefined || nonce === undefined || !algorithm) return undefined;
  const qop = (h.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q): q is Qop => q === 'auth' || q === 'auth-int');
  const c: DigestChallenge = { realm, nonce, algorithm, qop, stale: h.params.get('stale')?.toLowerCase() === 'true' };
  const opaque = h.params.get('opaque');
  if (opaque !== undefined) c.opaque = opaque;
  const domain = h.params.get('domain');
  if (domain !== undefined) c.domain = domain;
  if (h.params.get('userhash')?.toLowerCase() === 'true') c.userhash = true;
  return c;
}

/** Digest credentials, or undefined if not Digest or a required field is missing. */
export function toDigestCredentials(h: AuthHeader): DigestCredentials | undefined {
  if (!isDigest(h)) return undefined;
  const get = (n: string) => h.params.get(n);
  const [username, realm, nonce, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map(get);
  const algorithm = parseAlgorithm(get('algorithm'));
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined || !algorithm) return undefined;
  const c: DigestCredentials = { username, realm, nonce, uri, response, algorithm };
  const qop = get('qop')?.toLowerCase();
  if (qop === 'auth' || qop === 'auth-int') c.qop = qop;
  else if (qop !== undefined) return undefined;
  for (const k of ['nc', 'cnonce', 'opaque'] as const) {
    const v = get(k);
    if (v !== undefined) c[k] = v;
  }
  if (c.qop && (!c.nc || !/^[0-9a-fA-F]{8}$/.test(c.nc) || !c.cnonce)) return undefined;
  // RFC 7616 3.4: userhash = "userhash" EQUAL ( "true" / "false" ), default false.
  if (get('userhash')?.toLowerCase() === 'true') c.userhash = true;
  return c;
}

export function serializeChallenge(c: DigestChallenge): string {
  const p = new Map<string, string>([['realm', c.realm], ['nonce', c.nonce]]);
  if (c.domain !== undefined) p.set('domain', c.domain);
  if (c.opaque !== undefined) p.set('opaque', c.opaque);
  if (c.stale) p.set('stale', 'true');
  p.set('algorithm', c.algorithm);
  if (c.qop.length > 0) p.set('qop', c.qop.join(','));
  if (c.userhash) p.set('userhash', 'true');
  // RFC 7616 3.3: stale, algorithm and userhash are tokens; qop-options is a quoted string.
  return serializeAuthHeader('Digest', p, new Set(['stale', 'algorithm', 'userhash']));
}

export function serializeCredentials(c: DigestCredentials): string {
  const p = new Map<string, string>([['username', c.username], ['realm', c.realm], ['nonce', c.nonce], ['uri', c.uri], ['response', c.response], ['algorithm', c.algorithm]]);
  if (c.opaque !== undefined) p.set('opaque', c.opaque);
  if (c.qop) {
    p.set('qop', c.qop);
    p.set('nc', c.nc ?? '00000001');
    p.set('cnonce', c.cnonce ?? '');
  }
  if (c.userhash) p.set('userhash', 'true');
  // RFC 7616 3.4: algorithm, qop, nc and userhash are not quoted in credentials.
  return serializeAuthHeader('Digest', p, new Set(['algorithm', 'qop', 'nc', 'userhash']));
}
