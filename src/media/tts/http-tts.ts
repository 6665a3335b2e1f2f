// A cloud TTS behind HTTP: POST { text, voice } as JSON, the response body is the audio.
// Anything but a 2xx audio response is an error; the request has a deadline and a size cap.
import { CcboxError } from '../../platform/errors.ts';
import { CachedTtsProvider } from './cached-tts.ts';
import type { HttpTtsOptions, TtsVoice } from './tts-types.ts';

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export class HttpTtsProvider extends CachedTtsProvider {
  readonly name: string;

  constructor(private readonly options: HttpTtsOptions) {
    super(options);
    this.name = `http:${new URL(options.url).host}`;
  }

  protected async synthesize(text: string, voice: TtsVoice): Promise<Buffer> {
    const o = this.options;
    const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
    let res: Response;
    try {
      res = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'audio/wav, audio/*', ...o.headers },
        body: JSON.stringify({ ...o.extraBody, text, voice: o.voices?.[voice] ?? voice }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError') throw new CcboxError('CCBOX_ERR_TIMEOUT', `TTS server did not answer within ${this.timeoutMs} ms`);
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `TTS server unreachable: ${e.message}`, { cause: err });
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 200);
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `TTS server answered ${res.status}${detail ? `: ${detail}` : ''}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (type && !/^audio\/|^application\/octet-stream/i.test(type)) {
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `TTS server sent ${type}, not audio`);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `TTS audio too large (${declared} bytes)`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > maxBytes) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `TTS audio too large (${body.length} bytes)`);
    if (body.length === 0) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'TTS server sent no audio');
    return body;
  }
}
