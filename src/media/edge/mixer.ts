// Mixes decoded G.711 from several sources (two consumers on the relay socket for whisper or
// barge, a prompt over the conversation) into one 20 ms frame: summed, then clipped.
import { clip16 } from '../codec/index.ts';

interface SourceQueue {
  frames: Int16Array[];
  /** Partial frame being filled when packets are not 20 ms long. */
  fill: number;
  idleTicks: number;
}

export class PcmMixer {
  private readonly sources = new Map<number, SourceQueue>();
  private readonly acc: Int32Array;
  private readonly pool: Int16Array[] = [];

  constructor(
    readonly frameSamples = 160,
    /** Frames kept per source; older ones are dropped (bounded latency). */
    private readonly maxQueue = 4,
    /** A source silent for this many mix ticks is forgotten. */
    private readonly idleLimit = 25,
  ) {
    this.acc = new Int32Array(frameSamples);
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  /** Queues decoded samples of one source (any length). */
  push(source: number, pcm: Int16Array): void {
    let q = this.sources.get(source);
    if (!q) {
      q = { frames: [], fill: this.frameSamples, idleTicks: 0 };
      this.sources.set(source, q);
    }
    q.idleTicks = 0;
    for (let i = 0; i < pcm.length; i++) {
      if (q.fill === this.frameSamples) {
        if (q.frames.length === this.maxQueue) this.pool.push(q.frames.shift() as Int16Array);
        q.frames.push(this.pool.pop() ?? new Int16Array(this.frameSamples));
        q.fill = 0;
      }
      q.frames[q.frames.length - 1][q.fill++] = pcm[i];
    }
  }

  /**
   * Produces the next frame into `out`: one complete frame from each source that has one.
   * Returns how many sources contributed (0 = nothing to send).
   */
  mix(out: Int16Array): number {
    this.acc.fill(0);
    let used = 0;
    for (const [id, q] of this.sources) {
      const complete = q.fill === this.frameSamples ? q.frames.length : q.frames.length - 1;
      if (complete <= 0) {
        if (++q.idleTicks > this.idleLimit) this.sources.delete(id);
        continue;
      }
      const frame = q.frames.shift() as Int16Array;
      for (let i = 0; i < this.frameSamples; i++) this.acc[i] += frame[i];
      this.pool.push(frame);
      used++;
    }
    for (let i = 0; i < this.frameSamples; i++) out[i] = clip16(this.acc[i]);
    return used;
  }

  remove(source: number): void {
    this.sources.delete(source);
  }

  clear(): void {
    this.sources.clear();
  }
}
