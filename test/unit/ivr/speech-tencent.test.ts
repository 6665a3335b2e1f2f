// The Tencent Cloud real-time ASR client against a loopback WSS server that speaks the protocol: it checks
// the signed URL (HMAC-SHA1 over host + path + sorted parameters, with the test's SecretKey), the
// parameters (engine_model_type, voice_format=1, voice_id, hotword_list with the keywords and hot words),
// takes binary 16-bit 8 kHz PCM, detects the utterance by its energy and answers slice_type 0/1/2 results
// and final=1 after {"type":"end"}. The caller's audio is espeak-ng `cmn` through 8 kHz A-law.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { SpeechService, SpeechSettings, tencentAsrSignature, tencentHotWordList } from '../../../src/ivr/speech/index.ts';
import { decodeG711 } from '../../../src/media/codec/index.ts';
import { EspeakTtsProvider } from '../../../src/media/tts/index.ts';
import { BoxKey, createLogger, openStorage, SystemClock, type Storage } from '../../../src/platform/index.ts';
import { acceptKey, encodeFrame, FrameParser, OPCODE } from '../../../src/web/realtime/ws-frames.ts';

const APP_ID = '1250000001';
const SECRET_ID = 'AKIDtestSecretId0001';
const SECRET_KEY = 'TestSecretKey0123456789abcdef';

interface Seen {
  query: Record<string, string>;
  signatureOk: boolean;
  audioBytes: number;
  binaryFrames: number;
  ended: boolean;
}

