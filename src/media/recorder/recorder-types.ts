// Types of the call recorder: options, channels, results.

/** 0 = left = customer side, 1 = right = agent side (DESIGN.md: "left customer, right agent"). */
export type RecorderChannel = 0 | 1;

export interface TimelineOptions {
  channels: 1 | 2;
  sampleRate?: number;
  /** Arrival-clock time (ms) that maps to the first sample of the file. */
  startMs: number;
  /** How long a span stays open for late frames before it is written (ms). */
  jitterMs?: number;
  /**
   * When a frame's RTP placement and its arrival time disagree by more than this (a new SSRC,
   * a timestamp jump, clock drift), the channel re-anchors on arrival time (ms).
   */
  resyncMs?: number;
  /** Buffered span beyond which the oldest audio is written regardless of jitter (ms). */
  capacityMs?: number;
}

export interface WavRecorderOptions extends Omit<TimelineOptions, 'startMs'> {
  /** Final path of the recording; audio goes to `<path>.part` until `stop`. */
  path: string;
  startMs: number;
  /** Write buffered audio every this many ms. */
  flushIntervalMs?: number;
  /** File mode of the recording (recordings are personal data). */
  mode?: number;
  /** Called once if a background write fails; `stop` rethrows it. */
  onError?: (err: Error) => void;
}

export interface RecordingResult {
  path: string;
  channels: 1 | 2;
  sampleRate: number;
  /** Samples per channel. */
  samples: number;
  durationMs: number;
  dataBytes: number;
}

export interface RepairResult {
  /** Path of the repaired file (the `.part` suffix removed). */
  path: string;
  /** True when the header had to be changed or the file renamed. */
  changed: boolean;
  dataBytes: number;
  durationMs: number;
}
