// Tencent Cloud TTS (TextToVoice, API 3.0) against a loopback HTTPS server that checks the TC3-HMAC-SHA256
// signature with its own implementation of the signing steps and answers base64 WAV (made by espeak-ng), or
// the API's error object. Also the run-time choice between the local provider and the cloud one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EspeakTtsProvider, SelectableTtsProvider, TencentTtsProvider, type TencentTtsConfig } from '../../../src/media/tts/index.ts';

const SECRET_ID = 'AKIDttsTestId0001';
const SECRET_KEY = 'TtsTestSecretKey0123456789';

interface Req {
  ok: boolean;
  action?: string;
  region?: string;
  body: Record<string, unknown>;
}

function verifyTc3(headers: Record<string, string | string[] | undefined>, payload: string): boolean {
  const auth = String(headers.authorization ?? '');
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/tts\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== SECRET_ID) return false;
  const ts = Number(headers['x-tc-timestamp']);
  if (new Date(ts * 1000).toISOString().slice(0, 10) !== m[2]) return false;
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = `POST\n/\n\ncontent-type:${headers['content-type']}\nhost:${headers.host}\n\ncontent-type;host\n${hash(payload)}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${m[2]}/tts/tc3_request\n${hash(canonical)}`;
  const kDate = createHmac('sha256', `TC3${SECRET_KEY}`).update(m[2]!).digest();
  const kService = createHmac('sha256', kDate).update('tts').digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return createHmac('sha256', kSigning).update(toSign).digest('hex') === m[3];
}

describe('Tencent Cloud TextToVoice against a loopback HTTPS server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-tencent-tts-'));
  let server: https.Server;
  let cert: Buffer;
  let port = 0;
  const reqs: Req[] = [];

  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(path.join(dir, 'cert.pem'));
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      let payload = '';
      req.on('data', (d: Buffer) => (payload += d.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(payload) as Record<string, unknown>;
        const ok = req.method === 'POST' && req.url === '/' && verifyTc3(req.headers, payload);
        reqs.push({ ok, action: req.headers['x-tc-action'] as string, region: req.headers['x-tc-region'] as string, body });
        res.setHeader('content-type', 'application/json');
        if (!ok) {
          res.end(JSON.stringify({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' }, RequestId: 'r-1' } }));
          return;
        }
        const wav = execFileSync('espeak-ng', ['-v', body.PrimaryLanguage === 2 ? 'en' : 'cmn', '-b', '1', '--stdin', '--stdout'], { input: String(body.Text) });
        res.end(JSON.stringify({ Response: { Audio: wav.toString('base64'), SessionId: body.SessionId, Subtitles: [], RequestId: 'r-2' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (secretKey: string): TencentTtsConfig => ({ secretId: SECRET_ID, secretKey, region: 'ap-shanghai', voiceZh: 101001, voiceEn: 101050, host: '127.0.0.1', port, ca: cert });

  it('signs TextToVoice with TC3-HMAC-SHA256, gets the audio and caches it as 8 kHz G.711', async () => {
    const tts = new TencentTtsProvider({ ...config(SECRET_KEY), cacheDir: path.join(dir, 'cache') });
    const n = reqs.length;
    const r = await tts.render('您好，欢迎致电。', { voice: 'cmn', law: 'pcma' });
    assert.equal(reqs.length, n + 1);
    const q = reqs[n]!;
    assert.equal(q.ok, true, 'the server verified the signature');
    assert.equal(q.action, 'TextToVoice');
    assert.equal(q.region, 'ap-shanghai');
    assert.equal(q.body.Text, '您好，欢迎致电。');
    assert.equal(q.body.VoiceType, 101001);
    assert.equal(q.body.PrimaryLanguage, 1);
    assert.equal(q.body.Codec, 'wav');
    assert.equal(q.body.SampleRate, 8000);
    assert.equal(r.cached, false);
    assert.ok(r.durationMs > 500, `${r.durationMs} ms of audio`);
    const again = await tts.render('您好，欢迎致电。', { voice: 'cmn', law: 'pcma' });
    assert.equal(again.cached, true);
    assert.equal(reqs.length, n + 1, 'the second render came from the cache');
    const en = await tts.render('Welcome.', { voice: 'en', law: 'pcmu' });
    assert.equal(reqs.at(-1)!.body.VoiceType, 101050);
    assert.equal(reqs.at(-1)!.body.PrimaryLanguage, 2);
    assert.equal(en.law, 'pcmu');
  });

  it('the API error of a wrong key comes back as an error naming its code', async () => {
    const tts = new TencentTtsProvider({ ...config('WrongKey000000000000'), cacheDir: path.join(dir, 'cache-2') });
    await assert.rejects(tts.render('测试', { voice: 'cmn' }), (e: Error) => /AuthFailure\.SignatureFailure/.test(e.message) && !e.message.includes('WrongKey'));
    assert.equal(reqs.at(-1)!.ok, false);
  });

  it('the box speaks through whichever provider the settings choose', async () => {
    let cloud: TencentTtsConfig | null = null;
    const local = new EspeakTtsProvider({ cacheDir: path.join(dir, 'cache-3') });
    const tts = new SelectableTtsProvider({ local, cacheDir: path.join(dir, 'cache-3'), cloud: () => cloud });
    assert.equal(tts.name, 'espeak-ng');
    const n = reqs.length;
    await tts.render('本地', { voice: 'cmn' });
    assert.equal(reqs.length, n);
    cloud = config(SECRET_KEY);
    assert.match(tts.name, /^tencent-tts:/);
    const r = await tts.render('本地', { voice: 'cmn' });
    assert.equal(r.cached, false, 'another provider renders (and caches) its own file');
    assert.equal(reqs.length, n + 1);
  });
});
