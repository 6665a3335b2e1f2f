// Tencent Cloud TTS (语音合成 TextToVoice, API 3.0, version 2019-08-23) signed with TC3-HMAC-SHA256:
// POST https://tts.tencentcloudapi.com/ with JSON {Text, SessionId, VoiceType, PrimaryLanguage, SampleRate,
// Codec:"wav", ModelType:1}; the answer's Response.Audio is base64 WAV, or Response.Error {Code, Message}.
// node:https (not fetch) so a private endpoint's CA can be trusted; the request has a deadline and a cap.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import https from 'node:https';
import { CcboxError } from '../../platform/errors.ts';
import { CachedTtsProvider } from './cached-tts.ts';
import type { CachedTtsOptions, TtsVoice } from './tts-types.ts';

export const TENCENT_TTS_HOST = 'tts.tencentcloudapi.com';
const SERVICE = 'tts';
const VERSION = '2019-08-23';
const MAX_RESPONSE = 20 * 1024 * 1024;

export interface TencentTtsConfig {
  secretId: string;
  secretKey: string;
  region: string;
  /** VoiceType for cmn and en prompts. */
  voiceZh: number;
  voiceEn: number;
  host?: string;
  port?: number;
  ca?: string | Buffer;
}

export interface TencentTtsOptions extends CachedTtsOptions, TencentTtsConfig {
  /** Seconds since the epoch (tests). */
  nowSec?: () => number;
}

const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

/** TC3-HMAC-SHA256 Authorization header for a JSON POST to `/` (content-type;host signed). */
export function tc3Authorization(o: { secretId: string; secretKey: string; host: string; service: string; timestamp: number; payload: string; contentType: string }): string {
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ['POST', '/', '', `content-type:${o.contentType}\nhost:${o.host}\n`, 'content-type;host', sha256hex(o.payload)].join('\n');
  const scope = `${date}/${o.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(o.timestamp), scope, sha256hex(canonical)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${o.secretKey}`, date), o.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(toSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

export class TencentTtsProvider extends CachedTtsProvider {
  readonly name: string;

  constructor(private readonly o: TencentTtsOptions) {
    super(o);
    // Part of the cache key: another voice renders another file.
    this.name = `tencent-tts:${o.voiceZh}:${o.voiceEn}`;
  }

  protected async synthesize(text: string, voice: TtsVoice): Promise<Buffer> {
    const o = this.o;
    const host = o.host ?? TENCENT_TTS_HOST;
    const payload = JSON.stringify({
      Text: text, SessionId: randomUUID(), ModelType: 1, VoiceType: voice === 'en' ? o.voiceEn : o.voiceZh,
      PrimaryLanguage: voice === 'en' ? 2 : 1, SampleRate: 8000, Codec: 'wav',
    });
    const timestamp = Math.floor(o.nowSec?.() ?? Date.now() / 1000);
    const contentType = 'application/json; charset=utf-8';
    const headers = {
      'content-type': contentType, host, 'x-tc-action': 'TextToVoice', 'x-tc-version': VERSION, 'x-tc-region': o.region,
      'x-tc-timestamp': String(timestamp), authorization: tc3Authorization({ secretId: o.secretId, secretKey: o.secretKey, host, service: SERVICE, timestamp, payload, contentType }),
    };
    const body = await this.post(host, o.port ?? 443, headers, payload);
    let parsed: { Response?: { Audio?: string; Error?: { Code?: string; Message?: string } } };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'Tencent TTS answered something that is not JSON');
    }
    const err = parsed.Response?.Error;
    if (err) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `Tencent TTS: ${String(err.Code)} ${String(err.Message ?? '').slice(0, 200)}`);
    const audio = parsed.Response?.Audio ? Buffer.from(parsed.Response.Audio, 'base64') : Buffer.alloc(0);
    if (audio.length === 0) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'Tencent TTS sent no audio');
    return audio;
  }

  private post(host: string, port: number, headers: Record<string, string>, payload: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.o.host ? host : TENCENT_TTS_HOST, port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
        ...(this.o.ca ? { ca: this.o.ca } : {}), timeout: this.timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          size += d.length;
          if (size > MAX_RESPONSE) {
            req.destroy();
            reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', 'Tencent TTS answer too large'));
            return;
          }
          chunks.push(d);
        });
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', `Tencent TTS answered HTTP ${res.statusCode}`));
          else resolve(Buffer.concat(chunks));
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new CcboxError('CCBOX_ERR_TIMEOUT', `Tencent TTS did not answer within ${this.timeoutMs} ms`)));
      req.on('error', (e) => reject(e instanceof CcboxError ? e : new CcboxError('CCBOX_ERR_UNAVAILABLE', `Tencent TTS unreachable: ${e.message}`)));
      req.end(payload);
    });
  }
}
