// One channel while the box runs: who the carrier or gateway is (addresses trusted and recognised),
// its registration (mode b) or the gateway's (mode c), its health by OPTIONS, its numbers and the calls
// it carries now against its concurrency limit.
import { BlockList, isIP } from 'node:net';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { randomToken, type RandomSource } from '../core/index.ts';
import type { Binding, SipDestination, SipSource, SipStack } from '../index.ts';
import { cidrList, inList, uriHost } from '../transport/index.ts';
import { OptionsPinger } from './options-pinger.ts';
import { RegisterClient } from './register-client.ts';
import type { SipRequester } from './sip-requester.ts';
import {
  REGISTRATION_LABEL, type ChannelConfig, type ChannelHealth, type ChannelNumber, type ChannelRegistration, type RegistrationState,
} from './trunk-types.ts';

export interface ChannelRuntimeDeps {
  stack: SipStack;
  clock: Clock;
  random: RandomSource;
  log: Logger;
  requester: SipRequester;
  pingIntervalMs: number;
  registerRetryMs: number;
  /** Closed stream connections (a gateway's registration flow may be gone). */
  isClosedConnection(id: string): boolean;
  onRegistration(channel: ChannelRuntime, state: RegistrationState, detail: string | null): void;
  onHealth(channel: ChannelRuntime, health: ChannelHealth): void;
}

/** Where requests to the channel's peer go, and the host its Request-URIs name. */
export interface ChannelTarget {
  dest: SipDestination;
  host: string;
}

export class ChannelRuntime {
  numbers: ChannelNumber[] = [];
  activeCalls = 0;
  /** Random per run: marks our registration's Contact (mode b), so the carrier's INVITEs are recognised. */
  readonly lineToken: string;
  readonly register: RegisterClient | null = null;
  readonly pinger: OptionsPinger;
  private carrier: BlockList = new BlockList();
  private carrierDest: SipDestination | null = null;

  constructor(readonly config: ChannelConfig, private readonly deps: ChannelRuntimeDeps) {
    this.lineToken = randomToken(deps.random, 12);
    if (config.mode === 'registerOut' && config.password) {
      const r = config.registerOut;
      this.register = new RegisterClient({
        clock: deps.clock, random: deps.random, log: deps.log.child({ channel: config.name }), requester: deps.requester, lineToken: this.lineToken,
        account: { username: r.username, authUsername: r.authUsername, password: config.password, server: r.server, outboundProxy: r.outboundProxy, port: r.port, transport: r.transport, expires: r.expires },
        retryMs: deps.registerRetryMs,
        onState: (state, detail) => deps.onRegistration(this, state, detail),
      });
    }
    this.pinger = new OptionsPinger({
      clock: deps.clock, random: deps.random, requester: deps.requester, intervalMs: deps.pingIntervalMs,
      target: () => this.target(), onResult: (h) => deps.onHealth(this, h),
    });
  }

  get id(): number {
    return this.config.id;
  }

  get name(): string {
    return this.config.name;
  }

  /** The gateway account (mode c). */
  get accountUsername(): string | null {
    return this.config.mode === 'registerIn' ? this.config.registerIn.username : null;
  }

  async start(): Promise<void> {
    if (!this.config.enabled) return;
    await this.resolveCarrier();
    this.register?.start();
    this.pinger.start();
  }

  async stop(): Promise<void> {
    this.pinger.stop();
    await this.register?.stop();
  }

  /** The carrier's addresses (mode a: its host and trusted IPs; mode b: registrar and proxy). */
  private async resolveCarrier(): Promise<void> {
    const c = this.config;
    const list: string[] = [];
    try {
      if (c.mode === 'publicTrunk') {
        const p = c.publicTrunk;
        this.carrierDest = await this.deps.requester.resolve(p.carrierHost, p.carrierPort, p.transport);
        list.push(this.carrierDest.ip, ...p.trustedIps);
      } else if (c.mode === 'registerOut') {
        const r = c.registerOut;
        this.carrierDest = await this.deps.requester.resolve(r.outboundProxy ?? r.server, r.port, r.transport);
        list.push(this.carrierDest.ip);
        if (r.outboundProxy) list.push((await this.deps.requester.resolve(r.server, r.port, r.transport)).ip);
      }
    } catch (err) {
      this.deps.log.warn({ channel: c.name, err: (err as Error).message }, 'carrier address does not resolve');
    }
    this.carrier = cidrList(list.filter((x) => x.includes('/') || isIP(x.split('/')[0]!)));
  }

