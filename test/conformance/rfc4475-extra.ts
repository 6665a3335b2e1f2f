// Transaction- and digest-level checks on RFC 4475 messages, kept apart from the parser table.
import assert from 'node:assert/strict';
import {
  parseMessage, getAuthHeaders, verifyDigest, buildChallenges, buildResponse, TransactionLayer,
  type SipMessage, type SipRequest, type ServerTransaction,
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

/**
 * badbranch: a branch that is only the magic cookie is matched by the RFC 2543 rules, so a
 * retransmission is absorbed and answered from the transaction, never seen twice by the core.
 */
export function conformanceTransactionChecks(badbranch: Buffer): void {
  const sent: SipMessage[] = [];
  const seen: Array<ServerTransaction | undefined> = [];
  const timers = { setTimeout: () => 0, clearTimeout: () => {} };
  const layer = new TransactionLayer({ timers, random: () => 0.5, send: (m) => sent.push(m) }, {
    onRequest: (_req, tx) => seen.push(tx),
  });
  const peer = { transport: 'udp', address: '192.0.2.1', port: 5060 };
  layer.receive(parseMessage(badbranch), peer);
  assert.equal(seen.length, 1);
  seen[0]!.respond(buildResponse(seen[0]!.request, 200, { toTag: 'x' }));
  layer.receive(parseMessage(badbranch), peer);
  assert.equal(seen.length, 1, 'retransmission absorbed');
  assert.deepEqual(sent.map((m) => m.kind === 'response' && m.status), [200, 200]);
}
