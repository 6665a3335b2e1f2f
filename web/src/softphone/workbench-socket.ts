// The workbench WebSocket from the page's side (docs/workbench-protocol.md): hello with the CSRF
// token, requests with ids and deadlines, server events, and reconnect with a capped backoff.

export interface WelcomeData {
  protocol: number;
  userId: number;
  softphone: boolean;
  transports: { id: string; direction: 'send' | 'recv' }[];
}

export class RequestError extends Error {
  constructor(readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

type EventHandler = (data: any) => void;

export interface WorkbenchSocketOptions {
  /** Default `wss://<host>/api/v1/ws` (ws:// on http pages). */
  url?: string;
  csrf: string;
  requestTimeoutMs?: number;
  /** Reconnect after an unexpected close (default true). */
  reconnect?: boolean;
}

/** Close codes after which reconnecting is pointless (the session is gone or another tab took over). */
const FINAL_CLOSE = new Set([4401, 4409, 4440]);

export class WorkbenchSocket {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; timer: number }>();
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private attempt = 0;
  private stopped = false;
  private readonly url: string;
  private reconnectTimer: number | undefined;

  constructor(private readonly opts: WorkbenchSocketOptions) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = opts.url ?? `${scheme}//${location.host}/api/v1/ws`;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** `welcome` fires after each (re)connect; `close` with {code, reason, final}. Others are server events. */
  on(event: string, fn: EventHandler): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }

  private emit(event: string, data: unknown): void {
    for (const fn of [...(this.handlers.get(event) ?? [])]) {
      try {
        fn(data);
      } catch (err) {
        console.error(`workbench socket: ${event} handler failed`, err);
      }
    }
  }

  /** Opens the socket and resolves with the welcome (rejects when the first attempt fails). */
  connect(): Promise<WelcomeData> {
    this.stopped = false;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let welcomed = false;
      ws.onopen = () => {
        this.request<WelcomeData>('hello', { csrf: this.opts.csrf }).then((w) => {
          welcomed = true;
          this.attempt = 0;
          this.emit('welcome', w);
          resolve(w);
        }, reject);
      };
      ws.onmessage = (m) => this.onMessage(String(m.data));
      ws.onclose = (e) => {
        if (this.ws === ws) this.ws = null;
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new RequestError('CCBOX_ERR_UNAVAILABLE', 'the workbench socket closed'));
          this.pending.delete(id);
        }
        const final = FINAL_CLOSE.has(e.code) || this.stopped;
        this.emit('close', { code: e.code, reason: e.reason, final });
        if (!welcomed) reject(new RequestError('CCBOX_ERR_UNAVAILABLE', `the workbench socket closed (${e.code})`));
        if (!final && (this.opts.reconnect ?? true)) this.scheduleReconnect();
      };
    });
  }

  private scheduleReconnect(): void {
    const delay = Math.min(10_000, 250 * 2 ** this.attempt++);
    this.reconnectTimer = window.setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch(() => undefined);
    }, delay);
  }

  private onMessage(text: string): void {
    let msg: any;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      this.emit(msg.event, msg.data);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.data);
    else p.reject(new RequestError(msg.error?.code ?? 'CCBOX_ERR_INTERNAL', msg.error?.message ?? 'request failed', msg.error?.field));
  }

  /** One request; rejects with CCBOX_ERR_TIMEOUT when no answer comes within the deadline. */
  request<T = any>(method: string, data: Record<string, unknown> = {}, timeoutMs = this.opts.requestTimeoutMs ?? 10_000): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new RequestError('CCBOX_ERR_UNAVAILABLE', 'the workbench socket is not open'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('CCBOX_ERR_TIMEOUT', `${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, data, timeoutMs }));
    });
  }

  /** Drops the socket without stopping (tests and "network blip" handling); it reconnects. */
  drop(): void {
    this.ws?.close(4000, 'dropped by the page');
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.ws?.close(1000, 'bye');
  }
}
