// Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 18.3) and
// reports RFC 5626 keep-alives (CRLFCRLF ping, CRLF pong) found between messages.
import { SipParseError } from './errors.ts';

export interface FramerOptions {
  /** Largest header section accepted before the stream is declared broken. */
  maxHeaderBytes?: number;
  /** Largest body accepted. */
  maxBodyBytes?: number;
}

export type FramerEvent =
  | { type: 'message'; data: Buffer }
  | { type: 'ping' }
  | { type: 'pong' };

const DEFAULT_MAX_HEADER = 16 * 1024;
const DEFAULT_MAX_BODY = 1024 * 1024;

/** Content-Length from a raw header section; absent means 0 on a stream. */
export function contentLengthOf(head: string): number {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const values: string[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^(?:content-length|l)[ \t]*:(.*)$/i.exec(line);
    if (m) values.push(m[1].trim());
  }
  if (values.length === 0) return 0;
  if (!values.every((v) => /^[0-9]{1,10}$/.test(v))) throw new SipParseError('Invalid Content-Length on stream', { status: null });
  const n = Number(values[0]);
  // RFC 4475 3.3.9: with conflicting lengths "the framing error is not recoverable".
  if (values.some((v) => Number(v) !== n)) throw new SipParseError('Conflicting Content-Length on stream', { status: null });
  return n;
}

export class StreamFramer {
  #buf: Buffer = Buffer.alloc(0);
  #scanFrom = 0;
  #failed?: SipParseError;
  readonly #maxHeader: number;
  readonly #maxBody: number;

  constructor(options: FramerOptions = {}) {
    this.#maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
    this.#maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  }

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.#buf.length;
  }

  /**
   * Feeds a chunk; returns the complete messages and keep-alives it finished. Throws a
   * SipParseError when the stream cannot be framed any more (the connection must close);
   * every later call throws it again.
   */
  push(chunk: Uint8Array): FramerEvent[] {
    if (this.#failed) throw this.#failed;
    this.#buf = this.#buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buf, chunk]);
    const events: FramerEvent[] = [];
    try {
      for (;;) {
        const keepAlive = this.#takeKeepAlive();
        if (keepAlive) {
          events.push(keepAlive);
          continue;
        }
        const message = this.#takeMessage();
        if (!message) break;
        events.push({ type: 'message', data: message });
      }
    } catch (err) {
      if (err instanceof SipParseError) this.#failed = err;
      throw err;
    }
    return events;
  }

  #consume(n: number): Buffer {
    const taken = Buffer.from(this.#buf.subarray(0, n));
    this.#buf = this.#buf.subarray(n);
    this.#scanFrom = 0;
    return taken;
  }

  // RFC 5626 3.5.1: ping = CRLF CRLF, pong = CRLF. A lone CRLF at the end of what has
  // arrived is taken as a pong; a ping split across two segments would read as two pongs.
  #takeKeepAlive(): FramerEvent | undefined {
    const b = this.#buf;
    if (b.length >= 4 && b[0] === 0x0d && b[1] === 0x0a && b[2] === 0x0d && b[3] === 0x0a) {
      this.#consume(4);
      return { type: 'ping' };
    }
    if (b.length >= 2 && b[0] === 0x0d && b[1] === 0x0a) {
      this.#consume(2);
      return { type: 'pong' };
    }
    if (b.length >= 1 && b[0] === 0x0a) {
      this.#consume(1);
      return this.#takeKeepAlive();
    }
    return undefined;
  }

  #takeMessage(): Buffer | undefined {
    const b = this.#buf;
    if (b.length === 0 || (b.length === 1 && b[0] === 0x0d)) return undefined;
    const end = b.indexOf('\r\n\r\n', this.#scanFrom, 'latin1');
    if (end < 0) {
      if (b.length > this.#maxHeader) throw new SipParseError('Header section too large', { status: null });
      this.#scanFrom = Math.max(0, b.length - 3);
      return undefined;
    }
    if (end > this.#maxHeader) throw new SipParseError('Header section too large', { status: null });
    const length = contentLengthOf(b.toString('latin1', 0, end));
    if (length > this.#maxBody) throw new SipParseError('Body too large', { status: null });
    const total = end + 4 + length;
    if (b.length < total) {
      this.#scanFrom = end;
      return undefined;
    }
    return this.#consume(total);
  }
}
