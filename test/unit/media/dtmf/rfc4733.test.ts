import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rfc4733Receiver, generateRfc4733, writeTelephoneEvent, parseTelephoneEvent, createTelephoneEvent,
  type DtmfEvent, type DtmfDigit, type TelephoneEventPacket,
} from '../../../../src/media/dtmf/index.ts';

function harness() {
  const events: DtmfEvent[] = [];
  const begins: DtmfDigit[] = [];
  const rx = new Rfc4733Receiver({ onDigit: (e) => events.push(e), onBegin: (d) => begins.push(d) });
  const buf = new Uint8Array(4);
  const feed = (ts: number, event: number, duration: number, end = false, marker = false, now = 0): void => {
    writeTelephoneEvent(buf, 0, { event, end, volume: 10, duration });
    rx.onPacket(ts, marker, buf, 0, 4, now);
  };
  return { events, begins, rx, feed };
}

test('payload round trip: event, E bit, volume, duration', () => {
  const buf = new Uint8Array(4);
  writeTelephoneEvent(buf, 0, { event: 11, end: true, volume: 63, duration: 0xfffe });
  assert.deepEqual([...buf], [11, 0x80 | 63, 0xff, 0xfe]);
  const p = createTelephoneEvent();
  buf[1] |= 0x40; // R bit is ignored
  assert.ok(parseTelephoneEvent(buf, 0, 4, p));
  assert.deepEqual(p, { event: 11, end: true, volume: 63, duration: 0xfffe });
  assert.equal(parseTelephoneEvent(buf, 0, 3, p), false);
});

test('a normal press with the end packet three times reports once', () => {
  const h = harness();
  h.feed(1000, 5, 160, false, true);
  h.feed(1000, 5, 320);
  h.feed(1000, 5, 480);
  h.feed(1000, 5, 800, true);
  h.feed(1000, 5, 800, true);
  h.feed(1000, 5, 800, true);
  assert.deepEqual(h.events, [{ digit: '5', durationMs: 100, source: 'rfc2833' }]);
  assert.deepEqual(h.begins, ['5']);
});

test('lost start packets: only end packets still give one digit', () => {
  const h = harness();
  h.feed(5000, 10, 640, true);
  h.feed(5000, 10, 640, true);
  h.feed(5000, 10, 640, true);
  assert.deepEqual(h.events, [{ digit: '*', durationMs: 80, source: 'rfc2833' }]);
});

test('lost end packets: the next event closes the previous; a timeout closes the last', () => {
  const h = harness();
  h.feed(1000, 1, 160, false, true, 0);
  h.feed(1000, 1, 480, false, false, 40);
  h.feed(3000, 1, 160, false, true, 300); // same digit pressed again, new timestamp
  assert.deepEqual(h.events.map((e) => [e.digit, e.durationMs]), [['1', 60]]);
  h.rx.tick(500);
  assert.equal(h.events.length, 1);
  h.rx.tick(700);
  assert.deepEqual(h.events.map((e) => [e.digit, e.durationMs]), [['1', 60], ['1', 20]]);
});

test('repeated digits, reordered late packets and non-digit events', () => {
  const h = harness();
  h.feed(1000, 9, 400, true, true);
  h.feed(2000, 9, 400, true, true);
  h.feed(1000, 9, 400, true); // late duplicate of the first press
  h.feed(3000, 16, 400, true, true); // flash is not a digit
  h.feed(2000, 9, 400, true);
  assert.deepEqual(h.events.map((e) => e.digit), ['9', '9']);
});

test('long events are segmented and reported as one press', () => {
  const packets = generateRfc4733({ digit: '#', durationMs: 10_000 });
  const segments = new Set(packets.map((p) => p.timestampOffset));
  assert.deepEqual([...segments], [0, 0xffff]);
  const ends = packets.filter((p) => p.end);
  assert.equal(ends.length, 3);
  assert.equal(ends[0].duration, 80_000 - 0xffff);
  assert.ok(packets.every((p) => p.duration <= 0xffff));
  const h = harness();
  const buf = new Uint8Array(4);
  for (const p of packets) {
    writeTelephoneEvent(buf, 0, p);
    h.rx.onPacket(123456 + p.timestampOffset, p.marker, buf, 0, 4, p.offsetMs);
  }
  assert.deepEqual(h.events, [{ digit: '#', durationMs: 10_000, source: 'rfc2833' }]);
});

test('generator: marker first, one timestamp, duration every 20 ms, three end packets', () => {
  const packets: TelephoneEventPacket[] = generateRfc4733({ digit: '7', durationMs: 100, volume: 12 });
  assert.deepEqual(packets.map((p) => [p.offsetMs, p.marker, p.end, p.duration]), [
    [0, true, false, 160], [20, false, false, 320], [40, false, false, 480], [60, false, false, 640],
    [80, false, true, 800], [100, false, true, 800], [120, false, true, 800],
  ]);
  assert.ok(packets.every((p) => p.event === 7 && p.volume === 12 && p.timestampOffset === 0));
  // The generator's output drives the receiver to exactly one event.
  const h = harness();
  const buf = new Uint8Array(4);
  for (const p of packets) {
    writeTelephoneEvent(buf, 0, p);
    h.rx.onPacket(42, p.marker, buf, 0, 4, p.offsetMs);
  }
  assert.deepEqual(h.events, [{ digit: '7', durationMs: 100, source: 'rfc2833' }]);
});
