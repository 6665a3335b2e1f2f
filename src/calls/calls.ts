// The calls of the box: every INVITE the B2BUA accepts becomes a Call with its media anchored in the
// media core. Phones call extensions or, with their outbound rights, outside numbers through a channel;
// calls arriving on a trunk go to our numbers (through the routing hook IVR and ACD fill, else the
// channel's default extension) or straight to an extension — never to an outbound route.
import { randomUUID } from 'node:crypto';
import { EXTENSION_RE } from '../directory/index.ts';
import type { MediaCore } from '../media/core/index.ts';
import type { Clock } from '../platform/clock.ts';
import { TypedEmitter } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import {
  causeOfResponse, LOCAL_CAUSES, statusForCaller, userOf, type B2bua, type CallOrigin, type EndCause, type IncomingCall, type ReferRequest,
} from '../sip/b2bua/index.ts';
import type { SipStack } from '../sip/index.ts';
import type { ChannelStore, Trunks } from '../sip/trunks/index.ts';
import { Call, type CallLeg } from './call.ts';
import {
  DEFAULT_CALLS_SETTINGS, type ActiveCall, type BridgeOutcome, type CallDirection, type CallerIdPolicy, type CallEvents, type CallRecord,
  type CallRecordSink, type CallsSettings, type FeatureCodeRouter, type InboundRoute, type InboundRouter,
} from './call-types.ts';
import { dialOutside } from './dial-outside.ts';
import { Ringer, type RingTarget } from './ringer.ts';
import { classifyDialled, outboundVerdict, trunkTarget } from './routing.ts';
import { channelTarget, extensionTargets, type ChannelRoute } from './targets.ts';

export interface CallsOptions {
  clock: Clock;
  log: Logger;
  media: MediaCore;
  b2bua: B2bua;
  stack: SipStack;
  trunks: Trunks;
  store: ChannelStore;
  settings?: Partial<CallsSettings>;
}

export class Calls extends TypedEmitter<CallEvents> {
  private readonly calls = new Map<string, Call>();
  private router: InboundRouter | null = null;
  private featureCodes: FeatureCodeRouter | null = null;
  private recordSink: CallRecordSink | null = null;
  private callerIdPolicy: CallerIdPolicy | null = null;
  private readonly persisting = new Set<Promise<void>>();
  private readonly ringer: Ringer;
  private readonly log: Logger;
  readonly settings: CallsSettings;

  constructor(private readonly opts: CallsOptions) {
    super();
    this.log = opts.log.child({ part: 'calls' });
    this.ringer = new Ringer(opts.b2bua, opts.clock, this.log);
    this.settings = { ...DEFAULT_CALLS_SETTINGS, ...opts.settings };
  }

  /** The routing hook for inbound trunk calls (IVR/ACD). Returning null falls back to the channel's default extension. */
  setInboundRouter(router: InboundRouter | null): void {
    this.router = router;
  }

  /** Feature codes phones dial (*78/*79 免打扰, src/calls/phone-dnd.ts); null: every string is routed as a number. */
  setFeatureCodes(router: FeatureCodeRouter | null): void {
    this.featureCodes = router;
  }

  /** Where finished calls' records go (src/records through the call side's assembler). */
  setRecordSink(sink: CallRecordSink | null): void {
    this.recordSink = sink;
  }

  /** 外呼外显规则: picks the number an outbound call shows (null, or no policy: the first channel's first number). */
  setCallerIdPolicy(policy: CallerIdPolicy | null): void {
    this.callerIdPolicy = policy;
  }

  /** The live call (legs, media) for the parts that act on it: the ACD's dialer, the control API. */
  live(id: string): Call | undefined {
    return this.calls.get(id);
  }

  list(): CallRecord[] {
    return [...this.calls.values()].map((c) => c.record);
  }

  get(id: string): CallRecord | undefined {
    return this.calls.get(id)?.record;
  }

  get count(): number {
    return this.calls.size;
  }

  /** The B2BUA's entry point. */
  handleIncoming(ic: IncomingCall): void {
    void this.incoming(ic).catch((err: unknown) => {
      this.log.error({ err }, 'incoming call failed');
      if (!ic.leg.ended) ic.leg.hangup(LOCAL_CAUSES.error('internal'), 500);
    });
  }