  /** Live registrations of the gateway (mode c). */
  gatewayBindings(): Binding[] {
    const user = this.accountUsername;
    return user ? this.deps.stack.location.lookup(user) : [];
  }

  /** Requests from `ip` are the carrier's or the gateway's: exempt from rate limits and bans. */
  trusts(ip: string): boolean {
    if (!this.config.enabled) return false;
    if (this.config.mode === 'registerIn') return this.gatewayBindings().some((b) => b.source.ip === ip);
    return inList(this.carrier, ip);
  }

  /** Whether a request from `source` comes from this channel's peer. */
  isFrom(source: SipSource): boolean {
    if (!this.config.enabled) return false;
    if (this.config.mode !== 'registerIn') return inList(this.carrier, source.ip);
    // A gateway sends from where it registered: the same UDP address, or the same connection.
    return this.gatewayBindings().some((b) =>
      b.source.ip === source.ip && (source.transport === 'udp' ? b.source.port === source.port : b.source.connectionId === source.connectionId || b.source.port === source.port));
  }

  /** Where requests to the peer go: the carrier, our registrar's address, or the gateway's registration. */
  async target(): Promise<ChannelTarget | null> {
    const c = this.config;
    if (c.mode === 'publicTrunk') {
      const dest = this.carrierDest ?? (this.carrierDest = await this.deps.requester.resolve(c.publicTrunk.carrierHost, c.publicTrunk.carrierPort, c.publicTrunk.transport));
      return { dest, host: c.publicTrunk.carrierHost };
    }
    if (c.mode === 'registerOut') {
      const r = c.registerOut;
      const dest = this.register?.destination ?? this.carrierDest ?? (this.carrierDest = await this.deps.requester.resolve(r.outboundProxy ?? r.server, r.port, r.transport));
      return { dest, host: r.server };
    }
    const b = this.gatewayBindings()[0];
    if (!b) return null;
    return { dest: bindingDestination(b, this.deps.isClosedConnection), host: uriHost(b.source.ip) };
  }

  registration(): ChannelRegistration | null {
    const c = this.config;
    if (c.mode === 'registerOut') {
      const state = this.register?.state ?? 'unregistered';
      return { state, label: REGISTRATION_LABEL[state], detail: this.register?.detail ?? null, expiresIn: this.register?.expiresIn() ?? null };
    }
    if (c.mode === 'registerIn') {
      const contacts = this.accountUsername ? this.deps.stack.registrations(this.accountUsername) : [];
      const state: RegistrationState = contacts.length ? 'registered' : 'unregistered';
      return { state, label: REGISTRATION_LABEL[state], detail: null, expiresIn: contacts[0]?.expiresIn ?? null, contacts };
    }
    return null;
  }

  get effectiveNumbers(): ChannelNumber[] {
    return this.numbers.filter((n) => n.state === 'effective');
  }
}

/**
 * Where to reach a registered contact: the flow its REGISTER came on (NAT, RFC 5626 spirit); over TCP/TLS
 * when that connection has closed, the Contact's own address.
 */
export function bindingDestination(b: Binding, isClosed: (connectionId: string) => boolean): SipDestination {
  const s = b.source;
  if (s.transport === 'udp' || (s.connectionId && !isClosed(s.connectionId))) {
    return { transport: s.transport, ip: s.ip, port: s.port, ...(s.connectionId ? { connectionId: s.connectionId } : {}) };
  }
  const uri = b.contact.uri as { host?: string; port?: number };
  const host = (uri.host ?? s.ip).replace(/^\[|\]$/g, '');
  return { transport: s.transport, ip: isIP(host) ? host : s.ip, port: uri.port ?? (s.transport === 'tls' ? 5061 : 5060) };
}
