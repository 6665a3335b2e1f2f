// Local TTS with espeak-ng (Debian): voices `cmn` (Mandarin) and `en`. The text goes on stdin
// (never as an argument, so a text starting with "-" is not an option), WAV comes on stdout.
import { CachedTtsProvider } from './cached-tts.ts';
import { runProcess } from './run-process.ts';
import type { EspeakTtsOptions, TtsVoice } from './tts-types.ts';

export class EspeakTtsProvider extends CachedTtsProvider {
  readonly name = 'espeak-ng';
  private readonly command: string;
  private readonly speed: number;

  constructor(options: EspeakTtsOptions) {
    super(options);
    this.command = options.command ?? 'espeak-ng';
    this.speed = options.speed ?? 160;
  }

  protected synthesize(text: string, voice: TtsVoice): Promise<Buffer> {
    // -b 1: the input is UTF-8 (Chinese text).
    return runProcess(this.command, ['-v', voice, '-s', String(this.speed), '-b', '1', '--stdin', '--stdout'], {
      input: text, timeoutMs: this.timeoutMs, maxOutput: 50 * 1024 * 1024,
    });
  }
}
