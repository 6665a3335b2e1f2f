// A minimal WebSocket client for tests of the workbench socket (Node 20 has no WebSocket): the
// upgrade over node:http(s), masked frames, request/response by id with a deadline, and events.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { acceptKey, closePayload, encodeFrame, FrameParser, OPCODE } from '../../src/web/realtime/index.ts';

export interface UpgradeResult {
  status: number;
  body: string;
  client: WsTestClient | null;
}

export interface WsEvent {
  event: string;
  data: any;
}

export class WsTestClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; timer: NodeJS.Timeout }>();
  readonly events: WsEvent[] = [];
  private readonly waiters: { pred: (e: WsEvent) => boolean; resolve: (e: WsEvent) => void }[] = [];
  closed: { code: number; reason: string } | null = null;
  private readonly closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];
  readonly raw: string[] = [];

  constructor(private readonly socket: Duplex, head: Buffer) {
    const parser = new FrameParser({ maxPayload: 1 << 24, expectMasked: false });
    const onData = (d: Buffer): void => {
      for (const f of parser.push(d)) {
        if (f.opcode === OPCODE.text) this.onText(f.payload.toString('utf8'));
        else if (f.opcode === OPCODE.ping) socket.write(encodeFrame(OPCODE.pong, f.payload, true));
        else if (f.opcode === OPCODE.close) {
          const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
          this.setClosed(code, f.payload.subarray(2).toString('utf8'));
          socket.end();
        }
      }
    };
    socket.on('data', onData);
    socket.on('close', () => this.setClosed(1006, ''));
    socket.on('error', () => undefined);
    if (head.length) onData(head);
  }

  private setClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    for (const w of this.closeWaiters.splice(0)) w(this.closed);
  }

  private onText(text: string): void {
    this.raw.push(text);
    const msg = JSON.parse(text);
    if ('event' in msg) {
      const e = msg as WsEvent;
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (w.pred(e)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
      return;
    }
    const p = this.pending.get(msg.id);
    if (p) {
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(msg);
    }
  }

  sendRaw(text: string): void {
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, 'utf8'), true));
  }

  writeBytes(b: Buffer): void {
    this.socket.write(b);
  }

  /** Sends a request and resolves with the whole response `{id, ok, data | error}`. */
  request(method: string, data: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.sendRaw(JSON.stringify({ id, method, data }));
    });
  }

  /** The first event (already received or coming) that matches. */
  waitEvent(name: string, pred: (data: any) => boolean = () => true, timeoutMs = 10_000): Promise<WsEvent> {
    const match = (e: WsEvent): boolean => e.event === name && pred(e.data);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred: match, resolve: (e: WsEvent) => (clearTimeout(t), resolve(e)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push((c) => (clearTimeout(t), resolve(c)));
    });
  }

  close(code = 1000): void {
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code), true));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Opens `url` (ws:// or wss://) with the given headers; resolves with the HTTP refusal or the client. */
export function openWs(url: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<UpgradeResult> {
  const u = new URL(url);
  const secure = u.protocol === 'wss:';
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', rejectUnauthorized: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`upgrade of ${url} timed out`));
    }, timeoutMs);
    req.on('upgrade', (res, socket, head) => {
      clearTimeout(timer);
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        reject(new Error('bad Sec-WebSocket-Accept'));
        return;
      }
      resolve({ status: 101, body: '', client: new WsTestClient(socket, head) });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body, client: null });
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
