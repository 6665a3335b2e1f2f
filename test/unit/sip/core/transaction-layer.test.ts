import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TransactionLayer, type ServerTransaction } from '../../../../src/sip/core/transaction/layer.ts';
import { InviteServerTransaction } from '../../../../src/sip/core/transaction/server-invite.ts';
import type { Peer } from '../../../../src/sip/core/transaction/transaction-types.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { getCSeq, getTo, getTopVia, createRequest } from '../../../../src/sip/core/message.ts';
import { buildResponse } from '../../../../src/sip/core/response.ts';
import { serializeMessage } from '../../../../src/sip/core/serializer.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { FakeTimers, seeded } from './helpers.ts';
import { request, reply } from './transaction-fixtures.ts';

const NATTED: Peer = { transport: 'udp', address: '203.0.113.5', port: 40000 };
const CARRIER: Peer = { transport: 'udp', address: '198.51.100.1', port: 5060 };

function setup() {
  const timers = new FakeTimers();
  const sent: Array<{ msg: SipMessage; peer: Peer }> = [];
  const requests: Array<{ req: SipRequest; tx?: ServerTransaction }> = [];
  const cancels: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer({
    timers, random: seeded(1), send: (msg, peer) => sent.push({ msg, peer }),
    viaSentBy: () => ({ host: '192.0.2.1', port: 5060 }),
  }, {
    onRequest: (req, tx) => requests.push({ req, tx }),
    onCancel: (_invite, cancel) => cancels.push(cancel),
    onStrayResponse: (res) => strays.push(res),
  });
  // Requests travel as bytes so that every test message is parsed afresh, like on the wire.
  const deliver = (msg: SipMessage, peer: Peer = NATTED) => layer.receive(parseMessage(serializeMessage(msg)), peer);
  const statuses = () => sent.filter((s) => s.msg.kind === 'response').map((s) => (s.msg as SipResponse).status);
  return { timers, sent, requests, cancels, strays, layer, deliver, statuses };
}

