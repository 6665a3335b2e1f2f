import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, type Clock, type TimerHandle } from '../../../../src/platform/clock.ts';
import { PromptPlayer, framesFromG711, silenceFrames } from '../../../../src/media/player/index.ts';

/** A clock whose timers fire late, like real ones: `lateMs` each, plus a one-off `stallMs`. */
class LateClock implements Clock {
  stallMs = 0;
  constructor(readonly inner: FakeClock, private readonly lateMs: number) {}
  now(): number { return this.inner.now(); }
  monotonic(): number { return this.inner.monotonic(); }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const extra = this.lateMs + this.stallMs;
    this.stallMs = 0;
    return this.inner.setTimeout(fn, ms + extra);
  }
  clearTimeout(h: TimerHandle | undefined): void { this.inner.clearTimeout(h); }
  setInterval(fn: () => void, ms: number): TimerHandle { return this.inner.setInterval(fn, ms); }
  clearInterval(h: TimerHandle | undefined): void { this.inner.clearInterval(h); }
}

function frames(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => new Uint8Array(160).fill(i));
}

function setup(clock: Clock) {
  const sent: { at: number; id: number; first: boolean }[] = [];
  const player = new PromptPlayer({ clock, sink: (f, first) => sent.push({ at: clock.monotonic(), id: f[0], first }) });
  const events: string[] = [];
  player.on('finished', (e) => events.push(`finished:${e.frames}`));
  player.on('stopped', (e) => events.push(`stopped:${e.frames}`));
  player.on('interrupted', (e) => events.push(`interrupted:${e.digit}:${e.frames}`));
  return { sent, player, events };
}

test('frames go out every 20 ms and finished fires when the last one has played', () => {
  const clock = new FakeClock();
  const { sent, player, events } = setup(clock);
  player.play(frames(5));
  assert.equal(sent.length, 0, 'nothing is sent synchronously');
  clock.tick(0);
  assert.deepEqual(sent.map((s) => [s.at, s.id, s.first]), [[0, 0, true]]);
  clock.tick(99);
  assert.deepEqual(sent.map((s) => s.at), [0, 20, 40, 60, 80]);
  assert.deepEqual(events, []);
  clock.tick(1);
  assert.deepEqual(events, ['finished:5']);
  assert.equal(player.playing, false);
  assert.equal(clock.pending(), 0);
});

test('drift correction: late timers do not accumulate', () => {
  const base = new FakeClock();
  const clock = new LateClock(base, 3);
  const { sent, player } = setup(clock);
  player.play(frames(100));
  base.tick(2100);
  assert.equal(sent.length, 100);
  sent.forEach((s, n) => assert.ok(s.at - n * 20 >= 0 && s.at - n * 20 <= 3, `frame ${n} at ${s.at}`));
});

test('after a stall the schedule moves instead of bursting frames', () => {
  const base = new FakeClock();
  const clock = new LateClock(base, 0);
  const { sent, player } = setup(clock);
  player.play(frames(50));
  base.tick(40);
  clock.stallMs = 300;
  base.tick(1500);
  const perInstant = new Map<number, number>();
  for (const s of sent) perInstant.set(s.at, (perInstant.get(s.at) ?? 0) + 1);
  assert.ok(Math.max(...perInstant.values()) <= 1, 'no burst after the stall');
  assert.equal(sent.length, 50);
  assert.deepEqual(sent.map((s) => s.id), [...Array(50).keys()], 'no frame is skipped');
  // Frames after the stall are again 20 ms apart.
  const after = sent.filter((s) => s.at > 340).map((s) => s.at);
  after.slice(1).forEach((t, i) => assert.equal(t - after[i], 20));
});

test('repeat count and loop (hold music) until stop', () => {
  const clock = new FakeClock();
  const a = setup(clock);
  a.player.play(frames(3), { repeat: 2 });
  clock.tick(200);
  assert.deepEqual(a.sent.map((s) => s.id), [0, 1, 2, 0, 1, 2]);
  assert.deepEqual(a.sent.map((s) => s.first), [true, false, false, false, false, false]);
  assert.deepEqual(a.events, ['finished:6']);

  const b = setup(clock);
  b.player.play(frames(2), { loop: true });
  clock.tick(990);
  assert.equal(b.sent.length, 50);
  b.player.stop();
  clock.tick(1000);
  assert.equal(b.sent.length, 50);
  assert.deepEqual(b.events, ['stopped:50']);
});

test('DTMF interrupts an interruptible prompt only', () => {
  const clock = new FakeClock();
  const a = setup(clock);
  a.player.play(frames(50));
  clock.tick(100);
  assert.equal(a.player.onDtmf('5'), true);
  clock.tick(1000);
  assert.equal(a.sent.length, 6);
  assert.deepEqual(a.events, ['interrupted:5:6']);

  const b = setup(clock);
  b.player.play(frames(10), { interruptible: false });
  clock.tick(50);
  assert.equal(b.player.onDtmf('1'), false);
  const c = setup(clock);
  c.player.play(frames(10), { interruptDigits: ['#'] });
  clock.tick(50);
  assert.equal(c.player.onDtmf('1'), false);
  assert.equal(c.player.onDtmf('#'), true);
  clock.tick(500);
  assert.deepEqual(b.events, ['finished:10']);
  assert.deepEqual(c.events, ['interrupted:#:3']);
  assert.equal(b.player.onDtmf('1'), false, 'nothing playing');
});

test('a new prompt replaces the one playing; empty prompts finish at once', () => {
  const clock = new FakeClock();
  const { sent, player, events } = setup(clock);
  player.play(frames(10));
  clock.tick(30);
  player.play([new Uint8Array(160).fill(99)]);
  clock.tick(100);
  assert.deepEqual(sent.map((s) => s.id), [0, 1, 99]);
  assert.deepEqual(events, ['stopped:2', 'finished:1']);
  player.play([]);
  clock.tick(0);
  assert.deepEqual(events, ['stopped:2', 'finished:1', 'finished:0']);
});

test('G.711 audio is cut into padded 160-octet frames', () => {
  const f = framesFromG711(new Uint8Array(400).fill(1), 'pcma');
  assert.deepEqual(f.map((x) => x.length), [160, 160, 160]);
  assert.equal(f[2][79], 1);
  assert.equal(f[2][80], 0xd5);
  assert.equal(silenceFrames('pcmu', 2)[1][0], 0xff);
});
