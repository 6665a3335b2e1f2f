// Prompt conversion edge cases (format by content, size, ffmpeg's deadline, a missing ffmpeg) and the
// hot-word rules and .txt import parser.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { detectAudioFormat, FfmpegPromptStore, MAX_PROMPT_BYTES, parseHotWordFile } from '../../../src/ivr/index.ts';
import { hotWordProblem } from '../../../src/ivr/store/hot-words.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-prompt-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('audio format is judged by content, not by name', () => {
  assert.equal(detectAudioFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt ')), 'wav');
  assert.equal(detectAudioFormat(Buffer.from('ID3\x04\0\0')), 'mp3');
  assert.equal(detectAudioFormat(Buffer.from([0xff, 0xfb, 0x90, 0x00])), 'mp3');
  assert.equal(detectAudioFormat(Buffer.from('OggS\0\x02')), null);
  assert.equal(detectAudioFormat(Buffer.from('<html>')), null);
});

test('empty, oversized and non-audio uploads are refused before ffmpeg runs', async () => {
  const store = new FfmpegPromptStore(dir, { ffmpeg: '/nonexistent/ffmpeg' });
  await assert.rejects(store.import(Buffer.alloc(0), 'a.wav'), { code: 'CCBOX_ERR_VALIDATION', field: 'file' });
  await assert.rejects(store.import(Buffer.alloc(MAX_PROMPT_BYTES + 1, 0xff), 'a.mp3'), /5 MB/);
  await assert.rejects(store.import(Buffer.from('just text'), 'a.mp3'), /只支持 mp3 或 wav/);
  await assert.rejects(store.import(Buffer.from('ID3\x04\0\0\0\0\0\0'), 'a.mp3'), { code: 'CCBOX_ERR_UNAVAILABLE', message: /ffmpeg is not installed/ });
});

test('a conversion that hangs is killed at its deadline', async () => {
  const slow = path.join(dir, 'slow-ffmpeg');
  writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(slow, 0o755);
  const store = new FfmpegPromptStore(dir, { ffmpeg: slow, timeoutMs: 150 });
  const t0 = Date.now();
  await assert.rejects(store.import(Buffer.from('ID3\x04\0\0\0\0\0\0'), 'a.mp3'), { code: 'CCBOX_ERR_TIMEOUT' });
  assert.ok(Date.now() - t0 < 5000);
  assert.throws(() => store.path('../../etc/passwd'), /invalid prompt id/);
});

test('hot words: CJK counts double, only CJK/letters/digits/space/_/-', () => {
  assert.equal(hotWordProblem('十个汉字十个汉字十个'), null);
  assert.match(hotWordProblem('十一个汉字十一个汉字十')!, /10 个汉字/);
  assert.equal(hotWordProblem('a'.repeat(20)), null);
  assert.match(hotWordProblem('a'.repeat(21))!, /20 个字符/);
  assert.equal(hotWordProblem('售后 repair-2_x'), null);
  assert.match(hotWordProblem('退款!')!, /只能包含/);
});

test('the .txt import reports every bad line and keeps the good ones apart', () => {
  const { words, rows } = parseHotWordFile('\uFEFF维修|9\r\n\r\n退款|0\nno weight\n维修|3\nrefund | 4\n');
  assert.deepEqual(words, [{ word: '维修', weight: 9 }, { word: 'refund', weight: 4 }]);
  assert.deepEqual(rows.map((r) => [r.row, r.field]), [[3, 'weight'], [4, 'line'], [5, 'word']]);
});
