// TCP framing, keep-alives, connection reuse, idle timeout, size limits and malformed input on a real
// loopback socket; UDP datagrams the same way.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { serializeMessage, type SipMessage, type SipParseError } from '../../../../src/sip/core/index.ts';
import { StreamTransport, UdpTransport, type SipSource } from '../../../../src/sip/transport/index.ts';
import { silentLog, wire } from '../sip-test-helpers.ts';

const options = (branch: string, body = '') =>
  wire(['OPTIONS sip:box@127.0.0.1 SIP/2.0', `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=${branch}`, 'From: <sip:a@b>;tag=1', 'To: <sip:box@127.0.0.1>', 'Call-ID: c@x', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', `Content-Length: ${Buffer.byteLength(body)}`], body);

/** Collects transport events and lets a test await the next one of a kind. */
function recorder(t: StreamTransport | UdpTransport) {
  const got: Array<{ type: string; msg?: SipMessage; err?: SipParseError; source: SipSource | string }> = [];
  const waiters: Array<{ type: string; resolve: (v: (typeof got)[number]) => void }> = [];
  const push = (e: (typeof got)[number]) => {
    const w = waiters.findIndex((x) => x.type === e.type);
    if (w >= 0) waiters.splice(w, 1)[0]!.resolve(e);
    else got.push(e);
  };
  t.on('message', (msg, source) => push({ type: 'message', msg, source }));
  t.on('malformed', (err, source) => push({ type: 'malformed', err, source }));
  t.on('keepAlive', (source) => push({ type: 'keepAlive', source }));
  t.on('closed', (id, reason) => push({ type: 'closed', source: `${id}:${reason}` }));
  return (type: string) =>
    new Promise<(typeof got)[number]>((resolve) => {
      const i = got.findIndex((x) => x.type === type);
      if (i >= 0) resolve(got.splice(i, 1)[0]!);
      else waiters.push({ type, resolve });
    });
}

describe('TCP transport', () => {
  const clock = new FakeClock();
  const tcp = new StreamTransport('tcp', { clock, log: silentLog, maxMessageBytes: 4096, idleTimeoutMs: 30_000, connectTimeoutMs: 2000 });
  const next = recorder(tcp);
  let port = 0;
  before(async () => {
    port = await tcp.listen(['127.0.0.1'], 0);
  });
  after(() => tcp.close());

  const connect = async () => {
    const s = net.connect(port, '127.0.0.1');
    await once(s, 'connect');
    return s;
  };

  it('frames messages split across segments and several in one segment', async () => {
    const s = await connect();
    const a = options('z9hG4bK1', 'v=0\r\n');
    s.write(a.subarray(0, 30));
    s.write(Buffer.concat([a.subarray(30), options('z9hG4bK2'), options('z9hG4bK3')]));
    const got = [await next('message'), await next('message'), await next('message')];
    assert.deepEqual(got.map((g) => (g.msg!.kind === 'request' ? g.msg!.headers.get('Via') : '')), ['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3'].map((b) => `SIP/2.0/TCP 127.0.0.1:5999;branch=${b}`));
    assert.equal(got[0]!.msg!.body.toString(), 'v=0\r\n');
    const src = got[0]!.source as SipSource;
    assert.equal(src.transport, 'tcp');
    assert.equal(src.ip, '127.0.0.1');
    assert.equal(src.port, s.localPort);
    assert.ok(src.connectionId);
    s.destroy();
    await next('closed');
  });

  it('answers a CRLFCRLF ping with one CRLF (RFC 5626) and reuses the connection for replies', async () => {
    const s = await connect();
    const reply = once(s, 'data');
    s.write('\r\n\r\n');
    assert.equal(String((await reply)[0]), '\r\n');
    await next('keepAlive');
    s.write(options('z9hG4bK4'));
    const m = await next('message');
    const src = m.source as SipSource;
    const back = once(s, 'data');
    // Same connection by id, and by address when the id is not given (connection reuse).
    await tcp.send(serializeMessage(m.msg!), { transport: 'tcp', ip: src.ip, port: src.port });
    assert.match(String((await back)[0]), /^OPTIONS sip:box@127.0.0.1/);
    assert.equal(tcp.connectionCount, 1);
    s.destroy();
    await next('closed');
  });

  it('reports a malformed request with enough of it to answer 400, and keeps the connection', async () => {
    const s = await connect();
    s.write(wire(['OPTIONS sip:box SIP/2.0', 'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK5', 'From: <sip:a@b>;tag=1', 'To: <sip:box>', 'Call-ID: c', 'CSeq: one OPTIONS', 'Content-Length: 0']));
    const bad = await next('malformed');
    assert.equal(bad.err!.status, 400);
    assert.ok(bad.err!.respondable);
    s.write(options('z9hG4bK6'));
    assert.equal((await next('message')).msg!.kind, 'request');
    s.destroy();
    await next('closed');
  });

  it('closes a connection whose message exceeds the size limit, or whose framing is broken', async () => {
    const s = await connect();
    s.write(options('z9hG4bK7', 'x'.repeat(5000)).subarray(0, 600));
    assert.match((await next('closed')).source as string, /framing error/);
    const s2 = await connect();
    s2.write(wire(['OPTIONS sip:box SIP/2.0', 'Content-Length: 5', 'Content-Length: 7']));
    assert.match((await next('closed')).source as string, /framing error/);
    s.destroy();
    s2.destroy();
  });

  it('closes idle connections when the idle timeout passes on the clock', async () => {
    const s = await connect();
    s.resume();
    s.write('\r\n\r\n');
    await next('keepAlive');
    clock.tick(29_000);
    assert.equal(tcp.connectionCount, 1);
    clock.tick(1_000);
    assert.match((await next('closed')).source as string, /idle/);
    await once(s, 'close');
  });

  it('opens an outbound connection when none exists, and fails within the deadline when refused', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    await tcp.send(options('z9hG4bK8'), { transport: 'tcp', ip: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    const [sock] = (await accepted) as [net.Socket];
    assert.match(String((await once(sock, 'data'))[0]), /^OPTIONS/);
    sock.destroy();
    server.close();
    await next('closed');
    await assert.rejects(tcp.send(options('z9hG4bK9'), { transport: 'tcp', ip: '127.0.0.1', port: (server.address() as net.AddressInfo | null)?.port ?? 1 }));
  });
});

describe('UDP transport', () => {
  const udp = new UdpTransport({ clock: new FakeClock(), log: silentLog, maxMessageBytes: 2000, idleTimeoutMs: 1, connectTimeoutMs: 1 });
  const next = recorder(udp);
  let port = 0;
  const client = dgram.createSocket('udp4');
  before(async () => {
    port = await udp.listen(['127.0.0.1'], 0);
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
  });
  after(async () => {
    client.close();
    await udp.close();
  });

  it('parses one message per datagram, reports CRLF keep-alives, drops oversize and reports garbage', async () => {
    client.send(options('z9hG4bKu1'), port, '127.0.0.1');
    const m = await next('message');
    assert.deepEqual({ ...(m.source as SipSource) }, { transport: 'udp', ip: '127.0.0.1', port: client.address().port, localIp: '127.0.0.1', localPort: port });
    client.send('\r\n\r\n', port, '127.0.0.1');
    await next('keepAlive');
    client.send(options('z9hG4bKu2', 'y'.repeat(3000)), port, '127.0.0.1');
    client.send(Buffer.from([0, 1, 2, 3, 0xff, 0xfe]), port, '127.0.0.1');
    const bad = await next('malformed');
    assert.equal(bad.err!.respondable, false);
    client.send(options('z9hG4bKu3'), port, '127.0.0.1');
    const after = await next('message');
    assert.match(after.msg!.headers.get('Via')!, /z9hG4bKu3/, 'the oversize datagram was dropped, later ones still served');
  });

  it('sends to a destination from the socket of its family', async () => {
    const got = once(client, 'message');
    await udp.send(options('z9hG4bKu4'), { transport: 'udp', ip: '127.0.0.1', port: client.address().port });
    assert.match(String((await got)[0]), /z9hG4bKu4/);
  });
});
