// The location service (RFC 3261 10): extension → registered contacts, kept in memory and swept as
// they expire. Events let the ACD and the console follow phones coming and going.
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { TypedEmitter } from '../../platform/events.ts';
import { uriHost } from '../transport/index.ts';
import type { Binding, LocationEvents, RegistrationView } from './registrar-types.ts';

const SWEEP_MS = 1000;

export class LocationService extends TypedEmitter<LocationEvents> {
  private readonly byExtension = new Map<string, Map<string, Binding>>();
  private readonly sweeper: TimerHandle;

  constructor(private readonly clock: Clock) {
    super();
    this.sweeper = clock.setInterval(() => this.sweep(), SWEEP_MS);
  }

  /** Live bindings of an extension, highest q first, then most recent. */
  lookup(extension: string): Binding[] {
    const now = this.clock.monotonic();
    const list = [...(this.byExtension.get(extension)?.values() ?? [])].filter((b) => b.expiresAtMono > now);
    return list.sort((a, b) => (b.contact.q ?? 1) - (a.contact.q ?? 1) || b.registeredAt - a.registeredAt);
  }

  get(extension: string, contactUri: string): Binding | undefined {
    const b = this.byExtension.get(extension)?.get(contactUri);
    return b && b.expiresAtMono > this.clock.monotonic() ? b : undefined;
  }

  put(binding: Binding): void {
    let map = this.byExtension.get(binding.extension);
    if (!map) this.byExtension.set(binding.extension, (map = new Map()));
    map.set(binding.contactUri, binding);
    this.safeEmit('registered', binding);
  }

  remove(extension: string, contactUri: string, why: 'unregister' | 'expired' | 'removed'): void {
    const map = this.byExtension.get(extension);
    const b = map?.get(contactUri);
    if (!map || !b) return;
    map.delete(contactUri);
    if (map.size === 0) this.byExtension.delete(extension);
    this.safeEmit('unregistered', b, why);
  }

  removeAll(extension: string, why: 'unregister' | 'removed'): void {
    for (const b of this.lookup(extension)) this.remove(extension, b.contactUri, why);
    this.byExtension.delete(extension);
  }

  /** Whether `ip` holds a live binding of the extension (a banned user's own phone keeps working). */
  hasBindingFrom(extension: string, ip: string): boolean {
    return this.lookup(extension).some((b) => b.source.ip === ip);
  }

  /** What the console shows for an extension. */
  view(extension: string): RegistrationView[] {
    const now = this.clock.monotonic();
    return this.lookup(extension).map((b) => ({
      contact: b.contactUri,
      transport: b.source.transport,
      address: `${uriHost(b.source.ip)}:${b.source.port}`,
      userAgent: b.userAgent,
      expiresAt: b.expiresAt,
      expiresIn: Math.max(0, Math.round((b.expiresAtMono - now) / 1000)),
      registeredAt: b.registeredAt,
    }));
  }

  get size(): number {
    let n = 0;
    for (const m of this.byExtension.values()) n += m.size;
    return n;
  }

  sweep(): void {
    const now = this.clock.monotonic();
    for (const [ext, map] of [...this.byExtension]) {
      for (const b of [...map.values()]) if (b.expiresAtMono <= now) this.remove(ext, b.contactUri, 'expired');
    }
  }

  stop(): void {
    this.clock.clearInterval(this.sweeper);
  }
}
