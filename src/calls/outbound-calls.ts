// An agent's outbound call from the control API (拨号盘呼出, click-to-call): the agent's device first — the
// workbench softphone joins at once, a desk phone is rung — then the customer through a channel with the
// caller ID of the 外呼外显规则 (or an extension, 工作台呼叫话机). The agent is 预占 while dialing and 通话中 once
// the customer answers; the call records as outbound with the agent on it.
import type { Acd } from '../acd/index.ts';
import type { WebRtcService } from '../media/webrtc/index.ts';
import type { Clock } from '../platform/clock.ts';
import { conflict, CcboxError, notFound, validationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES, type B2bua } from '../sip/b2bua/index.ts';
import type { SipStack } from '../sip/index.ts';
import type { ChannelStore, Trunks } from '../sip/trunks/index.ts';
import { pickCallerId, regionOf, regionTable } from './caller-id.ts';
import type { CallNotebook } from './call-notes.ts';
import type { Call } from './call.ts';
import type { Calls } from './calls.ts';
import { dialLeg } from './dial-leg.ts';
import type { OutboundNumbers } from './outbound-numbers.ts';
import type { CustomerControlOptions } from './customer-control.ts';
import { OutboundAftercare } from './outbound-aftercare.ts';
import { DEFAULT_OUTBOUND, type CallSettings, type OutboundCallSettings } from './settings/index.ts';
import { classifyDialled, outboundVerdict } from './routing.ts';
import type { RingTarget } from './ringer.ts';
import { extensionTargets } from './targets.ts';

export interface OutboundCallsOptions {
  calls: Calls;
  b2bua: B2bua;
  stack: SipStack;
  trunks: Trunks;
  store: ChannelStore;
  acd: Acd;
  numbers: OutboundNumbers;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  random: () => number;
  webrtc?: () => WebRtcService | null;
  notifyAgent?: (agentId: number, event: string, data: unknown) => boolean;
  /** 外呼设置 (caller-ID rule, agent's choice, international) and 外呼指定分配's memory; absent: the defaults. */
  settings?: CallSettings;
  /** Prompt files and TTS for the agent's prompts and the 呼出评价 (with settings). */
  promptPath?: (promptId: string) => string;
  renderTts?: CustomerControlOptions['renderTts'];
}

export interface OutboundStarted {
  callId: string;
  callee: string;
  callerNumber: string | null;
  /** 归属地 of the callee. */
  location: string | null;
  device: 'web' | 'phone' | 'mobile';
}

interface Device {
  kind: 'web' | 'phone' | 'mobile';
  extension: string | null;
  /** 开启手机外呼: the agent's mobile, rung first through a channel. */
  mobile?: string;
}

export class OutboundCalls {
  private readonly aftercare: OutboundAftercare | null;
  /** 重拨: each agent's last outbound target. */
  private readonly lastDialled = new Map<number, { to: string; callerNumber: string | null }>();

  constructor(private readonly o: OutboundCallsOptions) {
    this.aftercare = o.settings && o.promptPath
      ? new OutboundAftercare({ settings: o.settings, acd: o.acd, notebook: o.notebook, clock: o.clock, log: o.log, promptPath: o.promptPath, ...(o.renderTts ? { renderTts: o.renderTts } : {}) })
      : null;
  }

  /**
   * The agent leaves their answered outbound call (hang-up, 邀请评价): true when the customer is now hearing the
   * number's 呼出评价 (the call ends after it); false when there is none to run.
   */
  async agentLeaves(call: Call): Promise<boolean> {
    if (!this.aftercare) return false;
    try {
      return await this.aftercare.agentLeaves(call);
    } catch (err) {
      this.o.log.error({ err, callId: call.id }, 'outbound survey failed');
      return false;
    }
  }

  /** 重拨: the agent's last outbound call again (404 when they have placed none since the box started). */
  redial(agentId: number): Promise<OutboundStarted> {
    const last = this.lastDialled.get(agentId);
    if (!last) throw notFound('previous outbound call');
    return this.start(agentId, last.to, last.callerNumber);
  }

  private isExtension = (ext: string): boolean => this.o.stack.credentials.has(ext);

  /** The agent's bound desk phone's extension, if any. */
  extensionOf(agentId: number): string | null {
    for (const p of this.o.acd.directory.phones.values()) if (p.agentId === agentId) return p.extension;
    return null;
  }

  private device(agentId: number): Device {
    const extension = this.extensionOf(agentId);
    const mobile = this.o.acd.directory.agents.get(agentId)?.mobile;
    if (mobile?.outbound && mobile.number) return { kind: 'mobile', extension: null, mobile: mobile.number };
    if (this.o.webrtc?.()?.agent(agentId)) return { kind: 'web', extension };
    if (extension && this.o.stack.location.lookup(extension).length) return { kind: 'phone', extension };
    throw conflict('device', '没有可用的话机或工作台软电话 (no registered desk phone or workbench softphone)');
  }

