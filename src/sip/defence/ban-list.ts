// Bans with an expiry, keyed by IP or by user; listed and liftable from the console.
import type { Clock } from '../../platform/clock.ts';
import type { Ban, BanKind, BanReason } from './defence-types.ts';

interface Entry extends Ban {
  /** Monotonic expiry, immune to wall-clock steps. */
  until: number;
}

export const banKey = (kind: BanKind, value: string): string => `${kind}:${value}`;

export class BanList {
  private readonly bans = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  ban(kind: BanKind, value: string, reason: BanReason, ms: number, lastIp: string): Ban {
    const key = banKey(kind, value);
    const entry: Entry = { key, kind, value, reason, since: this.clock.now(), expiresAt: this.clock.now() + ms, lastIp, until: this.clock.monotonic() + ms };
    this.bans.set(key, entry);
    return view(entry);
  }

  isBanned(kind: BanKind, value: string): boolean {
    const e = this.bans.get(banKey(kind, value));
    if (!e) return false;
    if (e.until <= this.clock.monotonic()) {
      this.bans.delete(e.key);
      return false;
    }
    return true;
  }

  lift(key: string): Ban | undefined {
    const e = this.bans.get(key);
    if (!e) return undefined;
    this.bans.delete(key);
    return view(e);
  }

  list(): Ban[] {
    this.sweep();
    return [...this.bans.values()].map(view).sort((a, b) => a.since - b.since);
  }

  /** Removes expired bans; returns them (their end is logged as an unban). */
  sweep(): Ban[] {
    const now = this.clock.monotonic();
    const gone: Ban[] = [];
    for (const e of [...this.bans.values()]) {
      if (e.until <= now) {
        this.bans.delete(e.key);
        gone.push(view(e));
      }
    }
    return gone;
  }
}

function view(e: Entry): Ban {
  return { key: e.key, kind: e.kind, value: e.value, reason: e.reason, since: e.since, expiresAt: e.expiresAt, lastIp: e.lastIp };
}
