// The caller's side of a call (we are the UAS): provisional responses (reliable ones with RSeq when the
// caller requires 100rel, RFC 3262), the 2xx retransmitted until its ACK, CANCEL answered 487, failures
// answered with the cause as a Reason, and the session timer the caller asked for (RFC 4028).
import {
  buildResponse, Dialog, getCSeq, hasOptionTag, negotiateUas, newTag, ReliableProvisionalSender,
  type InviteServerTransaction, type SipRequest, type SipResponse,
} from '../core/index.ts';
import type { IncomingRequest, SipSource } from '../index.ts';
import type { InboundLegEvents } from './b2bua-types.ts';
import { LOCAL_CAUSES, reasonHeader, type EndCause } from './causes.ts';
import { ALLOW, DialogLeg, safe, sdpOf, SUPPORTED } from './dialog-leg.ts';
import { TwoXxRetransmitter, type LegEnv } from './leg-env.ts';

const SDP = 'application/sdp';

export class InboundLeg extends DialogLeg<InboundLegEvents> {
  readonly request: SipRequest;
  readonly source: SipSource;
  readonly tx: InviteServerTransaction;
  readonly localTag: string;
  /** The caller's SDP offer, or null for an offerless INVITE (our offer goes in the 2xx). */
  readonly offer: string | null;
  /** RFC 3262: the caller sent Require: 100rel. */
  readonly requires100rel: boolean;
  private reliable: ReliableProvisionalSender | null = null;
  private finalSent = false;
  private ack: TwoXxRetransmitter | null = null;
  private ackWaiters: { resolve(): void; reject(e: Error): void } | null = null;
  /** The answer to our offer in a reliable 183 arrives in the PRACK. */
  private offerInProvisional = false;
  /** A reliable provisional carried SDP: RFC 3262 3 holds the 2xx until it is PRACKed. */
  private sdpInReliable = false;
  private prackWaiters: (() => void)[] = [];

  constructor(env: LegEnv, private readonly ctx: IncomingRequest) {
    super(env, { transport: ctx.source.transport, ip: ctx.source.ip, port: ctx.source.port, ...(ctx.source.connectionId ? { connectionId: ctx.source.connectionId } : {}) });
    this.request = ctx.request;
    this.source = ctx.source;
    this.tx = ctx.transaction as InviteServerTransaction;
    this.localTag = newTag(env.random);
    this.offer = sdpOf(this.request);
    this.requires100rel = safe(() => hasOptionTag(this.request, 'Require', '100rel'), false);
    this.remember(this.request);
    // The early dialog exists from our first response with a tag (RFC 3261 12.1.1): PRACK and UPDATE reach it.
    this.dialog = Dialog.fromUasRequest(this.request, this.localTag, { localContact: this.contact }, 'early');
    this.bindDialog(this.dialog);
    env.onCancel(this.tx, () => this.onCancelled());
    this.tx.user = { onTimeout: () => undefined };
  }

  get answered(): boolean {
    return this.finalSent && this.dialog?.state === 'confirmed';
  }

  private response(status: number, opts: { body?: string; headers?: Array<[string, string]>; reason?: string } = {}): SipResponse {
    const headers: Array<[string, string]> = [['Contact', this.contact], ['Allow', ALLOW], ['Supported', SUPPORTED], ...(opts.headers ?? [])];
    return buildResponse(this.request, status, {
      toTag: this.localTag, headers, ...(opts.reason ? { reason: opts.reason } : {}),
      ...(opts.body !== undefined ? { body: opts.body, contentType: SDP } : {}),
    });
  }

  private sendProvisional(res: SipResponse, reliable: boolean): void {
    if (this.finalSent || this.ended || this.tx.state !== 'proceeding') return;
    if (!reliable) return this.tx.respond(res);
    this.reliable ??= new ReliableProvisionalSender({
      timers: { setTimeout: (fn, ms) => this.env.clock.setTimeout(fn, ms), clearTimeout: (h) => this.env.clock.clearTimeout(h as never) },
      random: this.env.random, t1: this.env.settings.t1Ms,
      send: (r) => this.tx.state === 'proceeding' && this.tx.respond(r),
      // RFC 3262 3: no PRACK for 64*T1 → "the UAS SHOULD reject the original request with a 5xx".
      onTimeout: () => this.reject(LOCAL_CAUSES.timeout('no PRACK'), 504),
    });
    this.reliable.send(res);
  }

  /** 180 Ringing (no SDP). */
  ringing(): void {
    this.sendProvisional(this.response(180), this.requires100rel);
  }

  /** 183 Session Progress with our SDP: early media (ringback, announcements) flows to the caller. */
  progress(sdp: string): void {
    if (this.offer === null) this.offerInProvisional = true;
    if (this.requires100rel) this.sdpInReliable = true;
    this.sendProvisional(this.response(183, { body: sdp }), this.requires100rel);
  }

