// Converts rendered speech (WAV from espeak-ng, or whatever a cloud returns) to raw 8 kHz mono
// G.711: sox for WAV (fast to start), ffmpeg for everything else (MP3, OGG …).
import type { G711Law } from '../codec/index.ts';
import { runProcess } from './run-process.ts';

const isWav = (b: Buffer): boolean => b.length >= 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WAVE';

export async function convertToG711(audio: Buffer, law: G711Law, timeoutMs: number): Promise<Uint8Array> {
  if (isWav(audio)) {
    // -V1: only errors; espeak-ng's streamed WAV has no final length, which sox warns about.
    return runProcess('sox', ['-V1', '-t', 'wav', '-', '-t', 'raw', '-r', '8000', '-c', '1', '-e', law === 'pcma' ? 'a-law' : 'u-law', '-'], { input: audio, timeoutMs });
  }
  return runProcess('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', law === 'pcma' ? 'alaw' : 'mulaw', 'pipe:1',
  ], { input: audio, timeoutMs });
}
