// SIP over UDP: one datagram socket per bound address; one datagram is one message (RFC 3261 18.3).
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import { TypedEmitter } from '../../platform/events.ts';
import { isKeepAlive, parseMessage, serializeMessage, SipParseError, type SipMessage } from '../core/index.ts';
import { familyOf, normalizeIp } from './addresses.ts';
import { duplicateUdpFd } from './udp-fd.ts';
import type { ListeningAddress, SipDestination, SipSource, TransportEvents, TransportOptions } from './transport-types.ts';

const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Destinations are IP literals (SipDestination.ip): answered at once rather than on the next tick as
 * dns.lookup does for literals — every datagram sent used to wait a tick for it. Names still go to dns.lookup.
 */
export const literalLookup = ((address: string, options: unknown, callback: (err: Error | null, address: string, family: number) => void): void => {
  const family = isIP(address);
  if (family) return callback(null, address, family);
  (dns.lookup as (h: string, o: unknown, cb: typeof callback) => void)(address, options, callback);
}) as unknown as typeof dns.lookup;

/** Takes a datagram before the general parser (true: handled, nothing more to do). */
export type DatagramFilter = (data: Buffer, source: SipSource) => boolean;

export class UdpTransport extends TypedEmitter<TransportEvents> {
  readonly protocol = 'udp' as const;
  private readonly sockets: { socket: dgram.Socket; ip: string; port: number }[] = [];
  /** Tried on every datagram before the parser; true when it took the datagram (the REGISTER lane). */
  private filter?: DatagramFilter;

  constructor(private readonly opts: TransportOptions) {
    super();
  }

  /** Binds one socket per host on the same port (port 0: the first bind picks, the rest follow). */
  async listen(hosts: string[], port: number): Promise<number> {
    let chosen = port;
    for (const host of hosts) {
      const socket = dgram.createSocket({ type: familyOf(host) === 6 ? 'udp6' : 'udp4', ipv6Only: familyOf(host) === 6, reuseAddr: false, lookup: literalLookup });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: host, port: chosen, exclusive: true }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      // Bursts of REGISTERs (a site's phones after a power cut) must wait in the socket, not be dropped:
      // as large a receive buffer as the kernel allows up to 4 MiB (net.core.rmem_max caps it).
      try {
        socket.setRecvBufferSize(RECV_BUFFER_BYTES);
      } catch (err) {
        this.opts.log.debug({ err }, 'SIP UDP receive buffer left at the default');
      }
      const addr = socket.address();
      chosen = addr.port;
      const entry = { socket, ip: normalizeIp(addr.address), port: addr.port };
      socket.on('message', (data, rinfo) => this.onDatagram(entry, data, rinfo));
      socket.on('error', (err) => this.opts.log.warn({ err, ip: entry.ip }, 'SIP UDP socket error'));
      this.sockets.push(entry);
    }
    return chosen;
  }

  setDatagramFilter(filter: DatagramFilter | undefined): void {
    this.filter = filter;
  }

  /**
   * New descriptors of the bound sockets, for a lane worker to read them too (udp-fd.ts); the worker
   * owns and closes them.
   */
  duplicateSockets(): Array<{ fd: number; type: 'udp4' | 'udp6'; ip: string; port: number }> {
    return this.sockets.map((s) => ({ fd: duplicateUdpFd(s.socket), type: familyOf(s.ip) === 6 ? 'udp6' as const : 'udp4' as const, ip: s.ip, port: s.port }));
  }

  /** A datagram another thread received on our socket and could not take itself: handled as if read here. */
  receiveForwarded(data: Buffer, source: SipSource): void {
    this.onDatagram({ ip: source.localIp, port: source.localPort }, data, { address: source.ip, port: source.port, family: familyOf(source.ip) === 6 ? 'IPv6' : 'IPv4', size: data.length }, false);
  }

  get listening(): ListeningAddress[] {
    return this.sockets.map((s) => ({ transport: 'udp' as const, ip: s.ip, port: s.port }));
  }

  private onDatagram(entry: { ip: string; port: number }, data: Buffer, rinfo: dgram.RemoteInfo, filter = true): void {
    const source: SipSource = { transport: 'udp', ip: normalizeIp(rinfo.address), port: rinfo.port, localIp: entry.ip, localPort: entry.port };
    if (data.length > this.opts.maxMessageBytes) {
      this.opts.log.debug({ ip: source.ip, bytes: data.length }, 'SIP datagram too large; dropped');
      return;
    }
    if (isKeepAlive(data)) {
      this.safeEmit('keepAlive', source);
      return;
    }
    if (filter && this.filter?.(data, source)) return;
    let msg: SipMessage;
    try {
      msg = parseMessage(data);
    } catch (err) {
      if (err instanceof SipParseError) this.safeEmit('malformed', err, source);
      else this.opts.log.warn({ err, ip: source.ip }, 'SIP parser failed unexpectedly; datagram dropped');
      return;
    }
    this.safeEmit('message', msg, source);
  }

  /** Sends from the socket of the destination's family (the one bound to `fromIp` when given). */
  async send(data: SipMessage | Buffer, dest: SipDestination, fromIp?: string): Promise<void> {
    const bytes = Buffer.isBuffer(data) ? data : serializeMessage(data);
    const socket = this.socketFor(dest, fromIp);
    await new Promise<void>((resolve, reject) => socket.send(bytes, dest.port, dest.ip, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * send() for answers sent in bulk: no promise and no completion callback (one JS call back per datagram
   * less); a failure goes unnoticed like a lost datagram, and the peer retransmits.
   */
  sendDatagram(bytes: Buffer, dest: SipDestination, fromIp?: string): void {
    try {
      this.socketFor(dest, fromIp).send(bytes, dest.port, dest.ip);
    } catch (err) {
      this.opts.log.debug({ err, ip: dest.ip }, 'SIP UDP send failed');
    }
  }

  private socketFor(dest: SipDestination, fromIp?: string): dgram.Socket {
    const fam = familyOf(dest.ip);
    const entry = (fromIp ? this.sockets.find((s) => s.ip === fromIp && familyOf(s.ip) === fam) : undefined) ?? this.sockets.find((s) => familyOf(s.ip) === fam);
    if (!entry) throw new Error(`no UDP socket for IPv${fam} destination ${dest.ip}`);
    return entry.socket;
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.splice(0).map((s) => new Promise<void>((resolve) => s.socket.close(() => resolve()))));
  }
}
