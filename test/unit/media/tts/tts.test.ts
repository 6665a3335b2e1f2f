import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EspeakTtsProvider, HttpTtsProvider, substituteVariables, type TtsResult } from '../../../../src/media/tts/index.ts';
import { decodeG711, encodeG711, meanSquare, readWav, writeWav } from '../../../../src/media/codec/index.ts';
import { CcboxError } from '../../../../src/platform/errors.ts';

function rmsOf(r: TtsResult): number {
  return Math.sqrt(meanSquare(decodeG711(r.law, r.audio)));
}

test('${variable} substitution happens before rendering; missing names are reported', () => {
  assert.deepEqual(substituteVariables('您前面还有${WaitNo}位，工号${agent.no}', { WaitNo: 3, 'agent.no': '1001' }), { text: '您前面还有3位，工号1001', missing: [] });
  assert.deepEqual(substituteVariables('x ${A} $A ${B}', { A: 'a' }), { text: 'x a $A ', missing: ['B'] });
});

describe('espeak-ng TTS (real espeak-ng and sox)', { timeout: 60_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ccbox-tts-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('renders Mandarin and English to 8 kHz mono G.711 with speech energy and a sane duration', async () => {
    const tts = new EspeakTtsProvider({ cacheDir: dir });
    const cmn = await tts.render('您好，欢迎致电，请按一', { voice: 'cmn', law: 'pcma' });
    const en = await tts.render('Welcome. Press one for sales.', { voice: 'en', law: 'pcmu' });
    for (const r of [cmn, en]) {
      assert.equal(r.cached, false);
      assert.ok(r.durationMs > 800 && r.durationMs < 8000, `duration ${r.durationMs}`);
      assert.ok(rmsOf(r) > 300, `energy ${rmsOf(r)}`);
      const { info, data } = readWav(await readFile(r.path));
      assert.equal(info.sampleRate, 8000);
      assert.equal(info.channels, 1);
      assert.equal(info.format, r.law === 'pcma' ? 'alaw' : 'ulaw');
      assert.equal(data.length, r.audio.length);
    }
    assert.notEqual(cmn.path, en.path);
  });

  test('the cache returns the same file; law, voice and text are part of the key; concurrent renders run once', async () => {
    const tts = new EspeakTtsProvider({ cacheDir: dir });
    const [a, b] = await Promise.all([tts.render('one two three', { voice: 'en' }), tts.render('one two three', { voice: 'en' })]);
    assert.equal(a.path, b.path);
    const before = (await stat(a.path)).mtimeMs;
    const again = await tts.render('  one two three ', { voice: 'en' });
    assert.equal(again.cached, true);
    assert.equal(again.path, a.path);
    assert.equal((await stat(a.path)).mtimeMs, before);
    assert.deepEqual([...again.audio], [...a.audio]);
    assert.notEqual((await tts.render('one two three', { voice: 'en', law: 'pcmu' })).path, a.path);
    assert.notEqual((await tts.render('one two three', { voice: 'cmn' })).path, a.path);
    const names = await readdir(dir);
    assert.ok(names.every((n) => n.endsWith('.wav')), `no temp files left: ${names.join()}`);
  });

  test('bad input is refused; a text starting with "-" is spoken, not taken as an option', async () => {
    const tts = new EspeakTtsProvider({ cacheDir: dir });
    await assert.rejects(tts.render('   ', { voice: 'en' }), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
    await assert.rejects(tts.render('hi', { voice: 'fr' as 'en' }), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
    const dash = await tts.render('--help me', { voice: 'en' });
    assert.ok(dash.durationMs > 300 && rmsOf(dash) > 300);
  });

  test('a missing binary is a clear error; a deadline kills a hung synthesizer', async () => {
    await assert.rejects(new EspeakTtsProvider({ cacheDir: dir, command: '/nonexistent/espeak' }).render('x', { voice: 'en' }),
      (e: CcboxError) => e.code === 'CCBOX_ERR_UNAVAILABLE');
    await assert.rejects(new EspeakTtsProvider({ cacheDir: dir, command: 'sleep', timeoutMs: 200 }).render('x', { voice: 'en' }),
      (e: CcboxError) => e.code === 'CCBOX_ERR_TIMEOUT' || e.code === 'CCBOX_ERR_UNAVAILABLE');
  });
});

describe('HTTP TTS provider against a real local server', { timeout: 30_000 }, () => {
  let dir: string;
  let server: http.Server;
  let url: string;
  const requests: { body: unknown; headers: http.IncomingHttpHeaders }[] = [];
  // A 16 kHz PCM WAV of a 440 Hz tone, 1.5 s: the provider must resample it to 8 kHz G.711.
  const tone = Int16Array.from({ length: 24_000 }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)));
  const wav = writeWav('pcm16', 1, 16_000, new Uint8Array(tone.buffer));

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ccbox-tts-http-'));
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        const body = JSON.parse(raw) as { text: string; voice: string };
        requests.push({ body, headers: req.headers });
        if (body.text === 'fail') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('engine down');
        } else if (body.text === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
        } else if (body.text === 'slow') {
          setTimeout(() => res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav), 1000).unref();
        } else {
          res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(wav.length) }).end(wav);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/tts`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  test('posts {text, voice}, converts the WAV to 8 kHz G.711 and caches it', async () => {
    const tts = new HttpTtsProvider({ cacheDir: dir, url, headers: { authorization: 'Bearer k' }, voices: { cmn: 'zh-CN-1' } });
    const r = await tts.render('您好', { voice: 'cmn', law: 'pcmu' });
    assert.deepEqual(requests.at(-1)!.body, { text: '您好', voice: 'zh-CN-1' });
    assert.equal(requests.at(-1)!.headers.authorization, 'Bearer k');
    assert.ok(Math.abs(r.durationMs - 1500) <= 20, `duration ${r.durationMs}`);
    const pcm = decodeG711('pcmu', r.audio);
    assert.ok(Math.sqrt(meanSquare(pcm.subarray(800, 8000))) > 4000);
    // 440 Hz survives resampling: zero crossings over 1 s ≈ 880.
    let crossings = 0;
    for (let i = 801; i < 8800; i++) if ((pcm[i - 1] < 0) !== (pcm[i] < 0)) crossings++;
    assert.ok(Math.abs(crossings - 880) < 20, `crossings ${crossings}`);
    const n = requests.length;
    assert.equal((await tts.render('您好', { voice: 'cmn', law: 'pcmu' })).cached, true);
    assert.equal(requests.length, n, 'served from the cache');
    assert.deepEqual([...encodeG711('pcmu', decodeG711('pcmu', r.audio))].length, r.audio.length);
  });

  test('server errors, non-audio answers and deadlines are clear errors and cache nothing', async () => {
    const tts = new HttpTtsProvider({ cacheDir: dir, url, timeoutMs: 300 });
    await assert.rejects(tts.render('fail', { voice: 'en' }), (e: CcboxError) => e.code === 'CCBOX_ERR_UNAVAILABLE' && /500.*engine down/.test(e.message));
    await assert.rejects(tts.render('html', { voice: 'en' }), (e: CcboxError) => /text\/html/.test(e.message));
    await assert.rejects(tts.render('slow', { voice: 'en' }), (e: CcboxError) => e.code === 'CCBOX_ERR_TIMEOUT');
    await assert.rejects(new HttpTtsProvider({ cacheDir: dir, url: 'http://127.0.0.1:1/x' }).render('x', { voice: 'en' }),
      (e: CcboxError) => e.code === 'CCBOX_ERR_UNAVAILABLE');
  });
});
