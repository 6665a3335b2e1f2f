// A 20 ms frame clock scheduled against the clock's absolute time: slot n is due at
// origin + n·period, so late timers never accumulate into drift. After a long stall it skips
// the lag rather than bursting a backlog of frames at the peer.
import type { Clock, TimerHandle } from '../../platform/clock.ts';

/** Called for each due slot; return false to stop the clock. */
export type SlotHandler = (slot: number) => boolean;

export class FrameClock {
  private origin = 0;
  private next = 0;
  private timer: TimerHandle | undefined;
  private handler: SlotHandler | undefined;
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    readonly periodMs = 20,
    private readonly maxCatchUp = 5,
  ) {}

  get running(): boolean {
    return this.handler !== undefined;
  }

  /** Starts at slot 0, due now (run from a timer so callers can attach listeners first). */
  start(handler: SlotHandler): void {
    this.stop();
    this.handler = handler;
    this.origin = this.clock.monotonic();
    this.next = 0;
    this.arm(0);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.handler = undefined;
    this.generation++;
  }

  private arm(delay: number): void {
    const generation = this.generation;
    this.timer = this.clock.setTimeout(() => {
      if (generation === this.generation) this.run();
    }, Math.max(0, delay));
  }

  private run(): void {
    this.timer = undefined;
    const now = this.clock.monotonic();
    let due = Math.floor((now - this.origin) / this.periodMs) + 1;
    if (due - this.next > this.maxCatchUp) {
      // Stalled (GC pause, busy thread): move the schedule instead of sending a burst.
      this.origin += (due - this.next - 1) * this.periodMs;
      due = this.next + 1;
    }
    const generation = this.generation;
    while (this.next < due) {
      const slot = this.next++;
      const handler = this.handler;
      if (!handler) return;
      if (!handler(slot)) {
        if (generation === this.generation) this.stop();
        return;
      }
      if (generation !== this.generation) return; // the handler stopped or restarted us
    }
    this.arm(this.origin + this.next * this.periodMs - now);
  }
}
