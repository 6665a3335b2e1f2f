// RFC 4028 on one leg: when we are the refresher, a refresh at half the interval; when the peer is,
// a BYE if no refresh came by the interval minus min(32 s, interval/3). Re-armed on every refresh.
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { expiryDelayMs, refreshDelayMs } from '../core/index.ts';

export class SessionTimerRunner {
  private timer: TimerHandle | undefined;
  interval = 0;
  weRefresh = false;
  active = false;

  constructor(private readonly clock: Clock, private readonly actions: { refresh(): Promise<void> | void; expire(): void }) {}

  /** (Re)starts the timer for a negotiated interval (s); `weRefresh` when this side sends the refreshes. */
  start(intervalSeconds: number, weRefresh: boolean): void {
    this.stop();
    this.active = true;
    this.interval = intervalSeconds;
    this.weRefresh = weRefresh;
    if (weRefresh) {
      this.timer = this.clock.setTimeout(() => void this.actions.refresh(), refreshDelayMs(intervalSeconds));
    } else {
      this.timer = this.clock.setTimeout(() => this.actions.expire(), expiryDelayMs(intervalSeconds));
    }
  }

  stop(): void {
    this.active = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
