// Client side of Digest: choosing among challenges and computing Authorization
// (the box registers out to carriers and answers their 401/407).
import { computeHa1, computeResponse, hashUsername, serializeCredentials, toDigestChallenge } from './digest.ts';
import type { DigestAlgorithm, DigestChallenge, DigestCredentials, Qop } from './digest-types.ts';
import type { AuthHeader } from './header-types.ts';

// RFC 8760 2.4: "the client SHOULD use the ... most preferred algorithm it supports".
const STRENGTH: Record<DigestAlgorithm, number> = {
  'SHA-512-256': 6, 'SHA-512-256-sess': 5, 'SHA-256': 4, 'SHA-256-sess': 3, 'MD5': 2, 'MD5-sess': 1,
};

/** The strongest Digest challenge we support among a response's challenges. */
export function pickChallenge(headers: readonly AuthHeader[]): DigestChallenge | undefined {
  const digests = headers.map(toDigestChallenge).filter((c): c is DigestChallenge => c !== undefined);
  return digests.sort((a, b) => STRENGTH[b.algorithm] - STRENGTH[a.algorithm])[0];
}

export interface AuthorizationInput {
  challenge: DigestChallenge;
  method: string;
  /** digest-uri: the Request-URI of the request being authorized. */
  uri: string;
  username: string;
  password: string;
  /** Client nonce from the injected random source. */
  cnonce: string;
  /** nonce-count: 1 for the first use of this nonce, then incremented by the caller. */
  nc: number;
  body?: Uint8Array;
}

/** RFC 7616 3.4: qop=auth when offered (auth-int only when it is the sole option). */
function chooseQop(offered: readonly Qop[]): Qop | undefined {
  if (offered.includes('auth')) return 'auth';
  return offered.includes('auth-int') ? 'auth-int' : undefined;
}

export function buildCredentials(input: AuthorizationInput): DigestCredentials {
  const { challenge: ch } = input;
  const qop = chooseQop(ch.qop);
  const nc = input.nc.toString(16).padStart(8, '0');
  const ha1 = computeHa1(ch.algorithm, input.username, ch.realm, { password: input.password }, ch.nonce, input.cnonce);
  const response = computeResponse({
    algorithm: ch.algorithm, ha1, nonce: ch.nonce, method: input.method, uri: input.uri,
    qop, nc: qop ? nc : undefined, cnonce: qop ? input.cnonce : undefined, body: input.body,
  });
  const c: DigestCredentials = { username: input.username, realm: ch.realm, nonce: ch.nonce, uri: input.uri, response, algorithm: ch.algorithm };
  // RFC 7616 3.4.4: asked for userhash, the client "MUST calculate a hash of the username after any other
  // hash calculation and include the userhash parameter with the value of "true"".
  if (ch.userhash) Object.assign(c, { username: hashUsername(ch.algorithm, input.username, ch.realm), userhash: true });
  if (ch.opaque !== undefined) c.opaque = ch.opaque;
  if (qop) Object.assign(c, { qop, nc, cnonce: input.cnonce });
  return c;
}

/** The Authorization / Proxy-Authorization header value answering a challenge. */
export function buildAuthorization(input: AuthorizationInput): string {
  return serializeCredentials(buildCredentials(input));
}
