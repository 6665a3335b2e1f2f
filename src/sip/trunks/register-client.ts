// The box registering to a carrier (mode b, RFC 3261 10.2): REGISTER with digest, the granted expiry
// read back, a refresh before it lapses, 423 Min-Expires honoured, and retries with a backoff while the
// carrier refuses or is unreachable. Its state is what the console shows: 已注册 / 未注册 / 异常.
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  createRequest, getContacts, getExpires, getMinExpires, newCallId, newTag, uriEquals, parseUri,
  type RandomSource, type SipRequest, type SipResponse,
} from '../core/index.ts';
import type { SipDestination, TransportProtocol } from '../index.ts';
import { DigestAnswerer } from './digest-answerer.ts';
import { SipRequestError, type SipRequester } from './sip-requester.ts';
import type { RegistrationState } from './trunk-types.ts';

export interface RegisterAccount {
  username: string;
  authUsername: string | null;
  password: string;
  /** Registrar host (and the account's domain). */
  server: string;
  outboundProxy: string | null;
  port: number;
  transport: TransportProtocol;
  /** Requested lifetime (s). */
  expires: number;
}

export interface RegisterClientOptions {
  clock: Clock;
  random: RandomSource;
  log: Logger;
  requester: SipRequester;
  account: RegisterAccount;
  /** URI parameter that marks requests the carrier sends to this registration (`line=<token>`). */
  lineToken: string;
  /** First retry after a failure (ms); doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  onState?(state: RegistrationState, detail: string | null): void;
}

/**
 * When to refresh a registration granted for `granted` seconds: at 90 % of it, and at least 5 s before it
 * lapses (a short grant still leaves time for one retransmitted REGISTER), never sooner than 1 s.
 */
export function refreshDelaySeconds(granted: number): number {
  return Math.max(1, Math.min(granted * 0.9, granted - 5));
}

export class RegisterClient {
  private readonly callId: string;
  private readonly fromTag: string;
  private cseq = 1;
  private timer: TimerHandle | undefined;
  private attempt = 0;
  private stopped = false;
  private requested: number;
  private readonly digest: DigestAnswerer;
  private running: Promise<void> | null = null;
  state: RegistrationState = 'unregistered';
  detail: string | null = null;
  /** Monotonic ms at which the current registration lapses. */
  expiresAtMono: number | null = null;
  /** Where the carrier was reached (its source address identifies its INVITEs). */
  destination: SipDestination | null = null;

  constructor(private readonly opts: RegisterClientOptions) {
    this.callId = newCallId(opts.random);
    this.fromTag = newTag(opts.random);
    this.requested = opts.account.expires;
    this.digest = new DigestAnswerer({ username: opts.account.authUsername ?? opts.account.username, password: opts.account.password }, opts.random);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Seconds left of the registration, or null. */
  expiresIn(): number | null {
    if (this.state !== 'registered' || this.expiresAtMono === null) return null;
    return Math.max(0, Math.round((this.expiresAtMono - this.opts.clock.monotonic()) / 1000));
  }

  /**
   * Stops refreshing and removes the binding at the carrier: best effort, waiting at most `waitMs` for the
   * answer (a carrier that does not answer must not hold up the box's shutdown for a whole Timer F).
   */
  async stop(unregister = true, waitMs = 2000): Promise<void> {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (unregister && this.state === 'registered') {
      let timer: TimerHandle | undefined;
      const deadline = new Promise<void>((resolve) => (timer = this.opts.clock.setTimeout(resolve, waitMs)));
      await Promise.race([this.send(0).catch(() => undefined), deadline]);
      this.opts.clock.clearTimeout(timer);
    }
    this.setState('unregistered', null);
  }

  private schedule(ms: number): void {
    this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => {
      this.running = this.register().finally(() => (this.running = null));
    }, ms);
  }

