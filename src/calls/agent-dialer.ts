// The ACD's AgentDeviceDialer on real calls: an agent's desk phone is rung as a B2BUA leg to its registered
// contacts, a workbench agent (softphone online) over the workbench socket with a WebRTC leg on answer. On
// answer the device's leg is connected to the caller in the call's router and the stereo recording starts
// (left customer, right agent); the session then lasts until the agent hangs up, is released, or the call ends.
import type { Acd, AgentDeviceDialer, OfferCallInfo, OfferCancelReason, OfferOptions, OfferResult, OfferTarget } from '../acd/index.ts';
import type { WebRtcService } from '../media/webrtc/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES, type B2bua, type EndCause } from '../sip/b2bua/index.ts';
import type { SipStack } from '../sip/index.ts';
import type { Trunks } from '../sip/trunks/index.ts';
import type { CallNotebook, CallNotes } from './call-notes.ts';
import type { Call, CallLeg } from './call.ts';
import type { Calls } from './calls.ts';
import { BrowserOffers } from './browser-offers.ts';
import { Ringer, type RingTarget } from './ringer.ts';
import { extensionTargets } from './targets.ts';

/** How an agent's part of a call ended. */
export type SessionEnd = 'agent' | 'call' | 'released';

/** An answered offer: the agent's device is connected to the caller. */
export interface AgentSession {
  readonly offerId: string;
  readonly callId: string;
  readonly agentId: number | null;
  readonly phoneId: number | null;
  readonly device: 'phone' | 'web' | 'mobile';
  readonly legId: string;
  readonly answeredAt: number;
  readonly ended: Promise<SessionEnd>;
  /** Takes the agent out of the call (transfer, the ACD's cancel, the control API's hang-up for the agent). */
  release(cause?: EndCause): void;
}

export interface AgentDialerOptions {
  calls: Calls;
  b2bua: B2bua;
  stack: SipStack;
  trunks: Trunks;
  acd: Acd;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  /** Browser agents' media (absent: agents are rung on their desk phones only). */
  webrtc?: () => WebRtcService | null;
  /** Tells a workbench about an offer (ringing) or its end; false when the agent has no open workbench. */
  notifyAgent?: (agentId: number, event: string, data: unknown) => boolean;
}

/** Common auto-answer hints (Yealink/Fanvil: Call-Info answer-after; Polycom/Grandstream: Alert-Info). */
const AUTO_ANSWER_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Call-Info', '<sip:ccbox>;answer-after=0'],
  ['Alert-Info', '<http://ccbox/autoanswer>;info=alert-autoanswer;delay=0'],
];

export class AgentDialer implements AgentDeviceDialer {
  private readonly ringer: Ringer;
  private readonly ringing = new Map<string, { callId: string; abort: AbortController }>();
  private readonly sessions = new Map<string, AgentSession>();
  private readonly browser: BrowserOffers;
  private readonly recording = new Set<string>();

  constructor(private readonly o: AgentDialerOptions) {
    this.ringer = new Ringer(o.b2bua, o.clock, o.log);
    this.browser = new BrowserOffers(o.clock, o.notifyAgent ?? (() => false));
  }

  session(offerId: string): AgentSession | undefined {
    return this.sessions.get(offerId);
  }

  /** The agent's current session on a call (the control API's hang-up, transfer). */
  sessionOf(callId: string, agentId?: number): AgentSession | undefined {
    return [...this.sessions.values()].find((s) => s.callId === callId && (agentId === undefined || s.agentId === agentId));
  }

  /** Offers waiting for a browser answer (workbench answer/reject through the control API). */
  get browserOffers(): BrowserOffers {
    return this.browser;
  }

  async offer(target: OfferTarget, info: OfferCallInfo, opts: OfferOptions): Promise<OfferResult> {
    const call = this.o.calls.live(info.callId);
    const caller = call?.legs.get(`${info.callId}:caller`);
    if (!call || !caller || call.isEnded || !call.media) return 'failed';
    const notes = this.o.notebook.of(call.id);
    const agentId = target.kind === 'agent' ? target.agentId : null;
    const phoneId = target.kind === 'agent' ? target.phoneId : target.phoneId;
    const agent = agentId !== null ? this.o.acd.directory.agents.get(agentId) : undefined;
    // 手机接听: the agent's mobile is rung through a channel instead of their softphone or desk phone.
    const mobile = target.kind === 'agent' && agent?.mobile.answer ? agent.mobile.number : null;
    const web = !mobile && target.kind === 'agent' && target.web && agentId !== null && !!this.o.webrtc?.()?.agent(agentId);
    const device = mobile ? 'mobile' as const : web ? 'web' as const : 'phone' as const;
    const offer = { offerId: info.offerId, agentId, staffNo: agent?.staffNo ?? null, device, at: this.o.clock.now(), endedAt: null, result: 'ringing' as const };
    const note = { ...offer } as CallNotes['offers'][number];
    notes.offers.push(note);
    notes.phase = 'ringing';
    let result: OfferResult = 'failed';
    try {
      result = mobile
        ? await this.offerMobile(call, caller, agentId, mobile, info, opts)
        : web ? await this.offerBrowser(call, caller, agentId!, info, opts) : await this.offerPhone(call, caller, phoneId, agentId, info, opts);
    } catch (err) {
      this.o.log.warn({ err, callId: call.id, offerId: info.offerId }, 'ringing the agent failed');
      result = 'failed';
    }
    note.endedAt = this.o.clock.now();
    note.result = result;
    if (result !== 'answered' && notes.phase === 'ringing' && !notes.offers.some((x) => x.result === 'ringing')) notes.phase = 'queue';
    return result;
  }