const natInvite = () => request('INVITE', { via: 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnat1;rport' });

describe('TransactionLayer: server side', () => {
  it('creates an INVITE server transaction, sends 100 Trying to the rport address and absorbs retransmissions', () => {
    const s = setup();
    s.deliver(natInvite());
    assert.equal(s.requests.length, 1);
    assert.ok(s.requests[0].tx instanceof InviteServerTransaction);
    const trying = s.sent[0];
    assert.equal((trying.msg as SipResponse).status, 100);
    assert.deepEqual(trying.peer, { transport: 'udp', address: '203.0.113.5', port: 40000 });
    assert.equal((trying.msg as SipResponse).headers.get('Via'), 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnat1;rport=40000;received=203.0.113.5');
    s.deliver(natInvite());
    assert.equal(s.requests.length, 1, 'retransmission not passed to the TU');
    assert.deepEqual(s.statuses(), [100, 100]);
  });

  it('ACK for a non-2xx is absorbed by the transaction; ACK for a 2xx goes to the TU', () => {
    const s = setup();
    s.deliver(natInvite());
    const tx = s.requests[0].tx as InviteServerTransaction;
    tx.respond(reply(s.requests[0].req, 486));
    s.deliver(request('ACK', { via: 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnat1;rport', toTag: 'ttag' }));
    assert.equal(tx.state, 'confirmed');
    assert.equal(s.requests.length, 1);

    const s2 = setup();
    s2.deliver(natInvite());
    (s2.requests[0].tx as InviteServerTransaction).respond(reply(s2.requests[0].req, 200));
    s2.deliver(request('ACK', { branch: 'z9hG4bKack2xx', toTag: 'ttag' }));
    assert.equal(s2.requests.length, 2);
    assert.equal(s2.requests[1].req.method, 'ACK');
    assert.equal(s2.requests[1].tx, undefined);
  });

  it('answers a matching CANCEL with 200 (To tag of the 180) and tells the core; 481 otherwise', () => {
    const s = setup();
    s.deliver(natInvite());
    const tx = s.requests[0].tx as InviteServerTransaction;
    tx.respond(reply(s.requests[0].req, 180, 'ring1'));
    s.deliver(request('CANCEL', { via: 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnat1;rport' }));
    const ok = s.sent.at(-1)!.msg as SipResponse;
    assert.equal(ok.status, 200);
    assert.equal(getCSeq(ok).method, 'CANCEL');
    assert.equal(getTo(ok).tag, 'ring1');
    assert.equal(s.cancels.length, 1);
    assert.equal(s.requests.length, 1, 'CANCEL is answered by the layer');
    s.deliver(request('CANCEL', { branch: 'z9hG4bKunknown' }));
    assert.equal((s.sent.at(-1)!.msg as SipResponse).status, 481);
  });

  it('non-INVITE: the TU answers once, retransmissions get the stored answer', () => {
    const s = setup();
    s.deliver(request('OPTIONS'));
    s.requests[0].tx!.respond(reply(s.requests[0].req, 200));
    s.deliver(request('OPTIONS'));
    s.deliver(request('OPTIONS'));
    assert.equal(s.requests.length, 1);
    assert.deepEqual(s.statuses(), [200, 200, 200]);
    s.timers.advance(32_000);
    assert.equal(s.layer.counts.server, 0);
  });

  it('RFC 2543 matching without a magic cookie (RFC 4475 badbranch, inv2543)', () => {
    const s = setup();
    s.deliver(request('OPTIONS', { branch: 'z9hG4bK' }));
    s.deliver(request('OPTIONS', { branch: 'z9hG4bK' }));
    assert.equal(s.requests.length, 1);
    s.deliver(request('OPTIONS', { branch: 'z9hG4bK', fromTag: 'other' }));
    assert.equal(s.requests.length, 2, 'a different From tag is a different transaction');

    s.deliver(request('INVITE', { branch: null }));
    const invite = s.requests[2];
    invite.tx!.respond(reply(invite.req, 404, 'nf'));
    s.deliver(request('INVITE', { branch: null }));
    assert.equal(s.requests.length, 3, 'INVITE retransmission absorbed');
    s.deliver(request('ACK', { branch: null, toTag: 'nf' }));
    assert.equal(invite.tx!.state, 'confirmed');
    s.deliver(request('ACK', { branch: null, toTag: 'someone-else' }));
    assert.equal(s.requests.length, 4, 'an ACK with another To tag does not match');
  });

  it('drops requests whose top Via is unusable instead of throwing', () => {
    const s = setup();
    const bad = request('OPTIONS');
    bad.headers.set('Via', 'garbage');
    s.layer.receive(bad, NATTED);
    assert.equal(s.requests.length, 0);
  });
});

describe('TransactionLayer: client side', () => {
  const outgoing = (method: string) => createRequest({
    method, uri: 'sip:02088880000@198.51.100.1',
    headers: [['Max-Forwards', '70'], ['From', '<sip:box@192.0.2.1>;tag=b1'], ['To', '<sip:02088880000@198.51.100.1>'],
      ['Call-ID', 'out-1'], ['CSeq', `1 ${method}`]],
  });

  it('adds a Via with a fresh magic-cookie branch and rport, and matches responses by branch and method', () => {
    const s = setup();
    const seen: number[] = [];
    const req = outgoing('INVITE');
    const tx = s.layer.sendRequest(req, CARRIER, { onResponse: (r) => seen.push(r.status) });
    const via = getTopVia(req);
    assert.match(via.branch!, /^z9hG4bK[A-Za-z0-9]{16}$/);
    assert.equal(via.rport, null);
    assert.equal(req.headers.get('Via'), `SIP/2.0/UDP 192.0.2.1:5060;branch=${via.branch};rport`);
    s.deliver(buildResponse(req, 180, { toTag: 'c1' }), CARRIER);
    const wrongMethod = buildResponse(req, 200, { toTag: 'c1' });
    wrongMethod.headers.set('CSeq', '1 BYE');
    s.deliver(wrongMethod, CARRIER);
    assert.deepEqual(seen, [180]);
    assert.equal(s.strays.length, 1);
    assert.equal(tx.state, 'proceeding');
  });

  it('keeps a CANCEL until the first provisional arrives (RFC 3261 9.1), with the INVITE branch', () => {
    const s = setup();
    const req = outgoing('INVITE');
    const tx = s.layer.sendRequest(req, CARRIER, { onResponse: () => {} });
    const cancelled: number[] = [];
    assert.equal(s.layer.cancel(tx as never, { onResponse: (r) => cancelled.push(r.status) }), true);
    assert.equal(s.sent.length, 1, 'no CANCEL before a provisional');
    s.deliver(buildResponse(req, 183, { toTag: 'c1' }), CARRIER);
    const cancel = s.sent.at(-1)!.msg as SipRequest;
    assert.equal(cancel.method, 'CANCEL');
    assert.equal(getTopVia(cancel).branch, getTopVia(req).branch);
    s.deliver(buildResponse(cancel, 200), CARRIER);
    assert.deepEqual(cancelled, [200]);
    s.deliver(buildResponse(req, 487, { toTag: 'c1' }), CARRIER);
    assert.equal(tx.state, 'completed');
    assert.equal(s.layer.cancel(tx as never), false);
  });

  it('sends a stateless ACK with its own branch and cleans up after the timers', () => {
    const s = setup();
    const ack = outgoing('ACK');
    s.layer.sendStateless(ack, CARRIER);
    assert.match(getTopVia(ack).branch!, /^z9hG4bK/);
    const req = outgoing('OPTIONS');
    s.layer.sendRequest(req, CARRIER, { onResponse: () => {} });
    assert.equal(s.layer.counts.client, 1);
    s.deliver(buildResponse(req, 200), CARRIER);
    s.timers.advance(5000);
    assert.equal(s.layer.counts.client, 0);
  });
});
