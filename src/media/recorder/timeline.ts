// Places 20 ms frames of one or two channels on a common timeline by arrival time, so the
// two legs of a call line up even though their RTP timestamps have unrelated bases. Within
// one stream, RTP timestamps place each frame (so gaps stay gaps and jitter does not smear
// audio); a stream that drifts away from its arrival times is re-anchored. Pure: no I/O,
// time comes in with every call.
import type { TimelineOptions } from './recorder-types.ts';

interface ChannelAnchor {
  anchored: boolean;
  /** Timeline position of the anchor frame and its RTP timestamp. */
  pos: number;
  ts: number;
  /** End position of the last frame placed. */
  end: number;
}

export class RecordingTimeline {
  readonly channels: 1 | 2;
  readonly sampleRate: number;
  private readonly startMs: number;
  private readonly jitter: number;
  private readonly resync: number;
  private readonly capacity: number;
  /**
   * Interleaved samples for positions [base, base + capacity), as a ring: position p lives at
   * frame `p % capacity` (no copying when the window moves).
   */
  private readonly buffer: Int16Array;
  private base = 0;
  /** Highest position any frame reached: the end of the recording so far. */
  private high = 0;
  private readonly anchors: ChannelAnchor[];
  /** Muted position ranges (pause, hold); `mutedFrom` ≥ 0 while a mute is open. */
  private mutes: Array<[number, number]> = [];
  private mutedFrom = -1;

  constructor(options: TimelineOptions) {
    this.channels = options.channels;
    this.sampleRate = options.sampleRate ?? 8000;
    this.startMs = options.startMs;
    this.jitter = this.toSamples(options.jitterMs ?? 200);
    this.resync = this.toSamples(options.resyncMs ?? 120);
    this.capacity = this.toSamples(options.capacityMs ?? 4000);
    this.buffer = new Int16Array(this.capacity * this.channels);
    this.anchors = Array.from({ length: this.channels }, () => ({ anchored: false, pos: 0, ts: 0, end: 0 }));
  }

  /** Position of an arrival time on the timeline. */
  positionAt(ms: number): number {
    return Math.max(0, this.toSamples(ms - this.startMs));
  }

  get writtenSamples(): number {
    return this.base;
  }

  get endPosition(): number {
    return this.high;
  }

  /**
   * Places one frame. `onOverflow` receives spans that must be written early because the
   * frame lies beyond the buffered window. Returns the frame's position.
   */
  place(channel: number, pcm: Int16Array, arrivalMs: number, rtpTimestamp: number | undefined,
    onOverflow: (span: Int16Array) => void): number {
    const pos = this.framePosition(this.anchors[channel], pcm.length, arrivalMs, rtpTimestamp);
    const end = pos + pcm.length;
    if (end > this.base + this.capacity) onOverflow(this.take(end - this.capacity));
    if (end > this.high) this.high = end;
    const from = Math.max(pos, this.base);
    const c = this.channels;
    const cap = this.capacity;
    const buf = this.buffer;
    let slot = from % cap;
    for (let p = from; p < end; p++) {
      buf[slot * c + channel] = pcm[p - pos];
      if (++slot === cap) slot = 0;
    }
    if (this.mutes.length > 0 || this.mutedFrom >= 0) this.silenceMuted(from, end, channel);
    return pos;
  }

  /**
   * `place` for G.711 straight from a packet: `src[start, end)` decoded through `table` into the
   * timeline (the packet path: no intermediate PCM frame).
   */
  placeG711(channel: number, table: Int16Array, src: Uint8Array, start: number, end: number, arrivalMs: number,
    rtpTimestamp: number | undefined, onOverflow: (span: Int16Array) => void): number {
    const length = end - start;
    const pos = this.framePosition(this.anchors[channel], length, arrivalMs, rtpTimestamp);
    const fEnd = pos + length;
    if (fEnd > this.base + this.capacity) onOverflow(this.take(fEnd - this.capacity));
    if (fEnd > this.high) this.high = fEnd;
    const from = Math.max(pos, this.base);
    const c = this.channels;
    const cap = this.capacity;
    const buf = this.buffer;
    let slot = from % cap;
    for (let p = from, i = start + (from - pos); p < fEnd; p++, i++) {
      buf[slot * c + channel] = table[src[i]];
      if (++slot === cap) slot = 0;
    }
    if (this.mutes.length > 0 || this.mutedFrom >= 0) this.silenceMuted(from, fEnd, channel);
    return pos;
  }

