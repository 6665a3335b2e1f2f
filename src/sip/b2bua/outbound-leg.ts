// The callee's side of a call (we are the UAC): the INVITE with our offer, early dialogs and PRACK for
// reliable provisionals (RFC 3262), the ACK for the 2xx (and for a 2xx from a second fork: ACK then
// BYE), CANCEL, digest answers to a carrier's challenge, 422 retry (RFC 4028), and the final failure
// turned into a cause.
import {
  createRequest, Dialog, dialogIdOfResponse, dialogKey, getReasons, getTo, isReliableProvisional, negotiateUac, newCallId,
  newTag, quote, ReliableProvisionalReceiver, retryIntervalAfter422, uacRequestHeaders, type ClientTransaction, type InviteClientTransaction,
  type SipRequest, type SipResponse,
} from '../core/index.ts';
import { DigestAnswerer } from '../trunks/digest-answerer.ts';
import type { OutboundLegEvents, OutboundLegRequest } from './b2bua-types.ts';
import { causeOfResponse, LOCAL_CAUSES, reasonHeader, type EndCause } from './causes.ts';
import { ALLOW, DialogLeg, safe, sdpOf } from './dialog-leg.ts';
import { branchOf, requestFinal, sendAck, sendInvite, type LegEnv } from './leg-env.ts';

type OutboundState = 'idle' | 'calling' | 'proceeding' | 'answered' | 'failed';

export class OutboundLeg extends DialogLeg<OutboundLegEvents> {
  state: OutboundState = 'idle';
  readonly callId: string;
  private readonly fromTag: string;
  private cseq = 1;
  private invite: SipRequest | null = null;
  private tx: ClientTransaction | null = null;
  private readonly early = new Map<string, { dialog: Dialog; prack: ReliableProvisionalReceiver; answered: boolean }>();
  private ackFor: { key: string; ack: SipRequest } | null = null;
  private cancelRequested = false;
  private retried422 = false;
  private readonly digest: DigestAnswerer | null;
  private branches: string[] = [];

  constructor(env: LegEnv, private readonly req: OutboundLegRequest) {
    super(env, req.dest);
    this.callId = newCallId(env.random);
    this.fromTag = newTag(env.random);
    this.digest = req.auth ? new DigestAnswerer(req.auth, env.random) : null;
  }

  /** Sends the INVITE. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'calling';
    this.send(this.buildInvite(this.sessionHeaders()));
  }

  private sessionHeaders(interval?: number): Array<[string, string]> {
    const policy = this.env.settings.sessionTimer;
    if (!policy) return [];
    return uacRequestHeaders(interval ? { ...policy, interval } : policy).filter(([n]) => n !== 'Supported');
  }

  private buildInvite(extra: Array<[string, string]>): SipRequest {
    const r = this.req;
    const inv = createRequest({ method: 'INVITE', uri: r.requestUri, ...(r.offer ? { body: r.offer } : {}) });
    const h = inv.headers;
    const name = (d?: string) => (d ? `${quote(d)} ` : '');
    h.append('Max-Forwards', String(r.maxForwards ?? this.env.settings.maxForwards));
    h.append('From', `${name(r.from.displayName)}<${r.from.uri}>;tag=${this.fromTag}`);
    h.append('To', `${name(r.to.displayName)}<${r.to.uri}>`);
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${this.cseq++} INVITE`);
    h.append('Contact', this.contact);
    h.append('Allow', ALLOW);
    h.append('Supported', this.env.settings.sessionTimer ? '100rel, timer' : '100rel');
    h.append('User-Agent', this.env.settings.userAgent);
    for (const [n, v] of [...extra, ...(r.headers ?? [])]) h.append(n, v);
    if (r.offer) h.set('Content-Type', 'application/sdp');
    return inv;
  }

  private send(invite: SipRequest): void {
    this.invite = invite;
    this.tx = sendInvite(this.env, invite, this.dest, {
      onResponse: (res) => this.onResponse(invite, res),
      onTimeout: () => this.onTimeout(invite),
    });
    const branch = branchOf(invite);
    if (branch) {
      this.branches.push(branch);
      this.env.trackBranch(branch, true);
    }
  }

  /** RFC 3261 9.1: CANCEL once a provisional has arrived (the layer holds it until then). */
  cancel(): void {
    if (this.state === 'answered' || this.state === 'failed' || this.cancelRequested) return;
    this.cancelRequested = true;
    if (this.tx && this.tx.kind === 'ict') this.env.stack.transactions.cancel(this.tx as InviteClientTransaction);
  }

  /** Ends the leg however far it got: CANCEL before the answer, BYE after. */
  hangup(cause: EndCause): void {
    if (this.state === 'answered') return this.bye(cause);
    this.cancel();
    if (this.state !== 'failed') this.fail(cause);
  }

  private onTimeout(invite: SipRequest): void {
    if (invite !== this.invite || this.state === 'answered' || this.state === 'failed') return;
    this.fail(this.cancelRequested ? LOCAL_CAUSES.cancelled() : LOCAL_CAUSES.timeout('INVITE timed out'));
  }

  private onResponse(invite: SipRequest, res: SipResponse): void {
    if (invite !== this.invite) return;
    if (res.status === 100) return;
    if (res.status < 200) return this.onProvisional(res);
    if (res.status < 300) return this.onSuccess(invite, res);
    this.onFailure(res);
  }

