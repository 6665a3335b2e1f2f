// The SIP transports behind one interface: UDP and TCP on the SIP port, TLS on the TLS port, each on
// every bound address (IPv4 and IPv6); one event stream in, one send() out, and the address to
// advertise in Via and Contact for any destination.
import { TypedEmitter } from '../../platform/events.ts';
import type { SipMessage } from '../core/index.ts';
import { uriHost } from './addresses.ts';
import { AddressSelector } from './nat.ts';
import { StreamTransport } from './stream-transport.ts';
import type { ListeningAddress, SipDestination, SipSource, TlsOptions, TransportEvents, TransportOptions, TransportProtocol } from './transport-types.ts';
import { UdpTransport, type DatagramFilter } from './udp-transport.ts';

export interface TransportLayerOptions extends TransportOptions {
  /** Addresses to bind (e.g. ['0.0.0.0', '::'] or ['127.0.0.1']). */
  hosts: string[];
  /** UDP and TCP port; 0 picks a free one shared by both. */
  port: number;
  /** TLS port; 0 picks a free one. null disables TLS. */
  tlsPort: number | null;
  tls?: TlsOptions;
  externalAddress: string | null;
  localNetworks: readonly string[];
}

/** Our side as a peer must see it: the host for Via sent-by and Contact, and the port. */
export interface AdvertisedAddress {
  transport: TransportProtocol;
  /** IP as a URI host (IPv6 in brackets). */
  host: string;
  ip: string;
  port: number;
}

/** The one interface the stack talks to (UDP, TCP and TLS behind it). */
export interface SipTransport {
  listen(): Promise<void>;
  send(message: SipMessage | Buffer, dest: SipDestination): Promise<void>;
  close(): Promise<void>;
  readonly listening: ListeningAddress[];
  on<K extends keyof TransportEvents & string>(event: K, fn: (...args: TransportEvents[K]) => void): unknown;
}

export class TransportLayer extends TypedEmitter<TransportEvents> implements SipTransport {
  private readonly udp: UdpTransport;
  private readonly tcp: StreamTransport;
  private readonly tls?: StreamTransport;
  private selector!: AddressSelector;

  constructor(private readonly opts: TransportLayerOptions) {
    super();
    this.udp = new UdpTransport(opts);
    this.tcp = new StreamTransport('tcp', opts);
    if (opts.tlsPort !== null && opts.tls) this.tls = new StreamTransport('tls', opts, opts.tls);
    for (const t of [this.udp, this.tcp, this.tls]) {
      if (!t) continue;
      t.on('message', (m, s) => this.safeEmit('message', m, s));
      t.on('malformed', (e, s) => this.safeEmit('malformed', e, s));
      t.on('keepAlive', (s) => this.safeEmit('keepAlive', s));
      t.on('closed', (id, r) => this.safeEmit('closed', id, r));
      t.on('tlsFailure', (ip, r) => this.safeEmit('tlsFailure', ip, r));
    }
  }

  async listen(): Promise<void> {
    // UDP and TCP share a port number (one sent-by for both); with port 0 retry until both get it.
    for (let attempt = 0; ; attempt++) {
      const port = await this.udp.listen(this.opts.hosts, this.opts.port);
      try {
        await this.tcp.listen(this.opts.hosts, port);
        break;
      } catch (err) {
        await this.udp.close();
        await this.tcp.close();
        if (this.opts.port !== 0 || attempt >= 20) throw err;
      }
    }
    if (this.tls) await this.tls.listen(this.opts.hosts, this.opts.tlsPort!);
    this.selector = new AddressSelector({ boundIps: this.opts.hosts, externalAddress: this.opts.externalAddress, localNetworks: this.opts.localNetworks });
  }

  get listening(): ListeningAddress[] {
    return [...this.udp.listening, ...this.tcp.listening, ...(this.tls?.listening ?? [])];
  }

  /** A filter tried on every UDP datagram before the parser (the REGISTER lane). */
  setDatagramFilter(filter: DatagramFilter | undefined): void {
    this.udp.setDatagramFilter(filter);
  }

  /** Sends bytes over UDP without a promise (failures logged), from the socket bound to `fromIp` when given. */
  sendDatagram(bytes: Buffer, dest: SipDestination, fromIp?: string): void {
    this.udp.sendDatagram(bytes, dest, fromIp);
  }

  /** New descriptors of the UDP sockets for a lane worker (UdpTransport.duplicateSockets). */
  duplicateUdpSockets(): ReturnType<UdpTransport['duplicateSockets']> {
    return this.udp.duplicateSockets();
  }

  /** A UDP datagram a lane worker passed back: parsed and handled as if read here. */
  receiveForwarded(data: Buffer, source: SipSource): void {
    this.udp.receiveForwarded(data, source);
  }

  /** Port a transport listens on (TLS: the TLS port). */
  portOf(transport: TransportProtocol): number | undefined {
    return this.listening.find((l) => l.transport === transport)?.port;
  }

  async send(message: SipMessage | Buffer, dest: SipDestination): Promise<void> {
    if (dest.transport === 'udp') return this.udp.send(message, dest);
    if (dest.transport === 'tcp') return this.tcp.send(message, dest);
    if (!this.tls) throw new Error('TLS transport is not enabled');
    return this.tls.send(message, dest);
  }

  /** What to write in Via sent-by and Contact for a message to `dest` (NAT-aware). */
  advertisedFor(dest: { transport: TransportProtocol; ip: string }): AdvertisedAddress {
    const ip = this.selector.advertisedIp(dest.ip);
    return { transport: dest.transport, ip, host: uriHost(ip), port: this.portOf(dest.transport) ?? 0 };
  }

  isLocalNetwork(ip: string): boolean {
    return this.selector.isLocal(ip);
  }

  connectionCount(transport: 'tcp' | 'tls'): number {
    return (transport === 'tcp' ? this.tcp : this.tls)?.connectionCount ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp.close(), this.tls?.close()]);
  }
}
