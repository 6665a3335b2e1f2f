// The box's speech side for calls: picks the ASR provider for a speech menu's keywords (English → local
// pocketsphinx; Chinese → Tencent Cloud when an account is set; or as 语音设置 says), starts a listener for
// the call's audio, and reports what it heard. Also renders TTS previews (点击试听) with the box's TTS.
import type { Clock } from '../../platform/clock.ts';
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RecognizeOptions, RecognizeResult } from '../runtime/call-control.ts';
import { SpeechListener } from './listener.ts';
import { PocketsphinxProvider } from './pocketsphinx.ts';
import type { SpeechSettings } from './speech-settings.ts';
import type { AsrProvider, AsrRequest, SpeechLanguage, TencentCredentials } from './speech-types.ts';
import { TencentAsrProvider, type TencentAsrOptions } from './tencent-asr.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export const languageOf = (keywords: readonly string[]): SpeechLanguage => (keywords.some((k) => CJK.test(k)) ? 'zh' : 'en');

/** What a call control needs from a listening turn. */
export interface ListenHandle {
  readonly provider: string;
  /** The call's audio now reaches the listener (its tap is open). */
  opened(): void;
  write(pcm: Int16Array): void;
  readonly result: Promise<RecognizeResult>;
  cancel(): void;
}

export interface SpeechRecognizer {
  /** A listener for these keywords, or null when no provider can listen for them (keys still work). */
  listen(o: RecognizeOptions & { sessionId: string; clock: Clock }): Promise<ListenHandle | null>;
}

/** The preview side of the box's TTS (structurally the media part's provider). */
export interface PreviewTts {
  render(text: string, o: { voice: 'cmn' | 'en'; law?: 'pcma' | 'pcmu' }): Promise<{ path: string; durationMs: number; cached: boolean }>;
}

export interface SpeechServiceEvents {
  listening: [{ sessionId: string; provider: string; keywords: string[] }];
  heard: [{ sessionId: string; provider: string; result: RecognizeResult }];
}

export interface SpeechServiceOptions {
  settings: SpeechSettings;
  log: Logger;
  local?: AsrProvider;
  /** Where the Tencent ASR endpoint is (tests: a loopback server and its CA). */
  tencentEndpoint?: Pick<TencentAsrOptions, 'host' | 'port' | 'ca'>;
  /** How long past the node's timeout a caller who is still talking is waited for (ms). */
  talkGraceMs?: number;
}

export class SpeechService extends TypedEmitter<SpeechServiceEvents> implements SpeechRecognizer {
  readonly settings: SpeechSettings;
  readonly local: AsrProvider;
  private tts: PreviewTts | null = null;

  constructor(private readonly o: SpeechServiceOptions) {
    super();
    this.settings = o.settings;
    this.local = o.local ?? new PocketsphinxProvider({ log: o.log });
  }

  useTts(tts: PreviewTts): void {
    this.tts = tts;
  }

  private tencent(creds: TencentCredentials): AsrProvider {
    return new TencentAsrProvider({
      appId: creds.appId, secretId: creds.secretId, secretKey: creds.secretKey, engineModel: creds.asrModel, log: this.o.log, ...this.o.tencentEndpoint,
    });
  }

  /** The provider for a request under the current settings, or null. */
  providerFor(language: SpeechLanguage): AsrProvider | null {
    const s = this.settings.current();
    if (s.asrEngine === 'tencent') return s.tencent ? this.tencent(s.tencent) : null;
    if (s.asrEngine === 'local') return this.local;
    if (language === 'en') return this.local;
    return s.tencent ? this.tencent(s.tencent) : null;
  }

  async listen(o: RecognizeOptions & { sessionId: string; clock: Clock }): Promise<ListenHandle | null> {
    const req: AsrRequest = { keywords: o.keywords, hotWords: o.hotWords, language: languageOf(o.keywords), sessionId: o.sessionId };
    const provider = this.providerFor(req.language);
    if (!provider) return null;
    const usable = await provider.usableKeywords(req);
    if (usable.length === 0) {
      this.o.log.warn({ callId: o.sessionId, provider: provider.name }, 'no speech recognizer can listen for these keywords; keys only');
      return null;
    }
    const listener = new SpeechListener({ clock: o.clock, keywords: o.keywords, timeoutMs: o.timeoutMs, talkGraceMs: this.o.talkGraceMs ?? 8000, log: this.o.log, provider: provider.name });
    provider.start({ ...req, keywords: usable }, listener.onEvent).then(
      (session) => listener.attach(session),
      (err: unknown) => listener.onEvent({ kind: 'error', message: (err as Error).message }),
    );
    let cancelled = false;
    void listener.result.then((result) => {
      if (!cancelled) this.safeEmit('heard', { sessionId: o.sessionId, provider: provider.name, result });
    });
    return {
      provider: provider.name, write: (pcm) => listener.write(pcm), result: listener.result,
      cancel: () => {
        cancelled = true;
        listener.cancel();
      },
      opened: () => this.safeEmit('listening', { sessionId: o.sessionId, provider: provider.name, keywords: usable }),
    };
  }

  /** 点击试听: the text rendered by the box's TTS (cached), as the 8 kHz WAV file the calls would play. */
  async preview(text: string, voice: 'cmn' | 'en'): Promise<{ path: string; durationMs: number; cached: boolean }> {
    if (!this.tts) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'no TTS provider is configured');
    return this.tts.render(text, { voice, law: 'pcma' });
  }
}
