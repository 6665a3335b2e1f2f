// Types of the prompt player: options, play requests and events.
import type { Clock } from '../../platform/clock.ts';
import type { DtmfDigit } from '../dtmf/index.ts';

/** Receives each 20 ms frame when its time comes; `first` marks the start of a talkspurt. */
export type FrameSink = (frame: Uint8Array, first: boolean) => void;

export interface PromptPlayerOptions {
  clock: Clock;
  sink: FrameSink;
  /** Frame period (ms); 20 ms = 160 G.711 octets at 8 kHz. */
  frameMs?: number;
  /** After a stall longer than this many frames, skip the lag instead of bursting frames. */
  maxCatchUpFrames?: number;
}

export interface PlayOptions {
  /** How many times to play the frames (default 1). */
  repeat?: number;
  /** Play until stopped (hold music); overrides `repeat`. */
  loop?: boolean;
  /** Whether a DTMF digit stops the prompt (default true). */
  interruptible?: boolean;
  /** Only these digits interrupt (default: any). */
  interruptDigits?: readonly DtmfDigit[];
}

export interface PromptPlayerEvents {
  /** The prompt played to its end (all repeats). */
  finished: [{ frames: number }];
  /** A digit stopped the prompt; the digit is also meant as input (barge-in). */
  interrupted: [{ digit: DtmfDigit; frames: number }];
  /** `stop()` or a new `play()` ended the prompt. */
  stopped: [{ frames: number }];
}
