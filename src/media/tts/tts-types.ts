// Types of text-to-speech: providers render text to 8 kHz mono G.711, cached on disk.
import type { G711Law } from '../codec/index.ts';

export type TtsVoice = 'cmn' | 'en';

export interface TtsRenderOptions {
  voice: TtsVoice;
  /** Law of the result (default pcma). */
  law?: G711Law;
}

export interface TtsResult {
  /** The cached 8 kHz mono G.711 WAV. */
  path: string;
  law: G711Law;
  /** G.711 octets (8000 per second). */
  audio: Uint8Array;
  durationMs: number;
  /** True when the file came from the cache. */
  cached: boolean;
}

export interface TtsProvider {
  readonly name: string;
  /** Renders `text` (variables already substituted) to 8 kHz G.711; same input, same file. */
  render(text: string, options: TtsRenderOptions): Promise<TtsResult>;
}

export interface CachedTtsOptions {
  /** Folder of the cache (`<dataDir>/tts-cache`). */
  cacheDir: string;
  /** Deadline of one synthesis plus its conversion (ms). */
  timeoutMs?: number;
  /** Longest text accepted (characters). */
  maxChars?: number;
}

export interface EspeakTtsOptions extends CachedTtsOptions {
  /** espeak-ng binary (default `espeak-ng` on PATH). */
  command?: string;
  /** Words per minute (espeak-ng -s; default 160). */
  speed?: number;
}

/**
 * A cloud TTS over HTTP: POST `url` with JSON `{ text, voice }` (plus `extraBody`), the
 * response body is the audio (WAV, or anything ffmpeg reads, e.g. MP3).
 */
export interface HttpTtsOptions extends CachedTtsOptions {
  url: string;
  /** Extra request headers (e.g. an API key). */
  headers?: Record<string, string>;
  /** Provider voice names for our voices (default: `cmn`, `en` as they are). */
  voices?: Partial<Record<TtsVoice, string>>;
  extraBody?: Record<string, unknown>;
  /** Largest audio accepted (bytes, default 10 MB). */
  maxBytes?: number;
}