  /** Hangs up every call (shutdown). */
  async stop(): Promise<void> {
    const calls = [...this.calls.values()];
    for (const c of calls) c.hangup(LOCAL_CAUSES.unavailable(), 'system');
    await Promise.allSettled(calls.map((c) => c.ended));
    await Promise.allSettled([...this.persisting]);
  }

  private isExtension = (ext: string): boolean => EXTENSION_RE.test(ext) && this.opts.stack.credentials.has(ext);

  private newCall(ic: IncomingCall): { call: Call; caller: CallLeg } {
    const trunk = ic.origin.kind === 'trunk' ? ic.origin : null;
    const call = this.makeCall({ origin: ic.origin, direction: trunk ? 'inbound' : 'internal', caller: ic.caller, callerName: ic.callerName, callee: ic.dialled });
    const record = call.record;
    // The caller's leg is part of the call at once: a CANCEL during set-up ends it.
    const caller = call.attach(ic.leg, `${record.id}:caller`, { role: 'caller', kind: trunk ? 'trunk' : 'phone', party: ic.caller, sipCallId: ic.leg.dialog?.id.callId ?? '' }, true);
    this.safeEmit('call-started', { call: record });
    return { call, caller };
  }

  /**
   * A call the box places itself (an agent's outbound call from the control API): no leg yet; the caller
   * opens its media and dials its legs into it.
   */
  originate(o: { origin: CallOrigin; direction: CallDirection; caller: string; callerName: string | null; callee: string }): Call {
    const call = this.makeCall(o);
    this.safeEmit('call-started', { call: call.record });
    return call;
  }

  private makeCall(o: { origin: CallOrigin; direction: CallDirection; caller: string; callerName: string | null; callee: string }): Call {
    const { clock } = this.opts;
    const trunk = o.origin.kind === 'trunk' ? o.origin : null;
    const record: CallRecord = {
      id: randomUUID(), direction: o.direction, origin: o.origin, caller: o.caller, callerName: o.callerName, callee: o.callee,
      number: null, channelId: trunk?.channelId ?? null, channelName: trunk?.channelName ?? null, state: 'setup', startedAt: clock.now(),
      answeredAt: null, endedAt: null, endCause: null, hangupSide: null, legs: [], transfers: [],
    };
    const call = new Call(record, {
      clock, log: this.log, media: this.opts.media,
      onAnswered: (c, leg) => this.safeEmit('leg-answered', { call: c.record, leg: leg.record }),
      onAttach: (c, leg) => {
        if (leg.record.kind === 'phone') leg.sip.common.on('refer', (r) => void this.transfer(c, leg, r).catch((err: unknown) => {
          this.log.error({ err, callId: c.id }, 'transfer failed');
          r.reject(500);
        }));
      },
      onHeld: (c, leg, held) => this.safeEmit('call-held', { call: c.record, legId: leg.id, held }),
      onEnded: (c) => {
        this.calls.delete(c.id);
        this.log.info({ callId: c.id, cause: c.record.endCause?.text, side: c.record.hangupSide }, 'call ended');
        this.safeEmit('call-ended', { call: c.record });
        const p = this.persist(c).finally(() => this.persisting.delete(p));
        this.persisting.add(p);
      },
    });
    this.calls.set(record.id, call);
    return call;
  }

  /** Opens the call's media and the caller's media leg (our answer to its offer). False when the call is gone. */
  private async prepareMedia(call: Call, caller: CallLeg, role: 'customer' | 'agent'): Promise<boolean> {
    if (call.isEnded) return false;
    try {
      const media = await call.openMedia();
      const sip = caller.sip as IncomingCall['leg'];
      const { sdp } = await media.createSipLeg({ id: caller.id, offer: sip.offer, role });
      caller.ourSdp = sdp;
      return !call.isEnded;
    } catch (err) {
      if (call.isEnded) return false;
      this.log.warn({ err: (err as Error).message, callId: call.id }, 'caller media refused');
      const notAcceptable = /sdp|codec|offer/i.test((err as Error).message);
      call.hangup(notAcceptable ? { ...LOCAL_CAUSES.error('no acceptable media'), status: 488 } : { ...LOCAL_CAUSES.error('media unavailable'), status: 503 }, 'system');
      return false;
    }
  }

