// One server-side WebSocket after the upgrade: text messages in and out, ping/pong keep-alive that
// drops a peer that stopped answering, the close handshake with a deadline, and a cap on what may
// queue for a slow reader (a workbench that cannot keep up is cut instead of growing memory).
import type { Duplex } from 'node:stream';
import { TypedEmitter } from '../../platform/events.ts';
import { closePayload, encodeFrame, FrameParser, OPCODE, WsProtocolError } from './ws-frames.ts';

export interface WsConnectionOptions {
  maxMessageBytes: number;
  pingIntervalMs: number;
  /** Bytes waiting in the socket's buffer beyond which the peer is cut. */
  maxBufferedBytes: number;
  closeTimeoutMs: number;
}

export interface WsConnectionEvents {
  message: [text: string];
  close: [{ code: number; reason: string }];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class WsConnection extends TypedEmitter<WsConnectionEvents> {
  private readonly parser: FrameParser;
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private fragmentOpcode = -1;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private alive = true;
  private readonly pingTimer: NodeJS.Timeout;
  private closeTimer: NodeJS.Timeout | undefined;
  private closeInfo = { code: 1006, reason: '' };

  constructor(private readonly socket: Duplex, head: Buffer, private readonly opts: WsConnectionOptions) {
    super();
    this.parser = new FrameParser({ maxPayload: opts.maxMessageBytes, expectMasked: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.finish());
    // The HTTP server's sockets allow half-open connections: the peer's FIN alone ends this one.
    socket.on('end', () => this.finish());
    socket.on('close', () => this.finish());
    this.pingTimer = setInterval(() => this.keepAlive(), opts.pingIntervalMs);
    this.pingTimer.unref();
    if (head.length) queueMicrotask(() => this.onData(head));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  send(text: string): boolean {
    if (this.state !== 'open') return false;
    if (this.socket.writableLength > this.opts.maxBufferedBytes) {
      this.close(1008, 'too slow');
      return false;
    }
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, 'utf8')));
    return true;
  }

  /** Starts the close handshake; the socket ends when the peer answers or after the deadline. */
  close(code = 1000, reason = ''): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.closeInfo = { code, reason };
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.opts.closeTimeoutMs);
    this.closeTimer.unref();
  }

  terminate(): void {
    this.socket.destroy();
  }

  private keepAlive(): void {
    if (this.state !== 'open') return;
    if (!this.alive) {
      this.closeInfo = { code: 1006, reason: 'no pong' };
      this.socket.destroy();
      return;
    }
    this.alive = false;
    this.socket.write(encodeFrame(OPCODE.ping, Buffer.alloc(0)));
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.alive = true;
    try {
      for (const f of this.parser.push(chunk)) this.onFrame(f.fin, f.opcode, f.payload);
    } catch (err) {
      if (err instanceof WsProtocolError) this.fail(err.code, err.message);
      else throw err;
    }
  }

  private fail(code: number, reason: string): void {
    if (this.state === 'open') this.close(code, reason);
    else this.socket.destroy();
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.ping:
        if (this.state === 'open') this.socket.write(encodeFrame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (this.state === 'open') {
          // RFC 6455 5.5.1: answer a close with a close, then the server ends the TCP connection.
          this.closeInfo = { code, reason: payload.subarray(2).toString('utf8') };
          this.state = 'closing';
          this.socket.write(encodeFrame(OPCODE.close, payload.length >= 2 ? payload.subarray(0, 2) : Buffer.alloc(0)));
        }
        this.socket.end();
        this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.opts.closeTimeoutMs).unref();
        return;
      }
      case OPCODE.binary:
      case OPCODE.text:
        if (this.fragmentOpcode !== -1) return this.fail(1002, 'new message inside a fragmented one');
        this.fragmentOpcode = opcode;
        break;
      case OPCODE.continuation:
        if (this.fragmentOpcode === -1) return this.fail(1002, 'continuation without a message');
        break;
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.opts.maxMessageBytes) return this.fail(1009, 'message too big');
    this.fragments.push(payload);
    if (!fin) return;
    const whole = Buffer.concat(this.fragments);
    const kind = this.fragmentOpcode;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = -1;
    if (kind === OPCODE.binary) return this.fail(1003, 'binary messages are not accepted');
    let text: string;
    try {
      text = utf8.decode(whole);
    } catch {
      return this.fail(1007, 'invalid UTF-8');
    }
    if (this.state === 'open') this.safeEmit('message', text);
  }

  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearInterval(this.pingTimer);
    clearTimeout(this.closeTimer);
    if (!this.socket.destroyed) this.socket.destroy();
    this.safeEmit('close', this.closeInfo);
  }
}
