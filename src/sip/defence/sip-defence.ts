// The gate every incoming SIP message passes: trusted peers through; banned sources, scanners and
// floods dropped without a reply; failed authentications counted into bans. One security log line
// per event (src/platform/logger.ts format, matched by systemd/fail2ban-ccbox.conf).
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { logSecurity, type Logger } from '../../platform/logger.ts';
import { BanList, banKey } from './ban-list.ts';
import { type Admission, type Ban, DEFAULT_DEFENCE, type DefenceSettings } from './defence-types.ts';
import { isScannerUserAgent } from './scanners.ts';
import { SlidingWindow } from './sliding-window.ts';

export interface DefenceOptions {
  clock: Clock;
  log: Logger;
  settings?: Partial<DefenceSettings>;
  /** Trunk and gateway peers: never rate-limited or banned. The trunk part fills this in. */
  isTrustedPeer?: (ip: string) => boolean;
  /**
   * Whether `ip` holds a live registration of `user`. A banned user is still served from the
   * address its phone is registered from, so an attacker cannot lock a working phone out.
   */
  hasBindingFrom?: (user: string, ip: string) => boolean;
}

/** What the gate needs to know of a request. */
export interface GateInput {
  ip: string;
  isRequest: boolean;
  userAgent?: string;
  /** The user the request claims (Authorization username, else the To user of a REGISTER). */
  user?: string;
}

const SWEEP_MS = 10_000;
/** One scanner log line per address per this period, so a scan cannot flood the journal. */
const SCANNER_LOG_MS = 60_000;

export class SipDefence {
  readonly settings: DefenceSettings;
  readonly bans: BanList;
  private readonly rate: SlidingWindow;
  private readonly ipFailures: SlidingWindow;
  private readonly userFailures: SlidingWindow;
  private readonly scannerLogged = new Map<string, number>();
  private readonly sweeper: TimerHandle;
  isTrustedPeer: (ip: string) => boolean;

  constructor(private readonly opts: DefenceOptions) {
    this.settings = { ...DEFAULT_DEFENCE, ...opts.settings };
    this.bans = new BanList(opts.clock);
    this.rate = new SlidingWindow(this.settings.rateWindowMs);
    this.ipFailures = new SlidingWindow(this.settings.authFailWindowMs);
    this.userFailures = new SlidingWindow(this.settings.authFailWindowMs);
    this.isTrustedPeer = opts.isTrustedPeer ?? (() => false);
    this.sweeper = opts.clock.setInterval(() => this.sweep(), SWEEP_MS);
  }

  /** Decides whether a message is processed at all. 'drop' means: no reply, nothing else. */
  admit(input: GateInput): Admission {
    const { ip } = input;
    if (this.isTrustedPeer(ip)) return 'pass';
    if (this.bans.isBanned('ip', ip)) return 'drop';
    if (!input.isRequest) return 'pass';
    if (isScannerUserAgent(input.userAgent)) {
      this.logScanner(ip, input.userAgent!);
      return 'drop';
    }
    const now = this.opts.clock.monotonic();
    if (this.rate.hit(ip, now) > this.settings.rateMaxRequests) {
      logSecurity(this.opts.log, 'rate-limit', 'sip', ip, input.user ?? '', `over ${this.settings.rateMaxRequests} requests in ${this.settings.rateWindowMs} ms`);
      this.banNow('ip', ip, 'rate-limit', ip, input.user ?? '');
      this.rate.clear(ip);
      return 'drop';
    }
    if (input.user && this.bans.isBanned('user', input.user) && !this.opts.hasBindingFrom?.(input.user, ip)) return 'drop';
    return 'pass';
  }

  /** A request carried credentials that did not verify (wrong password or unknown user). */
  authFailed(ip: string, user: string, detail: string): void {
    logSecurity(this.opts.log, 'auth-failure', 'sip', ip, user, detail);
    if (this.isTrustedPeer(ip)) return;
    const now = this.opts.clock.monotonic();
    if (this.ipFailures.hit(ip, now) >= this.settings.authFailMax && !this.bans.isBanned('ip', ip)) {
      this.banNow('ip', ip, 'auth-failures', ip, user);
      this.ipFailures.clear(ip);
    }
    if (user && this.userFailures.hit(user, now) >= this.settings.authFailMax && !this.bans.isBanned('user', user)) {
      this.banNow('user', user, 'auth-failures', ip, user);
      this.userFailures.clear(user);
    }
  }

  listBans(): Ban[] {
    return this.bans.list();
  }

  /** Lifts a ban (console); logs the unban. */
  lift(key: string, by = 'console'): Ban | undefined {
    const ban = this.bans.lift(key);
    if (ban) {
      logSecurity(this.opts.log, 'unban', 'sip', ban.lastIp, ban.kind === 'user' ? ban.value : '', `${ban.key} lifted by ${by}`);
      if (ban.kind === 'ip') {
        this.ipFailures.clear(ban.value);
        this.rate.clear(ban.value);
      } else this.userFailures.clear(ban.value);
    }
    return ban;
  }

  isBanned(key: string): boolean {
    const [kind, ...rest] = key.split(':');
    return (kind === 'ip' || kind === 'user') && this.bans.isBanned(kind, rest.join(':'));
  }

  stop(): void {
    this.opts.clock.clearInterval(this.sweeper);
  }

  private banNow(kind: 'ip' | 'user', value: string, reason: Ban['reason'], ip: string, user: string): void {
    this.bans.ban(kind, value, reason, this.settings.banMs, ip);
    logSecurity(this.opts.log, 'ban', 'sip', ip, user, `${banKey(kind, value)} ${reason} for ${Math.round(this.settings.banMs / 1000)} s`);
  }

  private logScanner(ip: string, ua: string): void {
    const now = this.opts.clock.monotonic();
    const last = this.scannerLogged.get(ip);
    if (last !== undefined && now - last < SCANNER_LOG_MS) return;
    this.scannerLogged.set(ip, now);
    logSecurity(this.opts.log, 'scanner', 'sip', ip, '', `user agent ${ua}`);
  }

  private sweep(): void {
    const now = this.opts.clock.monotonic();
    this.rate.sweep(now);
    this.ipFailures.sweep(now);
    this.userFailures.sweep(now);
    for (const [ip, at] of this.scannerLogged) if (now - at >= SCANNER_LOG_MS) this.scannerLogged.delete(ip);
    for (const ban of this.bans.sweep()) logSecurity(this.opts.log, 'unban', 'sip', ban.lastIp, ban.kind === 'user' ? ban.value : '', `${ban.key} expired`);
  }
}
