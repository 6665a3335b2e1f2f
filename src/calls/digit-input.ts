// The caller's key presses for the IVR: DTMF events of the caller's leg (RFC 2833, in-band, SIP INFO —
// the media core merges them) kept in arrival order, so keys typed ahead are not lost, with waits on the
// call's clock. A key that stopped a prompt is consumed by that prompt (CallControl contract).
import type { CallMedia, CallDtmfEvent } from '../media/index.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';

export class DigitInput {
  private buffer: string[] = [];
  private waiter: ((d: string | null) => void) | null = null;
  private timer: TimerHandle | undefined;
  /** A barge-in digit whose dtmf event has not arrived yet: dropped when it does. */
  private swallow: string | null = null;
  private readonly onDtmf = (e: CallDtmfEvent): void => this.push(e);
  /** Called for every key kept in the buffer (a prompt in progress stops on it). */
  onKey: (() => void) | null = null;

  constructor(
    private readonly media: CallMedia,
    private readonly legId: string,
    private readonly clock: Clock,
  ) {
    media.on('dtmf', this.onDtmf);
  }

  private push(e: CallDtmfEvent): void {
    if (e.legId !== this.legId) return;
    if (this.swallow !== null) {
      const s = this.swallow;
      this.swallow = null;
      if (s === e.digit) return;
    }
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      this.clock.clearTimeout(this.timer);
      w(e.digit);
    } else {
      this.buffer.push(e.digit);
      this.onKey?.();
    }
  }

  /** Keys waiting to be read. */
  get pending(): number {
    return this.buffer.length;
  }

  /** The oldest key typed ahead, if any. */
  take(): string | null {
    return this.buffer.shift() ?? null;
  }

  /** Removes and returns the key at `index` (the first one typed after a mark). */
  takeAt(index: number): string | null {
    return this.buffer.splice(index, 1)[0] ?? null;
  }

  /** Marks where a prompt started, so the key that stops it can be consumed (see `consumed`). */
  mark(): number {
    return this.buffer.length;
  }

  /** A prompt was stopped by `digit`: its dtmf event (already buffered after `mark`, or still to come) is not input. */
  consumed(digit: string, mark: number): void {
    const i = this.buffer.indexOf(digit, mark);
    if (i >= 0) this.buffer.splice(i, 1);
    else this.swallow = digit;
  }

  /** Forgets keys typed so far (e.g. pressed while talking to an agent). */
  clear(): void {
    this.buffer = [];
    this.swallow = null;
  }

  /** The next key within `timeoutMs`, or null. Rejects never: a hang-up is the caller's to check. */
  next(timeoutMs: number, signal: AbortSignal): Promise<string | null> {
    const d = this.take();
    if (d !== null) return Promise.resolve(d);
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (v: string | null): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onAbort = (): void => {
        if (this.waiter !== done) return;
        this.waiter = null;
        this.clock.clearTimeout(this.timer);
        done(null);
      };
      this.waiter = done;
      this.timer = this.clock.setTimeout(() => {
        if (this.waiter !== done) return;
        this.waiter = null;
        done(null);
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    this.media.off('dtmf', this.onDtmf);
    this.clock.clearTimeout(this.timer);
    const w = this.waiter;
    this.waiter = null;
    w?.(null);
  }
}
