// 语音设置: which engines recognize and speak (local pocketsphinx / espeak-ng, or Tencent Cloud), and the
// Tencent Cloud account. SecretId and SecretKey are sealed with the box key (data/box.key) and never leave
// the box through the API: the view carries a hint of the SecretId and whether a key is set.
import { z } from '@hono/zod-openapi';
import type { Database } from '../../platform/db.ts';
import { validationError } from '../../platform/errors.ts';
import type { BoxKey } from '../../platform/secrets.ts';
import type { AsrEngineChoice, SpeechSettingsView, TencentCredentials, TencentSettings, TtsEngineChoice } from './speech-types.ts';

const KEY = 'ivr.speech';

interface Stored {
  asrEngine: AsrEngineChoice;
  ttsEngine: TtsEngineChoice;
  tencent: (TencentSettings & { sealedSecretId: string; sealedSecretKey: string }) | null;
}

const DEFAULTS: Stored = { asrEngine: 'auto', ttsEngine: 'local', tencent: null };

export const speechSettingsInput = z.object({
  asrEngine: z.enum(['auto', 'local', 'tencent']).optional(),
  ttsEngine: z.enum(['local', 'tencent']).optional(),
  tencent: z
    .object({
      appId: z.string().regex(/^[0-9]{1,20}$/, 'AppId 为数字 (AppId is numeric)'),
      /** Absent: keep the stored one. */
      secretId: z.string().trim().min(8, '至少 8 个字符 (at least 8 characters)').max(128).regex(/^[A-Za-z0-9]+$/, '只能是字母和数字 (letters and digits only)').optional(),
      secretKey: z.string().trim().min(8, '至少 8 个字符 (at least 8 characters)').max(128).regex(/^[A-Za-z0-9]+$/, '只能是字母和数字 (letters and digits only)').optional(),
      region: z.string().regex(/^[a-z]{2,4}-[a-z]+(-[a-z0-9]+)?$/, '地域形如 ap-guangzhou (a region like ap-guangzhou)').default('ap-guangzhou'),
      asrModel: z.string().regex(/^(8k|16k)_[a-z][a-z0-9_-]{1,30}$/, '引擎模型形如 8k_zh (an engine model like 8k_zh)').default('8k_zh'),
      ttsVoiceZh: z.number().int().min(0).max(9_999_999).default(101001),
      ttsVoiceEn: z.number().int().min(0).max(9_999_999).default(101050),
    })
    .nullable()
    .optional(),
});
export type SpeechSettingsInput = z.infer<typeof speechSettingsInput>;

const hint = (id: string): string => (id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-4)}`);

export class SpeechSettings {
  private cache: { stored: Stored; creds: TencentCredentials | null } | null = null;

  constructor(private readonly db: Database, private readonly key: BoxKey) {}

  private async stored(): Promise<Stored> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [KEY]);
    return row ? { ...DEFAULTS, ...(JSON.parse(row.value) as Partial<Stored>) } : DEFAULTS;
  }

  /** Loads (or reloads) the settings into memory; the call path reads them from there. */
  async load(): Promise<void> {
    const stored = await this.stored();
    const t = stored.tencent;
    const creds = t ? { appId: t.appId, region: t.region, asrModel: t.asrModel, ttsVoiceZh: t.ttsVoiceZh, ttsVoiceEn: t.ttsVoiceEn, secretId: this.key.decrypt(t.sealedSecretId), secretKey: this.key.decrypt(t.sealedSecretKey) } : null;
    this.cache = { stored, creds };
  }

  /** The engines chosen and the unsealed Tencent credentials (providers only; never returned or logged). */
  current(): { asrEngine: AsrEngineChoice; ttsEngine: TtsEngineChoice; tencent: TencentCredentials | null } {
    const c = this.cache ?? { stored: DEFAULTS, creds: null };
    return { asrEngine: c.stored.asrEngine, ttsEngine: c.stored.ttsEngine, tencent: c.creds };
  }

  async view(): Promise<SpeechSettingsView> {
    if (!this.cache) await this.load();
    const { stored, creds } = this.cache!;
    const t = stored.tencent;
    return {
      asrEngine: stored.asrEngine,
      ttsEngine: stored.ttsEngine,
      tencent: t && creds ? { appId: t.appId, region: t.region, asrModel: t.asrModel, ttsVoiceZh: t.ttsVoiceZh, ttsVoiceEn: t.ttsVoiceEn, secretIdHint: hint(creds.secretId), secretKeySet: true } : null,
    };
  }

  async set(input: SpeechSettingsInput): Promise<SpeechSettingsView> {
    const prev = await this.stored();
    let tencent = prev.tencent;
    if (input.tencent === null) tencent = null;
    else if (input.tencent) {
      const t = input.tencent;
      const sealedSecretId = t.secretId ? this.key.encrypt(t.secretId) : prev.tencent?.sealedSecretId;
      const sealedSecretKey = t.secretKey ? this.key.encrypt(t.secretKey) : prev.tencent?.sealedSecretKey;
      if (!sealedSecretId) throw validationError('tencent.secretId', '请填写 SecretId (SecretId is required)');
      if (!sealedSecretKey) throw validationError('tencent.secretKey', '请填写 SecretKey (SecretKey is required)');
      tencent = { appId: t.appId, region: t.region, asrModel: t.asrModel, ttsVoiceZh: t.ttsVoiceZh, ttsVoiceEn: t.ttsVoiceEn, sealedSecretId, sealedSecretKey };
    }
    const next: Stored = { asrEngine: input.asrEngine ?? prev.asrEngine, ttsEngine: input.ttsEngine ?? prev.ttsEngine, tencent };
    if (next.asrEngine === 'tencent' && !tencent) throw validationError('asrEngine', '使用腾讯云识别需先填写腾讯云账号 (Tencent Cloud account required)');
    if (next.ttsEngine === 'tencent' && !tencent) throw validationError('ttsEngine', '使用腾讯云合成需先填写腾讯云账号 (Tencent Cloud account required)');
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [KEY, JSON.stringify(next)]);
    await this.load();
    return this.view();
  }
}
