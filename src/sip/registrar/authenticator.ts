// Digest authentication of requests from phones (sip/core's digest, stateless HMAC nonces, nonce-count
// replay check). Unknown users are verified against a throw-away secret, so they get exactly the same
// challenge, the same work and the same answer as a known user with a wrong password (no enumeration).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import {
  buildChallenges, getAuthHeaders, MemoryNonceCountStore, NonceIssuer, toDigestCredentials, verifyDigest,
  type AuthHeader, type DigestAlgorithm, type DigestServerOptions, type SipRequest,
} from '../core/index.ts';
import type { SipDefence } from '../defence/index.ts';
import type { SipSource } from '../transport/index.ts';

export type ChallengeKind = 'www' | 'proxy';

/**
 * Offered by default: MD5 alone. RFC 8760 wants SHA-256 offered first, but common phone stacks (libre/
 * baresip 1.x, older pjsip, sipp 3.6) fail the whole authentication when any challenge names an
 * algorithm they lack, rather than skipping it — the reason Asterisk and FreeSWITCH offer MD5 by default.
 * Credentials in MD5 or SHA-256 are always accepted; CCBOX_SIP_DIGEST_ALGORITHMS=SHA-256,MD5 offers both.
 */
export const DEFAULT_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5'];
const ACCEPTED: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export type AuthOutcome =
  | { ok: true; user: string }
  /** Answer with `status` and `headers` (a fresh challenge); `failed` when it counted as a failed attempt. */
  | { ok: false; status: 401 | 407; headers: Array<[string, string]>; failed: boolean; user?: string };

export interface AuthenticatorOptions {
  realm: string;
  nonceTtlMs: number;
  clock: Clock;
  defence: SipDefence;
  /** Offered in this order, one WWW-Authenticate each (default MD5 only, see DEFAULT_DIGEST_ALGORITHMS). */
  algorithms?: readonly DigestAlgorithm[];
  /** The SIP password of a user (extension), or undefined when there is no such user. */
  passwordOf: (user: string) => string | undefined;
  /** The user whose hashed username (RFC 7616 3.4.4) this is; without it userhash credentials never match. */
  userByHash?: (algorithm: DigestAlgorithm, realm: string, hash: string) => string | undefined;
  /**
   * Offer userhash=true in challenges (RFC 7616 3.4.4). Off by default: sipp and baresip cannot hash usernames.
   * Credentials with userhash=true are accepted either way.
   */
  userhash?: boolean;
}

export class DigestAuthenticator {
  private readonly digest: DigestServerOptions;
  /** Stands in for the password of users that do not exist; never matches anything sent. */
  private readonly decoy = randomBytes(18).toString('base64');
  private readonly ncStore = new MemoryNonceCountStore(100_000);
  private readonly nonces: NonceIssuer;
  /** The challenge headers last built, per kind and stale flag, with the nonce they carry. */
  private readonly challenges = new Map<string, { nonce: string; headers: Array<[string, string]> }>();

  constructor(private readonly opts: AuthenticatorOptions) {
    const key = randomBytes(32);
    this.nonces = new NonceIssuer(key, opts.realm);
    this.digest = {
      realm: opts.realm, key, nonceTtlMs: opts.nonceTtlMs, nonces: this.nonces,
      algorithms: opts.algorithms ?? DEFAULT_DIGEST_ALGORITHMS,
      userhash: opts.userhash ?? false,
    };
  }

  get realm(): string {
    return this.opts.realm;
  }

  /** WWW-Authenticate (401) or Proxy-Authenticate (407) headers: SHA-256 then MD5, one nonce, qop=auth. */
  challengeHeaders(kind: ChallengeKind = 'www', stale = false): Array<[string, string]> {
    const now = this.opts.clock.now();
    // The nonce is handed out again for a while (NonceIssuer): so are the header values built around it.
    const nonce = this.nonces.issue(now);
    const key = `${kind}${stale ? '|stale' : ''}`;
    const hit = this.challenges.get(key);
    if (hit?.nonce === nonce) return [...hit.headers];
    const name = kind === 'www' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const headers = buildChallenges(this.digest, now, stale).map((v) => [name, v] as [string, string]);
    this.challenges.set(key, { nonce, headers });
    return [...headers];
  }

  /**
   * Checks the request's credentials for our realm. No credentials: a challenge, not a failure.
   * Wrong password, unknown user, replayed nonce-count: a challenge, and a failure for the defences.
   * Stale nonce with the right password, or a nonce of an earlier run: a challenge (stale=true).
   */
  check(req: SipRequest, source: SipSource, kind: ChallengeKind = 'www'): AuthOutcome {
    const header = kind === 'www' ? 'Authorization' : 'Proxy-Authorization';
    let headers: AuthHeader[];
    try {
      headers = getAuthHeaders(req, header);
    } catch {
      headers = [];
    }
    return this.checkCredentials(headers, req.method, source, kind);
  }

  /** check() on credentials already parsed (the REGISTER lane). */
  checkCredentials(headers: readonly AuthHeader[], method: string, source: SipSource, kind: ChallengeKind = 'www'): AuthOutcome {
    const status = kind === 'www' ? 401 : 407;
    const creds = headers.find((h) => h.params.get('realm') === this.opts.realm);
    if (!creds) return { ok: false, status, headers: this.challengeHeaders(kind), failed: false };
    const parsed = toDigestCredentials(creds);
    // RFC 7616 3.4.4: a hashed username is looked up among the users; one matching nobody is an unknown user.
    const resolved = parsed?.userhash ? this.opts.userByHash?.(parsed.algorithm, parsed.realm, parsed.username) : parsed?.username;
    const user = resolved ?? parsed?.username ?? '';
    const password = resolved === undefined ? undefined : this.opts.passwordOf(resolved);
    // Nonces are stateless and only millisecond-unique, so two phones challenged together share one:
    // nonce-counts are tracked per nonce, client nonce and user (a replay repeats all three).
    const ncStore = { check: (nonce: string, nc: number) => this.ncStore.check(`${nonce}|${parsed?.cnonce ?? ''}|${user}`, nc) };
    const verdict = verifyDigest({ credentials: parsed ?? creds, method, secret: { password: password ?? this.decoy }, username: user }, { ...this.digest, algorithms: ACCEPTED, ncStore }, this.opts.clock.now());
    if (verdict.ok && password !== undefined) return { ok: true, user };
    const reason = verdict.ok ? 'bad-response' : verdict.reason;
    if (reason === 'stale' || reason === 'bad-nonce' || reason === 'wrong-realm' || reason === 'unsupported-algorithm') {
      // Nothing about the password was learnt: re-challenge without counting a failure.
      return { ok: false, status, headers: this.challengeHeaders(kind, reason === 'stale'), failed: false, user };
    }
    this.opts.defence.authFailed(source.ip, user, `${method} ${reason}`);
    return { ok: false, status, headers: this.challengeHeaders(kind), failed: true, user };
  }
}
