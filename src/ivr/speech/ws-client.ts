// A small RFC 6455 WebSocket client over TLS (node:tls) for the cloud ASR: the opening handshake with
// Sec-WebSocket-Accept checked, masked text/binary frames out, unmasked frames in (text, binary, ping
// answered with pong, close), no extensions. Enough for one streaming conversation, nothing more.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import tls from 'node:tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 1024 * 1024;

export interface WsConnectOptions {
  host: string;
  port: number;
  /** Path and query, e.g. /asr/v2/125?…&signature=… */
  path: string;
  /** Extra trusted CAs (PEM), e.g. a loopback test server's. */
  ca?: string | Buffer;
  timeoutMs: number;
}

export function encodeClientFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + 4);
  head[0] = 0x80 | opcode;
  head[1] = 0x80 | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  // RFC 6455 5.3: "The masking key MUST be … unpredictable"; every client frame is masked.
  const key = randomBytes(4);
  key.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([head, body]);
}

export interface WsClientEvents {
  text: [string];
  binary: [Buffer];
  close: [{ code: number; reason: string }];
  error: [Error];
}

export class WsClient extends EventEmitter<WsClientEvents> {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;

  private constructor(private readonly socket: tls.TLSSocket, rest: Buffer) {
    super();
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.emit('error', e));
    socket.on('close', () => this.finish(1006, 'connection lost'));
    if (rest.length) queueMicrotask(() => this.onData(rest));
  }

  static connect(o: WsConnectOptions): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString('base64');
      const socket = tls.connect({ host: o.host, port: o.port, servername: /^[0-9.]+$/.test(o.host) ? undefined : o.host, ...(o.ca ? { ca: o.ca } : {}), ALPNProtocols: ['http/1.1'] });
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error(`WebSocket handshake with ${o.host} timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.write([
          `GET ${o.path} HTTP/1.1`, `Host: ${o.host}${o.port === 443 ? '' : `:${o.port}`}`, 'Upgrade: websocket', 'Connection: Upgrade',
          `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', '', '',
        ].join('\r\n'));
      });
      const onData = (d: Buffer): void => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16384) fail(new Error('WebSocket handshake response too large'));
          return;
        }
        socket.off('data', onData);
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1];
        const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(':')[1]?.trim();
        const want = createHash('sha1').update(key + GUID).digest('base64');
        if (status !== '101') return fail(new Error(`WebSocket handshake refused: ${lines[0] ?? ''}`));
        if (accept !== want) return fail(new Error('WebSocket handshake: wrong Sec-WebSocket-Accept'));
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(new WsClient(socket, head.subarray(end + 4)));
      };
      socket.on('data', onData);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  sendText(text: string): void {
    if (!this.closed) this.socket.write(encodeClientFrame(0x1, Buffer.from(text, 'utf8')));
  }

  sendBinary(data: Buffer): void {
    if (!this.closed) this.socket.write(encodeClientFrame(0x2, data));
  }

  close(code = 1000): void {
    if (this.closed) return;
    const p = Buffer.alloc(2);
    p.writeUInt16BE(code, 0);
    this.socket.end(encodeClientFrame(0x8, p));
    this.finish(code, '');
  }

  destroy(): void {
    this.socket.destroy();
    this.finish(1006, 'destroyed');
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', { code, reason });
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      if ((b[1]! & 0x80) !== 0) return this.protocolError('masked frame from the server');
      let len = b[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE)) return this.protocolError('message too big');
        len = Number(big);
        off = 10;
      }
      if (len > MAX_MESSAGE) return this.protocolError('message too big');
      if (b.length < off + len) return;
      const payload = Buffer.from(b.subarray(off, off + len));
      this.buf = b.subarray(off + len);
      this.onFrame(fin, opcode, payload);
      if (this.closed) return;
    }
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === 0x9) return void this.socket.write(encodeClientFrame(0xa, payload));
    if (opcode === 0xa) return;
    if (opcode === 0x8) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      const reason = payload.subarray(2).toString('utf8');
      this.socket.end(encodeClientFrame(0x8, payload.subarray(0, 2)));
      return this.finish(code, reason);
    }
    if (opcode !== 0x0) {
      this.fragmentOpcode = opcode;
      this.fragments = [];
    }
    this.fragments.push(payload);
    if (!fin) return;
    const msg = Buffer.concat(this.fragments);
    this.fragments = [];
    if (this.fragmentOpcode === 0x1) this.emit('text', msg.toString('utf8'));
    else if (this.fragmentOpcode === 0x2) this.emit('binary', msg);
  }

  private protocolError(message: string): void {
    this.emit('error', new Error(`WebSocket: ${message}`));
    this.destroy();
  }
}
