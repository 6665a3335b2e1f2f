// Chinese (and any language the account's engine speaks) through Tencent Cloud's real-time ASR over
// WebSocket (实时语音识别, API 2.0 style): wss://asr.cloud.tencent.com/asr/v2/<appid>?<params>&signature=…
// The signature is HMAC-SHA1 with the SecretKey over host + path + "?" + the other parameters sorted by
// name (raw values), base64, URL-encoded into the query. Audio goes up as binary frames of 16-bit 8 kHz
// PCM (voice_format=1) in 40 ms pieces; results come back as JSON text: code/message/voice_id/final and
// result.slice_type (0 start, 1 in progress, 2 sentence done)/voice_text_str. {"type":"end"} ends the
// stream and the server answers final=1. The node's keywords and hot words go in hotword_list (word|weight).
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { Logger } from '../../platform/logger.ts';
import type { AsrEvent, AsrProvider, AsrRequest, AsrSession } from './speech-types.ts';
import { WsClient } from './ws-client.ts';

export const TENCENT_ASR_HOST = 'asr.cloud.tencent.com';
/** Tencent's limit on a temporary hot-word list (热词) per request. */
export const MAX_TEMP_HOT_WORDS = 128;
const CHUNK_BYTES = 640; // 40 ms of 8 kHz 16-bit PCM

export interface TencentAsrOptions {
  appId: string;
  secretId: string;
  secretKey: string;
  /** engine_model_type (8k_zh for phone calls). */
  engineModel: string;
  host?: string;
  port?: number;
  /** Extra trusted CA (PEM), for a private endpoint or a test server. */
  ca?: string | Buffer;
  connectTimeoutMs?: number;
  /** Seconds since the epoch (injected in tests). */
  nowSec?: () => number;
  log?: Logger;
}

/** HMAC-SHA1 over "host/path?sorted-params", base64 (not yet URL-encoded). */
export function tencentAsrSignature(secretKey: string, host: string, path: string, params: Record<string, string>): string {
  const source = `${host}${path}?${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&')}`;
  return createHmac('sha1', secretKey).update(source, 'utf8').digest('base64');
}

/** word|weight list: keywords first (weight 10), then hot words by weight; at most 128, no duplicates. */
export function tencentHotWordList(req: Pick<AsrRequest, 'keywords' | 'hotWords'>): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (w: string, weight: number): void => {
    const word = w.trim().replace(/[|,]/g, '');
    if (!word || seen.has(word) || out.length >= MAX_TEMP_HOT_WORDS) return;
    seen.add(word);
    out.push(`${word}|${Math.max(1, Math.min(10, Math.round(weight)))}`);
  };
  for (const k of req.keywords) add(k, 10);
  for (const h of [...req.hotWords].sort((a, b) => b.weight - a.weight)) add(h.word, h.weight);
  return out.join(',');
}

/** The request URL's path and query (signed). */
export function tencentAsrPath(o: TencentAsrOptions, req: AsrRequest, voiceId: string): string {
  const host = o.host ?? TENCENT_ASR_HOST;
  const path = `/asr/v2/${o.appId}`;
  const now = Math.floor(o.nowSec?.() ?? Date.now() / 1000);
  const params: Record<string, string> = {
    secretid: o.secretId, timestamp: String(now), expired: String(now + 3600), nonce: String(randomInt(1, 2 ** 31 - 1)),
    engine_model_type: o.engineModel, voice_id: voiceId, voice_format: '1', needvad: '1',
  };
  const hot = tencentHotWordList(req);
  if (hot) params.hotword_list = hot;
  const signature = tencentAsrSignature(o.secretKey, host, path, params);
  const query = Object.keys(params).sort().map((k) => `${k}=${encodeURIComponent(params[k]!)}`).join('&');
  return `${path}?${query}&signature=${encodeURIComponent(signature)}`;
}

interface TencentMessage {
  code?: number;
  message?: string;
  voice_id?: string;
  final?: number;
  result?: { slice_type?: number; voice_text_str?: string };
}

export class TencentAsrProvider implements AsrProvider {
  readonly name = 'tencent-asr';

  constructor(private readonly o: TencentAsrOptions) {}

  async usableKeywords(req: AsrRequest): Promise<string[]> {
    return req.keywords.filter((k) => k.trim() !== '');
  }

  async start(req: AsrRequest, onEvent: (e: AsrEvent) => void): Promise<AsrSession> {
    const voiceId = randomUUID();
    const ws = await WsClient.connect({
      host: this.o.host ?? TENCENT_ASR_HOST, port: this.o.port ?? 443, path: tencentAsrPath(this.o, req, voiceId),
      ...(this.o.ca ? { ca: this.o.ca } : {}), timeoutMs: this.o.connectTimeoutMs ?? 5000,
    });
    return new TencentAsrSession(ws, voiceId, onEvent, this.o.log);
  }
}

class TencentAsrSession implements AsrSession {
  private ready = false;
  private queued: Buffer[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly finished: Promise<void>;
  private endWanted = false;

  constructor(private readonly ws: WsClient, private readonly voiceId: string, private readonly onEvent: (e: AsrEvent) => void, private readonly log?: Logger) {
    this.finished = new Promise((resolve) => {
      ws.on('close', () => {
        this.done = true;
        resolve();
      });
    });
    ws.on('error', (e) => this.fail(e.message));
    ws.on('text', (t) => this.onMessage(t));
  }

  private fail(message: string): void {
    if (this.done) return;
    this.done = true;
    this.onEvent({ kind: 'error', message: `Tencent ASR: ${message}` });
    this.ws.destroy();
  }

  private onMessage(text: string): void {
    let m: TencentMessage;
    try {
      m = JSON.parse(text) as TencentMessage;
    } catch {
      return this.fail('a message that is not JSON');
    }
    if (m.code !== 0) return this.fail(`code ${String(m.code)} ${String(m.message ?? '').slice(0, 200)}`);
    if (m.voice_id !== undefined && m.voice_id !== this.voiceId) return this.fail('a message for another voice_id');
    if (!this.ready) {
      // The first message answers the handshake.
      this.ready = true;
      for (const b of this.queued.splice(0)) this.ws.sendBinary(b);
      if (this.endWanted) this.ws.sendText(JSON.stringify({ type: 'end' }));
    }
    const r = m.result;
    if (r && typeof r.voice_text_str === 'string') {
      this.onEvent(r.slice_type === 2 ? { kind: 'final', text: r.voice_text_str } : { kind: 'partial', text: r.voice_text_str });
    }
    if (m.final === 1) {
      this.done = true;
      this.ws.close();
    }
  }

  private sendAudio(b: Buffer): void {
    if (this.ready) this.ws.sendBinary(b);
    else this.queued.push(b);
  }

  write(pcm: Int16Array): void {
    if (this.done || this.endWanted) return;
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes);
    while (this.pending.length >= CHUNK_BYTES) {
      this.sendAudio(this.pending.subarray(0, CHUNK_BYTES));
      this.pending = this.pending.subarray(CHUNK_BYTES);
    }
  }

  end(): Promise<void> {
    if (!this.done && !this.endWanted) {
      if (this.pending.length) this.sendAudio(Buffer.from(this.pending));
      this.pending = Buffer.alloc(0);
      this.endWanted = true;
      if (this.ready) this.ws.sendText(JSON.stringify({ type: 'end' }));
    }
    return this.finished;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.log?.debug?.({ voiceId: this.voiceId }, 'Tencent ASR stream stopped');
    this.ws.close();
  }
}
