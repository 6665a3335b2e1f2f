import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, copyFile, writeFile, stat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WavRecorder, RecordingTimeline, repairWav, repairPartFiles } from '../../../../src/media/recorder/index.ts';
import { ALAW_DECODE, decodeG711, readWav, buildWavHeader, deinterleave, meanSquare, pcmFromBytesLE } from '../../../../src/media/codec/index.ts';

const RATE = 8000;
const FRAME = 160;

function toneFrame(freq: number, index: number, amp = 8000): Int16Array {
  return Int16Array.from({ length: FRAME }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * (index * FRAME + i)) / RATE)));
}

/** Pushes 20 ms frames for [fromMs, toMs) with ±4 ms arrival jitter and an arbitrary RTP base. */
function speak(rec: WavRecorder, channel: 0 | 1, fromMs: number, toMs: number, tsBase: number, freq: number): void {
  for (let t = fromMs, k = 0; t < toMs; t += 20, k++) {
    const jitter = ((k * 7919) % 9) - 4;
    rec.push(channel, toneFrame(freq, k), t + jitter + 20, (tsBase + k * FRAME) >>> 0);
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ccbox-rec-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function level(samples: Int16Array, fromMs: number, toMs: number): number {
  return meanSquare(samples, (fromMs * RATE) / 1000, (toMs * RATE) / 1000);
}

test('stereo: two legs aligned by arrival, gaps and pause are silence, header finalized', () =>
  withDir(async (dir) => {
    const file = path.join(dir, 'call.wav');
    const rec = await WavRecorder.open({ path: file, channels: 2, startMs: 10_000, flushIntervalMs: 1000 });
    const at = (ms: number): number => 10_000 + ms;
    speak(rec, 0, at(0), at(1000), 0xfffff000, 440); // customer; timestamps wrap
    rec.tick(at(1200));
    speak(rec, 1, at(1500), at(2500), 77, 1000); // agent, unrelated RTP base
    rec.tick(at(2550));
    rec.pause(at(2600));
    speak(rec, 0, at(2600), at(3000), 5_000_000, 440);
    speak(rec, 1, at(2600), at(3000), 9_000_000, 1000);
    rec.resume(at(3000));
    speak(rec, 0, at(3000), at(3500), 123, 440);
    assert.equal(await stat(file + '.part').then(() => true), true);
    const result = await rec.stop(at(3600));
    assert.deepEqual(result, {
      path: file, channels: 2, sampleRate: 8000, samples: 3.6 * RATE, durationMs: 3600, dataBytes: 3.6 * RATE * 4,
    });
    await assert.rejects(stat(file + '.part'));

    const bytes = await readFile(file);
    const { info, data } = readWav(bytes);
    assert.equal(info.format, 'pcm16');
    assert.equal(info.channels, 2);
    assert.equal(info.sampleRate, 8000);
    assert.equal(info.dataBytes, data.length);
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8);
    const [left, right] = deinterleave(pcmFromBytesLE(data));
    assert.equal(left.length, 28_800);
    const speech = 8000 ** 2 / 2;
    // Customer spoke 0–1000 (placed at arrival: +20 ms frame latency) and 3000–3500.
    for (let t = 40; t < 1000; t += 20) assert.ok(level(left, t, t + 20) > speech * 0.8, `left ${t}`);
    for (let t = 3040; t < 3500; t += 20) assert.ok(level(left, t, t + 20) > speech * 0.8, `left ${t}`);
    for (let t = 1560; t < 2500; t += 20) assert.ok(level(right, t, t + 20) > speech * 0.8, `right ${t}`);
    assert.equal(level(left, 1100, 2950), 0, 'customer silent during the gap and the pause');
    assert.equal(level(right, 0, 1500), 0, 'agent silent before speaking');
    assert.equal(level(right, 2600, 3600), 0, 'agent silent during the pause and after');
    assert.equal(level(left, 3560, 3600), 0);
  }));

test('timeline: RTP places frames within a stream, jitter does not smear, re-anchor on jumps', () => {
  const tl = new RecordingTimeline({ channels: 1, startMs: 0, jitterMs: 100, resyncMs: 120 });
  const spans: Int16Array[] = [];
  const frame = new Int16Array(FRAME).fill(1000);
  // Frames arrive bunched (0, 35, 35, 80 ms) but carry consecutive timestamps.
  for (const [arrival, k] of [[0, 0], [35, 1], [35, 2], [80, 3]] as const) tl.place(0, frame, arrival, 500 + k * FRAME, (s) => spans.push(s));
  // A timestamp jump (new SSRC) is re-anchored on arrival time, 1 s later.
  tl.place(0, frame, 1000, 99_999_999, (s) => spans.push(s));
  const out = tl.takeAll(1100);
  assert.equal(spans.length, 0);
  assert.equal(out.length, 1100 * 8);
  assert.equal(meanSquare(out, 0, 640), 1000 ** 2, 'the first four frames are contiguous');
  assert.equal(meanSquare(out, 640, 8000), 0);
  assert.equal(meanSquare(out, 8000, 8160), 1000 ** 2);
});

test('mono voicemail recording and long silence written by tick', () =>
  withDir(async (dir) => {
    const file = path.join(dir, 'vm.wav');
    const rec = await WavRecorder.open({ path: file, channels: 1, startMs: 0 });
    for (let k = 0; k < 50; k++) rec.push(0, toneFrame(300, k), 20 + k * 20, k * FRAME);
    for (let t = 1000; t <= 5000; t += 1000) rec.tick(t);
    await rec.flushed();
    assert.ok((await stat(file + '.part')).size >= 44 + 2 * 8000 * 4.5);
    const result = await rec.stop(5000);
    assert.equal(result.samples, 40_000);
    const { info, data } = readWav(await readFile(file));
    assert.equal(info.channels, 1);
    const pcm = pcmFromBytesLE(data);
    assert.ok(level(pcm, 40, 1000) > 1e6);
    assert.equal(level(pcm, 1100, 5000), 0);
  }));

test('repairWav fixes the header of a recording cut by a power loss and renames the .part', () =>
  withDir(async (dir) => {
    const file = path.join(dir, 'cut.wav');
    const rec = await WavRecorder.open({ path: file, channels: 2, startMs: 0 });
    speak(rec, 0, 0, 2000, 1, 500);
    speak(rec, 1, 0, 2000, 2, 700);
    rec.tick(2500);
    await rec.flushed();
    // The power goes: what is on disk is the .part file with its provisional header.
    const crashed = path.join(dir, 'crashed.wav.part');
    await copyFile(file + '.part', crashed);
    await rec.stop(2500);
    const before = await readFile(crashed);
    assert.equal(before.readUInt32LE(40), 0, 'provisional data size');
    // A torn write leaves half a sample frame at the end.
    await writeFile(crashed, Buffer.concat([before, Buffer.from([1, 2, 3])]));
    const result = await repairWav(crashed);
    assert.equal(result.path, path.join(dir, 'crashed.wav'));
    assert.equal(result.changed, true);
    assert.equal(result.dataBytes, before.length - 44);
    assert.equal(result.durationMs, 2300);
    const repaired = await readFile(result.path);
    const { info, data } = readWav(repaired);
    assert.equal(info.dataBytes, before.length - 44);
    assert.equal(repaired.length, before.length);
    assert.equal(repaired.readUInt32LE(4), repaired.length - 8);
    assert.deepEqual(data, before.subarray(44));
    // Repairing a good file changes nothing.
    assert.equal((await repairWav(result.path)).changed, false);
  }));

test('boot sweep repairs every .part recording and reports unreadable ones', () =>
  withDir(async (dir) => {
    const header = buildWavHeader({ format: 'ulaw', channels: 1, sampleRate: 8000, dataBytes: 0 });
    await writeFile(path.join(dir, 'a.wav.part'), Buffer.concat([header, Buffer.alloc(801, 0xff)]));
    await writeFile(path.join(dir, 'b.wav.part'), Buffer.from('RIFF'));
    await writeFile(path.join(dir, 'c.wav'), Buffer.alloc(10));
    const { repaired, failed } = await repairPartFiles(dir);
    assert.deepEqual(repaired.map((r) => [path.basename(r.path), r.dataBytes]), [['a.wav', 801]]);
    assert.deepEqual(failed.map((f) => path.basename(f.path)), ['b.wav.part']);
    const a = readWav(await readFile(path.join(dir, 'a.wav')));
    assert.equal(a.info.dataBytes, 801);
    assert.equal((await readFile(path.join(dir, 'a.wav'))).readUInt32LE(a.info.factOffset), 801);
    assert.deepEqual((await readdir(dir)).sort(), ['a.wav', 'b.wav.part', 'c.wav']);
  }));

test('timeline: a small window wraps around many times and every sample lands where it belongs', () => {
  const tl = new RecordingTimeline({ channels: 2, startMs: 0, capacityMs: 100, jitterMs: 40 });
  const chunks: Int16Array[] = [];
  const keep = (span: Int16Array): void => void chunks.push(span);
  const frame = (startPos: number, sign: 1 | -1): Int16Array => Int16Array.from({ length: FRAME }, (_, i) => sign * (((startPos + i) % 1000) + 1));
  for (let t = 0, k = 0; t < 2000; t += 20, k++) {
    tl.place(0, frame(t * 8, 1), t, t * 8, keep);
    if (k % 2 === 0) tl.place(1, frame(t * 8, -1), t, 5_000 + t * 8, keep);
    if (k % 3 === 0) keep(tl.takeSettled(t));
  }
  keep(tl.takeAll(2000));
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  const [left, right] = deinterleave(all);
  assert.equal(left.length, 2000 * 8);
  for (let p = 0; p < left.length; p++) {
    assert.equal(left[p], (p % 1000) + 1, `left at ${p}`);
    const spoke = Math.floor(p / FRAME) % 2 === 0;
    assert.equal(right[p], spoke ? -((p % 1000) + 1) : 0, `right at ${p}`);
  }
});

test('timeline: G.711 placed straight from a packet equals its decoded PCM placed', () => {
  const coded = Uint8Array.from({ length: 12 + FRAME }, (_, i) => (i * 37) & 0xff); // a 12-byte header, then the payload
  const a = new RecordingTimeline({ channels: 2, startMs: 0 });
  const b = new RecordingTimeline({ channels: 2, startMs: 0 });
  const none = (): void => undefined;
  for (let k = 0; k < 5; k++) {
    a.place(1, decodeG711('pcma', coded.subarray(12)), k * 20, k * FRAME, none);
    b.placeG711(1, ALAW_DECODE, coded, 12, 12 + FRAME, k * 20, k * FRAME, none);
  }
  assert.deepEqual([...b.takeAll(100)], [...a.takeAll(100)]);
});
