import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortAllocator, RemoteLatch, StreamRebaser, PcmMixer } from '../../../../src/media/edge/index.ts';

test('port allocator: even RTP ports, RTCP inside the range, round-robin, exhaustion', () => {
  const a = new PortAllocator({ min: 41001, max: 41008 });
  assert.equal(a.capacity, 3);
  assert.deepEqual([a.allocate(), a.allocate(), a.allocate(), a.allocate()], [41002, 41004, 41006, null]);
  a.release(41002);
  a.release(41006);
  assert.equal(a.allocate(), 41002);
  assert.equal(a.allocate(), 41006);
  assert.throws(() => new PortAllocator({ min: 41000, max: 41000 }), RangeError);
});

test('latch: strict mode accepts only the signalled address', () => {
  const latched: string[] = [];
  const l = new RemoteLatch(1000, (t) => latched.push(`${t.address}:${t.port}`));
  assert.equal(l.accept('10.0.0.1', 4000, 0), false, 'nothing signalled yet');
  l.configure({ address: '10.0.0.1', port: 4000, latch: false }, 0);
  assert.equal(l.accept('10.0.0.9', 4000, 1), false);
  assert.equal(l.accept('10.0.0.1', 4002, 1), false);
  assert.equal(l.accept('10.0.0.1', 4000, 1), true);
  assert.equal(l.accept('10.0.0.9', 5000, 2), false);
  assert.deepEqual(latched, ['10.0.0.1:4000']);
  assert.equal(l.dropped, 4);
  l.dropped = 0;
  assert.equal(l.acceptRtcp('10.0.0.9', 4001), false);
  assert.equal(l.acceptRtcp('10.0.0.1', 5555), false, 'strict: RTCP from RTP port + 1');
  assert.equal(l.acceptRtcp('10.0.0.1', 4001), true);
  assert.equal(l.isCurrent('10.0.0.1', 4000), true, 'rtcp-mux on the RTP port');
  assert.equal(l.isCurrent('10.0.0.1', 4001), false);
});

test('latch: NAT mode latches the first source in the window, then no one else (RTP Bleed)', () => {
  const latched: string[] = [];
  const l = new RemoteLatch(500, (t) => latched.push(`${t.address}:${t.port}`));
  l.configure({ address: '192.168.1.20', port: 10000, latch: true }, 1000);
  assert.deepEqual(l.destination, { address: '192.168.1.20', port: 10000, latch: true });
  assert.equal(l.accept('203.0.113.5', 31000, 1100), true);
  assert.deepEqual(l.destination, { address: '203.0.113.5', port: 31000 });
  assert.equal(l.acceptRtcp('203.0.113.5', 31007), true, 'NAT: the first RTCP port of the host is latched');
  assert.equal(l.acceptRtcp('203.0.113.5', 31001), false);
  assert.equal(l.accept('198.51.100.66', 40000, 1200), false, 'another source in the window');
  assert.equal(l.accept('198.51.100.66', 40000, 9000), false, 'another source after the window');
  assert.equal(l.accept('203.0.113.5', 31000, 9000), true);
  // The next offer/answer (the phone's NAT mapping changed): the old source stays the
  // destination until the first packet after it, which sets the new one.
  l.configure({ address: '192.168.1.20', port: 10000, latch: true }, 10_000);
  assert.deepEqual(l.destination, { address: '203.0.113.5', port: 31000 });
  assert.equal(l.accept('203.0.113.5', 31002, 10_100), true);
  assert.equal(l.accept('198.51.100.66', 40000, 10_200), false);
  assert.equal(l.accept('203.0.113.5', 31000, 10_300), false, 'the old mapping is gone');
  assert.equal(l.accept('198.51.100.66', 40000, 10_600), false);
  // A re-offer after which the same source keeps sending changes nothing.
  l.configure({ address: '192.168.1.20', port: 10000, latch: true }, 20_000);
  assert.equal(l.accept('203.0.113.5', 31002, 20_020), true);
  assert.deepEqual(latched, ['203.0.113.5:31000', '203.0.113.5:31002']);
});

test('rebaser: fixed output across an SSRC change — sequence +1, timestamp by elapsed time', () => {
  const r = new StreamRebaser(65534, 0xfffffe00);
  const out: [number, number, boolean][] = [];
  for (let i = 0; i < 3; i++) {
    r.map(0xaaaa, 100 + i, 5000 + i * 160, i * 20);
    out.push([r.seq, r.timestamp, r.marker]);
  }
  // New SSRC 60 ms after the last packet, with unrelated sequence and timestamp.
  r.map(0xbbbb, 9, 777, 100);
  out.push([r.seq, r.timestamp, r.marker]);
  r.map(0xbbbb, 10, 937, 120);
  out.push([r.seq, r.timestamp, r.marker]);
  assert.deepEqual(out, [
    [65534, 0xfffffe00, true], [65535, 0xfffffea0, false], [0, 0xffffff40, false],
    [1, (0xffffff40 + 480) >>> 0, true], [2, (0xffffff40 + 640) >>> 0, false],
  ]);
  // A late (reordered) packet keeps its place and does not move the references.
  r.map(0xbbbb, 8, 617, 125);
  assert.equal(r.seq, 0);
  r.map(0xbbbb, 11, 1097, 140);
  assert.equal(r.seq, 3);
});

test('rebaser: a huge sequence jump within one SSRC is a restart; mediaEnd carries DTMF time', () => {
  const r = new StreamRebaser(10, 1000);
  r.map(1, 500, 0, 0);
  r.map(1, 40000, 123, 20);
  assert.deepEqual([r.seq, r.timestamp, r.marker], [11, 1160, true]);
  r.map(2, 0, 0, 40, 800); // a telephone-event packet: start ts, duration 800
  assert.equal(r.timestamp, 1160 + 160);
  r.map(3, 0, 0, 60);
  assert.equal(r.timestamp, 1160 + 160 + 800, 'audio after the event starts where the event ended');
  // A source switching in quickly never starts inside the previous packet's media.
  r.map(4, 0, 0, 61, 160);
  assert.equal(r.timestamp, 2120 + 8);
  r.map(5, 0, 0, 62);
  assert.equal(r.timestamp, 2128 + 160);
});

test('mixer: sums sources with clipping, one frame per source per tick, forgets idle ones', () => {
  const m = new PcmMixer(4, 2, 2);
  const out = new Int16Array(4);
  m.push(1, Int16Array.from([100, 200, 30000, -30000, 1, 1]));
  m.push(2, Int16Array.from([1, 2, 30000, -30000]));
  assert.equal(m.mix(out), 2);
  assert.deepEqual([...out], [101, 202, 32767, -32768]);
  assert.equal(m.mix(out), 0, 'source 1 holds only half a frame');
  m.push(1, Int16Array.from([5, 5]));
  assert.equal(m.mix(out), 1);
  assert.deepEqual([...out], [1, 1, 5, 5]);
  // Bounded queue: the oldest frames are dropped.
  for (let i = 0; i < 5; i++) m.push(3, new Int16Array(4).fill(i));
  m.mix(out);
  assert.deepEqual([...out], [3, 3, 3, 3]);
  assert.equal(m.mix(out), 1, 'frame 4');
  assert.equal(m.mix(out), 0);
  m.mix(out);
  assert.equal(m.sourceCount, 1, 'idle for 2 ticks is still known');
  m.mix(out);
  assert.equal(m.sourceCount, 0);
});
