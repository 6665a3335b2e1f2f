// One side of a call as an RFC 3261 dialog: the requests the peer sends within it (BYE, re-INVITE and
// UPDATE offers for hold/resume, INFO digits, REFER, PRACK), the BYE we send, session refreshes
// (RFC 4028), and re-INVITE glare (491). Inbound (UAS) and outbound (UAC) legs extend it.
import { TypedEmitter } from '../../platform/events.ts';
import {
  getContentType, getCSeq, getReasons, getReferTo, getReferredBy, hasOptionTag, negotiateUas, negotiateUac, replacesFromReferTo,
  serializeNameAddr, type Dialog, type InviteServerTransaction, type SipRequest, type SipResponse,
} from '../core/index.ts';
import type { IncomingRequest, SipDestination } from '../index.ts';
import { ALLOWED_METHODS, SUPPORTED_OPTION_TAGS } from '../index.ts';
import type { DialogLegEvents, LegMediaHandler, ReferProgress, ReferRequest } from './b2bua-types.ts';
import { causeOfBye, LOCAL_CAUSES, reasonHeader, type EndCause } from './causes.ts';
import { contactFor, requestFinal, sendAck, sendInvite, TwoXxRetransmitter, type DialogTarget, type LegEnv } from './leg-env.ts';
import { SessionTimerRunner } from './session-timer-runner.ts';

const SDP = 'application/sdp';
export const ALLOW = ALLOWED_METHODS.join(', ');
export const SUPPORTED = SUPPORTED_OPTION_TAGS.join(', ');

export function sdpOf(msg: SipRequest | SipResponse): string | null {
  if (msg.body.length === 0) return null;
  try {
    const ct = getContentType(msg);
    return ct && ct.type === 'application' && ct.subtype === 'sdp' ? msg.body.toString('utf8') : null;
  } catch {
    return null;
  }
}

