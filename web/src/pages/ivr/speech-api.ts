// Client of 语音设置 (GET/PUT /api/v1/ivr/speech/settings, docs/api-v1.md › Speech): the engines of 语音识别导航
// and of TTS prompts, and the Tencent Cloud account. SecretId/SecretKey are write-only (omitted = kept).
import { http } from '../../api';

export type AsrEngine = 'auto' | 'local' | 'tencent';
export type TtsEngine = 'local' | 'tencent';

export interface TencentAccount {
  appId: string;
  region: string;
  /** Real-time ASR engine model, e.g. 8k_zh */
  asrModel: string;
  /** TTS VoiceType for Chinese and English prompts */
  ttsVoiceZh: number;
  ttsVoiceEn: number;
}

export interface SpeechSettings {
  asrEngine: AsrEngine;
  ttsEngine: TtsEngine;
  tencent: (TencentAccount & { secretIdHint: string; secretKeySet: boolean }) | null;
}

export interface SpeechSettingsInput {
  asrEngine?: AsrEngine;
  ttsEngine?: TtsEngine;
  /** null removes the account; an omitted secret keeps the stored one. */
  tencent?: (TencentAccount & { secretId?: string; secretKey?: string }) | null;
}

export const ASR_ENGINES: readonly AsrEngine[] = ['auto', 'local', 'tencent'];
export const TTS_ENGINES: readonly TtsEngine[] = ['local', 'tencent'];

/** The server's defaults for a new account (speech-settings.ts). */
export const TENCENT_DEFAULTS: Omit<TencentAccount, 'appId'> = { region: 'ap-guangzhou', asrModel: '8k_zh', ttsVoiceZh: 101001, ttsVoiceEn: 101050 };

export const speechApi = {
  settings: () => http.get<SpeechSettings>('/ivr/speech/settings'),
  putSettings: (s: SpeechSettingsInput) => http.put<SpeechSettings>('/ivr/speech/settings', s),
};
