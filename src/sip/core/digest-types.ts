// Types of HTTP Digest authentication as SIP uses it (RFC 3261 22.4, RFC 7616, RFC 8760).

/** RFC 8760 3: algorithms SIP may use; "-sess" variants change HA1 (RFC 7616 3.4.2). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export type Qop = 'auth' | 'auth-int';

/** A parsed WWW-Authenticate / Proxy-Authenticate Digest challenge. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** qop-options offered, empty for an RFC 2069 style challenge. */
  qop: Qop[];
  opaque?: string;
  stale: boolean;
  domain?: string;
  /** RFC 7616 3.4.4: the server would like the username hashed (userhash=true). */
  userhash?: boolean;
}

/** Parsed Authorization / Proxy-Authorization Digest credentials. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: Qop;
  /** nonce-count as sent (8 hex digits) and its value. */
  nc?: string;
  cnonce?: string;
  opaque?: string;
  /**
   * RFC 7616 3.4.4: `username` is H(username ":" realm), not the user's name; the response was still
   * computed with the name itself ("after any other hash calculation").
   */
  userhash?: boolean;
}

/** Either the clear password or the precomputed H(username:realm:password) for the algorithm. */
export type DigestSecret = { password: string } | { ha1: string };

/**
 * Optional replay protection (RFC 7616 3.3 nonce-count): returns false when `nc` is not
 * greater than the last value seen for the nonce, and records it otherwise.
 */
export interface NonceCountStore {
  check(nonce: string, nc: number): boolean;
}

export type DigestFailure =
  | 'not-digest' | 'malformed' | 'wrong-realm' | 'unsupported-algorithm' | 'bad-nonce' | 'stale'
  | 'bad-response' | 'replay' | 'uri-mismatch';

export type DigestVerdict =
  | { ok: true; username: string; algorithm: DigestAlgorithm }
  | { ok: false; reason: DigestFailure; username?: string };
