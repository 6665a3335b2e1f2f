// The workbench WebSocket (`GET /api/v1/ws`) on the box's HTTP and HTTPS servers: upgrade checks
// (session cookie, Origin, HTTPS from the LAN), one live connection per user (a new one takes
// over), session re-checks (logout or forced offline closes the socket and the agent's media),
// and `notify` for the parts that push events to a user's page (incoming, callState, dtmf …).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Actor, Directory } from '../../directory/index.ts';
import { actorFor } from '../auth.ts';
import type { EventPresenter } from './event-presenter.ts';
import type { Database } from '../../platform/db.ts';
import { TypedEmitter } from '../../platform/events.ts';
import { logSecurity, type Logger } from '../../platform/logger.ts';
import type { WebRtcService } from '../../media/webrtc/index.ts';
import { CLOSE } from './protocol.ts';
import { originAllowed, safeEqual, sessionById, sessionFromCookie } from './session-auth.ts';
import { WorkbenchConnection, type ConnectionHost } from './workbench-connection.ts';
import { WsConnection } from './ws-connection.ts';
import { acceptKey } from './ws-frames.ts';

export const WS_PATH = '/api/v1/ws';

export interface RealtimeOptions {
  maxMessageBytes?: number;
  pingIntervalMs?: number;
  authTimeoutMs?: number;
  /** How often open sockets re-check their session (logout, expiry, forced offline). */
  sessionCheckMs?: number;
  maxPendingRequests?: number;
  maxConnections?: number;
}

export interface RealtimeDeps {
  db: Database;
  directory: Directory;
  log: Logger;
  webrtc: WebRtcService | null;
  /** Turns an event into what its user may see (归属地, 号码隐私保护); events go out unchanged without it. */
  present?: EventPresenter;
}

export interface RealtimeHubEvents {
  connected: [{ userId: number }];
  disconnected: [{ userId: number }];
  /** A digit typed on the workbench keypad during a call (a signalling message, not RTP). */
  keypad: [{ agentId: number; callId: string; digits: string }];
  /** The user's session ended (logout, expiry, forced offline) while a socket was open. */
  loggedOut: [{ userId: number }];
}

/** Carries out a keypad request (the box's DTMF toward the customer); its error is the request's answer. */
export type KeypadHandler = (actor: Actor, callId: string, digits: string) => Promise<void>;

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };
const isLoopback = (ip: string): boolean => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');

