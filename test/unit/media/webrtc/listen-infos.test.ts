// The WebRtcServer's sockets from the configuration: one port, UDP and TCP, per address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { webRtcListenInfos } from '../../../../src/media/webrtc/index.ts';

const range = { min: 48000, max: 49999 };

describe('webRtcListenInfos', () => {
  it('0.0.0.0 without an announced address listens on each host address, UDP and TCP, on the one port', () => {
    const infos = webRtcListenInfos({ port: 50000, listenIp: '0.0.0.0', announcedAddress: null }, range, () => ['127.0.0.1', '192.0.2.10']);
    assert.deepEqual(infos, [
      { protocol: 'udp', ip: '127.0.0.1', port: 50000 },
      { protocol: 'tcp', ip: '127.0.0.1', port: 50000 },
      { protocol: 'udp', ip: '192.0.2.10', port: 50000 },
      { protocol: 'tcp', ip: '192.0.2.10', port: 50000 },
    ]);
  });

  it('an announced address (NAT) is announced from the listen address', () => {
    const infos = webRtcListenInfos({ port: 50000, listenIp: '0.0.0.0', announcedAddress: '203.0.113.5' }, range, () => ['10.0.0.2']);
    assert.deepEqual(infos, [
      { protocol: 'udp', ip: '0.0.0.0', announcedAddress: '203.0.113.5', port: 50000 },
      { protocol: 'tcp', ip: '0.0.0.0', announcedAddress: '203.0.113.5', port: 50000 },
    ]);
  });

  it('port 0 (tests) takes any port of the mediasoup range', () => {
    const infos = webRtcListenInfos({ port: 0, listenIp: '127.0.0.1', announcedAddress: null }, range);
    assert.deepEqual(infos, [
      { protocol: 'udp', ip: '127.0.0.1', portRange: range },
      { protocol: 'tcp', ip: '127.0.0.1', portRange: range },
    ]);
  });
});
