import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSdp, serializeSdp, direction } from '../../../../src/sip/core/sdp.ts';
import { buildAnswer, buildOffer, reoffer, holdOffer, isHold, answerDirection } from '../../../../src/sip/core/offer-answer.ts';

const local = { address: '192.0.2.1', port: 40000, origin: { sessionId: '777', sessionVersion: '1' } };
const offerText = (audio: string, extra: string[] = []) => ['v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0', audio, ...extra, ''].join('\r\n');

describe('buildAnswer (RFC 3264 6)', () => {
  it('picks PCMA by local preference, keeps the offerer PT for telephone-event and its fmtp', () => {
    const offer = parseSdp(offerText('m=audio 30000 RTP/AVP 0 8 97', ['a=rtpmap:97 telephone-event/8000', 'a=fmtp:97 0-16', 'a=ptime:20', 'm=video 3227 RTP/AVP 31']));
    const { answer, negotiated } = buildAnswer(offer, local);
    assert.equal(serializeSdp(answer), [
      'v=0', 'o=- 777 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0',
      'm=audio 40000 RTP/AVP 8 97', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:97 telephone-event/8000', 'a=fmtp:97 0-16', 'a=ptime:20', 'a=sendrecv',
      'm=video 0 RTP/AVP 31', '',
    ].join('\r\n'));
    assert.deepEqual(negotiated, {
      mediaIndex: 0, codec: { payloadType: 8, encoding: 'PCMA', clockRate: 8000, channels: 1 },
      telephoneEvent: { payloadType: 97, fmtp: '0-16' }, remoteAddress: '198.51.100.7', remotePort: 30000,
      remoteRtcpPort: 30001, direction: 'sendrecv', ptime: 20,
    });
  });

  it('honours a PCMU-first local preference and a dynamic PCMU mapping', () => {
    const offer = parseSdp(offerText('m=audio 30000 RTP/AVP 8 120', ['a=rtpmap:120 pcmu/8000']));
    const { negotiated } = buildAnswer(offer, { ...local, codecs: ['PCMU', 'PCMA'] });
    assert.equal(negotiated?.codec.payloadType, 120);
  });

  it('ignores telephone-event outside 96-127 and at other rates', () => {
    const offer = parseSdp(offerText('m=audio 30000 RTP/AVP 0 101 102', ['a=rtpmap:101 telephone-event/16000', 'a=rtpmap:102 telephone-event/8000']));
    assert.equal(buildAnswer(offer, local).negotiated?.telephoneEvent?.payloadType, 102);
  });

  it('rejects with port 0 when nothing fits, and rejects SRTP, second audio and video', () => {
    const none = buildAnswer(parseSdp(offerText('m=audio 30000 RTP/AVP 18', ['a=rtpmap:18 G729/8000'])), local);
    assert.equal(none.negotiated, undefined);
    assert.equal(none.answer.media[0].port, 0);
    assert.deepEqual(none.answer.media[0].formats, ['18']);
    const srtp = buildAnswer(parseSdp(offerText('m=audio 30000 RTP/SAVP 8')), local);
    assert.equal(srtp.answer.media[0].port, 0);
    const two = buildAnswer(parseSdp(offerText('m=audio 30000 RTP/AVP 8', ['m=audio 30002 RTP/AVP 0', 'm=video 5000 RTP/AVP 31'])), local);
    assert.deepEqual(two.answer.media.map((m) => m.port), [40000, 0, 0]);
  });

  it('mirrors directions (sendonly→recvonly, recvonly→sendonly, inactive)', () => {
    for (const [offered, expected] of [['sendonly', 'recvonly'], ['recvonly', 'sendonly'], ['inactive', 'inactive'], ['sendrecv', 'sendrecv']]) {
      const { answer } = buildAnswer(parseSdp(offerText('m=audio 30000 RTP/AVP 8', [`a=${offered}`])), local);
      assert.equal(direction(answer.media[0], answer), expected);
    }
    assert.equal(answerDirection('sendrecv', 'sendonly'), 'sendonly');
    assert.equal(answerDirection('sendonly', 'sendonly'), 'inactive');
  });

  it('writes IP6 for an IPv6 local address', () => {
    const { answer } = buildAnswer(parseSdp(offerText('m=audio 30000 RTP/AVP 0')), { ...local, address: '2001:db8::1' });
    assert.match(serializeSdp(answer), /c=IN IP6 2001:db8::1/);
  });
});

describe('offers, re-offers and hold', () => {
  it('builds an offer with PCMA, PCMU and telephone-event', () => {
    const offer = buildOffer({ ...local, ptime: 20, rtcpPort: 40001 });
    assert.deepEqual(offer.media[0].formats, ['8', '0', '101']);
    assert.match(serializeSdp(offer), /a=fmtp:101 0-16\r\na=ptime:20\r\na=rtcp:40001\r\na=sendrecv/);
  });

  it('increments the o= version on re-offers (RFC 3264 8) without touching the original', () => {
    const first = buildOffer({ ...local, origin: { sessionId: '1', sessionVersion: '18446744073709551614' } });
    const second = reoffer(first);
    assert.equal(second.origin.sessionVersion, '18446744073709551615');
    assert.equal(first.origin.sessionVersion, '18446744073709551614');
    const held = holdOffer(second);
    assert.equal(held.origin.sessionVersion, '18446744073709551616');
    assert.equal(direction(held.media[0], held), 'sendonly');
    assert.equal(direction(second.media[0], second), 'sendrecv');
  });

  it('detects hold: sendonly, inactive, c=0.0.0.0; not recvonly or sendrecv', () => {
    const sdp = (extra: string[], c = '198.51.100.7') => parseSdp(offerText('m=audio 30000 RTP/AVP 8', extra).replace('c=IN IP4 198.51.100.7', `c=IN IP4 ${c}`));
    assert.ok(isHold(sdp(['a=sendonly'])));
    assert.ok(isHold(sdp(['a=inactive'])));
    assert.ok(isHold(sdp([], '0.0.0.0')));
    assert.ok(!isHold(sdp(['a=recvonly'])));
    assert.ok(!isHold(sdp([])));
  });
});