/** DTMF from SIP INFO: `Signal=5` (application/dtmf-relay) or a bare digit (application/dtmf). */
export function infoDigit(req: SipRequest): { digit: string; durationMs: number } | null {
  const text = req.body.toString('utf8');
  const relay = /Signal\s*=\s*([0-9A-D*#])/i.exec(text);
  if (relay) return { digit: relay[1]!.toUpperCase(), durationMs: Number(/Duration\s*=\s*(\d+)/i.exec(text)?.[1] ?? 160) };
  const bare = /^\s*([0-9A-D*#])\s*$/i.exec(text);
  return bare ? { digit: bare[1]!.toUpperCase(), durationMs: 160 } : null;
}

export abstract class DialogLeg<E extends DialogLegEvents & { [K in keyof E]: unknown[] } = DialogLegEvents> extends TypedEmitter<E> implements DialogTarget {
  dialog: Dialog | null = null;
  media: LegMediaHandler | null = null;
  ended = false;
  endCause: EndCause | null = null;
  /** The peer listed UPDATE in Allow (session refreshes then use UPDATE). */
  peerAllowsUpdate = false;
  protected readonly timers: SessionTimerRunner;
  private outgoingReinvite = false;
  private incomingReinvite: TwoXxRetransmitter | null = null;
  /** An offer of ours is in a 2xx to an offerless re-INVITE: the answer comes in the ACK. */
  private awaitingAckAnswer = false;
  private readonly boundKeys = new Set<string>();

  protected constructor(protected readonly env: LegEnv, public dest: SipDestination) {
    super();
    this.timers = new SessionTimerRunner(env.clock, {
      refresh: () => this.refreshSession(),
      expire: () => this.bye(LOCAL_CAUSES.sessionExpired()),
    });
  }

  /** The events every leg kind has (the subclasses' maps extend them). */
  private base(): TypedEmitter<DialogLegEvents> {
    return this as unknown as TypedEmitter<DialogLegEvents>;
  }

  /** The same emitter typed with the events common to inbound and outbound legs. */
  get common(): TypedEmitter<DialogLegEvents> {
    return this.base();
  }

  get contact(): string {
    return contactFor(this.env, this.dest);
  }

  protected bindDialog(d: Dialog): void {
    this.boundKeys.add(d.key);
    this.env.bind(d.key, this);
  }

  protected unbindAll(): void {
    for (const k of this.boundKeys) this.env.unbind(k);
    this.boundKeys.clear();
  }

  /** An in-dialog request from the peer (the transaction layer has absorbed retransmissions). */
  receive(ctx: IncomingRequest): void {
    const req = ctx.request;
    const d = this.dialog;
    if (!d || this.ended) return void ctx.reply(481);
    const check = d.receiveRequest(req);
    if (!check.ok) return void ctx.reply(check.status, { reason: check.reason });
    switch (req.method) {
      case 'BYE':
        ctx.reply(200);
        this.end(causeOfBye(safe(() => getReasons(req), [])), 'remote');
        return;
      case 'INVITE':
        return void this.onReinvite(ctx);
      case 'UPDATE':
        return void this.onUpdate(ctx);
      case 'INFO': {
        const digit = infoDigit(req);
        ctx.reply(200);
        if (digit) this.base().safeEmit('dtmf', digit);
        return;
      }
      case 'REFER':
        return this.onRefer(ctx);
      case 'PRACK':
        return this.onPrack(ctx);
      case 'OPTIONS':
      case 'NOTIFY':
        return void ctx.reply(200, { headers: [['Allow', ALLOW]] });
      default:
        ctx.reply(405, { headers: [['Allow', ALLOW]] });
    }
  }

  /** PRACK: only an inbound leg sending reliable provisionals expects one. */
  protected onPrack(ctx: IncomingRequest): void {
    ctx.reply(481);
  }

  /** The ACK for a 2xx we sent (initial INVITE in InboundLeg, re-INVITEs here). */
  onAck(ack: SipRequest): void {
    const r = this.incomingReinvite;
    if (!r || safe(() => getCSeq(ack).seq, -1) !== r.cseq) return;
    r.stop();
    this.incomingReinvite = null;
    const sdp = sdpOf(ack);
    if (this.awaitingAckAnswer && sdp && this.media) {
      this.awaitingAckAnswer = false;
      void this.media.answer(sdp).catch((err: unknown) => this.env.log.warn({ err }, 'answer in ACK rejected'));
    }
  }

  /** RFC 3261 14.2 re-INVITE: hold/resume and session refreshes; glare → 491. */
  private async onReinvite(ctx: IncomingRequest): Promise<void> {
    const req = ctx.request;
    const tx = ctx.transaction as InviteServerTransaction;
    // 14.2: "A UAS that receives a second INVITE before it sends the final response to a first INVITE
    // with a lower CSeq ... MUST return a 500"; one that has sent its own re-INVITE answers 491.
    if (this.outgoingReinvite) return void ctx.reply(491);
    if (this.incomingReinvite && !this.incomingReinvite.done) return void ctx.reply(500, { headers: [['Retry-After', '1']] });
    const timer = this.negotiateRefresh(ctx);
    if (timer === 'reject') return;
    const offer = sdpOf(req);
    let body: string;
    try {
      if (!this.media) throw new Error('no media');
      body = offer ? await this.media.offer(offer) : await this.media.makeOffer();
    } catch (err) {
      this.env.log.info({ err: (err as Error).message }, 're-INVITE offer not acceptable');
      return void ctx.reply(488);
    }
    if (this.ended || tx.state !== 'proceeding') return;
    const res = ctx.reply(200, { headers: [['Contact', this.contact], ['Allow', ALLOW], ['Supported', SUPPORTED], ...timer], body, contentType: SDP });
    this.awaitingAckAnswer = offer === null;
    this.incomingReinvite = new TwoXxRetransmitter(this.env, tx, res, getCSeq(req).seq, () => this.bye(LOCAL_CAUSES.timeout('no ACK for re-INVITE 2xx')));
  }

  /** RFC 3311 UPDATE: an offer (hold in an early or confirmed dialog) or a bare session refresh. */
  private async onUpdate(ctx: IncomingRequest): Promise<void> {
    const timer = this.negotiateRefresh(ctx);
    if (timer === 'reject') return;
    const offer = sdpOf(ctx.request);
    if (!offer) return void ctx.reply(200, { headers: [['Contact', this.contact], ...timer] });
    try {
      if (!this.media) throw new Error('no media');
      const answer = await this.media.offer(offer);
      ctx.reply(200, { headers: [['Contact', this.contact], ...timer], body: answer, contentType: SDP });
    } catch {
      ctx.reply(488);
    }
  }

  /**
   * A refresh from the peer (re-INVITE, UPDATE) renegotiates the session timer (RFC 4028 9). Returns the
   * headers for our 2xx, or 'reject' when it has been answered 422.
   */
  private negotiateRefresh(ctx: IncomingRequest): Array<[string, string]> | 'reject' {
    const req = ctx.request;
    const policy = this.env.settings.sessionTimer;
    if (!policy || (!this.timers.active && !req.headers.has('Session-Expires'))) return [];
    const neg = negotiateUas(req, policy);
    if (neg.kind === 'reject') {
      ctx.reply(422, { headers: neg.headers });
      return 'reject';
    }
    if (neg.kind === 'none') {
      this.timers.stop();
      return [];
    }
    this.timers.start(neg.interval, neg.refresher === 'uas');
    return neg.headers;
  }

  /** RFC 3515 REFER: blind transfer; the call decides and reports progress by NOTIFY. */
  private onRefer(ctx: IncomingRequest): void {
    const req = ctx.request;
    const referTo = safe(() => getReferTo(req), undefined);
    if (!referTo) return void ctx.reply(400, { reason: 'Missing Refer-To' });
    // Attended transfer (Replaces in Refer-To) is not offered from phones yet.
    if (safe(() => replacesFromReferTo(referTo), undefined)) return void ctx.reply(501, { reason: 'Attended transfer not supported' });
    if (this.base().listenerCount('refer') === 0) return void ctx.reply(603);
    const by = safe(() => getReferredBy(req), undefined);
    let answered = false;
    const refer: ReferRequest = {
      target: referTo.uri,
      referredBy: by ? serializeNameAddr(by) : null,
      accept: () => {
        answered = true;
        ctx.reply(202);
        const progress: ReferProgress = { notify: (status, reason) => this.notifyRefer(status, reason) };
        progress.notify(100, 'Trying');
        return progress;
      },
      reject: (status, reason) => {
        if (answered) return;
        answered = true;
        ctx.reply(status, reason ? { reason } : {});
      },
    };
    this.base().safeEmit('refer', refer);
  }

  private notifyRefer(status: number, reason = ''): void {
    if (!this.dialog || this.ended) return;
    const final = status >= 200;
    const req = this.dialog.createRequest('NOTIFY', {
      headers: [['Event', 'refer'], ['Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60']],
      contentType: 'message/sipfrag;version=2.0',
      body: `SIP/2.0 ${status} ${reason}`.trim() + '\r\n',
    });
    requestFinal(this.env, req, this.dest).catch(() => undefined);
  }

  /** Sends BYE with the cause as a Reason (RFC 3326); the leg ends at once (the BYE's answer does not matter). */
  bye(cause: EndCause): void {
    if (this.ended) return;
    const d = this.dialog;
    if (d && d.state === 'confirmed') {
      const req = d.createRequest('BYE', { headers: [['Reason', reasonHeader(cause)]] });
      requestFinal(this.env, req, this.dest).catch(() => undefined);
    }
    this.end(cause, 'local');
  }

  /** RFC 4028 10: the refresher refreshes at half the interval, by UPDATE when allowed, else re-INVITE. */
  private async refreshSession(): Promise<void> {
    const d = this.dialog;
    if (!d || this.ended || d.state !== 'confirmed') return;
    const interval = this.timers.interval;
    const headers: Array<[string, string]> = [['Session-Expires', `${interval};refresher=uac`], ['Supported', 'timer'], ['Min-SE', String(this.env.settings.sessionTimer?.minSE ?? 90)]];
    try {
      let res: SipResponse | null;
      if (this.peerAllowsUpdate) res = await requestFinal(this.env, d.createRequest('UPDATE', { headers }), this.dest);
      else res = await this.reinvite(headers);
      if (!res || this.ended) return;
      d.updateFromResponse(res);
      if (res.status === 481 || res.status === 408) return this.bye(LOCAL_CAUSES.timeout(`refresh answered ${res.status}`));
      const uac = res.status < 300 ? negotiateUac(res) : null;
      this.timers.start(uac?.interval ?? interval, uac ? uac.weRefresh : true);
    } catch {
      this.bye(LOCAL_CAUSES.timeout('session refresh'));
    }
  }

  /** Sends a re-INVITE with our current offer; resolves with its final response (ACKed when 2xx). */
  protected reinvite(headers: Array<[string, string]> = [], hold = false): Promise<SipResponse | null> {
    const d = this.dialog;
    if (!d || !this.media || this.outgoingReinvite) return Promise.resolve(null);
    this.outgoingReinvite = true;
    const media = this.media;
    return media.makeOffer(hold).then((offer) => new Promise<SipResponse | null>((resolve) => {
      const invite = d.createRequest('INVITE', { headers: [['Allow', ALLOW], ...headers], body: offer, contentType: SDP });
      let settled = false;
      const finish = (res: SipResponse | null): void => {
        this.outgoingReinvite = false;
        if (!settled) resolve(res);
        settled = true;
      };
      sendInvite(this.env, invite, this.dest, {
        onResponse: (res) => {
          if (res.status < 200) return;
          if (res.status < 300) {
            sendAck(this.env, d.createAck(invite), this.dest);
            if (settled) return;
            const sdp = sdpOf(res);
            (sdp ? media.answer(sdp) : Promise.resolve()).catch(() => undefined).finally(() => finish(res));
            return;
          }
          finish(res);
        },
        onTimeout: () => finish(null),
      });
    }), () => {
      this.outgoingReinvite = false;
      return null;
    });
  }

  /** The leg is over: timers stopped, dialog forgotten, listeners told once. */
  protected end(cause: EndCause, by: 'remote' | 'local'): void {
    if (this.ended) return;
    this.ended = true;
    this.endCause = cause;
    this.timers.stop();
    this.incomingReinvite?.stop();
    this.dialog?.terminate();
    this.unbindAll();
    this.base().safeEmit('ended', { cause, by });
  }

  protected remember(msg: SipRequest | SipResponse): void {
    if (safe(() => hasOptionTag(msg, 'Allow', 'UPDATE'), false)) this.peerAllowsUpdate = true;
  }
}

export function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