  private async incoming(ic: IncomingCall): Promise<void> {
    const { call, caller } = this.newCall(ic);
    if (ic.origin.kind === 'phone') await this.fromPhone(call, caller, ic, ic.origin.extension);
    else await this.fromTrunk(call, caller, ic, ic.origin.channelId);
  }

  private async fromPhone(call: Call, caller: CallLeg, ic: IncomingCall, extension: string): Promise<void> {
    // Feature codes start with * or # (sent as is, or escaped as %2A/%23 by some phones).
    const code = ic.dialled.replace(/%2a/gi, '*').replace(/%23/g, '#');
    if (this.featureCodes && /^[*#]/.test(code)) {
      const route = await this.featureCodes({ callId: call.id, extension, dialled: code });
      if (call.isEnded) return;
      if (route?.kind === 'reject') return call.hangup(causeOfResponse(route.status), 'system');
      if (route) {
        if (!(await this.prepareMedia(call, caller, 'agent'))) return;
        return this.handOver(call, caller, route.run);
      }
    }
    const dialled = classifyDialled(ic.dialled, this.isExtension);
    if (dialled.kind === 'extension') {
      if (!this.isExtension(dialled.digits)) return call.hangup(LOCAL_CAUSES.unallocated(), 'system');
      if (dialled.digits === extension) return call.hangup({ ...LOCAL_CAUSES.unavailable(), category: 'busy', status: 486, q850: 17 }, 'system');
      const targets = extensionTargets(this.opts.stack, (id) => this.opts.trunks.isClosedConnection(id), dialled.digits, { number: extension, name: ic.callerName }, ic.maxForwards);
      if (targets.length === 0) return call.hangup(LOCAL_CAUSES.unavailable(), 'system');
      if (!(await this.prepareMedia(call, caller, 'customer'))) return;
      return this.settle(call, await this.ringer.ring(call, caller, targets, { relay: true, ringTimeoutMs: this.settings.ringTimeoutMs }));
    }
    call.record.direction = 'outbound';
    const verdict = outboundVerdict(dialled, await this.opts.store.rightsOf(extension));
    if (!verdict.allowed) {
      const cause = verdict.status === 403 ? LOCAL_CAUSES.forbidden(verdict.reason) : causeOfResponse(verdict.status);
      return call.hangup(cause, 'system');
    }
    const prefer = await this.preferredNumber(call, extension, dialled.digits);
    const target = await this.outboundTarget(call, dialled.digits, ic.maxForwards, prefer);
    if ('cause' in target) return call.hangup(target.cause, 'system');
    if (!(await this.prepareMedia(call, caller, 'agent'))) return;
    this.settle(call, await this.ringer.ring(call, caller, [target.target], { relay: true, ringTimeoutMs: this.settings.ringTimeoutMs }));
  }

  /** The caller-ID policy's choice among the numbers that can carry a call now. */
  private async preferredNumber(call: Call, extension: string | null, dialled: string): Promise<string | null> {
    if (!this.callerIdPolicy) return null;
    const candidates = this.opts.trunks.outboundCandidates().flatMap((c) => c.effectiveNumbers.map((n) => n.number));
    return this.callerIdPolicy({ call: call.record, extension, dialled, candidates }).catch((err: unknown) => {
      this.log.warn({ err, callId: call.id }, 'caller-ID policy failed');
      return null;
    });
  }

  /**
   * The channel and number for an outbound call (`prefer`: the number to show when a channel with it can
   * carry the call); the channel slot is held until the call ends.
   */
  async outboundTarget(call: Call, digits: string, maxForwards: number, prefer: string | null = null): Promise<{ target: RingTarget } | { cause: EndCause }> {
    const trunks = this.opts.trunks;
    const has = (c: { effectiveNumbers: readonly { number: string }[] }): number => (prefer && c.effectiveNumbers.some((n) => n.number === prefer) ? 1 : 0);
    const candidates = [...trunks.outboundCandidates()].sort((a, b) => has(b) - has(a));
    if (candidates.length === 0) {
      const any = trunks.list().some((c) => c.config.enabled && c.effectiveNumbers.length > 0);
      return { cause: any ? LOCAL_CAUSES.congestion() : LOCAL_CAUSES.forbidden('no outbound channel') };
    }
    for (const channel of candidates) {
      const release = trunks.acquire(channel);
      if (!release) continue;
      const route: ChannelRoute = { channel, number: channel.effectiveNumbers.find((n) => n.number === prefer) ?? channel.effectiveNumbers[0]! };
      const target = await channelTarget(this.opts.stack, route, digits, maxForwards).catch(() => null);
      if (!target) {
        release();
        continue;
      }
      call.onRelease(release);
      call.record.number = route.number.number;
      call.record.channelId = channel.id;
      call.record.channelName = channel.name;
      return { target };
    }
    return { cause: LOCAL_CAUSES.congestion() };
  }

  private async fromTrunk(call: Call, caller: CallLeg, ic: IncomingCall, channelId: number): Promise<void> {
    const { trunks } = this.opts;
    const channel = trunks.channel(channelId);
    if (!channel) return call.hangup(LOCAL_CAUSES.unavailable(), 'system');
    // The channel's concurrency limit (lines, spans, SIP trunk calls): beyond it, 503.
    const release = trunks.acquire(channel);
    if (!release) return call.hangup(LOCAL_CAUSES.congestion(), 'system');
    call.onRelease(release);
    // The called number is the Request-URI user, or — for carriers that route by our registered contact —
    // the To user when only that one is ours.
    const found = trunks.findNumber(ic.dialled) ?? (ic.toUser ? trunks.findNumber(ic.toUser) : undefined);
    const target = trunkTarget(ic.dialled, { isOurNumber: !!found, isExtension: this.isExtension });
    if (target.kind === 'refuse') {
      this.log.warn({ callId: call.id, channel: channel.name, dialled: ic.dialled, caller: ic.caller }, 'trunk call to a number that is not ours refused');
      return call.hangup(target.status === 403 ? LOCAL_CAUSES.forbidden(target.reason) : LOCAL_CAUSES.unallocated(), 'system');
    }
    let route: InboundRoute | null;
    if (target.kind === 'extension') {
      route = { kind: 'extension', extension: target.extension };
    } else {
      const number = found!.number;
      call.record.number = number.number;
      // A call on a pending number proves the line works.
      if (number.state === 'pending' && found!.channel.id === channel.id) void this.opts.store.markEffective(channel.id).catch(() => undefined);
      route = (await this.router?.({ callId: call.id, channelId, channelName: channel.name, number: number.number, caller: ic.caller, callerName: ic.callerName })) ?? null;
      if (!route && found!.channel.config.inboundExtension) route = { kind: 'extension', extension: found!.channel.config.inboundExtension };
    }
    if (call.isEnded) return;
    if (!route) return call.hangup(LOCAL_CAUSES.unavailable(), 'system');
    if (route.kind === 'reject') return call.hangup(causeOfResponse(route.status), 'system');
    if (!(await this.prepareMedia(call, caller, 'customer'))) return;
    if (route.kind === 'extension') {
      const targets = extensionTargets(this.opts.stack, (id) => trunks.isClosedConnection(id), route.extension, { number: ic.caller, name: ic.callerName }, ic.maxForwards);
      if (targets.length === 0) return call.hangup(LOCAL_CAUSES.unavailable(), 'system');
      return this.settle(call, await this.ringer.ring(call, caller, targets, { relay: true, ringTimeoutMs: this.settings.ringTimeoutMs }));
    }
    await this.handOver(call, caller, route.run);
  }

  /** DESIGN.md: the call path awaits the record (+ outbox row) and says "record written" after the commit. */
  private async persist(call: Call): Promise<void> {
    const sink = this.recordSink;
    if (!sink) return;
    try {
      await call.recordReady(this.settings.recordWaitMs);
      await sink(call.record);
      this.safeEmit('record-written', { call: call.record });
    } catch (err) {
      this.log.error({ err, callId: call.id }, 'call record could not be written');
    }
  }

  /** Answers the caller and hands the call to the IVR/ACD; when their flow returns, the call ends. */
  private async handOver(call: Call, caller: CallLeg, run: (c: ActiveCall) => Promise<void>): Promise<void> {
    const sip = caller.sip as IncomingCall['leg'];
    await sip.answer(caller.ourSdp!);
    call.markAnswered(caller);
    const active: ActiveCall = {
      id: call.id, record: call.record, media: call.requireMedia(), callerLegId: caller.id, signal: call.signal, ended: call.ended,
      ringExtension: (extension, o) => this.ringExtension(call, caller, extension, o?.ringTimeoutMs),
      dialOutside: (req) => dialOutside({ trunks: this.opts.trunks, stack: this.opts.stack, ringer: this.ringer, maxForwards: this.opts.b2bua.env.settings.maxForwards }, call, caller, req),
      hangup: (cause) => call.hangup(cause ?? LOCAL_CAUSES.normal(), 'system'),
    };
    const running = run(active);
    call.keepRecordOpen(running);
    try {
      await running;
    } catch (err) {
      this.log.error({ err, callId: call.id }, 'inbound call handler failed');
    }
    if (!call.isEnded && ![...call.legs.values()].some((l) => l !== caller && l.essential && !l.sip.ended)) call.hangup(LOCAL_CAUSES.normal(), 'system');
  }

  private ringExtension(call: Call, from: CallLeg, extension: string, ringTimeoutMs = this.settings.ringTimeoutMs): Promise<BridgeOutcome> {
    // No such extension (空号) is not the same as one whose phone is offline: the IVR lets the caller retype it.
    if (!this.isExtension(extension)) return Promise.resolve({ result: 'failed', cause: LOCAL_CAUSES.unallocated() });
    const targets = extensionTargets(this.opts.stack, (id) => this.opts.trunks.isClosedConnection(id), extension, { number: call.record.caller, name: call.record.callerName });
    return this.ringer.ring(call, from, targets, { relay: false, ringTimeoutMs });
  }

  /** A failed ring ends the call with the callee side's cause (the caller gets its status). */
  private settle(call: Call, outcome: BridgeOutcome): void {
    if (outcome.result === 'failed' && !call.isEnded) call.hangup(outcome.cause, outcome.cause.category === 'cancelled' ? 'caller' : 'callee');
  }

  /**
   * RFC 3515 blind transfer from a phone in an answered call: the other party is connected to the target
   * when it answers, and the transferor released. A call that arrived on a trunk may only be transferred
   * to extensions (no outbound route for trunk calls).
   */
  private async transfer(call: Call, transferor: CallLeg, refer: ReferRequest): Promise<void> {
    const transferee = [...call.legs.values()].find((l) => l !== transferor && l.essential && !l.sip.ended && l.record.answeredAt !== null);
    if (!call.record.answeredAt || !transferee || transferor.sip.ended) return refer.reject(603, 'Decline');
    const target = userOf(refer.target);
    const dialled = classifyDialled(target, this.isExtension);
    let targets: RingTarget[];
    if (dialled.kind === 'extension') {
      targets = extensionTargets(this.opts.stack, (id) => this.opts.trunks.isClosedConnection(id), dialled.digits, { number: call.record.caller, name: call.record.callerName });
    } else {
      if (call.record.origin.kind === 'trunk') return refer.reject(403, 'No outbound route for trunk calls');
      const verdict = outboundVerdict(dialled, await this.opts.store.rightsOf(transferor.record.party));
      if (!verdict.allowed) return refer.reject(verdict.status, verdict.reason);
      const t = await this.outboundTarget(call, dialled.digits, this.opts.b2bua.env.settings.maxForwards);
      if ('cause' in t) return refer.reject(statusForCaller(t.cause));
      targets = [t.target];
    }
    if (targets.length === 0) return refer.reject(480, 'Temporarily Unavailable');
    const progress = refer.accept();
    transferor.essential = false;
    const media = call.requireMedia();
    await media.disconnect(transferor.id, transferee.id).catch(() => undefined);
    const outcome = await this.ringer.ring(call, transferee, targets, { relay: false, ringTimeoutMs: this.settings.ringTimeoutMs });
    call.record.transfers.push({ at: this.opts.clock.now(), by: transferor.record.party, to: dialled.digits, result: outcome.result });
    if (outcome.result === 'answered') {
      progress.notify(200, 'OK');
      transferor.sip.bye(LOCAL_CAUSES.normal());
      return;
    }
    progress.notify(statusForCaller(outcome.cause), outcome.cause.text);
    if (call.isEnded) return;
    if (!transferor.sip.ended) {
      transferor.essential = true;
      await media.connect(transferor.id, transferee.id).catch(() => undefined);
    } else {
      call.hangup(outcome.cause, 'callee');
    }
  }
}
