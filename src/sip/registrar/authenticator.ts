// Digest authentication of requests from phones (sip/core's digest, stateless HMAC nonces, nonce-count
// replay check). Unknown users are verified against a throw-away secret, so they get exactly the same
// challenge, the same work and the same answer as a known user with a wrong password (no enumeration).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import {
  buildChallenges, getAuthHeaders, MemoryNonceCountStore, NonceIssuer,
  type AuthHeader, type DigestAlgorithm, type DigestServerOptions, type SipRequest,
} from '../core/index.ts';
import type { SipDefence } from '../defence/index.ts';
import type { SipSource } from '../transport/index.ts';
import { DigestVerifier, type DigestFinding } from './digest-verifier.ts';

export type ChallengeKind = 'www' | 'proxy';

/**
 * Offered by default: MD5 alone. RFC 8760 wants SHA-256 offered first, but common phone stacks (libre/
 * baresip 1.x, older pjsip, sipp 3.6) fail the whole authentication when any challenge names an
 * algorithm they lack, rather than skipping it — the reason Asterisk and FreeSWITCH offer MD5 by default.
 * Credentials in MD5 or SHA-256 are always accepted; CCBOX_SIP_DIGEST_ALGORITHMS=SHA-256,MD5 offers both.
 */
export const DEFAULT_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5'];

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
  /** HMAC key of the nonces (default: random per run); lane workers get the same one to check them. */
  key?: Uint8Array;
}

export class DigestAuthenticator {
  private readonly digest: DigestServerOptions;
  private readonly ncStore = new MemoryNonceCountStore(100_000);
  private readonly nonces: NonceIssuer;
  readonly verifier: DigestVerifier;
  /** The nonces' HMAC key, for lane workers to check nonces this thread issued. */
  readonly key: Uint8Array;
  /** The challenge headers last built, per kind and stale flag, with the nonce they carry. */
  private readonly challenges = new Map<string, { nonce: string; headers: Array<[string, string]> }>();

  constructor(private readonly opts: AuthenticatorOptions) {
    const key = (this.key = opts.key ?? randomBytes(32));
    this.nonces = new NonceIssuer(key, opts.realm);
    this.verifier = new DigestVerifier({ realm: opts.realm, key, nonceTtlMs: opts.nonceTtlMs, passwordOf: opts.passwordOf, userByHash: opts.userByHash, nonces: this.nonces });
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
    return this.conclude(this.verifier.verify(headers, method, this.opts.clock.now()), method, source, kind);
  }

  /**
   * The verdict on a finding of DigestVerifier (made here or on a lane worker): the nonce-count replay check,
   * failures counted for the defences, challenges for everything that is not a success.
   */
  conclude(f: DigestFinding, method: string, source: SipSource, kind: ChallengeKind = 'www'): AuthOutcome {
    const status = kind === 'www' ? 401 : 407;
    if (f.kind === 'none') return { ok: false, status, headers: this.challengeHeaders(kind), failed: false };
    // Nonces are shared by the phones challenged within NonceIssuer's window: nonce-counts are tracked per
    // nonce, client nonce and user (a replay repeats all three).
    const reason = f.kind === 'ok' ? (f.nc !== undefined && !this.ncStore.check(f.ncKey, f.nc) ? 'replay' : null) : f.reason;
    if (reason === null) return { ok: true, user: f.user };
    if (reason === 'stale' || reason === 'bad-nonce' || reason === 'wrong-realm' || reason === 'unsupported-algorithm') {
      // Nothing about the password was learnt: re-challenge without counting a failure.
      return { ok: false, status, headers: this.challengeHeaders(kind, reason === 'stale'), failed: false, user: f.user };
    }
    this.opts.defence.authFailed(source.ip, f.user, `${method} ${reason}`);
    return { ok: false, status, headers: this.challengeHeaders(kind), failed: true, user: f.user };
  }
}