function reject(socket: Duplex, status: number, body: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export class RealtimeHub extends TypedEmitter<RealtimeHubEvents> {
  private readonly current = new Map<number, WorkbenchConnection>();
  private readonly all = new Set<WorkbenchConnection>();
  private readonly opts: Required<RealtimeOptions>;
  private readonly host: ConnectionHost;
  private readonly checkTimer: NodeJS.Timeout;
  private closing = false;
  private keypadHandler: KeypadHandler | null = null;
  /** Per user: events waiting for their presentation, so they leave in the order they were raised. */
  private readonly outbox = new Map<number, Promise<void>>();

  constructor(private readonly deps: RealtimeDeps, options: RealtimeOptions = {}) {
    super();
    this.opts = {
      maxMessageBytes: options.maxMessageBytes ?? 256 * 1024,
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      authTimeoutMs: options.authTimeoutMs ?? 5_000,
      sessionCheckMs: options.sessionCheckMs ?? 30_000,
      maxPendingRequests: options.maxPendingRequests ?? 16,
      maxConnections: options.maxConnections ?? 2_000,
    };
    this.host = {
      webrtc: deps.webrtc, log: deps.log, maxPendingRequests: this.opts.maxPendingRequests, authTimeoutMs: this.opts.authTimeoutMs,
      authenticated: (c) => this.onAuthenticated(c),
      closed: (c) => this.onClosed(c),
      keypad: async (conn, e) => {
        this.safeEmit('keypad', e);
        await this.keypadHandler?.(actorFor(conn.session.user, 'session', ''), e.callId, e.digits);
      },
    };
    this.checkTimer = setInterval(() => void this.checkSessions(), this.opts.sessionCheckMs);
    this.checkTimer.unref();
  }

  /** Serves the workbench socket on `server`; plain HTTP only to loopback (the LAN uses HTTPS). */
  attach(server: Server, opts: { secure: boolean }): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      this.onUpgrade(req, socket, head, opts.secure).catch((err: unknown) => {
        this.deps.log.error({ err }, 'workbench socket upgrade failed');
        if (!socket.destroyed) reject(socket, 503, 'unavailable');
      });
    });
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://box');
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (url.pathname !== WS_PATH) return reject(socket, 404, 'no such socket');
    const key = req.headers['sec-websocket-key'];
    if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket' || req.headers['sec-websocket-version'] !== '13' || typeof key !== 'string') {
      return reject(socket, 400, 'a WebSocket version 13 upgrade is expected');
    }
    if (!secure && !isLoopback(ip)) return reject(socket, 403, 'use HTTPS');
    if (this.closing || this.all.size >= this.opts.maxConnections) return reject(socket, 503, 'busy');
    if (!originAllowed(req, secure)) {
      logSecurity(this.deps.log, 'forbidden', 'http', ip, '', `workbench socket from origin ${req.headers.origin ?? '(none)'}`);
      return reject(socket, 403, 'origin not allowed');
    }
    const session = await sessionFromCookie(this.deps.db, this.deps.directory, req.headers.cookie);
    if (!session) return reject(socket, 401, '未登录或登录已过期 (not logged in or session expired)');
    const csrf = url.searchParams.get('csrf');
    if (csrf !== null && !safeEqual(csrf, session.csrf)) {
      logSecurity(this.deps.log, 'csrf', 'http', ip, String(session.user.id), 'workbench socket');
      return reject(socket, 403, 'CSRF 校验失败 (wrong CSRF token)');
    }
    if (socket.destroyed) return;
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
    (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    const ws = new WsConnection(socket, head, {
      maxMessageBytes: this.opts.maxMessageBytes, pingIntervalMs: this.opts.pingIntervalMs, maxBufferedBytes: 4 * 1024 * 1024, closeTimeoutMs: 2_000,
    });
    const conn = new WorkbenchConnection(ws, session, this.host, csrf !== null);
    this.all.add(conn);
    this.deps.log.debug({ userId: session.user.id, ip }, 'workbench socket open');
  }

  private onAuthenticated(conn: WorkbenchConnection): void {
    const old = this.current.get(conn.userId);
    if (old && old !== conn) {
      // The newest page wins (a reload, or a reconnect before the old socket timed out).
      old.detachMedia();
      old.event('replaced', {});
      old.close(CLOSE.replaced, 'replaced by a newer connection');
    }
    this.current.set(conn.userId, conn);
    conn.attachExistingMedia();
    this.safeEmit('connected', { userId: conn.userId });
  }

  private onClosed(conn: WorkbenchConnection, loggedOut = false): void {
    this.all.delete(conn);
    if (this.current.get(conn.userId) !== conn) return;
    this.current.delete(conn.userId);
    if (loggedOut) this.deps.webrtc?.closeAgent(conn.userId, 'logout');
    else this.deps.webrtc?.agentDisconnected(conn.userId);
    this.safeEmit('disconnected', { userId: conn.userId });
    if (loggedOut) this.safeEmit('loggedOut', { userId: conn.userId });
  }

  private async checkSessions(): Promise<void> {
    for (const conn of [...this.all]) {
      if (!conn.isAuthenticated) continue;
      const still = await sessionById(this.deps.db, this.deps.directory, conn.session.sessionId).catch(() => undefined);
      if (still !== null) continue;
      // Logged out, expired or forced offline: the socket and the agent's media end now.
      conn.event('sessionEnded', {});
      this.onClosed(conn, true);
      conn.close(CLOSE.sessionEnded, 'session ended');
    }
  }

  /** Re-checks sessions now (after a logout the web layer knows about, and in tests). */
  recheckSessions(): Promise<void> {
    return this.checkSessions();
  }

  /** Sets who carries out keypad requests (the call control's DTMF). */
  onKeypad(handler: KeypadHandler | null): void {
    this.keypadHandler = handler;
  }

  /**
   * Pushes an event to the user's workbench; false when the user has no page open. With a presenter the
   * event is sent once presented (the order per user is kept); a failing presenter drops the event rather
   * than send a number the user may not see.
   */
  notify(userId: number, event: string, data: unknown): boolean {
    const conn = this.current.get(userId);
    if (!conn) return false;
    const present = this.deps.present;
    if (!present) return conn.event(event, data);
    const prev = this.outbox.get(userId) ?? Promise.resolve();
    const next = prev
      .then(() => present(conn.session.user, event, data))
      .then((shown) => void (this.current.get(userId) ?? conn).event(event, shown))
      .catch((err: unknown) => this.deps.log.error({ err, userId, event }, 'workbench event could not be presented'))
      .finally(() => {
        if (this.outbox.get(userId) === next) this.outbox.delete(userId);
      });
    this.outbox.set(userId, next);
    return true;
  }

  isOnline(userId: number): boolean {
    return this.current.has(userId);
  }

  get connectionCount(): number {
    return this.all.size;
  }

  /** Closes every socket (close handshake, cut after its deadline) so the web servers can stop. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.checkTimer);
    await Promise.all([...this.all].map((c) => new Promise<void>((resolve) => {
      if (c.ws.isClosed) return resolve();
      c.ws.on('close', () => resolve());
      c.close(1001, 'server stopping');
    })));
  }
}
