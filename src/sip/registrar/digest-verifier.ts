// The digest check of credentials, up to but not including the nonce-count and the defences: pure work
// (hashes) that a REGISTER lane worker does on its own copy of the phones' credentials, leaving the
// stateful verdict (replay, failure counting, challenge) to DigestAuthenticator.conclude on the main thread.
import { randomBytes } from 'node:crypto';
import { NonceIssuer, toDigestCredentials, verifyDigest, type AuthHeader, type DigestAlgorithm } from '../core/index.ts';

/** Accepted in credentials whatever the challenges offer (see DEFAULT_DIGEST_ALGORITHMS). */
export const ACCEPTED_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export type DigestFinding =
  /** No credentials for our realm: a challenge, not a failure. */
  | { kind: 'none' }
  /** The response is right; `nc` (when sent) still has to pass the replay check under `ncKey`. */
  | { kind: 'ok'; user: string; ncKey: string; nc?: number }
  /** Wrong (bad-response, unknown user, ...), or not judged (stale, bad-nonce, wrong-realm, unsupported-algorithm). */
  | { kind: 'bad'; user: string; reason: string };

export interface DigestVerifierOptions {
  realm: string;
  key: Uint8Array;
  nonceTtlMs: number;
  passwordOf: (user: string) => string | undefined;
  userByHash?: (algorithm: DigestAlgorithm, realm: string, hash: string) => string | undefined;
  nonces?: NonceIssuer;
}

export class DigestVerifier {
  /** Stands in for the password of users that do not exist; never matches anything sent. */
  private readonly decoy = randomBytes(18).toString('base64');
  private readonly nonces: NonceIssuer;

  constructor(private readonly opts: DigestVerifierOptions) {
    this.nonces = opts.nonces ?? new NonceIssuer(opts.key, opts.realm);
  }

  /**
   * Unknown users are verified against a throw-away secret: the same work and the same answer as a known
   * user with a wrong password (no enumeration).
   */
  verify(headers: readonly AuthHeader[], method: string, nowMs: number): DigestFinding {
    const creds = headers.find((h) => h.params.get('realm') === this.opts.realm);
    if (!creds) return { kind: 'none' };
    const parsed = toDigestCredentials(creds);
    // RFC 7616 3.4.4: a hashed username is looked up among the users; one matching nobody is an unknown user.
    const resolved = parsed?.userhash ? this.opts.userByHash?.(parsed.algorithm, parsed.realm, parsed.username) : parsed?.username;
    const user = resolved ?? parsed?.username ?? '';
    const password = resolved === undefined ? undefined : this.opts.passwordOf(resolved);
    const verdict = verifyDigest(
      { credentials: parsed ?? creds, method, secret: { password: password ?? this.decoy }, username: user },
      { realm: this.opts.realm, key: this.opts.key, nonceTtlMs: this.opts.nonceTtlMs, algorithms: ACCEPTED_ALGORITHMS, nonces: this.nonces },
      nowMs,
    );
    if (verdict.ok && password !== undefined) {
      const nc = parsed?.nc !== undefined ? parseInt(parsed.nc, 16) : undefined;
      return { kind: 'ok', user, ncKey: `${parsed!.nonce}|${parsed!.cnonce ?? ''}|${user}`, ...(nc !== undefined ? { nc } : {}) };
    }
    return { kind: 'bad', user, reason: verdict.ok ? 'bad-response' : verdict.reason };
  }
}
