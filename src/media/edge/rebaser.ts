// Rewrites a stream's sequence numbers and timestamps onto one continuous output stream of
// a fixed SSRC. When the source changes (new SSRC from the phone, another consumer, a prompt,
// a DTMF event), the output continues: sequence +1, timestamp advanced by the time elapsed,
// and the marker bit flags the new talkspurt. Pure: time comes in as an argument.
import { seqDelta } from '../codec/index.ts';

/** A sequence jump this large within one source is treated as a restart of that source. */
const MAX_SEQ_JUMP = 3000;

export class StreamRebaser {
  /** Output of the last `map` call. */
  seq = 0;
  timestamp = 0;
  marker = false;
  private key = -1;
  private seqOffset = 0;
  private tsOffset = 0;
  private lastInSeq = 0;
  private lastOutSeq: number;
  /** Output timestamp of the newest packet and when it was mapped, for re-basing by elapsed time. */
  private refTs: number;
  private refAtMs = -1;
  /** Where the newest packet's media ends: a new source never starts inside it. */
  private endTs: number;
  private readonly samplesPerMs: number;

  constructor(initialSeq: number, initialTs: number, clockRate = 8000) {
    this.lastOutSeq = (initialSeq - 1) & 0xffff;
    this.refTs = initialTs >>> 0;
    this.endTs = this.refTs;
    this.samplesPerMs = clockRate / 1000;
  }

  get currentKey(): number {
    return this.key;
  }

  /** The next packet starts a new source even if its key is the current one (the path changed). */
  restart(): void {
    this.key = -1;
  }

  /**
   * Maps one packet of source `key`. `mediaEnd` is how far (in samples past `ts`) this packet
   * carries the timeline — its sample count for audio, the duration so far for a
   * telephone-event packet (whose timestamp stays at the event's start). Returns true when
   * the source changed.
   */
  map(key: number, seq: number, ts: number, nowMs: number, mediaEnd = 0): boolean {
    let rebased = false;
    if (key !== this.key || Math.abs(seqDelta(seq, this.lastInSeq)) > MAX_SEQ_JUMP) {
      let start = this.refTs;
      if (this.refAtMs >= 0) {
        start = (this.refTs + Math.max(1, Math.round((nowMs - this.refAtMs) * this.samplesPerMs))) >>> 0;
        if (((this.endTs - start) | 0) > 0) start = this.endTs;
      }
      this.seqOffset = (this.lastOutSeq + 1 - seq) & 0xffff;
      this.tsOffset = (start - ts) >>> 0;
      this.key = key;
      this.lastInSeq = seq;
      rebased = true;
    }
    this.seq = (seq + this.seqOffset) & 0xffff;
    this.timestamp = (ts + this.tsOffset) >>> 0;
    this.marker = rebased;
    // Only packets newer than the newest so far move the references (reordering is kept).
    if (rebased || seqDelta(seq, this.lastInSeq) >= 0) {
      this.lastInSeq = seq;
      this.lastOutSeq = this.seq;
      this.refTs = this.timestamp;
      this.endTs = (this.timestamp + mediaEnd) >>> 0;
      this.refAtMs = nowMs;
    }
    return rebased;
  }
}