/** Generates a self-signed certificate for 127.0.0.1. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
}

/** The loopback "asr.cloud.tencent.com": recognizes the utterance as `text` once it has heard it end. */
function startServer(cert: { key: Buffer; cert: Buffer }, text: string, seen: Seen[]): Promise<tls.Server> {
  const server = tls.createServer(cert, (socket) => {
    let head = Buffer.alloc(0);
    let upgraded = false;
    const parser = new FrameParser({ maxPayload: 1 << 20, expectMasked: true });
    const s: Seen = { query: {}, signatureOk: false, audioBytes: 0, binaryFrames: 0, ended: false };
    seen.push(s);
    let voiceId = '';
    let speechMs = 0;
    let silenceAfter = 0;
    let state: 'idle' | 'speaking' | 'done' = 'idle';
    const send = (m: object): void => void socket.write(encodeFrame(OPCODE.text, Buffer.from(JSON.stringify(m))));
    const result = (slice: number, t: string): void => send({ code: 0, message: 'success', voice_id: voiceId, message_id: `${voiceId}_${slice}`, result: { slice_type: slice, index: 0, start_time: 0, end_time: speechMs, voice_text_str: t, word_size: 0, word_list: [] }, final: 0 });
    const onAudio = (pcm: Buffer): void => {
      s.audioBytes += pcm.length;
      s.binaryFrames++;
      let sum = 0;
      for (let i = 0; i + 1 < pcm.length; i += 2) sum += Math.abs(pcm.readInt16LE(i));
      const loud = sum / (pcm.length / 2) > 300;
      const ms = pcm.length / 16;
      if (state === 'idle' && loud) {
        state = 'speaking';
        result(0, '');
      }
      if (state !== 'speaking') return;
      speechMs += ms;
      silenceAfter = loud ? 0 : silenceAfter + ms;
      if (loud && speechMs > 200 && speechMs < 260) result(1, text.slice(0, 1));
      if (silenceAfter >= 500) {
        state = 'done';
        result(2, `${text}。`);
      }
    };
    socket.on('data', (d: Buffer) => {
      if (!upgraded) {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const target = new URL(lines[0]!.split(' ')[1]!, 'https://x');
        const host = lines.find((l) => /^host:/i.test(l))!.split(':')[1]!.trim();
        const key = lines.find((l) => /^sec-websocket-key:/i.test(l))!.split(':')[1]!.trim();
        for (const [k, v] of target.searchParams) s.query[k] = v;
        const { signature, ...params } = s.query;
        // The server's own reading of the protocol: host + path + "?" + sorted k=v (raw values), HMAC-SHA1, base64.
        const source = `${host}${target.pathname}?${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&')}`;
        s.signatureOk = signature === createHmac('sha1', SECRET_KEY).update(source).digest('base64') && target.pathname === `/asr/v2/${APP_ID}`;
        voiceId = s.query.voice_id ?? '';
        socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, '', ''].join('\r\n'));
        upgraded = true;
        if (!s.signatureOk) {
          send({ code: 4002, message: '鉴权失败', voice_id: voiceId });
          socket.end(encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8])));
          return;
        }
        send({ code: 0, message: 'success', voice_id: voiceId });
        d = head.subarray(end + 4);
        if (!d.length) return;
      }
      for (const f of parser.push(d)) {
        if (f.opcode === OPCODE.binary) onAudio(f.payload);
        else if (f.opcode === OPCODE.text && JSON.parse(f.payload.toString()).type === 'end') {
          s.ended = true;
          send({ code: 0, message: 'success', voice_id: voiceId, message_id: `${voiceId}_end`, final: 1 });
        } else if (f.opcode === OPCODE.close) socket.end(encodeFrame(OPCODE.close, f.payload.subarray(0, 2)));
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Tencent Cloud real-time ASR against a loopback server that speaks its protocol', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-tencent-asr-'));
  let cert: { key: Buffer; cert: Buffer };
  let storage: Storage;
  let server: tls.Server;
  const seen: Seen[] = [];
  const logs: string[] = [];
  let pcm: Int16Array;

  before(async () => {
    cert = selfSigned(dir);
    storage = await openStorage({ dataDir: dir, readers: 1, quickCheckLimit: 100, log: createLogger({ level: 'silent' }) });
    server = await startServer(cert, '我要查话费', seen);
    const tts = new EspeakTtsProvider({ cacheDir: path.join(dir, 'tts') });
    const r = await tts.render('我要查话费', { voice: 'cmn', law: 'pcma' });
    pcm = decodeG711('pcma', r.audio);
  });
  after(async () => {
    server?.close();
    await storage?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function service(secretKey: string): Promise<SpeechService> {
    const settings = new SpeechSettings(storage.db, await BoxKey.load(dir));
    await settings.set({ asrEngine: 'auto', tencent: { appId: APP_ID, secretId: SECRET_ID, secretKey, region: 'ap-guangzhou', asrModel: '8k_zh', ttsVoiceZh: 101001, ttsVoiceEn: 101050 } });
    const log = createLogger({ level: 'debug', destination: new Writable({ write: (c, _e, cb) => void (logs.push(String(c)), cb()) }) as never });
    const port = (server.address() as { port: number }).port;
    return new SpeechService({ settings, log, tencentEndpoint: { host: '127.0.0.1', port, ca: cert.cert } });
  }

  /** One listening turn: the caller says the sentence (20 ms packets, then 1 s of silence). */
  async function listen(s: SpeechService) {
    const h = await s.listen({ keywords: ['查话费', '转人工'], hotWords: [{ word: '话费', weight: 8 }, { word: '宽带', weight: 3 }], timeoutMs: 8000, sessionId: 'call-1', clock: new SystemClock() });
    assert.ok(h, 'a provider listens for Chinese keywords');
    h.opened();
    for (let i = 0; i < pcm.length; i += 160) h.write(pcm.subarray(i, i + 160));
    for (let i = 0; i < 50; i++) h.write(new Int16Array(160));
    return { provider: h.provider, result: await h.result };
  }

  it('signs like the protocol says, sends PCM and hot words, and turns the sentence into the keyword', async () => {
    const s = await service(SECRET_KEY);
    const before = seen.length;
    const { provider, result } = await listen(s);
    assert.equal(provider, 'tencent-asr');
    assert.deepEqual(result, { kind: 'keyword', keyword: '查话费', text: '我要查话费。' });
    const q = seen[before]!;
    assert.equal(q.signatureOk, true, 'the server verified the signature');
    assert.equal(q.query.secretid, SECRET_ID);
    assert.equal(q.query.engine_model_type, '8k_zh');
    assert.equal(q.query.voice_format, '1');
    assert.match(q.query.voice_id!, /^[0-9a-f-]{36}$/);
    assert.equal(q.query.hotword_list, '查话费|10,转人工|10,话费|8,宽带|3');
    assert.ok(Number(q.query.expired) > Number(q.query.timestamp));
    // 16-bit 8 kHz PCM in 40 ms frames (640 bytes): the utterance arrived whole.
    assert.ok(q.audioBytes >= pcm.length * 2 * 0.9, `${q.audioBytes} bytes for ${pcm.length} samples`);
    assert.ok(q.audioBytes / q.binaryFrames <= 640);
  });

  it('a wrong SecretKey is refused by the server: nomatch, and no secret in the log', async () => {
    const s = await service('WrongSecretKey000000000');
    const before = seen.length;
    const { result } = await listen(s);
    assert.equal(seen[before]!.signatureOk, false);
    assert.equal(result.kind, 'nomatch');
    const all = logs.join('');
    assert.match(all, /4002/);
    assert.ok(!all.includes('WrongSecretKey') && !all.includes(SECRET_KEY), 'secrets never logged');
  });

  it('the signature and hot-word list by themselves', () => {
    const params = { secretid: 'a', timestamp: '1', nonce: '2', engine_model_type: '8k_zh', voice_id: 'v', expired: '3' };
    const expected = createHmac('sha1', 'k').update('asr.cloud.tencent.com/asr/v2/1?engine_model_type=8k_zh&expired=3&nonce=2&secretid=a&timestamp=1&voice_id=v').digest('base64');
    assert.equal(tencentAsrSignature('k', 'asr.cloud.tencent.com', '/asr/v2/1', params), expected);
    const many = Array.from({ length: 200 }, (_, i) => ({ word: `词${i}`, weight: 5 }));
    const list = tencentHotWordList({ keywords: ['a|b', 'c'], hotWords: [{ word: 'c', weight: 2 }, ...many] }).split(',');
    assert.equal(list.length, 128);
    assert.deepEqual(list.slice(0, 2), ['ab|10', 'c|10']);
  });
});
