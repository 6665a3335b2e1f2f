// The shared half of every TTS provider: a disk cache keyed by a hash of provider, voice, law
// and text (written temp → fsync → rename, so a crash never leaves half a prompt), concurrent
// identical requests rendered once, and conversion to 8 kHz G.711.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CcboxError } from '../../platform/errors.ts';
import { writeFileDurable } from '../../platform/files.ts';
import { readWav, writeWav, type G711Law } from '../codec/index.ts';
import { convertToG711 } from './g711-convert.ts';
import type { CachedTtsOptions, TtsProvider, TtsRenderOptions, TtsResult, TtsVoice } from './tts-types.ts';

export const DEFAULT_TTS_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CHARS = 2000;

export abstract class CachedTtsProvider implements TtsProvider {
  abstract readonly name: string;
  protected readonly timeoutMs: number;
  private readonly maxChars: number;
  private readonly inFlight = new Map<string, Promise<TtsResult>>();

  constructor(private readonly cacheOptions: CachedTtsOptions) {
    this.timeoutMs = cacheOptions.timeoutMs ?? DEFAULT_TTS_TIMEOUT_MS;
    this.maxChars = cacheOptions.maxChars ?? DEFAULT_MAX_CHARS;
  }

  /** Produces an audio file (WAV or another format ffmpeg reads) for the text. */
  protected abstract synthesize(text: string, voice: TtsVoice): Promise<Buffer>;

  /** Cache file of a text: the same provider, voice, law and text always map to one file. */
  cachePath(text: string, voice: TtsVoice, law: G711Law): string {
    const key = createHash('sha256').update(JSON.stringify([this.name, voice, law, text])).digest('hex');
    return path.join(this.cacheOptions.cacheDir, `${key.slice(0, 40)}-${law}.wav`);
  }

  render(text: string, options: TtsRenderOptions): Promise<TtsResult> {
    const clean = text.trim();
    if (clean === '') return Promise.reject(new CcboxError('CCBOX_ERR_VALIDATION', 'TTS text is empty', { field: 'text' }));
    if (clean.length > this.maxChars) return Promise.reject(new CcboxError('CCBOX_ERR_VALIDATION', `TTS text is longer than ${this.maxChars} characters`, { field: 'text' }));
    if (options.voice !== 'cmn' && options.voice !== 'en') return Promise.reject(new CcboxError('CCBOX_ERR_VALIDATION', `unknown TTS voice ${String(options.voice)}`, { field: 'voice' }));
    const law = options.law ?? 'pcma';
    const file = this.cachePath(clean, options.voice, law);
    const pending = this.inFlight.get(file);
    if (pending) return pending;
    const work = this.renderOnce(clean, options.voice, law, file).finally(() => this.inFlight.delete(file));
    this.inFlight.set(file, work);
    return work;
  }

  private async renderOnce(text: string, voice: TtsVoice, law: G711Law, file: string): Promise<TtsResult> {
    const cached = await readCached(file, law);
    if (cached) return { path: file, law, audio: cached, durationMs: cached.length / 8, cached: true };
    const source = await this.synthesize(text, voice);
    const audio = await convertToG711(source, law, this.timeoutMs);
    if (audio.length === 0) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `${this.name} TTS produced no audio`);
    await mkdir(this.cacheOptions.cacheDir, { recursive: true });
    await writeFileDurable(file, writeWav(law === 'pcma' ? 'alaw' : 'ulaw', 1, 8000, audio));
    return { path: file, law, audio, durationMs: audio.length / 8, cached: false };
  }
}

async function readCached(file: string, law: G711Law): Promise<Uint8Array | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  try {
    const { info, data } = readWav(bytes);
    if (info.format !== (law === 'pcma' ? 'alaw' : 'ulaw') || info.sampleRate !== 8000 || info.channels !== 1 || data.length === 0) return null;
    return data;
  } catch {
    return null; // unreadable: rendered again and replaced
  }
}
