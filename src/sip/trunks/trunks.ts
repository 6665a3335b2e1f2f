// The running SIP channels: loaded from the store and kept in step with it, their peers trusted by the
// defences, gateway accounts known to the registrar, inbound requests recognised by channel, numbers
// matched, concurrency counted, and the console's status view.
import { isIP } from 'node:net';
import type { Clock } from '../../platform/clock.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { isSipUri, type RandomSource, type SipRequest } from '../core/index.ts';
import type { SipSource, SipStack } from '../index.ts';
import { ChannelRuntime } from './channel-runtime.ts';
import type { ChannelStore } from './channel-store.ts';
import { matchNumber } from './numbers.ts';
import { stackRequester, type SipRequester } from './sip-requester.ts';
import type { ChannelConfig, ChannelHealth, ChannelNumber, ChannelStatus, TrunkEvents } from './trunk-types.ts';

export interface TrunkSettings {
  /** Period of OPTIONS pings per channel (0: only on demand). */
  pingIntervalMs: number;
  /** First retry of a failed carrier registration. */
  registerRetryMs: number;
}

export const DEFAULT_TRUNK_SETTINGS: TrunkSettings = { pingIntervalMs: 60_000, registerRetryMs: 30_000 };

export interface TrunksOptions {
  stack: SipStack;
  store: ChannelStore;
  clock: Clock;
  log: Logger;
  random: RandomSource;
  requester?: SipRequester;
  settings?: Partial<TrunkSettings>;
}

