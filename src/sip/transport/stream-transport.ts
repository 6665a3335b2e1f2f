// SIP over TCP or TLS: listeners per bound address, a table of open connections (inbound and outbound)
// reused for every message to the same peer, outbound connects with a deadline.
import net from 'node:net';
import tls from 'node:tls';
import { TypedEmitter } from '../../platform/events.ts';
import type { SipMessage } from '../core/index.ts';
import { normalizeIp, remoteKey } from './addresses.ts';
import { StreamConnection, type ConnectionSink } from './stream-connection.ts';
import type { ListeningAddress, SipDestination, TlsOptions, TransportEvents, TransportOptions } from './transport-types.ts';

let nextConnection = 1;

export class StreamTransport extends TypedEmitter<TransportEvents> {
  private readonly servers: { server: net.Server; ip: string; port: number }[] = [];
  private readonly connections = new Map<string, StreamConnection>();
  /** remote ip|port → connection id, for reuse (RFC 3261 18.1.1: "SHOULD" use an existing connection). */
  private readonly byRemote = new Map<string, string>();
  private readonly sink: ConnectionSink;

  constructor(
    readonly protocol: 'tcp' | 'tls',
    private readonly opts: TransportOptions,
    private readonly tlsOptions?: TlsOptions,
  ) {
    super();
    if (protocol === 'tls' && !tlsOptions) throw new Error('TLS transport needs a certificate and key');
    this.sink = {
      message: (msg, source) => this.safeEmit('message', msg, source),
      malformed: (err, source) => this.safeEmit('malformed', err, source),
      keepAlive: (source) => this.safeEmit('keepAlive', source),
      closed: (conn, reason) => {
        this.connections.delete(conn.id);
        const key = remoteKey(conn.remoteIp, conn.remotePort);
        if (this.byRemote.get(key) === conn.id) this.byRemote.delete(key);
        this.safeEmit('closed', conn.id, reason);
      },
    };
  }

  async listen(hosts: string[], port: number): Promise<number> {
    let chosen = port;
    for (const host of hosts) {
      const server =
        this.protocol === 'tls'
          ? tls.createServer({ cert: this.tlsOptions!.cert, key: this.tlsOptions!.key, minVersion: 'TLSv1.2' }, (s) => this.adopt(s))
          : net.createServer((s) => this.adopt(s));
      // A TLS handshake that fails (bad client, scanner) must not surface as an unhandled error.
      server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
        this.opts.log.debug({ err }, 'SIP TLS handshake failed');
        this.safeEmit('tlsFailure', normalizeIp(socket.remoteAddress ?? ''), err.message);
      });
      server.on('error', (err) => this.opts.log.warn({ err }, `SIP ${this.protocol} listener error`));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port: chosen, ipv6Only: net.isIPv6(host), exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const addr = server.address() as net.AddressInfo;
      chosen = addr.port;
      this.servers.push({ server, ip: normalizeIp(addr.address), port: addr.port });
    }
    return chosen;
  }

  get listening(): ListeningAddress[] {
    return this.servers.map((s) => ({ transport: this.protocol, ip: s.ip, port: s.port }));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  connection(id: string): StreamConnection | undefined {
    return this.connections.get(id);
  }

  private adopt(socket: net.Socket): StreamConnection {
    const conn = new StreamConnection(`${this.protocol}-${nextConnection++}`, this.protocol, socket, this.opts, this.sink);
    this.connections.set(conn.id, conn);
    this.byRemote.set(remoteKey(conn.remoteIp, conn.remotePort), conn.id);
    return conn;
  }

  /**
   * RFC 3261 18.2.2: a response goes back over the connection the request came on; when that is
   * closed, a new connection is opened to the same address. Requests reuse any open connection.
   */
  async send(data: SipMessage | Buffer, dest: SipDestination): Promise<void> {
    let conn = dest.connectionId ? this.connections.get(dest.connectionId) : undefined;
    if (!conn?.open) {
      const id = this.byRemote.get(remoteKey(dest.ip, dest.port));
      conn = id ? this.connections.get(id) : undefined;
    }
    if (!conn?.open) conn = await this.connect(dest.ip, dest.port);
    await conn.send(data);
  }

  private connect(ip: string, port: number): Promise<StreamConnection> {
    return new Promise((resolve, reject) => {
      const socket =
        this.protocol === 'tls'
          ? tls.connect({ host: ip, port, ca: this.tlsOptions!.ca, rejectUnauthorized: this.tlsOptions!.verifyOutbound ?? true, servername: net.isIP(ip) ? undefined : ip })
          : net.connect({ host: ip, port });
      const timer = this.opts.clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${ip}:${port} over ${this.protocol} timed out`));
      }, this.opts.connectTimeoutMs);
      socket.once('error', (err) => {
        this.opts.clock.clearTimeout(timer);
        reject(err);
      });
      socket.once(this.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
        this.opts.clock.clearTimeout(timer);
        resolve(this.adopt(socket));
      });
    });
  }

  async close(): Promise<void> {
    for (const conn of [...this.connections.values()]) conn.close('transport stopped');
    await Promise.all(this.servers.splice(0).map((s) => new Promise<void>((resolve) => s.server.close(() => resolve()))));
  }
}
