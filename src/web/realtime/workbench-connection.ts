// One workbench WebSocket of a logged-in user: request/response with ids and deadlines, events
// pushed to the page, and the binding to the agent's media (its events become socket events).
import { CcboxError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AgentMedia, AgentMediaEvents, WebRtcService } from '../../media/webrtc/index.ts';
import {
  CLOSE, DEFAULT_REQUEST_TIMEOUT_MS, METHOD_SCHEMAS, PROTOCOL_VERSION, RequestEnvelope, isMethod, type ErrorBody, type MethodName,
} from './protocol.ts';
import { safeEqual, type WsSession } from './session-auth.ts';
import { SOFTPHONE_METHODS, isSoftphoneMethod } from './softphone-methods.ts';
import type { WsConnection } from './ws-connection.ts';

export interface ConnectionHost {
  webrtc: WebRtcService | null;
  log: Logger;
  maxPendingRequests: number;
  authTimeoutMs: number;
  /** The socket proved the CSRF token: it becomes the user's workbench connection. */
  authenticated(conn: WorkbenchConnection): void;
  closed(conn: WorkbenchConnection): void;
  keypad(conn: WorkbenchConnection, e: { agentId: number; callId: string; digits: string }): Promise<void>;
}

const FORWARDED: (keyof AgentMediaEvents)[] = ['newProducer', 'consumerClosed', 'produceRequest', 'transportClosed'];

function errorBody(err: unknown): ErrorBody {
  if (err instanceof CcboxError) return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  return { code: 'CCBOX_ERR_INTERNAL', message: 'internal error' };
}

export class WorkbenchConnection {
  readonly userId: number;
  readonly isAgent: boolean;
  private authed = false;
  private pending = 0;
  private agent: AgentMedia | null = null;
  private unbind: (() => void) | null = null;
  private authTimer: NodeJS.Timeout | undefined;
  private ended = false;
  /** Set by a request whose answer must still go out before the socket closes. */
  private closeAfterAnswer: { code: number; reason: string } | null = null;

  constructor(readonly ws: WsConnection, readonly session: WsSession, private readonly host: ConnectionHost, csrfFromQuery: boolean) {
    this.userId = session.user.id;
    // Agents have a staff number; other accounts (administrators) get events but no softphone.
    this.isAgent = session.user.staffNo !== null;
    ws.on('message', (text) => void this.onMessage(text));
    ws.on('close', () => this.onClose());
    if (csrfFromQuery) {
      // No hello will come: the welcome is pushed as an event instead of answering hello.
      queueMicrotask(() => {
        this.authenticate();
        this.event('welcome', this.welcome());
      });
    } else {
      this.authTimer = setTimeout(() => this.ws.close(CLOSE.authTimeout, 'hello with the CSRF token expected'), host.authTimeoutMs);
      this.authTimer.unref();
    }
  }

  get isAuthenticated(): boolean {
    return this.authed && !this.ended;
  }

