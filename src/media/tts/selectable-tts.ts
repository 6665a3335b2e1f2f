// The box's TTS as configured at run time (语音设置): the local provider (espeak-ng, or the HTTP one), or
// Tencent Cloud TTS while an account is set and chosen. Cloud providers are kept per configuration, so a
// changed key or voice takes effect on the next prompt and each configuration caches its own files.
import { createHash } from 'node:crypto';
import { TencentTtsProvider, type TencentTtsConfig } from './tencent-tts.ts';
import type { TtsProvider, TtsRenderOptions, TtsResult } from './tts-types.ts';

export interface SelectableTtsOptions {
  local: TtsProvider;
  cacheDir: string;
  /** The Tencent configuration when the box should speak through it, else null. */
  cloud: () => TencentTtsConfig | null;
  timeoutMs?: number;
}

export class SelectableTtsProvider implements TtsProvider {
  private cloudProvider: { key: string; provider: TencentTtsProvider } | null = null;

  constructor(private readonly o: SelectableTtsOptions) {}

  get name(): string {
    return this.current().name;
  }

  current(): TtsProvider {
    const c = this.o.cloud();
    if (!c) return this.o.local;
    const key = createHash('sha256').update(JSON.stringify([c.secretId, c.secretKey, c.region, c.voiceZh, c.voiceEn, c.host, c.port])).digest('hex');
    if (this.cloudProvider?.key !== key) {
      this.cloudProvider = { key, provider: new TencentTtsProvider({ ...c, cacheDir: this.o.cacheDir, ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}) }) };
    }
    return this.cloudProvider.provider;
  }

  render(text: string, options: TtsRenderOptions): Promise<TtsResult> {
    return this.current().render(text, options);
  }
}
