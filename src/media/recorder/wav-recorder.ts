// Call recorder: timestamped 20 ms PCM frames of one (voicemail) or two (call: left
// customer, right agent) channels → a 16-bit 8 kHz WAV. Audio goes to `<path>.part` in
// chunks; `stop` writes the final header, fsyncs, renames and fsyncs the folder (DESIGN.md
// durability rules). A file cut by a power loss is fixed by `repairWav`.
import { open, rename, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import path from 'node:path';
import { fsyncDir } from '../../platform/files.ts';
import { buildWavHeader, wavHeaderSize } from '../codec/index.ts';
import type { RecorderChannel, RecordingResult, WavRecorderOptions } from './recorder-types.ts';
import { RecordingTimeline } from './timeline.ts';

export const PART_SUFFIX = '.part';
const LITTLE_ENDIAN = endianness() === 'LE';

type RecorderState = 'recording' | 'stopping' | 'stopped';

export class WavRecorder {
  readonly path: string;
  readonly partPath: string;
  private readonly timeline: RecordingTimeline;
  private readonly flushInterval: number;
  private readonly headerSize = wavHeaderSize('pcm16');
  private state: RecorderState = 'recording';
  private paused = false;
  private held = false;
  private lastFlushMs: number;
  private writeOffset: number;
  private dataBytes = 0;
  /** Writes run one after another in order; the chain never rejects (errors are kept). */
  private writes: Promise<void> = Promise.resolve();
  private error: Error | undefined;

  private constructor(private readonly fh: FileHandle, private readonly options: WavRecorderOptions) {
    this.path = options.path;
    this.partPath = options.path + PART_SUFFIX;
    this.timeline = new RecordingTimeline(options);
    this.flushInterval = options.flushIntervalMs ?? 1000;
    this.lastFlushMs = options.startMs;
    this.writeOffset = this.headerSize;
  }

  /** Creates `<path>.part` with a provisional header (sizes 0, fixed at stop or by repair). */
  static async open(options: WavRecorderOptions): Promise<WavRecorder> {
    const fh = await open(options.path + PART_SUFFIX, 'wx', options.mode ?? 0o640);
    const recorder = new WavRecorder(fh, options);
    await fh.write(recorder.header(0), 0, recorder.headerSize, 0);
    return recorder;
  }

  get channels(): 1 | 2 {
    return this.timeline.channels;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Adds one frame of decoded PCM that arrived at `arrivalMs` (same clock as `startMs`). */
  push(channel: RecorderChannel, pcm: Int16Array, arrivalMs: number, rtpTimestamp?: number): void {
    if (this.state !== 'recording' || channel >= this.channels) return;
    this.timeline.place(channel, pcm, arrivalMs, rtpTimestamp, this.onOverflow);
    if (arrivalMs - this.lastFlushMs >= this.flushInterval) this.tick(arrivalMs);
  }

  /** `push` of G.711 octets `src[start, end)` as they came in a packet, decoded with `table` (ALAW_DECODE, ULAW_DECODE). */
  pushG711(channel: RecorderChannel, table: Int16Array, src: Uint8Array, start: number, end: number, arrivalMs: number, rtpTimestamp?: number): void {
    if (this.state !== 'recording' || channel >= this.channels) return;
    this.timeline.placeG711(channel, table, src, start, end, arrivalMs, rtpTimestamp, this.onOverflow);
    if (arrivalMs - this.lastFlushMs >= this.flushInterval) this.tick(arrivalMs);
  }

  private readonly onOverflow = (span: Int16Array): void => this.enqueue(span);

  /** Writes settled audio; call on a timer so silence is written even when no frame comes. */
  tick(nowMs: number): void {
    if (this.state !== 'recording') return;
    this.lastFlushMs = nowMs;
    this.enqueue(this.timeline.takeSettled(nowMs));
  }

  /** Pause for sensitive input (card numbers): silence is recorded until `resume`. */
  pause(nowMs: number): void {
    this.paused = true;
    this.updateMute(nowMs);
  }

  resume(nowMs: number): void {
    this.paused = false;
    this.updateMute(nowMs);
  }

  /** Hold: silence instead of hold music or stray audio until released. */
  setHold(on: boolean, nowMs: number): void {
    this.held = on;
    this.updateMute(nowMs);
  }

  private updateMute(nowMs: number): void {
    if (this.paused || this.held) this.timeline.mute(nowMs);
    else this.timeline.unmute(nowMs);
  }

  /** Resolves when every chunk handed to the file so far has been written. */
  async flushed(): Promise<void> {
    await this.writes;
    if (this.error) throw this.error;
  }

  /** Writes the rest, finalizes the header and makes the file durable under its final name. */
  async stop(nowMs: number): Promise<RecordingResult> {
    if (this.state !== 'recording') throw new Error(`recorder already ${this.state}`);
    this.state = 'stopping';
    this.enqueue(this.timeline.takeAll(nowMs));
    await this.writes;
    try {
      if (this.error) throw this.error;
      await this.fh.write(this.header(this.dataBytes), 0, this.headerSize, 0);
      await this.fh.sync();
    } finally {
      await this.fh.close();
      this.state = 'stopped';
    }
    await rename(this.partPath, this.path);
    await fsyncDir(path.dirname(this.path));
    const samples = this.dataBytes / (2 * this.channels);
    return {
      path: this.path, channels: this.channels, sampleRate: this.timeline.sampleRate, samples,
      durationMs: Math.round((samples * 1000) / this.timeline.sampleRate), dataBytes: this.dataBytes,
    };
  }

  private header(dataBytes: number): Buffer {
    return buildWavHeader({ format: 'pcm16', channels: this.channels, sampleRate: this.timeline.sampleRate, dataBytes });
  }

  private enqueue(span: Int16Array): void {
    if (span.length === 0) return;
    // WAV is little-endian: on such a host the span's own memory is written as is (it is a
    // copy the timeline handed over); elsewhere the samples are swapped into a new buffer.
    let bytes: Buffer;
    if (LITTLE_ENDIAN) {
      bytes = Buffer.from(span.buffer, span.byteOffset, span.byteLength);
    } else {
      bytes = Buffer.allocUnsafe(span.length * 2);
      for (let i = 0; i < span.length; i++) bytes.writeInt16LE(span[i], i * 2);
    }
    const position = this.writeOffset;
    this.writeOffset += bytes.length;
    this.dataBytes += bytes.length;
    this.writes = this.writes.then(async () => {
      if (this.error) return;
      try {
        await this.fh.write(bytes, 0, bytes.length, position);
      } catch (err) {
        this.error = err as Error;
        this.options.onError?.(this.error);
      }
    });
  }
}