  private earlyFor(res: SipResponse): { dialog: Dialog; prack: ReliableProvisionalReceiver; answered: boolean } | undefined {
    const tag = safe(() => getTo(res).tag, undefined);
    if (!tag || !this.invite) return undefined;
    let e = this.early.get(tag);
    if (!e) {
      const dialog = Dialog.fromUacResponse(this.invite, res, { localContact: this.contact });
      e = { dialog, prack: new ReliableProvisionalReceiver(), answered: false };
      this.early.set(tag, e);
      this.bindDialog(dialog);
      this.dialog ??= dialog;
    } else {
      e.dialog.updateFromResponse(res);
    }
    return e;
  }

  private onProvisional(res: SipResponse): void {
    if (this.state === 'answered' || this.state === 'failed') return;
    this.state = 'proceeding';
    this.remember(res);
    const e = this.earlyFor(res);
    if (e && isReliableProvisional(res)) {
      // RFC 3262 4: PRACK each reliable provisional once, in order; ignore retransmissions.
      const verdict = e.prack.receive(res);
      if (verdict !== 'prack') return;
      requestFinal(this.env, e.dialog.createPrack(res), this.dest).catch(() => undefined);
    }
    let sdp = sdpOf(res);
    if (sdp && e) {
      if (e.answered) sdp = null;
      else e.answered = true;
    }
    this.safeEmit('provisional', { status: res.status, reason: res.reason, sdp });
  }

  private onSuccess(invite: SipRequest, res: SipResponse): void {
    const key = dialogKey(dialogIdOfResponse(res));
    if (this.ackFor) {
      // RFC 6026: a retransmitted 2xx gets our ACK again; a 2xx of another fork is ACKed and released.
      if (this.ackFor.key === key) return sendAck(this.env, this.ackFor.ack, this.dest);
      const other = Dialog.fromUacResponse(invite, res, { localContact: this.contact });
      sendAck(this.env, other.createAck(invite), this.dest);
      requestFinal(this.env, other.createRequest('BYE', { headers: [['Reason', reasonHeader(LOCAL_CAUSES.normal())]] }), this.dest).catch(() => undefined);
      return;
    }
    if (this.state === 'failed' || this.ended) {
      // Answered after we gave up (CANCEL crossed the 2xx): complete and release it.
      const d = Dialog.fromUacResponse(invite, res, { localContact: this.contact });
      sendAck(this.env, d.createAck(invite), this.dest);
      requestFinal(this.env, d.createRequest('BYE', { headers: [['Reason', reasonHeader(LOCAL_CAUSES.cancelled())]] }), this.dest).catch(() => undefined);
      return;
    }
    const tag = safe(() => getTo(res).tag, undefined) ?? '';
    const e = this.early.get(tag);
    const dialog = e?.dialog ?? Dialog.fromUacResponse(invite, res, { localContact: this.contact });
    dialog.updateFromResponse(res);
    this.dialog = dialog;
    this.unbindAll();
    this.bindDialog(dialog);
    const ack = dialog.createAck(invite);
    this.ackFor = { key, ack };
    sendAck(this.env, ack, this.dest);
    this.state = 'answered';
    this.remember(res);
    this.untrack();
    const uac = this.env.settings.sessionTimer ? negotiateUac(res) : null;
    if (uac) this.timers.start(uac.interval, uac.weRefresh);
    const sdp = e?.answered ? null : sdpOf(res);
    this.safeEmit('answered', { sdp });
  }

  private onFailure(res: SipResponse): void {
    if (this.state === 'answered' || this.state === 'failed') return;
    const invite = this.invite!;
    if ((res.status === 401 || res.status === 407) && this.digest && !this.cancelRequested) {
      const next = this.rebuild(invite);
      if (this.digest.answer(next, res)) return this.send(next);
    }
    if (res.status === 422 && !this.retried422 && !this.cancelRequested) {
      // RFC 4028 7.3: retry with a Session-Expires at least the Min-SE of the 422.
      const interval = retryIntervalAfter422(res, this.env.settings.sessionTimer?.interval ?? 1800);
      if (interval !== undefined) {
        this.retried422 = true;
        return this.send(this.buildInvite(this.sessionHeaders(interval)));
      }
    }
    this.fail(this.cancelRequested && res.status === 487 ? LOCAL_CAUSES.cancelled() : causeOfResponse(res.status, safe(() => getReasons(res), [])));
  }

  /** The same INVITE with the next CSeq (and a fresh branch), for a digest retry. */
  private rebuild(invite: SipRequest): SipRequest {
    const next = createRequest({ method: 'INVITE', uri: invite.uri, body: invite.body });
    for (const [name, values] of invite.headers.entries()) {
      if (name === 'Via' || name === 'CSeq' || name === 'Authorization' || name === 'Proxy-Authorization') continue;
      next.headers.append(name, ...values);
    }
    next.headers.set('CSeq', `${this.cseq++} INVITE`);
    return next;
  }

  private fail(cause: EndCause): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.untrack();
    this.safeEmit('failed', { cause });
    this.end(cause, 'remote');
  }

  private untrack(): void {
    for (const b of this.branches) this.env.trackBranch(b, false);
    this.branches = [];
  }

  protected override end(cause: EndCause, by: 'remote' | 'local'): void {
    this.untrack();
    super.end(cause, by);
  }
}
