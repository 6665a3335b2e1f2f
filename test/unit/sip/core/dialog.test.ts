import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dialog, dialogIdOfRequest, dialogKey } from '../../../../src/sip/core/dialog.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { serializeMessage } from '../../../../src/sip/core/serializer.ts';
import { buildResponse } from '../../../../src/sip/core/response.ts';
import { getCSeq, getRAck } from '../../../../src/sip/core/message.ts';
import { serializeUri } from '../../../../src/sip/core/uri.ts';
import type { SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { wire } from './helpers.ts';

const OUR_CONTACT = '<sip:ccbox@192.0.2.1:5060>';

const invite = parseMessage(wire([
  'INVITE sip:02088880000@carrier.example SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKout1',
  'Max-Forwards: 70',
  'From: "总机" <sip:box@192.0.2.1>;tag=ours',
  'To: <sip:02088880000@carrier.example>',
  'Call-ID: out-1@192.0.2.1',
  'CSeq: 10 INVITE',
  'Contact: <sip:ccbox@192.0.2.1:5060>',
  'Proxy-Authorization: Digest username="box", realm="carrier", nonce="n", uri="sip:02088880000@carrier.example", response="r"',
])) as SipRequest;

function responseFrom(req: SipRequest, status: number, extra: Array<[string, string]>): SipResponse {
  // In-dialog requests get their Via from the transaction layer; stand in for it here.
  if (!req.headers.has('Via')) req.headers.prepend('Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKlayer');
  const res = buildResponse(req, status, { toTag: 'theirs', headers: extra });
  return parseMessage(serializeMessage(res)) as SipResponse;
}

const lines = (req: SipRequest) => serializeMessage(req).toString().split('\r\n');

describe('UAC dialog (RFC 3261 12.1.2, 12.2.1.1, 13.2.2.4)', () => {
  const ok = () => responseFrom(invite, 200, [
    ['Record-Route', '<sip:p2.example;lr>'], ['Record-Route', '<sip:p1.example;lr;ftag=x>'],
    ['Contact', '<sip:gw@198.51.100.9:5080;transport=udp>'],
  ]);

  it('takes the route set reversed, the Contact as remote target, and the INVITE CSeq', () => {
    const d = Dialog.fromUacResponse(invite, ok(), { localContact: OUR_CONTACT });
    assert.deepEqual(d.id, { callId: 'out-1@192.0.2.1', localTag: 'ours', remoteTag: 'theirs' });
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(d.routeSet, ['<sip:p1.example;lr;ftag=x>', '<sip:p2.example;lr>']);
    assert.equal(serializeUri(d.remoteTarget), 'sip:gw@198.51.100.9:5080;transport=udp');
    assert.equal(d.localSeq, 10);
    assert.equal(d.remoteSeq, undefined);
    assert.equal(d.key, dialogKey(d.id));
  });

  it('builds a BYE with loose routing and an incremented CSeq', () => {
    const d = Dialog.fromUacResponse(invite, ok(), { localContact: OUR_CONTACT });
    assert.deepEqual(lines(d.createRequest('BYE', { headers: [['Reason', 'Q.850;cause=16']] })), [
      'BYE sip:gw@198.51.100.9:5080;transport=udp SIP/2.0',
      'Max-Forwards: 70',
      'From: "总机" <sip:box@192.0.2.1>;tag=ours',
      'To: <sip:02088880000@carrier.example>;tag=theirs',
      'Call-ID: out-1@192.0.2.1',
      'CSeq: 11 BYE',
      'Route: <sip:p1.example;lr;ftag=x>',
      'Route: <sip:p2.example;lr>',
      'Reason: Q.850;cause=16',
      'Content-Length: 0', '', '',
    ]);
  });

  it('re-INVITE carries our Contact and body; its 2xx refreshes the remote target', () => {
    const d = Dialog.fromUacResponse(invite, ok(), { localContact: OUR_CONTACT });
    const reinvite = d.createRequest('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    assert.equal(reinvite.headers.get('Contact'), OUR_CONTACT);
    assert.equal(reinvite.headers.get('Content-Type'), 'application/sdp');
    assert.equal(getCSeq(reinvite).seq, 11);
    d.updateFromResponse(responseFrom(reinvite, 200, [['Contact', '<sip:gw@198.51.100.10>']]));
    assert.equal(serializeUri(d.remoteTarget), 'sip:gw@198.51.100.10');
    assert.deepEqual(d.routeSet, ['<sip:p1.example;lr;ftag=x>', '<sip:p2.example;lr>'], 'route set is fixed once confirmed');
  });

  it('ACK for the 2xx reuses the INVITE CSeq number and credentials, without consuming a CSeq', () => {
    const d = Dialog.fromUacResponse(invite, ok(), { localContact: OUR_CONTACT });
    const ack = d.createAck(invite);
    assert.deepEqual(getCSeq(ack), { seq: 10, method: 'ACK' });
    assert.equal(ack.headers.count('Proxy-Authorization'), 1);
    assert.equal(ack.headers.has('Contact'), false);
    assert.equal(getCSeq(d.createRequest('INFO')).seq, 11);
  });

  it('strict routing: first route into the Request-URI, remote target last in Route', () => {
    const res = responseFrom(invite, 200, [['Record-Route', '<sip:strict.example;maddr=10.0.0.1?X=1>'], ['Contact', '<sip:gw@198.51.100.9>']]);
    const d = Dialog.fromUacResponse(invite, res, { localContact: OUR_CONTACT });
    const bye = d.createRequest('BYE');
    assert.equal(serializeUri(bye.uri), 'sip:strict.example;maddr=10.0.0.1');
    assert.deepEqual(bye.headers.getAll('Route'), ['<sip:gw@198.51.100.9>']);
  });

  it('early dialog from a 1xx with tag: confirmed by the 2xx with a recomputed route set; PRACK with RAck', () => {
    const ringing = responseFrom(invite, 183, [['Contact', '<sip:gw@198.51.100.9>'], ['Require', '100rel'], ['RSeq', '4711'], ['Record-Route', '<sip:p1.example;lr>']]);
    const d = Dialog.fromUacResponse(invite, ringing, { localContact: OUR_CONTACT });
    assert.equal(d.state, 'early');
    const prack = d.createPrack(ringing);
    assert.deepEqual(getRAck(prack), { rseq: 4711, cseq: 10, method: 'INVITE' });
    assert.equal(getCSeq(prack).seq, 11);
    d.updateFromResponse(responseFrom(invite, 200, [['Contact', '<sip:gw2@198.51.100.9>'], ['Record-Route', '<sip:p9.example;lr>']]));
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(d.routeSet, ['<sip:p9.example;lr>']);
    assert.equal(serializeUri(d.remoteTarget), 'sip:gw2@198.51.100.9');
  });

  it('terminates on a non-2xx to the initial INVITE and on 481/408 in the dialog', () => {
    const early = Dialog.fromUacResponse(invite, responseFrom(invite, 180, []), { localContact: OUR_CONTACT });
    early.updateFromResponse(responseFrom(invite, 486, []));
    assert.equal(early.state, 'terminated');
    const d = Dialog.fromUacResponse(invite, ok(), { localContact: OUR_CONTACT });
    const info = d.createRequest('INFO');
    d.updateFromResponse(responseFrom(info, 415, []));
    assert.equal(d.state, 'confirmed');
    d.updateFromResponse(responseFrom(info, 481, []));
    assert.equal(d.state, 'terminated');
  });
});

describe('UAS dialog (RFC 3261 12.1.1, 12.2.2)', () => {
  const incoming = parseMessage(wire([
    'INVITE sip:1001@192.0.2.1 SIP/2.0',
    'Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1',
    'Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>',
    'From: <sip:13800138000@carrier.example>;tag=caller',
    'To: <sip:1001@192.0.2.1>',
    'Call-ID: in-1',
    'CSeq: 5 INVITE',
    'Contact: <sip:13800138000@198.51.100.9>',
  ])) as SipRequest;

  it('keeps Record-Route in order, remote CSeq, and starts our CSeq from the option', () => {
    const d = Dialog.fromUasRequest(incoming, 'box1', { localContact: OUR_CONTACT, initialLocalSeq: 100 });
    assert.deepEqual(d.id, { callId: 'in-1', localTag: 'box1', remoteTag: 'caller' });
    assert.equal(d.state, 'early');
    d.confirm();
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(d.routeSet, ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.equal(d.remoteSeq, 5);
    const bye = d.createRequest('BYE');
    assert.equal(serializeUri(bye.uri), 'sip:13800138000@198.51.100.9');
    assert.equal(bye.headers.get('From'), '<sip:1001@192.0.2.1>;tag=box1');
    assert.equal(bye.headers.get('To'), '<sip:13800138000@carrier.example>;tag=caller');
    assert.equal(getCSeq(bye).seq, 100);
    assert.equal(getCSeq(d.createRequest('NOTIFY')).seq, 101);
  });

  it('rejects out-of-order requests with 500 and takes target refreshes', () => {
    const d = Dialog.fromUasRequest(incoming, 'box1', { localContact: OUR_CONTACT }, 'confirmed');
    const inDialog = (method: string, cseq: number, contact?: string) => parseMessage(wire([
      `${method} sip:1001@192.0.2.1 SIP/2.0`, 'Via: SIP/2.0/UDP p1.example;branch=z9hG4bKx',
      'From: <sip:13800138000@carrier.example>;tag=caller', 'To: <sip:1001@192.0.2.1>;tag=box1',
      'Call-ID: in-1', `CSeq: ${cseq} ${method}`, ...(contact ? [`Contact: ${contact}`] : []),
    ])) as SipRequest;
    assert.deepEqual(dialogIdOfRequest(inDialog('BYE', 6)), d.id);
    assert.deepEqual(d.receiveRequest(inDialog('ACK', 5)), { ok: true });
    assert.deepEqual(d.receiveRequest(inDialog('UPDATE', 6, '<sip:new@198.51.100.20>')), { ok: true });
    assert.equal(serializeUri(d.remoteTarget), 'sip:new@198.51.100.20');
    assert.deepEqual(d.receiveRequest(inDialog('INFO', 6)), { ok: false, status: 500, reason: 'CSeq out of order' });
    assert.deepEqual(d.receiveRequest(inDialog('INFO', 3)), { ok: false, status: 500, reason: 'CSeq out of order' });
    assert.equal(d.receiveRequest(inDialog('BYE', 7)).ok, true);
    assert.equal(d.remoteSeq, 7);
  });

  it('refuses to build ACK or CANCEL as ordinary requests', () => {
    const d = Dialog.fromUasRequest(incoming, 'box1', { localContact: OUR_CONTACT });
    assert.throws(() => d.createRequest('ACK'));
    assert.throws(() => d.createRequest('CANCEL'));
  });
});