  cancel(offerId: string, reason: OfferCancelReason): void {
    const r = this.ringing.get(offerId);
    if (r) {
      this.ringing.delete(offerId);
      r.abort.abort(reason);
      const note = this.o.notebook.peek(r.callId)?.offers.find((x) => x.offerId === offerId);
      if (note && note.result === 'ringing') note.result = 'cancelled';
    }
    this.browser.cancel(offerId);
    this.sessions.get(offerId)?.release(LOCAL_CAUSES.normal());
  }

  private async offerPhone(call: Call, caller: CallLeg, phoneId: number | null, agentId: number | null, info: OfferCallInfo, opts: OfferOptions): Promise<OfferResult> {
    const extension = phoneId !== null ? this.o.acd.directory.phones.get(phoneId)?.extension : undefined;
    if (!extension) return 'failed';
    const targets = extensionTargets(this.o.stack, (id) => this.o.trunks.isClosedConnection(id), extension, { number: call.record.caller, name: call.record.callerName });
    return this.ringAndConnect(call, caller, targets, { agentId, phoneId, device: 'phone', party: extension }, info, opts);
  }

  /** 手机接听: the mobile through a channel, showing the number the customer called (else the channel's). */
  private async offerMobile(call: Call, caller: CallLeg, agentId: number | null, mobile: string, info: OfferCallInfo, opts: OfferOptions): Promise<OfferResult> {
    // outboundTarget notes the channel and number on the call record: this call keeps its own.
    const { number, channelId, channelName } = call.record;
    const route = await this.o.calls.outboundTarget(call, mobile, this.o.b2bua.env.settings.maxForwards, number);
    Object.assign(call.record, { number, channelId, channelName });
    if ('cause' in route) return 'failed';
    return this.ringAndConnect(call, caller, [route.target], { agentId, phoneId: null, device: 'mobile', party: mobile }, info, opts);
  }

  private async ringAndConnect(
    call: Call, caller: CallLeg, targets: RingTarget[], who: { agentId: number | null; phoneId: number | null; device: 'phone' | 'mobile'; party: string },
    info: OfferCallInfo, opts: OfferOptions,
  ): Promise<OfferResult> {
    if (!targets.length) return 'failed';
    const abort = new AbortController();
    this.ringing.set(info.offerId, { callId: call.id, abort });
    const outcome = await this.ringer.ring(call, caller, targets, {
      relay: false, ringTimeoutMs: opts.timeoutMs, essential: false, signal: abort.signal, ...(opts.autoAnswer ? { headers: AUTO_ANSWER_HEADERS } : {}),
    });
    this.ringing.delete(info.offerId);
    if (outcome.result === 'failed') {
      const c = outcome.cause.category;
      if (c === 'noAnswer' || c === 'timeout') return 'timeout';
      if (c === 'busy' || c === 'rejected') return 'rejected';
      return 'failed';
    }
    const leg = call.legs.get(outcome.legId);
    if (!leg) return 'failed';
    await this.connected(call, caller, info, { ...who, legId: leg.id }, (session) => this.watchPhoneLeg(call, leg, session));
    return 'answered';
  }

  private async offerBrowser(call: Call, caller: CallLeg, agentId: number, info: OfferCallInfo, opts: OfferOptions): Promise<OfferResult> {
    const answer = await this.browser.offer(agentId, info, opts);
    if (answer !== 'answered') return answer;
    const webrtc = this.o.webrtc?.();
    if (!webrtc || call.isEnded || !call.media) return 'failed';
    const leg = await webrtc.attachBrowserLeg(call.media, agentId);
    await call.media.connect(caller.id, leg.id);
    await this.connected(call, caller, info, { agentId, phoneId: null, device: 'web', party: `web:${agentId}`, legId: leg.id }, (session) => {
      leg.onClosed(() => session.finish(call.isEnded ? 'call' : 'agent'));
      session.onRelease(() => void call.media?.removeLeg(leg.id).catch(() => undefined));
    });
    return 'answered';
  }

