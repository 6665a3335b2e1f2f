// Types of speech recognition (ASR) for the 语音识别导航 node: providers take 8 kHz PCM from the call and
// report partial and final text; the listener turns that into a branch keyword. Also the speech settings.
import type { HotWord } from '../runtime/call-control.ts';

export type { HotWord };

export type SpeechLanguage = 'en' | 'zh';

export interface AsrRequest {
  /** What the caller may say: the branches' keywords (the recognizer is biased or restricted to them). */
  keywords: string[];
  /** The node's hot-word list (热词), passed to the engine as biasing words. */
  hotWords: HotWord[];
  language: SpeechLanguage;
  /** For logs and the cloud's voice_id. */
  sessionId: string;
}

export type AsrEvent =
  /** Text of the utterance so far; may still change. */
  | { kind: 'partial'; text: string }
  /** One utterance recognized (its text may be empty: noise). */
  | { kind: 'final'; text: string }
  | { kind: 'error'; message: string };

/** One recognition in progress. */
export interface AsrSession {
  /** 8 kHz mono 16-bit PCM, in order and in real time (the listener pads gaps with silence). */
  write(pcm: Int16Array): void;
  /** No more audio: resolves once the provider has delivered its last result. */
  end(): Promise<void>;
  /** Stops at once (the call moved on). */
  abort(): void;
}

export interface AsrProvider {
  readonly name: string;
  /** The keywords this provider can listen for (e.g. words its dictionary knows); empty = cannot serve. */
  usableKeywords(req: AsrRequest): Promise<string[]>;
  start(req: AsrRequest, onEvent: (e: AsrEvent) => void): Promise<AsrSession>;
}

export type AsrEngineChoice = 'auto' | 'local' | 'tencent';
export type TtsEngineChoice = 'local' | 'tencent';

/** Tencent Cloud account and engines, as stored (secrets sealed with the box key). */
export interface TencentSettings {
  appId: string;
  region: string;
  /** Real-time ASR engine_model_type (8k_zh for phone audio). */
  asrModel: string;
  /** TextToVoice VoiceType for Chinese (cmn) and English (en) prompts. */
  ttsVoiceZh: number;
  ttsVoiceEn: number;
}

export interface SpeechSettingsView {
  asrEngine: AsrEngineChoice;
  ttsEngine: TtsEngineChoice;
  tencent: (TencentSettings & { secretIdHint: string; secretKeySet: boolean }) | null;
}

/** Tencent settings with the secrets unsealed: only for the providers, never returned or logged. */
export interface TencentCredentials extends TencentSettings {
  secretId: string;
  secretKey: string;
}
