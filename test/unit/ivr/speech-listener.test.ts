// The listening turn around a provider: keyword matching (Chinese and English, punctuation and spaces
// ignored, the longest keyword wins), which provider the settings pick for which keywords, and the turn's
// timeout and silence padding on a fake clock with the real pocketsphinx behind it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { languageOf, matchKeyword, normalizeSpeech, SpeechService, SpeechSettings } from '../../../src/ivr/speech/index.ts';
import { decodeG711 } from '../../../src/media/codec/index.ts';
import { EspeakTtsProvider } from '../../../src/media/tts/index.ts';
import { BoxKey, createLogger, FakeClock, openStorage, type Storage } from '../../../src/platform/index.ts';

describe('speech listening turns', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-listener-'));
  const log = createLogger({ level: 'silent' });
  let storage: Storage;
  let speech: SpeechService;
  let settings: SpeechSettings;

  before(async () => {
    storage = await openStorage({ dataDir: dir, readers: 1, quickCheckLimit: 100, log });
    settings = new SpeechSettings(storage.db, await BoxKey.load(dir));
    await settings.load();
    speech = new SpeechService({ settings, log, talkGraceMs: 3000 });
  });
  after(async () => {
    await storage?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches keywords in what was heard', () => {
    assert.equal(normalizeSpeech('我要 查话费。'), '我要查话费');
    assert.equal(matchKeyword('我要 查话费。', ['查话费', '转人工']), '查话费');
    assert.equal(matchKeyword('Sales, please!', ['support', 'Sales']), 'Sales');
    assert.equal(matchKeyword('查询话费', ['话费', '查询话费']), '查询话费');
    assert.equal(matchKeyword('你好', ['查话费']), undefined);
    assert.equal(matchKeyword('   ', ['a']), undefined);
    assert.equal(languageOf(['sales', '售后']), 'zh');
    assert.equal(languageOf(['sales']), 'en');
  });

  it('picks the provider by language and settings; none for Chinese without a cloud account', async () => {
    const clock = new FakeClock();
    const base = { hotWords: [], timeoutMs: 1000, sessionId: 's', clock };
    const en = await speech.listen({ ...base, keywords: ['sales'] });
    assert.equal(en?.provider, 'pocketsphinx');
    en?.cancel();
    assert.equal(await speech.listen({ ...base, keywords: ['售后'] }), null, 'keys only');
    await settings.set({ asrEngine: 'local' });
    assert.equal(await speech.listen({ ...base, keywords: ['售后', '查话费'] }), null, 'pocketsphinx has no Chinese');
    await settings.set({ asrEngine: 'auto', tencent: { appId: '1', secretId: 'AKIDxxxxxxxx', secretKey: 'keykeykeykey', region: 'ap-guangzhou', asrModel: '8k_zh', ttsVoiceZh: 1, ttsVoiceEn: 2 } });
    assert.equal(speech.providerFor('zh')?.name, 'tencent-asr');
    assert.equal(speech.providerFor('en')?.name, 'pocketsphinx');
    await settings.set({ tencent: null });
  });

  it('nothing from the phone until the timeout is a timeout', async () => {
    const clock = new FakeClock();
    const h = (await speech.listen({ keywords: ['sales', 'billing'], hotWords: [], timeoutMs: 2000, sessionId: 's', clock }))!;
    h.opened();
    for (let i = 0; i < 20; i++) clock.tick(100);
    assert.deepEqual(await h.result, { kind: 'timeout' });
  });

  it('a caller still talking at the timeout is waited for, then the keyword counts', async () => {
    const clock = new FakeClock();
    const tts = new EspeakTtsProvider({ cacheDir: path.join(dir, 'tts') });
    const pcm = decodeG711('pcma', (await tts.render('billing', { voice: 'en', law: 'pcma' })).audio);
    const h = (await speech.listen({ keywords: ['sales', 'billing'], hotWords: [], timeoutMs: 500, sessionId: 's', clock }))!;
    h.opened();
    let done = false;
    void h.result.then(() => (done = true));
    // Speech starts just before the timeout; 20 ms packets on the clock.
    clock.tick(400);
    for (let i = 0; i < pcm.length; i += 160) {
      h.write(pcm.subarray(i, i + 160));
      clock.tick(20);
    }
    assert.equal(done, false, 'still listening past the 500 ms timeout while the caller talks');
    // Silence after the word, on the clock, while pocketsphinx (real time) decodes it.
    for (let i = 0; i < 150 && !done; i++) {
      h.write(new Int16Array(160));
      clock.tick(20);
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await h.result;
    assert.equal(r.kind === 'keyword' ? r.keyword : r.kind, 'billing');
  });
});