  /** The device answered and hears the caller: prompts to the caller stop, recording starts, the session begins. */
  private async connected(
    call: Call, caller: CallLeg, info: OfferCallInfo, who: { agentId: number | null; phoneId: number | null; device: 'phone' | 'web' | 'mobile'; party: string; legId: string },
    wire: (s: SessionControl) => void,
  ): Promise<void> {
    const media = call.requireMedia();
    const notes = this.o.notebook.of(call.id);
    const now = this.o.clock.now();
    await media.stopPlay(caller.id).catch(() => undefined);
    if (!this.recording.has(call.id)) {
      try {
        const { path } = await media.startRecording({ channels: 2, legId: caller.id });
        this.recording.add(call.id);
        notes.recordings.push(path);
      } catch (err) {
        this.o.log.error({ err, callId: call.id }, 'call recording could not start');
        notes.errors.push(`recording: ${(err as Error).message}`);
      }
    }
    const agent = who.agentId !== null ? this.o.acd.directory.agents.get(who.agentId) : undefined;
    const offer = notes.offers.find((x) => x.offerId === info.offerId);
    notes.talks.push({
      agentId: who.agentId, name: agent?.name ?? null, staffNo: agent?.staffNo ?? null, device: who.device, party: who.party, legId: who.legId,
      offeredAt: offer?.at ?? now, answeredAt: now, endedAt: null, skillGroupId: info.skillGroupId,
    });
    notes.phase = 'talking';
    notes.customerLegId = caller.id;
    notes.agentLegId = who.legId;
    if (who.agentId !== null) this.o.notifyAgent?.(who.agentId, 'callState', { callId: call.id, state: 'connected', number: call.record.caller, device: who.device });
    const control = new SessionControl();
    const session: AgentSession = {
      offerId: info.offerId, callId: call.id, agentId: who.agentId, phoneId: who.phoneId, device: who.device, legId: who.legId, answeredAt: now,
      ended: control.ended,
      release: (cause) => control.release(cause ?? LOCAL_CAUSES.normal()),
    };
    this.sessions.set(info.offerId, session);
    wire(control);
    void call.ended.then(() => control.finish('call'));
    void control.ended.then((how) => this.sessionEnded(call, session, how));
  }

  private watchPhoneLeg(call: Call, leg: CallLeg, control: SessionControl): void {
    leg.sip.common.on('ended', ({ by }) => control.finish(call.isEnded ? 'call' : by === 'remote' ? 'agent' : 'released'));
    control.onRelease((cause) => void call.drop(leg, cause));
  }

  private async sessionEnded(call: Call, session: AgentSession, how: SessionEnd): Promise<void> {
    this.sessions.delete(session.offerId);
    const notes = this.o.notebook.peek(call.id);
    const talk = notes?.talks.find((t) => t.legId === session.legId);
    if (talk) talk.endedAt ??= this.o.clock.now();
    if (how === 'agent' && notes) notes.agentHungUp = true;
    if (notes?.agentLegId === session.legId) notes.agentLegId = null;
    if (session.agentId !== null) this.o.notifyAgent?.(session.agentId, 'callState', { callId: call.id, state: 'ended', reason: how });
    if (how !== 'call') {
      const leg = call.legs.get(session.legId);
      if (leg) await call.drop(leg, LOCAL_CAUSES.normal());
      // The conversation is over (a transfer starts its own recording when the next agent answers).
      if (this.recording.delete(call.id) && call.media && !call.media.closed) await call.media.stopRecording().catch(() => null);
      if (notes && notes.phase === 'talking') notes.phase = 'after';
    } else {
      this.recording.delete(call.id);
    }
  }
}

/** The end of one agent session: settled once, by whichever comes first. */
class SessionControl {
  readonly ended: Promise<SessionEnd>;
  private resolve!: (how: SessionEnd) => void;
  private done = false;
  private releasers: ((cause: EndCause) => void)[] = [];

  constructor() {
    this.ended = new Promise((r) => (this.resolve = r));
  }

  finish(how: SessionEnd): void {
    if (this.done) return;
    this.done = true;
    this.resolve(how);
  }

  onRelease(fn: (cause: EndCause) => void): void {
    this.releasers.push(fn);
  }

  release(cause: EndCause): void {
    if (this.done) return;
    this.finish('released');
    for (const fn of this.releasers.splice(0)) fn(cause);
  }
}
