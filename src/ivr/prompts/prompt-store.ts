// 放音文件: an uploaded mp3/wav (≤ 5 MB) converted by ffmpeg into an 8 kHz mono A-law WAV, the format the
// media player reads. The media part reuses this store for its own prompt conversion.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CcboxError } from '../../platform/errors.ts';
import { writeFileDurable } from '../../platform/files.ts';
import { writeWav } from '../../media/codec/index.ts';

export const MAX_PROMPT_BYTES = 5 * 1024 * 1024;
/** 8 kHz A-law: 8000 bytes a second. */
const BYTES_PER_MS = 8;
/** Two hours of decoded audio is far beyond any prompt: a bigger output means a bogus file. */
const MAX_DECODED_BYTES = 2 * 3600 * 8000;
const PROMPT_ID_RE = /^[0-9a-f-]{36}$/;

export interface PromptStore {
  /** Converts and keeps the audio; refuses anything but a decodable mp3/wav with a clear 4xx error. */
  import(data: Buffer, originalName: string): Promise<{ promptId: string; durationMs: number }>;
  /** The converted file (8 kHz mono A-law WAV). */
  path(promptId: string): string;
  remove(promptId: string): Promise<void>;
}

export type AudioFormat = 'mp3' | 'wav';

/** By content, not by name: RIFF/WAVE, or an ID3 tag / MPEG audio frame sync. */
export function detectAudioFormat(data: Buffer): AudioFormat | null {
  if (data.length >= 12 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WAVE') return 'wav';
  if (data.length >= 3 && data.toString('ascii', 0, 3) === 'ID3') return 'mp3';
  if (data.length >= 2 && data[0] === 0xff && (data[1]! & 0xe0) === 0xe0) return 'mp3';
  return null;
}

const bad = (message: string): CcboxError => new CcboxError('CCBOX_ERR_VALIDATION', message, { field: 'file' });

export interface FfmpegPromptStoreOptions {
  ffmpeg?: string;
  /** Deadline of one conversion. */
  timeoutMs?: number;
}

export class FfmpegPromptStore implements PromptStore {
  private readonly ffmpeg: string;
  private readonly timeoutMs: number;

  constructor(
    readonly dir: string,
    opts: FfmpegPromptStoreOptions = {},
  ) {
    this.ffmpeg = opts.ffmpeg ?? 'ffmpeg';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  path(promptId: string): string {
    if (!PROMPT_ID_RE.test(promptId)) throw bad(`invalid prompt id ${promptId}`);
    return path.join(this.dir, `${promptId}.wav`);
  }

  async import(data: Buffer, originalName: string): Promise<{ promptId: string; durationMs: number }> {
    if (data.length === 0) throw bad('文件为空 (empty file)');
    if (data.length > MAX_PROMPT_BYTES) throw bad('文件超过 5 MB (file larger than 5 MB)');
    const format = detectAudioFormat(data);
    if (!format) throw bad(`只支持 mp3 或 wav 格式: ${originalName} (only mp3 or wav audio is accepted)`);
    const alaw = await this.convert(data, format, originalName);
    const promptId = randomUUID();
    await mkdir(this.dir, { recursive: true });
    await writeFileDurable(this.path(promptId), writeWav('alaw', 1, 8000, alaw));
    return { promptId, durationMs: Math.round(alaw.length / BYTES_PER_MS) };
  }

  async remove(promptId: string): Promise<void> {
    await unlink(this.path(promptId)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** ffmpeg decodes from stdin (format forced, so nothing else is probed) to raw 8 kHz mono A-law on stdout. */
  private convert(data: Buffer, format: AudioFormat, originalName: string): Promise<Buffer> {
    const args = ['-hide_banner', '-loglevel', 'error', '-f', format, '-i', 'pipe:0', '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_alaw', '-f', 'alaw', 'pipe:1'];
    return new Promise<Buffer>((resolve, reject) => {
      const child = spawn(this.ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let outBytes = 0;
      let stderr = '';
      let settled = false;
      const fail = (err: CcboxError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(err);
      };
      const timer = setTimeout(() => fail(new CcboxError('CCBOX_ERR_TIMEOUT', `转换超时 (conversion took longer than ${this.timeoutMs} ms)`, { field: 'file' })), this.timeoutMs);
      child.on('error', (err: NodeJS.ErrnoException) =>
        fail(new CcboxError('CCBOX_ERR_UNAVAILABLE', err.code === 'ENOENT' ? 'ffmpeg is not installed on this box' : `ffmpeg failed to start: ${err.message}`)),
      );
      child.stdout.on('data', (c: Buffer) => {
        outBytes += c.length;
        if (outBytes > MAX_DECODED_BYTES) return fail(bad('音频过长 (audio longer than two hours)'));
        out.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 4000) stderr += c.toString('utf8');
      });
      // ffmpeg may stop reading a corrupt file early: a broken pipe is its exit status's business.
      child.stdin.on('error', () => undefined);
      child.stdin.end(data);
      child.on('close', (code) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const pcm = Buffer.concat(out);
        const why = stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${code}`;
        if (code !== 0 || pcm.length === 0) return reject(bad(`文件已损坏或无法解码: ${originalName} (corrupt or undecodable ${format}: ${why})`));
        resolve(pcm);
      });
    });
  }
}
