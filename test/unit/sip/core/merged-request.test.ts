// Merged requests (RFC 3261 8.2.2.2): a request without a To tag whose From tag, Call-ID and CSeq match a
// transaction in progress but which arrives with another branch (forked to us along another path) is
// answered 482 Loop Detected in its own server transaction and never reaches the transaction user.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SipMessage, SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { getTo, getTopVia } from '../../../../src/sip/core/message.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { serializeMessage } from '../../../../src/sip/core/serializer.ts';
import { TransactionLayer, type ServerTransaction } from '../../../../src/sip/core/transaction/layer.ts';
import type { Peer } from '../../../../src/sip/core/transaction/transaction-types.ts';
import { FakeTimers, seeded } from './helpers.ts';
import { reply, request } from './transaction-fixtures.ts';

const PROXY_A: Peer = { transport: 'udp', address: '192.0.2.20', port: 5062 };
const PROXY_B: Peer = { transport: 'udp', address: '192.0.2.30', port: 5060 };

function setup() {
  const timers = new FakeTimers();
  const sent: Array<{ msg: SipMessage; peer: Peer }> = [];
  const requests: Array<{ req: SipRequest; tx?: ServerTransaction }> = [];
  const layer = new TransactionLayer({ timers, random: seeded(5), send: (msg, peer) => sent.push({ msg, peer }) }, {
    onRequest: (req, tx) => requests.push({ req, tx }),
  });
  const deliver = (msg: SipMessage, peer: Peer) => layer.receive(parseMessage(serializeMessage(msg)), peer);
  const responses = () => sent.filter((s) => s.msg.kind === 'response').map((s) => ({ status: (s.msg as SipResponse).status, branch: getTopVia(s.msg).branch, to: s.peer.address, toTag: getTo(s.msg).tag }));
  return { timers, layer, deliver, requests, responses };
}

/** The same request as forked by another proxy: its own Via (and branch) on top. */
const viaB = (branch: string) => `SIP/2.0/UDP 192.0.2.30:5060;branch=${branch}`;

describe('merged requests (RFC 3261 8.2.2.2)', () => {
  it('answers 482 to an INVITE that is already being handled but arrives through another branch', () => {
    const s = setup();
    s.deliver(request('INVITE', { branch: 'z9hG4bK-path-a' }), PROXY_A);
    assert.equal(s.requests.length, 1);
    s.deliver(request('INVITE', { via: viaB('z9hG4bK-path-b') }), PROXY_B);
    assert.equal(s.requests.length, 1, 'the merged copy never reaches the TU');
    const r = s.responses();
    assert.deepEqual(r.map((x) => [x.status, x.branch, x.to]), [[100, 'z9hG4bK-path-a', '192.0.2.20'], [482, 'z9hG4bK-path-b', '192.0.2.30']]);
    assert.ok(r[1]!.toTag, 'the 482 carries a To tag');
    // A retransmission of the merged copy is absorbed by its own transaction (the 482 is sent again).
    s.deliver(request('INVITE', { via: viaB('z9hG4bK-path-b') }), PROXY_B);
    assert.equal(s.requests.length, 1);
    assert.deepEqual(s.responses().slice(2).map((x) => [x.status, x.branch]), [[482, 'z9hG4bK-path-b']]);
    // The original transaction is untouched: it still answers its own retransmission with 100.
    s.deliver(request('INVITE', { branch: 'z9hG4bK-path-a' }), PROXY_A);
    assert.deepEqual(s.responses().slice(3).map((x) => [x.status, x.branch]), [[100, 'z9hG4bK-path-a']]);
  });

  it('detects merged non-INVITE requests too, and still after the INVITE was answered 2xx (Accepted)', () => {
    const s = setup();
    s.deliver(request('OPTIONS', { branch: 'z9hG4bK-o1' }), PROXY_A);
    s.deliver(request('OPTIONS', { via: viaB('z9hG4bK-o2') }), PROXY_B);
    assert.equal(s.requests.length, 1);
    assert.deepEqual(s.responses().map((x) => x.status), [482]);

    const t = setup();
    t.deliver(request('INVITE', { branch: 'z9hG4bK-i1', cseq: 7 }), PROXY_A);
    t.requests[0]!.tx!.respond(reply(t.requests[0]!.req, 200));
    t.deliver(request('INVITE', { via: viaB('z9hG4bK-i2'), cseq: 7 }), PROXY_B);
    assert.equal(t.requests.length, 1);
    assert.deepEqual(t.responses().map((x) => x.status), [100, 200, 482]);
  });

  it('passes requests that differ in From tag, Call-ID or CSeq, carry a To tag, or follow a finished transaction', () => {
    const s = setup();
    s.deliver(request('INVITE', { branch: 'z9hG4bK-1', cseq: 1 }), PROXY_A);
    s.deliver(request('INVITE', { branch: 'z9hG4bK-2', cseq: 2 }), PROXY_A);
    s.deliver(request('INVITE', { branch: 'z9hG4bK-3', cseq: 1, fromTag: 'other' }), PROXY_A);
    s.deliver(request('INFO', { branch: 'z9hG4bK-4', cseq: 1 }), PROXY_A);
    // In-dialog requests (To tag) are the dialog's business, not merge detection.
    s.deliver(request('BYE', { branch: 'z9hG4bK-5', cseq: 9, toTag: 'tt' }), PROXY_A);
    s.deliver(request('BYE', { via: viaB('z9hG4bK-6'), cseq: 9, toTag: 'tt' }), PROXY_B);
    assert.equal(s.requests.length, 6);
    assert.ok(!s.responses().some((x) => x.status === 482));
    // A request answered with a final non-2xx is no longer in progress: the next copy is a new request
    // (e.g. a phone re-sending a REGISTER with credentials but, wrongly, the same CSeq).
    const t = setup();
    t.deliver(request('REGISTER', { branch: 'z9hG4bK-r1' }), PROXY_A);
    t.requests[0]!.tx!.respond(reply(t.requests[0]!.req, 401));
    t.deliver(request('REGISTER', { branch: 'z9hG4bK-r2' }), PROXY_A);
    assert.equal(t.requests.length, 2);
    assert.deepEqual(t.responses().map((x) => x.status), [401]);
  });

  it('still lets a CANCEL (with the INVITE\'s CSeq number) find its INVITE', () => {
    const s = setup();
    s.deliver(request('INVITE', { branch: 'z9hG4bK-c1' }), PROXY_A);
    s.deliver(request('CANCEL', { branch: 'z9hG4bK-c1' }), PROXY_A);
    assert.deepEqual(s.responses().map((x) => x.status), [100, 200]);
  });
});
