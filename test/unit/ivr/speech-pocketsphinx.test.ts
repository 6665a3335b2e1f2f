// The local recognizer on real audio: espeak-ng (voice en) speaks each branch keyword, the box's TTS path
// renders it to 8 kHz A-law (as a call carries it), the A-law is decoded and fed to pocketsphinx in grammar
// mode built from the branches. The right keyword must come back at least 6 times in 8.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PocketsphinxProvider, upsample8kTo16k } from '../../../src/ivr/speech/index.ts';
import type { AsrEvent, AsrRequest } from '../../../src/ivr/speech/index.ts';
import { decodeG711 } from '../../../src/media/codec/index.ts';
import { EspeakTtsProvider } from '../../../src/media/tts/index.ts';

const KEYWORDS = ['sales', 'support', 'billing', 'operator'];

async function recognize(provider: PocketsphinxProvider, req: AsrRequest, pcm: Int16Array): Promise<string[]> {
  const finals: string[] = [];
  const errors: string[] = [];
  const s = await provider.start(req, (e: AsrEvent) => {
    if (e.kind === 'final' && e.text) finals.push(e.text);
    if (e.kind === 'error') errors.push(e.message);
  });
  // 20 ms packets, as the call's tap delivers them, then a second of silence.
  for (let i = 0; i < pcm.length; i += 160) s.write(pcm.subarray(i, i + 160));
  for (let i = 0; i < 50; i++) s.write(new Int16Array(160));
  await s.end();
  assert.deepEqual(errors, []);
  return finals;
}

describe('pocketsphinx keyword recognition through the 8 kHz G.711 path', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-asr-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const provider = new PocketsphinxProvider();
  const req: AsrRequest = { keywords: KEYWORDS, hotWords: [], language: 'en', sessionId: 'test' };

  it('builds its grammar and dictionary from the keywords and English hot words', async () => {
    const g = provider.grammar({ ...req, hotWords: [{ word: 'refund', weight: 3 }, { word: '退款', weight: 9 }] });
    assert.match(g.jsgf, /public <choice> = \/10\/ sales \| \/10\/ support \| \/10\/ billing \| \/10\/ operator \| \/3\/ refund ;/);
    assert.match(g.dict, /^sales /m);
    assert.match(g.dict, /^refund /m);
    assert.deepEqual(await provider.usableKeywords({ ...req, keywords: ['sales', 'xqzzy', '销售'] }), ['sales']);
    assert.deepEqual(await provider.usableKeywords({ ...req, language: 'zh' }), []);
  });

  it('upsamples 8 kHz to 16 kHz by interpolation, continuous across packets', () => {
    const carry = { last: 0 };
    const a = upsample8kTo16k(Int16Array.from([100, 200]), carry);
    const b = upsample8kTo16k(Int16Array.from([400]), carry);
    assert.deepEqual([...new Int16Array(a.buffer, a.byteOffset, 4)], [50, 100, 150, 200]);
    assert.deepEqual([...new Int16Array(b.buffer, b.byteOffset, 2)], [300, 400]);
  });

  it('picks the spoken keyword at least 6 times in 8 (espeak-ng en, two speeds, A-law)', async (t) => {
    let right = 0;
    const seen: string[] = [];
    for (const speed of [140, 175]) {
      const tts = new EspeakTtsProvider({ cacheDir: path.join(dir, `tts-${speed}`), speed });
      for (const word of KEYWORDS) {
        const r = await tts.render(word, { voice: 'en', law: 'pcma' });
        const finals = await recognize(provider, req, decodeG711('pcma', r.audio));
        seen.push(`${word}@${speed}→${finals.join('/') || '∅'}`);
        if (finals[0] === word) right++;
      }
    }
    t.diagnostic(`recognized ${right}/8: ${seen.join(', ')}`);
    assert.ok(right >= 6, `only ${right}/8 right: ${seen.join(', ')}`);
  });
});
