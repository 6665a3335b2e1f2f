import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSdp, serializeSdp, rtpMaps, fmtp, ptime, direction, connectionOf, rtcpOf, SdpParseError, setDirection } from '../../../../src/sip/core/sdp.ts';

const OFFER = [
  'v=0',
  'o=- 3456789012345678901 2 IN IP4 198.51.100.7',
  's=carrier',
  'c=IN IP4 198.51.100.7',
  'b=AS:84',
  't=0 0',
  'a=sendrecv',
  'm=audio 30000 RTP/AVP 18 8 0 96',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'a=ptime:20',
  'a=rtcp:30011 IN IP4 198.51.100.8',
  'm=video 0 RTP/AVP 31',
  'c=IN IP6 2001:db8::7',
  'a=inactive',
  '',
].join('\r\n');

describe('parseSdp / serializeSdp', () => {
  it('reads session and media fields', () => {
    const sdp = parseSdp(OFFER);
    assert.equal(sdp.origin.sessionId, '3456789012345678901');
    assert.equal(sdp.origin.sessionVersion, '2');
    assert.equal(sdp.sessionName, 'carrier');
    assert.deepEqual(sdp.connection, { netType: 'IN', addrType: 'IP4', address: '198.51.100.7' });
    assert.deepEqual(sdp.bandwidths, ['AS:84']);
    assert.equal(sdp.media.length, 2);
    const [audio, video] = sdp.media;
    assert.deepEqual(audio.formats, ['18', '8', '0', '96']);
    assert.deepEqual(rtpMaps(audio).map((m) => `${m.payloadType} ${m.encoding}/${m.clockRate}`), ['18 G729/8000', '8 PCMA/8000', '0 PCMU/8000', '96 telephone-event/8000']);
    assert.equal(fmtp(audio, 96), '0-15');
    assert.equal(fmtp(audio, 18), 'annexb=no');
    assert.equal(ptime(audio), 20);
    assert.deepEqual(rtcpOf(audio), { port: 30011, address: '198.51.100.8' });
    assert.equal(direction(audio, sdp), 'sendrecv');
    assert.equal(direction(video, sdp), 'inactive');
    assert.equal(connectionOf(video, sdp)?.address, '2001:db8::7');
    assert.equal(connectionOf(audio, sdp)?.address, '198.51.100.7');
  });

  it('writes the same text back (CRLF, RFC 4566 field order)', () => {
    assert.equal(serializeSdp(parseSdp(OFFER)), OFFER);
    assert.equal(serializeSdp(parseSdp(OFFER.replace(/\r\n/g, '\n'))), OFFER);
  });

  it('defaults rtcp to port+1 and direction to sendrecv; setDirection replaces', () => {
    const sdp = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n');
    const m = sdp.media[0];
    assert.deepEqual(rtcpOf(m), { port: 4001 });
    assert.equal(direction(m, sdp), 'sendrecv');
    setDirection(m, 'recvonly');
    setDirection(m, 'sendonly');
    assert.deepEqual(m.attributes, [{ name: 'sendonly', value: null }]);
  });

  it('rejects what is not SDP', () => {
    assert.throws(() => parseSdp('hello'), SdpParseError);
    assert.throws(() => parseSdp('v=0\r\ns=-\r\n'), SdpParseError);
    assert.throws(() => parseSdp('v=0\r\no=- 1 1 IN IP4 h\r\nm=audio x RTP/AVP 0\r\n'), SdpParseError);
    assert.throws(() => parseSdp('v=0\r\no=- 1 1 IN IP4 h\r\nm =video 3227 RTP/AVP 31\r\n'), SdpParseError);
  });
});