  /**
   * 200 OK with our SDP (the answer to the caller's offer, or our offer for an offerless INVITE).
   * Resolves when the ACK arrives; rejects after 64*T1 without one (the leg is then ended with BYE).
   */
  async answer(sdp: string): Promise<void> {
    // RFC 3262 3: with an unacknowledged reliable provisional that carried a session description, the UAS
    // "MUST NOT send a final response until those provisional responses are acknowledged". The sender's
    // own 64*T1 limit bounds the wait (it rejects the INVITE with 5xx).
    if (this.reliable?.pending && this.sdpInReliable) await new Promise<void>((resolve) => this.prackWaiters.push(resolve));
    if (this.finalSent || this.ended) throw new Error('leg already answered or ended');
    const timerHeaders = this.sessionTimerHeaders();
    if (timerHeaders === 'reject') throw new Error('session interval too small');
    this.reliable?.stop();
    const res = this.response(200, { body: sdp, headers: timerHeaders });
    this.finalSent = true;
    this.tx.respond(res);
    this.dialog!.confirm();
    this.ack = new TwoXxRetransmitter(this.env, this.tx, res, getCSeq(this.request).seq, () => {
      this.ackWaiters?.reject(new Error('no ACK'));
      this.bye(LOCAL_CAUSES.timeout('no ACK for 2xx'));
    });
    return new Promise<void>((resolve, reject) => (this.ackWaiters = { resolve, reject }));
  }

  private releasePrackWaiters(): void {
    for (const fn of this.prackWaiters.splice(0)) fn();
  }

  /** RFC 4028 9 for the initial INVITE: the 2xx states the interval and who refreshes. */
  private sessionTimerHeaders(): Array<[string, string]> | 'reject' {
    const policy = this.env.settings.sessionTimer;
    if (!policy) return [];
    const neg = negotiateUas(this.request, policy);
    if (neg.kind === 'reject') {
      this.reject({ ...LOCAL_CAUSES.error('Session interval too small'), status: 422 }, 422, neg.headers);
      return 'reject';
    }
    if (neg.kind === 'none') return [];
    this.timers.start(neg.interval, neg.refresher === 'uas');
    return neg.headers;
  }

  override onAck(ack: SipRequest): void {
    if (this.ack && !this.ack.done && safe(() => getCSeq(ack).seq, -1) === this.ack.cseq) {
      this.ack.stop();
      const sdp = sdpOf(ack);
      const waiters = this.ackWaiters;
      this.ackWaiters = null;
      if (this.offer === null && !this.offerInProvisional && sdp && this.media) {
        void this.media.answer(sdp).then(() => waiters?.resolve(), (e: Error) => waiters?.reject(e));
      } else {
        waiters?.resolve();
      }
      return;
    }
    super.onAck(ack);
  }

  protected override onPrack(ctx: IncomingRequest): void {
    if (!this.reliable || !this.reliable.prack(ctx.request)) return void ctx.reply(481);
    if (!this.reliable.pending) this.releasePrackWaiters();
    const sdp = sdpOf(ctx.request);
    if (sdp && this.offerInProvisional && this.media) {
      this.offerInProvisional = false;
      void this.media.answer(sdp).catch(() => undefined);
    }
    ctx.reply(200);
  }

  /** A final failure to the caller, with the cause as a Reason header (RFC 3326). */
  reject(cause: EndCause, status = cause.status ?? 480, headers: Array<[string, string]> = []): void {
    this.releasePrackWaiters();
    if (this.finalSent || this.ended) return;
    this.finalSent = true;
    this.reliable?.stop();
    if (this.tx.state === 'proceeding') {
      const res = buildResponse(this.request, status, { toTag: this.localTag, headers: [['Reason', reasonHeader(cause)], ...headers] });
      this.tx.respond(res);
    }
    this.end({ ...cause, status }, 'local');
  }

  /** Hangs up whatever the state: BYE once answered, else a final failure response. */
  hangup(cause: EndCause, status?: number): void {
    if (this.answered) this.bye(cause);
    else if (!this.finalSent) this.reject(cause, status);
    else this.bye(cause);
  }

  private onCancelled(): void {
    this.releasePrackWaiters();
    if (this.finalSent || this.ended) return;
    this.finalSent = true;
    this.reliable?.stop();
    // RFC 3261 9.2: "the UAS ... SHOULD then respond to the INVITE with a 487 (Request Terminated)".
    if (this.tx.state === 'proceeding') this.tx.respond(buildResponse(this.request, 487, { toTag: this.localTag }));
    this.safeEmit('cancelled');
    this.end(LOCAL_CAUSES.cancelled(), 'remote');
  }
}