  private rules(): Promise<OutboundCallSettings> {
    return this.o.settings?.get('outbound') ?? Promise.resolve(DEFAULT_OUTBOUND);
  }

  /** The numbers the agent may pick from (允许座席指定号码呼出: their groups' numbers; none when it is off). */
  async choices(agentId: number): Promise<string[]> {
    if (!(await this.rules()).allowAgentChoice) return [];
    return this.o.numbers.ofGroups([...(this.o.acd.directory.agents.get(agentId)?.groups.keys() ?? [])]);
  }

  /** 外呼外显规则 for the agent's groups among the numbers that can carry a call now. */
  async callerIdFor(agentId: number | null, dialled: string, candidates: string[], chosen: string | null = null): Promise<string | null> {
    const groups = agentId !== null ? [...(this.o.acd.directory.agents.get(agentId)?.groups.keys() ?? [])] : [];
    // 'region': the callee's 归属地 among all the box's numbers, not the groups' first.
    const groupNumbers = (await this.rules()).callerIdRule === 'group' ? await this.o.numbers.ofGroups(groups) : [];
    const region = await regionTable([dialled, ...candidates]);
    return pickCallerId({ candidates, groupNumbers, chosen, region, dialled, random: this.o.random });
  }

  async start(agentId: number, to: string, chosenNumber: string | null): Promise<OutboundStarted> {
    const agent = this.o.acd.directory.agents.get(agentId);
    if (!agent) throw notFound('agent');
    if (chosenNumber && !(await this.choices(agentId)).includes(chosenNumber)) {
      throw validationError('callerNumber', '只能使用所在技能组的外显号码 (only the numbers of your skill groups)');
    }
    const device = this.device(agentId);
    const dialled = classifyDialled(to, this.isExtension);
    const internal = dialled.kind === 'extension';
    if (internal && !this.isExtension(dialled.digits)) throw validationError('to', `分机 ${dialled.digits} 不存在 (no such extension)`);
    if (internal && dialled.digits === device.extension) throw validationError('to', '不能呼叫自己的分机 (that is your own extension)');
    if (!internal) {
      const rights = device.extension ? await this.o.store.rightsOf(device.extension) : { outbound: true, international: (await this.rules()).allowInternational };
      const verdict = outboundVerdict(dialled, rights);
      if (!verdict.allowed) throw new CcboxError(verdict.status === 403 ? 'CCBOX_ERR_FORBIDDEN' : 'CCBOX_ERR_VALIDATION', verdict.reason, { field: 'to' });
    }
    const call = this.o.calls.originate({
      origin: { kind: 'phone', extension: device.extension ?? `web:${agentId}` }, direction: internal ? 'internal' : 'outbound',
      caller: device.extension ?? agent.staffNo ?? String(agentId), callerName: agent.name, callee: dialled.digits,
    });
    if (!this.o.acd.reserve(agentId, call.id)) {
      call.hangup(LOCAL_CAUSES.unavailable(), 'system');
      throw conflict('agent', '座席正在通话或振铃中 (the agent is already on a call)');
    }
    const notes = this.o.notebook.of(call.id);
    notes.outboundAgentId = agentId;
    this.lastDialled.set(agentId, { to, callerNumber: chosenNumber });
    // 外呼指定分配: a customer who calls back reaches this agent (answered or not: a missed call is what gets returned).
    if (!internal) void this.o.settings?.rememberOutbound(dialled.digits, agentId).catch((err: unknown) => this.o.log.warn({ err }, 'could not remember the outbound agent'));
    for (const g of agent.groups.keys()) notes.skillGroupIds.add(g);
    try {
      await call.openMedia();
    } catch (err) {
      call.hangup(LOCAL_CAUSES.mediaFailure('media'), 'system');
      throw err;
    }
    let callerNumber: string | null = null;
    if (!internal) {
      const candidates = this.o.trunks.outboundCandidates().flatMap((c) => c.effectiveNumbers.map((n) => n.number));
      callerNumber = await this.callerIdFor(agentId, dialled.digits, candidates, chosenNumber);
    }
    const location = internal ? null : await regionOf(dialled.digits);
    const run = this.run(call, agentId, device, dialled.digits, internal, callerNumber).catch((err: unknown) => {
      this.o.log.error({ err, callId: call.id }, 'outbound call failed');
      notes.errors.push(`outbound: ${(err as Error).message}`);
      call.hangup(LOCAL_CAUSES.error('outbound call failed'), 'system');
    });
    call.keepRecordOpen(run);
    return { callId: call.id, callee: dialled.digits, callerNumber, location, device: device.kind };
  }

  private notify(agentId: number, data: Record<string, unknown>): void {
    this.o.notifyAgent?.(agentId, 'callState', data);
  }

