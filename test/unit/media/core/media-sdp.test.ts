import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SdpOrigin, answerOffer, buildLegOffer, negotiatedLaw, parseSdpOrThrow, readAnswer,
} from '../../../../src/media/core/media-sdp.ts';
import { parseSdp } from '../../../../src/sip/core/index.ts';
import { CcboxError } from '../../../../src/platform/errors.ts';

const sdp = (lines: string[]): string => lines.join('\r\n') + '\r\n';
const PHONE_OFFER = sdp([
  'v=0', 'o=yealink 1 1 IN IP4 192.168.1.20', 's=-', 'c=IN IP4 192.168.1.20', 't=0 0',
  'm=audio 11780 RTP/AVP 0 8 18 100', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:18 G729/8000',
  'a=rtpmap:100 telephone-event/8000', 'a=fmtp:100 0-15', 'a=ptime:20', 'a=sendrecv',
]);
const local = { address: '203.0.113.5', port: 40002, laws: ['pcma', 'pcmu'] as const };

test('answer to a phone\'s offer: the call\'s law first, telephone-event at the offerer\'s number, our edge port and address', () => {
  const origin = new SdpOrigin();
  const r = answerOffer(parseSdpOrThrow(PHONE_OFFER), { ...local, laws: ['pcma', 'pcmu'] }, origin, false);
  assert.deepEqual(r.media, { law: 'pcma', audioPt: 8, telephoneEventPt: 100 });
  assert.deepEqual(r.remote, { address: '192.168.1.20', port: 11780, latch: false, direction: 'sendrecv' });
  assert.equal(r.held, false);
  const a = parseSdp(r.sdp);
  assert.equal(a.connection?.address, '203.0.113.5');
  assert.equal(a.origin.address, '203.0.113.5');
  assert.equal(a.origin.sessionId, origin.sessionId);
  assert.equal(a.media[0].port, 40002);
  assert.deepEqual(a.media[0].formats, ['8', '100']);
  assert.match(r.sdp, /a=rtpmap:100 telephone-event\/8000\r\na=fmtp:100 0-15/);
  // A µ-law call answers the same offer with PCMU.
  const u = answerOffer(parseSdpOrThrow(PHONE_OFFER), { ...local, laws: ['pcmu', 'pcma'] }, new SdpOrigin(), true);
  assert.deepEqual(u.media, { law: 'pcmu', audioPt: 0, telephoneEventPt: 100 });
  assert.equal(u.remote.latch, true);
  assert.equal(negotiatedLaw(parseSdpOrThrow(PHONE_OFFER), ['pcmu', 'pcma']), 'pcmu');
});

test('an offer without G.711 is refused (the SIP layer answers 488); garbage SDP is a validation error', () => {
  const g729 = PHONE_OFFER.replace('RTP/AVP 0 8 18 100', 'RTP/AVP 18 100');
  assert.throws(() => answerOffer(parseSdpOrThrow(g729), { ...local }, new SdpOrigin(), false), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION' && /PCMA\/PCMU/.test(e.message));
  assert.throws(() => negotiatedLaw(parseSdpOrThrow(g729), ['pcma']), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
  assert.throws(() => parseSdpOrThrow('hello'), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION' && e.field === 'sdp');
});

test('hold offers (sendonly, inactive, c=0.0.0.0) are seen as hold; the edge is told the peer may not send', () => {
  for (const held of [PHONE_OFFER.replace('a=sendrecv', 'a=sendonly'), PHONE_OFFER.replace('a=sendrecv', 'a=inactive'), PHONE_OFFER.replace('c=IN IP4 192.168.1.20', 'c=IN IP4 0.0.0.0')]) {
    const r = answerOffer(parseSdpOrThrow(held), { ...local }, new SdpOrigin(), false);
    assert.equal(r.held, true);
    assert.equal(r.remote.direction, 'inactive');
  }
  const r = answerOffer(parseSdpOrThrow(PHONE_OFFER.replace('a=sendrecv', 'a=sendonly')), { ...local }, new SdpOrigin(), false);
  assert.match(r.sdp, /a=recvonly/, 'RFC 3264 6.1: sendonly is answered recvonly');
});

test('our offer: the call\'s law first, the other law, telephone-event 101; the answer is read back', () => {
  const origin = new SdpOrigin();
  const offer = buildLegOffer({ ...local, laws: ['pcmu', 'pcma'] }, origin);
  const o = parseSdp(offer);
  assert.deepEqual(o.media[0].formats, ['0', '8', '101']);
  assert.equal(o.media[0].port, 40002);
  assert.match(offer, /a=sendrecv/);
  const answer = sdp(['v=0', 'o=a 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', 'm=audio 7000 RTP/AVP 8 101', 'a=rtpmap:101 telephone-event/8000']);
  const peer = readAnswer(parseSdpOrThrow(answer), false);
  assert.deepEqual(peer.media, { law: 'pcma', audioPt: 8, telephoneEventPt: 101 });
  assert.deepEqual(peer.remote, { address: '10.0.0.9', port: 7000, latch: false, direction: 'sendrecv' });
  const noTe = readAnswer(parseSdpOrThrow(answer.replace(' 8 101', ' 0').replace('a=rtpmap:101 telephone-event/8000\r\n', '')), false);
  assert.deepEqual(noTe.media, { law: 'pcmu', audioPt: 0, telephoneEventPt: null }, 'no telephone-event: the edge falls back to in-band DTMF');
  assert.throws(() => readAnswer(parseSdpOrThrow(answer.replace('m=audio 7000', 'm=audio 0')), false), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
  const hold = buildLegOffer({ ...local, direction: 'sendonly' }, origin);
  assert.match(hold, /a=sendonly/);
});

test('the o= version increments only when our SDP changes (RFC 3264 8)', () => {
  const origin = new SdpOrigin();
  const v = (s: string): bigint => BigInt(parseSdp(s).origin.sessionVersion);
  const first = buildLegOffer({ ...local }, origin);
  const same = buildLegOffer({ ...local }, origin);
  assert.equal(same, first);
  const held = buildLegOffer({ ...local, direction: 'sendonly' }, origin);
  assert.equal(v(held), v(first) + 1n);
  const resumed = buildLegOffer({ ...local }, origin);
  assert.equal(v(resumed), v(held) + 1n);
  assert.equal(parseSdp(resumed).origin.sessionId, parseSdp(first).origin.sessionId);
});