  private framePosition(a: ChannelAnchor, length: number, arrivalMs: number, ts: number | undefined): number {
    const arrival = this.positionAt(arrivalMs);
    let pos: number;
    if (ts === undefined) {
      // Without timestamps, frames follow each other unless arrival says otherwise.
      pos = a.anchored && Math.abs(a.end - arrival) <= this.resync ? a.end : arrival;
    } else {
      pos = a.anchored ? a.pos + ((ts - a.ts) | 0) : arrival;
      // RTP only places frames within one stream; it never outvotes the arrival clock by
      // more than the jitter a network can cause.
      if (!a.anchored || Math.abs(pos - arrival) > this.resync) {
        pos = arrival;
        a.pos = arrival;
        a.ts = ts;
      }
    }
    a.anchored = true;
    a.end = pos + length;
    return pos;
  }

  /** Starts muting (pause or hold): from now on, audio is replaced by silence. */
  mute(nowMs: number): void {
    if (this.mutedFrom < 0) this.mutedFrom = this.positionAt(nowMs);
    this.silenceMuted(this.mutedFrom, this.base + this.capacity, -1);
  }

  unmute(nowMs: number): void {
    if (this.mutedFrom < 0) return;
    this.mutes.push([this.mutedFrom, this.positionAt(nowMs)]);
    this.mutedFrom = -1;
  }

  get muted(): boolean {
    return this.mutedFrom >= 0;
  }

  private silenceMuted(from: number, end: number, channel: number): void {
    const ranges = this.mutedFrom >= 0 ? [...this.mutes, [this.mutedFrom, Infinity] as [number, number]] : this.mutes;
    for (const [mFrom, mTo] of ranges) {
      const lo = Math.max(from, mFrom, this.base);
      const hi = Math.min(end, mTo, this.base + this.capacity);
      for (let p = lo; p < hi; p++) {
        const at = (p % this.capacity) * this.channels;
        if (channel < 0) for (let c = 0; c < this.channels; c++) this.buffer[at + c] = 0;
        else this.buffer[at + channel] = 0;
      }
    }
  }

  /** Spans that no late frame can change any more (older than the jitter allowance). */
  takeSettled(nowMs: number): Int16Array {
    // Time that passed is part of the recording even when nobody sent audio (hold, gaps).
    return this.take(this.positionAt(nowMs) - this.jitter);
  }

  /** Everything up to the end of the recording (at stop). */
  takeAll(nowMs: number): Int16Array {
    return this.take(Math.max(this.high, this.positionAt(nowMs)));
  }

  /**
   * Returns interleaved samples for [base, until) — silence where no frame landed — and moves
   * the window forward. The returned array is a copy the caller may keep.
   */
  private take(until: number): Int16Array {
    if (until <= this.base) return new Int16Array(0);
    const c = this.channels;
    const cap = this.capacity;
    const n = until - this.base;
    const out = new Int16Array(n * c);
    // The buffered part (at most one ring) is copied out and cleared for the positions that
    // will reuse its slots; anything beyond it was never buffered and stays silence.
    const inBuffer = Math.min(n, cap);
    const start = this.base % cap;
    const first = Math.min(inBuffer, cap - start);
    out.set(this.buffer.subarray(start * c, (start + first) * c), 0);
    this.buffer.fill(0, start * c, (start + first) * c);
    if (inBuffer > first) {
      out.set(this.buffer.subarray(0, (inBuffer - first) * c), first * c);
      this.buffer.fill(0, 0, (inBuffer - first) * c);
    }
    this.base = until;
    if (until > this.high) this.high = until;
    this.mutes = this.mutes.filter(([, to]) => to > this.base);
    return out;
  }

  private toSamples(ms: number): number {
    return Math.round((ms * this.sampleRate) / 1000);
  }
}