  private async register(): Promise<void> {
    if (this.stopped) return;
    try {
      const res = await this.send(this.requested);
      if (this.stopped) return;
      this.onFinal(res);
    } catch (err) {
      if (this.stopped) return;
      const detail = err instanceof SipRequestError ? err.message : String(err);
      this.fail(detail);
    }
  }

  private onFinal(res: SipResponse): void {
    if (res.status >= 200 && res.status < 300) {
      const granted = this.grantedSeconds(res);
      this.attempt = 0;
      this.expiresAtMono = this.opts.clock.monotonic() + granted * 1000;
      this.setState('registered', null);
      this.schedule(refreshDelaySeconds(granted) * 1000);
      return;
    }
    if (res.status === 423) {
      // RFC 3261 10.2.8: "the UAC MAY retry the registration with an expiration interval ... at least" Min-Expires.
      const min = getMinExpires(res);
      if (min !== undefined && min > this.requested) {
        this.requested = min;
        this.schedule(0);
        return;
      }
    }
    this.fail(`${res.status} ${res.reason}`);
  }

  private fail(detail: string): void {
    const base = this.opts.retryMs ?? 30_000;
    const delay = Math.min(this.opts.maxRetryMs ?? 300_000, base * 2 ** this.attempt);
    this.attempt++;
    this.expiresAtMono = null;
    this.setState('failed', detail);
    this.opts.log.warn({ server: this.opts.account.server, detail, retryInMs: delay }, 'carrier registration failed');
    this.schedule(delay);
  }

  private setState(state: RegistrationState, detail: string | null): void {
    if (this.state === state && this.detail === detail) return;
    this.state = state;
    this.detail = detail;
    this.opts.onState?.(state, detail);
  }

  /** The expiry the registrar granted our contact (its Contact's expires, else Expires, else what we asked). */
  private grantedSeconds(res: SipResponse): number {
    const ours = this.contactUri();
    try {
      const contacts = getContacts(res);
      if (contacts !== '*') {
        const mine = contacts.find((c) => uriEquals(c.uri, parseUri(ours)));
        if (mine?.expires !== undefined) return mine.expires;
      }
      return getExpires(res) ?? this.requested;
    } catch {
      return this.requested;
    }
  }

  private contactUri(): string {
    const a = this.destination ? this.opts.requester.advertisedFor(this.destination) : { host: '0.0.0.0', port: 0 };
    const t = this.opts.account.transport;
    return `sip:${this.opts.account.username}@${a.host}:${a.port}${t === 'udp' ? '' : `;transport=${t}`};line=${this.opts.lineToken}`;
  }

  private build(expires: number): SipRequest {
    const { account } = this.opts;
    const portPart = account.port === (account.transport === 'tls' ? 5061 : 5060) ? '' : `:${account.port}`;
    const aor = `sip:${account.username}@${account.server}`;
    const req = createRequest({ method: 'REGISTER', uri: `sip:${account.server}${portPart}` });
    const h = req.headers;
    h.append('Max-Forwards', '70');
    h.append('From', `<${aor}>;tag=${this.fromTag}`);
    h.append('To', `<${aor}>`);
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${this.cseq++} REGISTER`);
    h.append('Contact', `<${this.contactUri()}>`);
    h.append('Expires', String(expires));
    h.append('User-Agent', 'ccbox');
    h.append('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY');
    return req;
  }

  /** One REGISTER (answering up to two challenges). */
  private async send(expires: number): Promise<SipResponse> {
    const { account, requester } = this.opts;
    this.destination ??= await requester.resolve(account.outboundProxy ?? account.server, account.port, account.transport);
    let req = this.build(expires);
    for (let round = 0; ; round++) {
      const res = await requester.request(req, this.destination);
      if ((res.status !== 401 && res.status !== 407) || round >= 2) {
        this.digest.settled();
        return res;
      }
      const next = this.build(expires);
      if (!this.digest.answer(next, res)) return res;
      req = next;
    }
  }
}