  private async run(call: Call, agentId: number, device: Device, digits: string, internal: boolean, callerNumber: string | null): Promise<void> {
    const notes = this.o.notebook.of(call.id);
    const agentLeg = await this.agentLeg(call, agentId, device, callerNumber);
    if (!agentLeg) return;
    notes.agentLegId = agentLeg;
    this.notify(agentId, { callId: call.id, state: 'dialing', number: digits });
    const ringTimeoutMs = this.o.calls.settings.ringTimeoutMs;
    let outcome;
    if (internal) {
      const targets = extensionTargets(this.o.stack, (id) => this.o.trunks.isClosedConnection(id), digits, { number: call.record.caller, name: call.record.callerName });
      if (!targets.length) return call.hangup(LOCAL_CAUSES.unavailable(), 'callee');
      outcome = await dialLeg(this.o.b2bua, this.o.clock, call, targets[0]!, { mediaRole: 'customer', recordRole: 'callee', ringTimeoutMs, peerLegId: agentLeg });
    } else {
      const route = await this.o.calls.outboundTarget(call, digits, this.o.b2bua.env.settings.maxForwards, callerNumber);
      if ('cause' in route) return call.hangup(route.cause, 'system');
      outcome = await dialLeg(this.o.b2bua, this.o.clock, call, route.target, { mediaRole: 'customer', recordRole: 'callee', ringTimeoutMs, peerLegId: agentLeg });
    }
    if (outcome.result === 'failed') {
      if (this.aftercare) await this.aftercare.notAnswered(call, agentLeg, outcome.cause);
      else if (!call.isEnded) call.hangup(outcome.cause, outcome.cause.category === 'cancelled' ? 'caller' : 'callee');
      return;
    }
    notes.customerLegId = outcome.leg.id;
    if (!internal) await this.aftercare?.connected(call, agentLeg, outcome.leg.id, device.kind !== 'web');
    const media = call.requireMedia();
    try {
      const { path } = await media.startRecording({ channels: 2, legId: outcome.leg.id });
      notes.recordings.push(path);
    } catch (err) {
      this.o.log.error({ err, callId: call.id }, 'call recording could not start');
    }
    const agent = this.o.acd.directory.agents.get(agentId);
    const now = this.o.clock.now();
    notes.talks.push({
      agentId, name: agent?.name ?? null, staffNo: agent?.staffNo ?? null, device: device.kind, party: device.extension ?? device.mobile ?? `web:${agentId}`, legId: agentLeg,
      offeredAt: call.record.startedAt, answeredAt: now, endedAt: null, skillGroupId: null,
    });
    notes.phase = 'talking';
    this.o.acd.agentCallStarted(agentId, call.id, { direction: internal ? 'internal' : 'outbound', remoteNumber: internal ? null : digits });
    this.notify(agentId, { callId: call.id, state: 'connected', number: digits });
    void call.ended.then(() => {
      const talk = notes.talks.at(-1);
      if (talk) talk.endedAt ??= this.o.clock.now();
      this.notify(agentId, { callId: call.id, state: 'ended', reason: call.record.endCause?.text ?? null });
    });
  }

  /** The agent's side of the call: the softphone joins at once; a desk phone rings first. Null when that failed. */
  private async agentLeg(call: Call, agentId: number, device: Device, callerNumber: string | null): Promise<string | null> {
    const media = call.requireMedia();
    if (device.kind === 'web') {
      const webrtc = this.o.webrtc?.();
      if (!webrtc) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'the workbench softphone is gone');
      const leg = await webrtc.attachBrowserLeg(media, agentId);
      leg.onClosed(() => {
        if (call.isEnded || this.o.notebook.peek(call.id)?.aside) return;
        void this.agentLeaves(call).then((ran) => (ran ? undefined : call.hangup(LOCAL_CAUSES.normal(), 'caller')));
      });
      return leg.id;
    }
    let targets: RingTarget[];
    if (device.kind === 'mobile') {
      // The agent's mobile sees the number the customer will see.
      const route = await this.o.calls.outboundTarget(call, device.mobile!, this.o.b2bua.env.settings.maxForwards, callerNumber);
      if ('cause' in route) {
        call.hangup(route.cause, 'caller');
        return null;
      }
      targets = [route.target];
    } else {
      targets = extensionTargets(this.o.stack, (id) => this.o.trunks.isClosedConnection(id), device.extension!, { number: call.record.callee, name: null });
    }
    if (!targets.length) {
      call.hangup(LOCAL_CAUSES.unavailable(), 'caller');
      return null;
    }
    // The agent asked for the call: the phone may answer by itself (click-to-call).
    const r = await dialLeg(this.o.b2bua, this.o.clock, call, targets[0]!, {
      mediaRole: 'agent', recordRole: 'caller', ringTimeoutMs: this.o.calls.settings.ringTimeoutMs,
      ...(device.kind === 'phone' ? { headers: [['Call-Info', '<sip:ccbox>;answer-after=0']] as const } : {}),
    });
    if (r.result === 'failed') {
      if (!call.isEnded) call.hangup(r.cause, 'caller');
      return null;
    }
    return r.leg.id;
  }
}
