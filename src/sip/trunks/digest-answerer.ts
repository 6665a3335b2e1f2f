// Answers a carrier's 401/407 Digest challenge for one account (REGISTER out, INVITE out), counting
// nonce uses (RFC 7616 3.4 nc) and refusing to answer the same challenge twice (wrong password).
import {
  buildAuthorization, getAuthHeaders, pickChallenge, randomToken, serializeUri,
  type RandomSource, type SipRequest, type SipResponse,
} from '../core/index.ts';

export interface DigestAccount {
  username: string;
  password: string;
}

export class DigestAnswerer {
  private readonly counts = new Map<string, number>();
  private lastNonce: string | null = null;

  constructor(private readonly account: DigestAccount, private readonly random: RandomSource) {}

  /**
   * Adds Authorization (401) or Proxy-Authorization (407) to `next`, a copy of the challenged request
   * with a new CSeq. Returns false when it cannot: no usable challenge, or the same nonce was already
   * answered and the challenge is not stale (RFC 7616 3.3: the credentials were refused).
   */
  answer(next: SipRequest, challenge: SipResponse): boolean {
    const proxy = challenge.status === 407;
    const picked = pickChallenge(getAuthHeaders(challenge, proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate'));
    if (!picked) return false;
    if (this.lastNonce === picked.nonce && !picked.stale) return false;
    const nc = (this.counts.get(picked.nonce) ?? 0) + 1;
    this.counts.set(picked.nonce, nc);
    if (this.counts.size > 8) this.counts.delete(this.counts.keys().next().value!);
    this.lastNonce = picked.nonce;
    const value = buildAuthorization({
      challenge: picked, method: next.method, uri: serializeUri(next.uri), username: this.account.username, password: this.account.password,
      cnonce: randomToken(this.random, 16), nc, body: next.body,
    });
    const name = proxy ? 'Proxy-Authorization' : 'Authorization';
    next.headers.delete(name);
    next.headers.append(name, value);
    return true;
  }

  /** A request got a final answer other than a challenge: the next challenge is answered afresh. */
  settled(): void {
    this.lastNonce = null;
  }
}
