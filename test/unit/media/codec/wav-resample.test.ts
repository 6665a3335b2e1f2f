import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildWavHeader, parseWavHeader, readWav, writeWav, Resampler, resample, rmsDbfs, pcmFromBytesLE, pcmToBytesLE,
  mixClipped,
} from '../../../../src/media/codec/index.ts';

test('PCM stereo header is the canonical 44 bytes', () => {
  const h = buildWavHeader({ format: 'pcm16', channels: 2, sampleRate: 8000, dataBytes: 32000 });
  assert.equal(h.length, 44);
  assert.equal(h.toString('ascii', 0, 4), 'RIFF');
  assert.equal(h.readUInt32LE(4), 36 + 32000);
  assert.equal(h.readUInt16LE(20), 1);
  assert.equal(h.readUInt16LE(22), 2);
  assert.equal(h.readUInt32LE(28), 32000); // byte rate
  assert.equal(h.readUInt16LE(32), 4);
  assert.equal(h.readUInt16LE(34), 16);
  assert.equal(h.readUInt32LE(40), 32000);
  const info = parseWavHeader(h);
  assert.equal(info.format, 'pcm16');
  assert.equal(info.dataOffset, 44);
  assert.equal(info.dataBytes, 32000);
});

test('G.711 mono headers carry tags 6/7, cbSize and fact', () => {
  for (const [format, tag] of [['alaw', 6], ['ulaw', 7]] as const) {
    const file = writeWav(format, 1, 8000, Buffer.alloc(801, 0xd5));
    const { info, data } = readWav(file);
    assert.equal(info.formatTag, tag);
    assert.equal(info.bitsPerSample, 8);
    assert.equal(info.blockAlign, 1);
    assert.equal(info.dataOffset, 58);
    assert.equal(data.length, 801);
    assert.equal(file.length, 58 + 802); // odd chunk padded to a word
    assert.equal(file.readUInt32LE(info.factOffset), 801);
    assert.equal(file.readUInt32LE(4), file.length - 8);
  }
});

test('unknown chunks are skipped and bad files rejected', () => {
  const pcm = writeWav('pcm16', 1, 16000, Buffer.alloc(8));
  const list = Buffer.alloc(8 + 5 + 1);
  list.write('LIST', 0, 'ascii'); list.writeUInt32LE(5, 4);
  const file = Buffer.concat([pcm.subarray(0, 36), list, pcm.subarray(36)]);
  const { info, data } = readWav(file);
  assert.equal(info.sampleRate, 16000);
  assert.equal(data.length, 8);
  assert.throws(() => parseWavHeader(Buffer.from('RIFX0000WAVE')), { code: 'CCBOX_ERR_WAV_FORMAT' });
});

function tone(freq: number, rate: number, n: number, amp = 10000): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate)));
}

test('resampler keeps the voice band and removes what would alias', () => {
  for (const rate of [16000, 48000]) {
    const pass = resample(tone(1000, rate, rate), rate, 8000);
    assert.equal(pass.length, 8000);
    assert.ok(Math.abs(rmsDbfs(pass, 200) - rmsDbfs(tone(1000, 8000, 8000))) < 0.5, `${rate}: 1 kHz passes`);
    // 6 kHz would fold to 2 kHz at 8 kHz without the low-pass filter.
    const stop = resample(tone(6000, rate, rate), rate, 8000);
    assert.ok(rmsDbfs(stop, 200) < rmsDbfs(pass, 200) - 40, `${rate}: 6 kHz is attenuated`);
  }
});

test('streaming blocks give the same output as one pass; up-sampling works', () => {
  const input = tone(700, 48000, 4800);
  const whole = resample(input, 48000, 8000);
  const r = new Resampler({ inRate: 48000, outRate: 8000 });
  const parts = [r.process(input.subarray(0, 1234)), r.process(input.subarray(1234))];
  assert.deepEqual([...parts[0], ...parts[1]], [...whole]);
  const up = resample(tone(1000, 8000, 8000), 8000, 16000);
  assert.equal(up.length, 16000);
  assert.ok(Math.abs(rmsDbfs(up, 400) - rmsDbfs(tone(1000, 16000, 16000))) < 0.5);
  assert.throws(() => new Resampler({ inRate: 44100, outRate: 8000 }), RangeError);
});

test('PCM byte helpers and clipped mixing', () => {
  const s = Int16Array.from([0, 1, -1, 32767, -32768]);
  const bytes = new Uint8Array(10);
  pcmToBytesLE(s, bytes);
  assert.deepEqual([...pcmFromBytesLE(bytes)], [...s]);
  const out = new Int16Array(3);
  mixClipped([Int16Array.from([30000, -30000, 5]), Int16Array.from([30000, -30000, 6])], out);
  assert.deepEqual([...out], [32767, -32768, 11]);
});
