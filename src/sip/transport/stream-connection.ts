// One TCP or TLS connection carrying SIP: frames the byte stream (sip/core's framer), answers RFC 5626
// keep-alive pings, closes itself when idle or when the stream can no longer be framed.
import type { Socket } from 'node:net';
import type { TimerHandle } from '../../platform/clock.ts';
import { parseMessage, serializeMessage, SipParseError, StreamFramer, type SipMessage } from '../core/index.ts';
import { normalizeIp } from './addresses.ts';
import type { SipSource, TransportOptions, TransportProtocol } from './transport-types.ts';

export interface ConnectionSink {
  message(msg: SipMessage, source: SipSource): void;
  malformed(err: SipParseError, source: SipSource): void;
  keepAlive(source: SipSource): void;
  closed(conn: StreamConnection, reason: string): void;
}

const CRLF = Buffer.from('\r\n');

export class StreamConnection {
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly localIp: string;
  readonly localPort: number;
  private readonly framer: StreamFramer;
  private idleTimer?: TimerHandle;
  private closedReason?: string;

  constructor(
    readonly id: string,
    readonly protocol: TransportProtocol,
    private readonly socket: Socket,
    private readonly opts: TransportOptions,
    private readonly sink: ConnectionSink,
  ) {
    this.remoteIp = normalizeIp(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
    this.localIp = normalizeIp(socket.localAddress ?? '');
    this.localPort = socket.localPort ?? 0;
    // RFC 3261 18.3 frames by Content-Length; the header section is bounded separately.
    this.framer = new StreamFramer({ maxHeaderBytes: Math.min(opts.maxMessageBytes, 16 * 1024), maxBodyBytes: opts.maxMessageBytes });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`error: ${err.message}`));
    socket.on('close', () => this.close('closed by peer'));
    socket.on('end', () => socket.end());
    this.touch();
  }

  get source(): SipSource {
    return { transport: this.protocol, ip: this.remoteIp, port: this.remotePort, connectionId: this.id, localIp: this.localIp, localPort: this.localPort };
  }

  get open(): boolean {
    return this.closedReason === undefined;
  }

  private touch(): void {
    this.opts.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.opts.clock.setTimeout(() => this.close('idle'), this.opts.idleTimeoutMs);
  }

  private onData(chunk: Buffer): void {
    if (!this.open) return;
    this.touch();
    let events;
    try {
      events = this.framer.push(chunk);
    } catch (err) {
      // The stream cannot be re-synchronised after a framing error (RFC 4475 3.3.9): drop the connection.
      this.opts.log.debug({ err, ip: this.remoteIp }, 'SIP stream framing failed; closing the connection');
      this.close('framing error');
      return;
    }
    for (const ev of events) {
      if (ev.type === 'ping') {
        // RFC 5626 4.4.1: "the server ... MUST respond to each CRLFCRLF ... with a single CRLF".
        this.socket.write(CRLF);
        this.sink.keepAlive(this.source);
      } else if (ev.type === 'pong') {
        this.sink.keepAlive(this.source);
      } else {
        this.onFrame(ev.data);
      }
      if (!this.open) return;
    }
  }

  private onFrame(data: Buffer): void {
    let msg: SipMessage;
    try {
      msg = parseMessage(data);
    } catch (err) {
      if (err instanceof SipParseError) this.sink.malformed(err, this.source);
      else this.opts.log.warn({ err, ip: this.remoteIp }, 'SIP parser failed unexpectedly; message dropped');
      return;
    }
    this.sink.message(msg, this.source);
  }

  send(data: SipMessage | Buffer): Promise<void> {
    if (!this.open) return Promise.reject(new Error(`connection ${this.id} is closed`));
    const bytes = Buffer.isBuffer(data) ? data : serializeMessage(data);
    this.touch();
    return new Promise((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  close(reason: string): void {
    if (!this.open) return;
    this.closedReason = reason;
    this.opts.clock.clearTimeout(this.idleTimer);
    this.socket.destroy();
    this.sink.closed(this, reason);
  }
}