  event(name: string, data: unknown = {}): boolean {
    return this.authed && this.ws.send(JSON.stringify({ event: name, data }));
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private authenticate(): void {
    if (this.authed || this.ended) return;
    clearTimeout(this.authTimer);
    this.authed = true;
    this.host.authenticated(this);
  }

  private welcome(): Record<string, unknown> {
    const agent = this.host.webrtc?.agent(this.userId);
    return {
      protocol: PROTOCOL_VERSION,
      userId: this.userId,
      softphone: this.isAgent && this.host.webrtc !== null,
      // A reconnect finds its transports still up: the page restarts ICE on them instead of starting over.
      transports: agent?.transportIds() ?? [],
    };
  }

  private async onMessage(text: string): Promise<void> {
    let msg: RequestEnvelope;
    try {
      msg = RequestEnvelope.parse(JSON.parse(text));
    } catch {
      this.host.log.debug({ userId: this.userId }, 'workbench socket: malformed message');
      this.ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'CCBOX_ERR_VALIDATION', message: 'malformed message: {id, method, data?, timeoutMs?} expected' } }));
      return;
    }
    if (!this.authed && msg.method !== 'hello') {
      this.ws.close(CLOSE.unauthorized, 'hello with the CSRF token expected first');
      return;
    }
    if (this.pending >= this.host.maxPendingRequests) {
      this.respond(msg.id, null, new CcboxError('CCBOX_ERR_RATE_LIMITED', `more than ${this.host.maxPendingRequests} requests in flight`));
      return;
    }
    this.pending++;
    const timeoutMs = msg.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CcboxError('CCBOX_ERR_TIMEOUT', `${msg.method} did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    const work = this.dispatch(msg.method, msg.data ?? {});
    work.catch(() => undefined);
    try {
      this.respond(msg.id, await Promise.race([work, deadline]), null);
    } catch (err) {
      if (!(err instanceof CcboxError)) this.host.log.error({ err, userId: this.userId, method: msg.method }, 'workbench request failed');
      this.respond(msg.id, null, err);
    } finally {
      clearTimeout(timer);
      this.pending--;
      if (this.closeAfterAnswer) this.ws.close(this.closeAfterAnswer.code, this.closeAfterAnswer.reason);
    }
  }

  private respond(id: number | string, data: unknown, err: unknown): void {
    this.ws.send(JSON.stringify(err === null ? { id, ok: true, data: data ?? {} } : { id, ok: false, error: errorBody(err) }));
  }

  private async dispatch(method: string, raw: Record<string, unknown>): Promise<unknown> {
    if (!isMethod(method)) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `unknown method ${method}`, { field: 'method' });
    const parsed = METHOD_SCHEMAS[method].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || 'data';
      throw new CcboxError('CCBOX_ERR_VALIDATION', `${field}: ${issue.message}`, { field });
    }
    return this.run(method, parsed.data);
  }

  private async run(method: MethodName, data: unknown): Promise<unknown> {
    if (method === 'hello') {
      if (!safeEqual((data as { csrf: string }).csrf, this.session.csrf)) {
        this.closeAfterAnswer = { code: CLOSE.unauthorized, reason: 'CSRF token mismatch' };
        throw new CcboxError('CCBOX_ERR_CSRF', 'CSRF 校验失败 (wrong CSRF token)');
      }
      this.authenticate();
      return this.welcome();
    }
    if (method === 'ping') return { now: Date.now() };
    if (method === 'keypad') {
      const d = data as { callId: string; digits: string };
      await this.host.keypad(this, { agentId: this.userId, callId: d.callId, digits: d.digits.toUpperCase() });
      return {};
    }
    if (!isSoftphoneMethod(method)) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `unknown method ${method}`, { field: 'method' });
    const agent = await this.agentMedia();
    return (SOFTPHONE_METHODS[method] as (a: AgentMedia, d: unknown) => Promise<unknown>)(agent, data);
  }

  /** The agent's media, created on the first softphone request and kept through reconnects. */
  private async agentMedia(): Promise<AgentMedia> {
    const webrtc = this.host.webrtc;
    if (!webrtc) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'the browser softphone is not available on this box');
    if (!this.isAgent) throw new CcboxError('CCBOX_ERR_FORBIDDEN', '只有座席可以使用软电话 (only agents have a softphone)');
    if (this.agent && !this.agent.closed) return this.agent;
    const agent = await webrtc.agentConnected(this.userId);
    if (this.ended) {
      webrtc.agentDisconnected(this.userId);
      throw new CcboxError('CCBOX_ERR_CONFLICT', 'the workbench socket closed');
    }
    this.bind(agent);
    return agent;
  }

  /** Binds to the agent's media that exists already (a reconnect) so missed events are replayed. */
  attachExistingMedia(): void {
    const agent = this.host.webrtc?.agent(this.userId);
    if (!agent || !this.isAgent) return;
    // Cancels the grace timer; the media exists, so this cannot fail short of a stop in progress.
    this.host.webrtc!.agentConnected(this.userId).catch(() => undefined);
    this.bind(agent);
    agent.resync();
  }

  private bind(agent: AgentMedia): void {
    if (this.agent === agent) return;
    this.unbind?.();
    this.agent = agent;
    const offs: (() => void)[] = [];
    for (const name of FORWARDED) {
      const fn = (data: unknown): void => void this.event(name, data);
      agent.on(name, fn as never);
      offs.push(() => agent.off(name, fn as never));
    }
    const onClosed = ({ reason }: { reason: string }): void => {
      this.unbind?.();
      this.agent = null;
      // The page starts over (createTransport …) unless the user is gone too.
      if (reason !== 'logout' && reason !== 'replaced') this.event('mediaReset', { reason });
    };
    agent.on('closed', onClosed);
    offs.push(() => agent.off('closed', onClosed));
    this.unbind = () => {
      for (const off of offs.splice(0)) off();
      this.unbind = null;
    };
  }

  /** Another connection of the same user took over: it inherits the agent's media. */
  detachMedia(): void {
    this.unbind?.();
    this.agent = null;
  }

  private onClose(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.authTimer);
    this.host.closed(this);
    this.unbind?.();
    this.agent = null;
  }
}
