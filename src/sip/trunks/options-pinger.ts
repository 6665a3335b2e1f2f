// Channel health by OPTIONS pings: any final response means the line answers (even a 401 or 404 —
// the peer is there), a transaction timeout means it does not.
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { createRequest, newCallId, newTag, type RandomSource } from '../core/index.ts';
import type { SipDestination } from '../index.ts';
import type { SipRequester } from './sip-requester.ts';
import type { ChannelHealth } from './trunk-types.ts';

export interface OptionsPingerOptions {
  clock: Clock;
  random: RandomSource;
  requester: SipRequester;
  /** Where to ping now (null: nothing to ping, e.g. a gateway not registered). */
  target(): Promise<{ dest: SipDestination; host: string } | null>;
  /** 0 disables the periodic pings (checkNow still works). */
  intervalMs: number;
  onResult(health: ChannelHealth): void;
}

export class OptionsPinger {
  private timer: TimerHandle | undefined;
  private inFlight: Promise<ChannelHealth> | null = null;
  private stopped = false;
  health: ChannelHealth = { state: 'unknown', lastCheckedAt: null, rttMs: null, detail: null };

  constructor(private readonly opts: OptionsPingerOptions) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
  }

  setInterval(ms: number): void {
    this.opts.intervalMs = ms;
    this.arm();
  }

  private arm(): void {
    this.opts.clock.clearTimeout(this.timer);
    if (this.stopped || this.opts.intervalMs <= 0) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.checkNow().finally(() => this.arm());
    }, this.opts.intervalMs);
  }

  /** One ping now (a ping already in flight is shared). */
  checkNow(): Promise<ChannelHealth> {
    this.inFlight ??= this.ping().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async ping(): Promise<ChannelHealth> {
    const { clock, requester, random } = this.opts;
    const started = clock.monotonic();
    let health: ChannelHealth;
    try {
      const target = await this.opts.target();
      if (!target) {
        health = { state: 'down', lastCheckedAt: clock.now(), rttMs: null, detail: 'not registered' };
      } else {
        const { dest, host } = target;
        const me = requester.advertisedFor(dest);
        const req = createRequest({ method: 'OPTIONS', uri: `sip:${host}:${dest.port}${dest.transport === 'udp' ? '' : `;transport=${dest.transport}`}` });
        const h = req.headers;
        h.append('Max-Forwards', '70');
        h.append('From', `<sip:ccbox@${me.host}>;tag=${newTag(random)}`);
        h.append('To', `<sip:${host}>`);
        h.append('Call-ID', newCallId(random));
        h.append('CSeq', '1 OPTIONS');
        h.append('Accept', 'application/sdp');
        const res = await requester.request(req, dest);
        health = { state: 'up', lastCheckedAt: clock.now(), rttMs: Math.round(clock.monotonic() - started), detail: `${res.status} ${res.reason}` };
      }
    } catch (err) {
      health = { state: 'down', lastCheckedAt: clock.now(), rttMs: null, detail: (err as Error).message };
    }
    if (!this.stopped) {
      this.health = health;
      this.opts.onResult(health);
    }
    return health;
  }
}
