// IPv4 and IPv6 side by side: one port on 127.0.0.1 and ::1 for UDP and TCP, sources reported per family.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { TransportLayer, type SipSource } from '../../../../src/sip/transport/index.ts';
import { silentLog, wire } from '../sip-test-helpers.ts';

const options = (host: string) =>
  wire([`OPTIONS sip:${host} SIP/2.0`, `Via: SIP/2.0/UDP ${host}:5999;branch=z9hG4bK6`, 'From: <sip:a@b>;tag=1', `To: <sip:${host}>`, 'Call-ID: v6', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0']);

describe('transport layer over IPv4 and IPv6', () => {
  const layer = new TransportLayer({
    clock: new FakeClock(), log: silentLog, maxMessageBytes: 65535, idleTimeoutMs: 60_000, connectTimeoutMs: 1000,
    hosts: ['127.0.0.1', '::1'], port: 0, tlsPort: null, externalAddress: null, localNetworks: ['127.0.0.0/8', '::1/128'],
  });
  after(() => layer.close());

  it('listens on both families on one port and reports v6 sources without brackets', async () => {
    await layer.listen();
    const port = layer.portOf('udp')!;
    assert.deepEqual(layer.listening.map((l) => `${l.transport} ${l.ip} ${l.port === port}`), ['udp 127.0.0.1 true', 'udp ::1 true', 'tcp 127.0.0.1 true', 'tcp ::1 true']);
    const got = new Promise<SipSource>((resolve) => layer.once('message', (_m, s) => resolve(s)));
    const c6 = dgram.createSocket('udp6');
    c6.send(options('[::1]'), port, '::1');
    const src = await got;
    assert.equal(src.ip, '::1');
    assert.equal(src.transport, 'udp');
    // An answer to a v6 source goes out of the v6 socket.
    const back = once(c6, 'message');
    await layer.send(options('[::1]'), { transport: 'udp', ip: '::1', port: c6.address().port });
    assert.match(String((await back)[0]), /^OPTIONS sip:\[::1\]/);
    c6.close();
    assert.deepEqual(layer.advertisedFor({ transport: 'udp', ip: '::1' }), { transport: 'udp', ip: '::1', host: '[::1]', port });

    const tcpGot = new Promise<SipSource>((resolve) => layer.once('message', (_m, s) => resolve(s)));
    const t6 = net.connect(port, '::1');
    await once(t6, 'connect');
    t6.write(options('[::1]'));
    const tsrc = await tcpGot;
    assert.equal(tsrc.ip, '::1');
    assert.equal(tsrc.transport, 'tcp');
    t6.destroy();
  });
});
