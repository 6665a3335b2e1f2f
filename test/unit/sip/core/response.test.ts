import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildResponse, buildCancel, buildAckForNon2xx } from '../../../../src/sip/core/response.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { serializeMessage } from '../../../../src/sip/core/serializer.ts';
import { getTo, getCSeq } from '../../../../src/sip/core/message.ts';
import type { SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import { wire } from './helpers.ts';

const INVITE = parseMessage(wire([
  'INVITE sip:1001@box.example SIP/2.0',
  'Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1', 'Via: SIP/2.0/UDP ua.example;branch=z9hG4bKua',
  'Record-Route: <sip:p1.example;lr>', 'Route: <sip:box.example;lr>',
  'From: "A" <sip:a@x.example>;tag=ftag', 'To: <sip:1001@box.example>', 'Call-ID: c1',
  'CSeq: 42 INVITE', 'Timestamp: 54', 'Max-Forwards: 69', 'Content-Length: 0',
])) as SipRequest;

describe('buildResponse (RFC 3261 8.2.6)', () => {
  it('copies Via in order, From, Call-ID, CSeq and adds the To tag', () => {
    const res = buildResponse(INVITE, 180, { toTag: 'ttag' });
    assert.equal(serializeMessage(res).toString(), [
      'SIP/2.0 180 Ringing',
      'Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1', 'Via: SIP/2.0/UDP ua.example;branch=z9hG4bKua',
      'From: "A" <sip:a@x.example>;tag=ftag', 'To: <sip:1001@box.example>;tag=ttag', 'Call-ID: c1',
      'CSeq: 42 INVITE', 'Record-Route: <sip:p1.example;lr>', 'Content-Length: 0', '', '',
    ].join('\r\n'));
  });
  it('leaves 100 Trying untagged with Timestamp and keeps an existing tag', () => {
    const trying = buildResponse(INVITE, 100, { toTag: 'x' });
    assert.equal(getTo(trying).tag, undefined);
    assert.equal(trying.headers.get('Timestamp'), '54');
    const again = buildResponse(buildAckLike(), 200, { toTag: 'other' });
    assert.equal(getTo(again).tag, 'first');
  });
  it('answers a partial request from a parse error', () => {
    let err: SipParseError | undefined;
    try { parseMessage(wire(['INVITE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'CSeq: 1 INVITE'])); } catch (e) { err = e as SipParseError; }
    assert.ok(err?.respondable);
    const res = buildResponse(err!.partial!, err!.status!, { reason: err!.reason, toTag: 't' });
    assert.equal(res.status, 400);
    assert.equal(res.reason, 'Missing Required Header: From, To, Call-ID');
    assert.equal(res.headers.has('To'), false);
  });
});

function buildAckLike(): SipRequest {
  const r = parseMessage(serializeMessage(INVITE)) as SipRequest;
  r.headers.set('To', '<sip:1001@box.example>;tag=first');
  return r;
}

describe('buildCancel and buildAckForNon2xx', () => {
  it('CANCEL: same R-URI, top Via only, CSeq number, Route', () => {
    const cancel = buildCancel(INVITE);
    assert.equal(cancel.method, 'CANCEL');
    assert.deepEqual(cancel.uri, INVITE.uri);
    assert.deepEqual(cancel.headers.getAll('Via'), ['SIP/2.0/UDP p1.example;branch=z9hG4bKp1']);
    assert.deepEqual(getCSeq(cancel), { seq: 42, method: 'CANCEL' });
    assert.deepEqual(cancel.headers.getAll('Route'), ['<sip:box.example;lr>']);
    assert.equal(cancel.headers.get('To'), '<sip:1001@box.example>');
  });
  it('ACK: To from the response', () => {
    const res = buildResponse(INVITE, 486, { toTag: 'busy' }) as SipResponse;
    const ack = buildAckForNon2xx(INVITE, res);
    assert.equal(getTo(ack).tag, 'busy');
    assert.deepEqual(getCSeq(ack), { seq: 42, method: 'ACK' });
    assert.equal(ack.headers.count('Via'), 1);
  });
});
