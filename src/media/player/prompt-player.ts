// Plays 8 kHz G.711 prompt frames (160 octets / 20 ms) into a sink on the frame clock:
// repeat count, loop (hold music), DTMF barge-in or not, stop on demand.
import { TypedEmitter } from '../../platform/events.ts';
import type { DtmfDigit } from '../dtmf/index.ts';
import { FrameClock } from './frame-clock.ts';
import type { FrameSink, PlayOptions, PromptPlayerEvents, PromptPlayerOptions } from './player-types.ts';

type PlayerState = 'idle' | 'playing';

interface Playback {
  frames: readonly Uint8Array[];
  total: number;
  options: PlayOptions;
  sent: number;
}

export class PromptPlayer extends TypedEmitter<PromptPlayerEvents> {
  private readonly frameClock: FrameClock;
  private readonly sink: FrameSink;
  private state: PlayerState = 'idle';
  private current: Playback | undefined;

  constructor(options: PromptPlayerOptions) {
    super();
    this.sink = options.sink;
    this.frameClock = new FrameClock(options.clock, options.frameMs ?? 20, options.maxCatchUpFrames ?? 5);
  }

  get playing(): boolean {
    return this.state === 'playing';
  }

  /** Starts a prompt; one already playing is stopped first (and reports `stopped`). */
  play(frames: readonly Uint8Array[], options: PlayOptions = {}): void {
    if (this.state === 'playing') this.end('stopped');
    const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
    const total = options.loop && frames.length > 0 ? Infinity : frames.length * repeat;
    const playback: Playback = { frames, total, options, sent: 0 };
    this.current = playback;
    this.state = 'playing';
    this.frameClock.start((slot) => this.onSlot(playback, slot));
  }

  /** Offers a detected digit; returns true if it interrupted the prompt. */
  onDtmf(digit: DtmfDigit): boolean {
    const playback = this.current;
    if (this.state !== 'playing' || !playback) return false;
    const { interruptible = true, interruptDigits } = playback.options;
    if (!interruptible || (interruptDigits && !interruptDigits.includes(digit))) return false;
    this.frameClock.stop();
    this.reset();
    this.safeEmit('interrupted', { digit, frames: playback.sent });
    return true;
  }

  stop(): void {
    if (this.state === 'playing') this.end('stopped');
  }

  private onSlot(playback: Playback, slot: number): boolean {
    if (slot < playback.total) {
      playback.sent++;
      this.sink(playback.frames[slot % playback.frames.length], slot === 0);
      return true;
    }
    // The slot after the last frame: the last frame has had its 20 ms on the wire.
    this.reset();
    this.safeEmit('finished', { frames: playback.sent });
    return false;
  }

  private end(event: 'stopped'): void {
    const sent = this.current?.sent ?? 0;
    this.frameClock.stop();
    this.reset();
    this.safeEmit(event, { frames: sent });
  }

  private reset(): void {
    this.state = 'idle';
    this.current = undefined;
  }
}