export class Trunks extends TypedEmitter<TrunkEvents> {
  private readonly channels = new Map<number, ChannelRuntime>();
  private readonly closedConnections = new Set<string>();
  private readonly requester: SipRequester;
  private readonly log: Logger;
  readonly settings: TrunkSettings;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: TrunksOptions) {
    super();
    this.log = opts.log.child({ part: 'trunks' });
    this.requester = opts.requester ?? stackRequester(opts.stack, opts.random);
    this.settings = { ...DEFAULT_TRUNK_SETTINGS, ...opts.settings };
  }

  async start(): Promise<void> {
    const { stack, store } = this.opts;
    stack.transport.on('closed', (id) => {
      this.closedConnections.add(id);
      if (this.closedConnections.size > 10_000) this.closedConnections.delete(this.closedConnections.values().next().value!);
    });
    stack.setTrustedPeerCheck((ip) => this.trusts(ip));
    stack.location.on('registered', (b) => {
      const ch = this.byAccount(b.extension);
      if (ch) void this.effective(ch);
    });
    store.on('changed', ({ channelId, deleted }) => this.serial(() => this.reload(channelId, deleted)));
    store.on('numbers', ({ channelId }) => this.serial(() => this.reloadNumbers(channelId)));
    for (const config of await store.loadAll()) await this.add(config);
    await this.reloadNumbers();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain.catch(() => undefined);
    await Promise.allSettled([...this.channels.values()].map((c) => c.stop()));
  }

  /** Changes settings at run time (tests shorten the ping period). */
  configure(settings: Partial<TrunkSettings>): void {
    Object.assign(this.settings, settings);
    if (settings.pingIntervalMs !== undefined) for (const c of this.channels.values()) c.pinger.setInterval(settings.pingIntervalMs);
  }

  /** Resolves once the store's changes so far are applied to the running channels. */
  settled(): Promise<void> {
    return this.chain.then(() => undefined, () => undefined);
  }

  private serial(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn, fn).catch((err: unknown) => this.log.error({ err }, 'channel reload failed'));
  }

  private async add(config: ChannelConfig): Promise<ChannelRuntime> {
    const ch = this.create(config);
    this.channels.set(ch.id, ch);
    if (ch.accountUsername && ch.config.password && ch.config.enabled) {
      // The registrar authenticates the gateway like a phone (its username is never an extension).
      this.opts.stack.credentials.apply({ kind: 'upsert', credential: { phoneId: -ch.id, extension: ch.accountUsername, password: ch.config.password } });
    }
    if (!this.stopped) await ch.start();
    return ch;
  }

  private create(config: ChannelConfig): ChannelRuntime {
    return new ChannelRuntime(config, {
      stack: this.opts.stack, clock: this.opts.clock, random: this.opts.random, log: this.log, requester: this.requester,
      pingIntervalMs: this.settings.pingIntervalMs, registerRetryMs: this.settings.registerRetryMs,
      isClosedConnection: (id) => this.closedConnections.has(id),
      onRegistration: (ch, state, detail) => {
        this.safeEmit('registration', { channelId: ch.id, state, detail });
        if (state === 'registered') void this.effective(ch);
      },
      onHealth: (ch, health) => this.onHealth(ch, health),
    });
  }

  private onHealth(ch: ChannelRuntime, health: ChannelHealth): void {
    this.safeEmit('health', { channelId: ch.id, state: health.state });
    if (health.state === 'up') void this.effective(ch);
  }

  /** The line answered: its pending numbers become effective. */
  private async effective(ch: ChannelRuntime): Promise<void> {
    if (!ch.numbers.some((n) => n.state === 'pending')) return;
    try {
      const numbers = await this.opts.store.markEffective(ch.id);
      if (numbers.length) this.safeEmit('numbers-effective', { channelId: ch.id, numbers });
    } catch (err) {
      this.log.error({ err, channel: ch.name }, 'numbers could not be made effective');
    }
  }

  /**
   * A channel changed: the new settings take over first (no window in which the carrier's calls are not
   * recognised), then the old runtime stops (its own registration at a carrier removed). A gateway keeps its
   * registration unless its account changed, it was disabled or deleted.
   */
  private async reload(id: number, deleted: boolean): Promise<void> {
    const old = this.channels.get(id);
    const config = deleted || this.stopped ? undefined : await this.opts.store.load(id);
    let fresh: ChannelRuntime | undefined;
    if (config) {
      fresh = await this.add(config);
      // Calls in progress keep counting against the limit.
      if (old) fresh.activeCalls = old.activeCalls;
      await this.reloadNumbers(id);
    } else {
      this.channels.delete(id);
    }
    if (!old) return;
    await old.stop();
    const user = old.accountUsername;
    const sameAccount = fresh && fresh.config.enabled && fresh.accountUsername === user && fresh.config.password === old.config.password;
    if (user && !sameAccount) {
      if (!fresh || fresh.accountUsername !== user || !fresh.config.enabled) this.opts.stack.credentials.apply({ kind: 'delete', extension: user });
      this.opts.stack.location.removeAll(user, 'removed');
    }
  }

  private async reloadNumbers(channelId?: number): Promise<void> {
    const all = await this.opts.store.allNumbers();
    for (const ch of this.channels.values()) {
      if (channelId === undefined || ch.id === channelId) ch.numbers = all.filter((n) => n.channelId === ch.id);
    }
  }

  /** A stream connection that has closed (a registration's flow may be gone). */
  isClosedConnection(id: string): boolean {
    return this.closedConnections.has(id);
  }

  channel(id: number): ChannelRuntime | undefined {
    return this.channels.get(id);
  }

  list(): ChannelRuntime[] {
    return [...this.channels.values()];
  }

  private byAccount(username: string): ChannelRuntime | undefined {
    return this.list().find((c) => c.accountUsername === username);
  }

  /** Trunk and gateway peers: exempt from the defences' rate limits and bans. */
  trusts(ip: string): boolean {
    for (const c of this.channels.values()) if (c.trusts(ip)) return true;
    return false;
  }

  /**
   * The channel a request arrived on: a Request-URI carrying one of our registrations' line tokens, else
   * a source that is a public trunk's carrier, a registered gateway, or a registrar we registered to.
   * Phones are never recognised here (they are authenticated instead).
   */
  identify(req: SipRequest, source: SipSource): ChannelRuntime | undefined {
    const line = isSipUri(req.uri) ? req.uri.params.get('line') : undefined;
    const enabled = this.list().filter((c) => c.config.enabled);
    if (line) {
      const byToken = enabled.find((c) => c.lineToken === line);
      if (byToken) return byToken;
    }
    return enabled.find((c) => c.config.mode === 'publicTrunk' && c.isFrom(source))
      ?? enabled.find((c) => c.config.mode === 'registerIn' && c.isFrom(source))
      ?? enabled.find((c) => c.config.mode === 'registerOut' && c.isFrom(source));
  }

  /** Our number a called user names (any channel), by national key. */
  findNumber(called: string): { number: ChannelNumber; channel: ChannelRuntime } | undefined {
    for (const ch of this.channels.values()) {
      const number = matchNumber(called, ch.numbers);
      if (number) return { number, channel: ch };
    }
    return undefined;
  }

  /** Takes one call slot of the channel, or null when it is full (the caller answers 503). */
  acquire(ch: ChannelRuntime): (() => void) | null {
    const live = this.channels.get(ch.id) ?? ch;
    if (live.activeCalls >= live.config.maxCalls) return null;
    live.activeCalls++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = this.channels.get(ch.id) ?? live;
      now.activeCalls = Math.max(0, now.activeCalls - 1);
    };
  }

  /** Channels that can carry an outbound call now: enabled, with an effective number, not full. */
  outboundCandidates(): ChannelRuntime[] {
    return this.list().filter((c) => c.config.enabled && c.effectiveNumbers.length > 0 && c.activeCalls < c.config.maxCalls);
  }

  /** Pings a channel now (the console's 检测). */
  async check(id: number): Promise<ChannelHealth | null> {
    const ch = this.channels.get(id);
    return ch ? ch.pinger.checkNow() : null;
  }

  status(id: number): ChannelStatus {
    const ch = this.channels.get(id);
    const listening = this.opts.stack.transport.listening;
    const addr = (t: 'udp' | 'tcp' | 'tls'): string | null => {
      const l = listening.find((x) => x.transport === t);
      if (!l) return null;
      // As the peer sees us: the carrier from its own address; a gateway from the LAN; other carriers from outside.
      const peer = ch?.config.mode === 'publicTrunk' ? ch.config.publicTrunk.carrierHost : ch?.config.mode === 'registerIn' ? '192.168.0.1' : '192.0.2.1';
      const a = this.opts.stack.advertisedFor({ transport: t, ip: isIP(peer) ? peer : '192.0.2.1' });
      return `${a.host}:${a.port || l.port}`;
    };
    return {
      registration: ch?.registration() ?? null,
      health: ch?.pinger.health ?? { state: 'unknown', lastCheckedAt: null, rttMs: null, detail: null },
      activeCalls: ch?.activeCalls ?? 0,
      boxAddress: { udp: addr('udp'), tcp: addr('tcp'), tls: addr('tls') },
    };
  }
}

