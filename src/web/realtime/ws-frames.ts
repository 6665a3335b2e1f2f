// RFC 6455 framing: the opening handshake's accept key, frame encoding and an incremental frame
// parser with size limits. The server only needs text, ping/pong and close; no extensions are
// negotiated (so RSV bits must be zero). The client side (masking) is here for tests and tools.
import { createHash, randomBytes } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** RFC 6455 4.2.2: base64(SHA-1(key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export function encodeFrame(opcode: number, payload: Buffer, mask = false): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  key.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([head, body]);
}

export function closePayload(code: number, reason = ''): Buffer {
  const r = Buffer.from(reason, 'utf8').subarray(0, 123);
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A protocol violation: the connection must be closed with `code` (RFC 6455 7.4.1). */
export class WsProtocolError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Parses frames from a byte stream; throws WsProtocolError on a violation. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly opts: { maxPayload: number; expectMasked: boolean }) {}

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) return out;
      out.push(f);
    }
  }

  private next(): Frame | null {
    const b = this.buf;
    if (b.length < 2) return null;
    const fin = (b[0]! & 0x80) !== 0;
    if (b[0]! & 0x70) throw new WsProtocolError(1002, 'RSV bits set without an extension');
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    // RFC 6455 5.1: "a server MUST close the connection upon receiving a frame that is not masked".
    if (masked !== this.opts.expectMasked) throw new WsProtocolError(1002, masked ? 'masked frame from the server' : 'unmasked frame from the client');
    let len = b[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.opts.maxPayload)) throw new WsProtocolError(1009, 'message too big');
      len = Number(big);
      off = 10;
    }
    const isControl = (opcode & 0x8) !== 0;
    if (isControl && (len > 125 || !fin)) throw new WsProtocolError(1002, 'bad control frame');
    if (![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode)) throw new WsProtocolError(1002, `unknown opcode ${opcode}`);
    if (len > this.opts.maxPayload) throw new WsProtocolError(1009, 'message too big');
    const maskLen = masked ? 4 : 0;
    if (b.length < off + maskLen + len) return null;
    const payload = Buffer.from(b.subarray(off + maskLen, off + maskLen + len));
    if (masked) {
      const key = b.subarray(off, off + 4);
      for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
    }
    this.buf = b.subarray(off + maskLen + len);
    return { fin, opcode, payload };
  }
}
