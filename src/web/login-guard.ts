// Web login lock-out: too many failures for one account or from one address lock both for a while.
import type { Clock } from '../platform/clock.ts';

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginGuard {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly lockMs: number,
  ) {}

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { failures: [], lockedUntil: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Milliseconds left on a lock for the account or the address; 0 when login may be tried. */
  lockedFor(user: string, ip: string): number {
    const now = this.clock.monotonic();
    return Math.max(0, ...[`u:${user.toLowerCase()}`, `ip:${ip}`].map((k) => (this.entries.get(k)?.lockedUntil ?? 0) - now));
  }

  /** Records a failure; returns true when this failure locked the account or the address. */
  fail(user: string, ip: string): boolean {
    const now = this.clock.monotonic();
    let locked = false;
    // An address gets more tries than an account, so one office behind NAT is not locked out by one typo-prone user.
    for (const [k, max] of [[`u:${user.toLowerCase()}`, this.maxFailures], [`ip:${ip}`, this.maxFailures * 4]] as const) {
      const e = this.entry(k);
      e.failures = e.failures.filter((t) => now - t < this.windowMs);
      e.failures.push(now);
      if (e.failures.length >= max) {
        e.lockedUntil = now + this.lockMs;
        e.failures = [];
        locked = true;
      }
    }
    if (this.entries.size > 50_000) this.prune(now);
    return locked;
  }

  succeed(user: string): void {
    this.entries.delete(`u:${user.toLowerCase()}`);
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) if (e.lockedUntil < now && e.failures.every((t) => now - t >= this.windowMs)) this.entries.delete(k);
  }
}
