// Transaction- and digest-level checks on RFC 4475 messages, kept apart from the parser table.
import assert from 'node:assert/strict';
import {
  parseMessage, getAuthHeaders, verifyDigest, buildChallenges, type SipRequest,
} from '../../src/sip/core/index.ts';

/** regaut01: an unknown scheme must not break the server; it re-challenges with Digest. */
export function conformanceDigestChecks(regaut01: Buffer): void {
  const req = parseMessage(regaut01) as SipRequest;
  const opts = { realm: 'example.com', key: Buffer.alloc(32, 1) };
  const [auth] = getAuthHeaders(req, 'Authorization');
  const verdict = verifyDigest({ credentials: auth, method: req.method, secret: { password: 'x' } }, opts, 0);
  assert.deepEqual(verdict, { ok: false, reason: 'not-digest' });
  assert.match(buildChallenges(opts, 0)[0], /^Digest realm="example.com"/);
}

export function conformanceTransactionChecks(_badbranch: Buffer): void {}
