// 通话功能 through the control API: answer/reject a workbench offer, hang up, hold (the customer hears hold
// music), mute (the agent is not heard), transfer to a skill group / an agent / an outside number, and DTMF
// to the customer — each allowed to the agent on the call, or to a supervisor (monitor) whose skill-group
// scope covers the call; anyone else is told the call does not exist.
import type { Acd } from '../acd/index.ts';
import { hasPermission, type Actor } from '../directory/index.ts';
import type { PromptSource } from '../media/index.ts';
import type { Clock } from '../platform/clock.ts';
import { conflict, notFound, validationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES, statusForCaller, type B2bua } from '../sip/b2bua/index.ts';
import type { AgentDialer } from './agent-dialer.ts';
import type { CallNotebook, CallNotes } from './call-notes.ts';
import type { Call } from './call.ts';
import type { Calls } from './calls.ts';
import { dialLeg } from './dial-leg.ts';
import type { OutboundCalls } from './outbound-calls.ts';
import type { QueueBridge } from './queue-bridge.ts';
import { classifyDialled } from './routing.ts';
import type { CallPrompt, CallSettings } from './settings/index.ts';

export type TransferTarget = { kind: 'skillGroup'; skillGroupId: number } | { kind: 'agent'; agentId: number } | { kind: 'external'; number: string };

export interface CallActionsOptions {
  calls: Calls;
  b2bua: B2bua;
  acd: Acd;
  dialer: AgentDialer;
  bridge: QueueBridge;
  outbound: OutboundCalls;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  notifyAgent?: (agentId: number, event: string, data: unknown) => boolean;
  /** 通话保持放音设置 and the other call settings; absent: the default hold notice. */
  settings?: CallSettings;
  promptPath?: (promptId: string) => string;
}

/** What the caller may do with one call. */
interface Reach {
  call: Call;
  notes: CallNotes;
  /** The actor is the agent on the call (else a supervisor). */
  asAgent: boolean;
}

/** 通话保持放音: the default hold music is a spoken notice repeated. */
const HOLD_MUSIC: PromptSource = { kind: 'tts', text: '您的通话已被保持，请稍候。' };

export class CallActions {
  constructor(private readonly o: CallActionsOptions) {}

  /** Whether `agentId` is on `call` now (talking, ringing on the workbench, placing it, or on a phone leg). */
  private isAgentOn(call: Call, notes: CallNotes, agentId: number): boolean {
    if (this.o.dialer.sessionOf(call.id, agentId)) return true;
    if (this.o.dialer.browserOffers.ringing(call.id, agentId)) return true;
    if (notes.outboundAgentId === agentId) return true;
    const ext = this.o.outbound.extensionOf(agentId);
    return !!ext && [...call.legs.values()].some((l) => l.record.kind === 'phone' && l.record.party === ext && !l.sip.ended);
  }

  /** The groups a supervisor's scope is checked against: where the call waited, and the groups of its agents. */
  private groupsOf(call: Call, notes: CallNotes): Set<number> {
    const groups = new Set(notes.skillGroupIds);
    for (const t of notes.talks) if (t.agentId !== null) for (const g of this.o.acd.directory.agents.get(t.agentId)?.groups.keys() ?? []) groups.add(g);
    for (const l of call.legs.values()) {
      if (l.record.kind !== 'phone') continue;
      const pid = this.o.acd.directory.phonesByExtension.get(l.record.party);
      const agentId = pid !== undefined ? this.o.acd.directory.phones.get(pid)?.agentId : null;
      if (agentId != null) for (const g of this.o.acd.directory.agents.get(agentId)?.groups.keys() ?? []) groups.add(g);
    }
    return groups;
  }

  reach(actor: Actor, callId: string): Reach {
    const call = this.o.calls.live(callId);
    if (!call || call.isEnded) throw notFound('call');
    const notes = this.o.notebook.of(call.id);
    if (this.isAgentOn(call, notes, actor.userId)) return { call, notes, asAgent: true };
    if (hasPermission(actor, 'monitor')) {
      const groups = this.groupsOf(call, notes);
      if (actor.scope === null || [...groups].some((g) => actor.scope!.includes(g))) return { call, notes, asAgent: false };
    }
    // Someone else's call, or outside the supervisor's scope: it does not exist for this caller.
    throw notFound('call');
  }

  /** The agent's staff number (for callbacks and transfer notes). */
  staffNoOf(agentId: number): string {
    return this.o.acd.directory.agents.get(agentId)?.staffNo ?? String(agentId);
  }

  private customerLeg(r: Reach): string {
    const id = r.notes.customerLegId ?? (r.call.record.direction === 'inbound' ? `${r.call.id}:caller` : null);
    if (!id || !r.call.media?.leg(id)) throw conflict('call', '通话尚未接通 (the customer is not connected)');
    return id;
  }

  private agentLeg(r: Reach): string {
    const id = r.notes.agentLegId;
    if (!id || !r.call.media?.leg(id)) throw conflict('call', '座席尚未接通 (no agent is connected)');
    return id;
  }

  private tell(r: Reach, data: Record<string, unknown>): void {
    for (const id of new Set([r.notes.outboundAgentId, ...r.notes.talks.filter((t) => t.endedAt === null).map((t) => t.agentId)])) {
      if (id != null) this.o.notifyAgent?.(id, 'callState', { callId: r.call.id, ...data });
    }
  }

  answer(actor: Actor, callId: string): void {
    const r = this.reach(actor, callId);
    if (this.o.dialer.browserOffers.answer(r.call.id, actor.userId)) return;
    throw conflict('call', '没有在工作台振铃的来电；话机来电请在话机上接听 (nothing rings on your workbench; answer desk-phone calls on the phone)');
  }

  reject(actor: Actor, callId: string): void {
    const r = this.reach(actor, callId);
    if (!this.o.dialer.browserOffers.reject(r.call.id, actor.userId)) throw conflict('call', '没有在工作台振铃的来电 (nothing rings on your workbench)');
  }

  /** The agent leaves the call (an inbound caller goes on to the survey); a supervisor or the caller of an outbound call ends it. */
  async hangup(actor: Actor, callId: string): Promise<void> {
    const r = this.reach(actor, callId);
    if (this.o.dialer.browserOffers.reject(r.call.id, actor.userId)) return;
    const session = r.asAgent ? this.o.dialer.sessionOf(r.call.id, actor.userId) : undefined;
    if (session) {
      r.notes.agentHungUp = true;
      session.release(LOCAL_CAUSES.normal());
      return;
    }
    // The agent of an answered outbound call leaves: the number's 呼出评价 may follow for the customer.
    if (r.asAgent && r.notes.outboundAgentId === actor.userId && (await this.o.outbound.agentLeaves(r.call))) return;
    r.call.hangup(LOCAL_CAUSES.normal(), r.asAgent ? 'caller' : 'system');
  }

  async hold(actor: Actor, callId: string, on: boolean): Promise<void> {
    const r = this.reach(actor, callId);
    const leg = this.customerLeg(r);
    if (r.notes.held === on) return;
    // The recorder keeps silence for a held leg: the recording stays aligned.
    const music = on ? await this.holdMusic() : null;
    await r.call.requireMedia().hold(leg, on, music ? { music } : {});
    r.notes.held = on;
    this.tell(r, { state: on ? 'held' : 'connected' });
  }

  /** 通话保持放音设置: none (silence), the box's notice, or the site's TTS text or prompt file. */
  private async holdMusic(): Promise<PromptSource | null> {
    const s = await this.o.settings?.get('holdMusic');
    if (!s || s.mode === 'default') return HOLD_MUSIC;
    if (s.mode === 'none' || !s.prompt) return null;
    return this.source(s.prompt);
  }

  source(p: CallPrompt): PromptSource {
    if (p.kind === 'file') return { kind: 'file', path: this.o.promptPath?.(p.promptId) ?? p.promptId };
    return { kind: 'tts', text: p.text, ...(p.voice === 'cmn' || p.voice === 'en' ? { voice: p.voice } : {}) };
  }

  async mute(actor: Actor, callId: string, on: boolean): Promise<void> {
    const r = this.reach(actor, callId);
    const media = r.call.requireMedia();
    const legId = this.agentLeg(r);
    if (!media.leg(legId)) throw conflict('call', '座席尚未接通 (no agent is connected)');
    await media.setMuted(legId, on);
    r.notes.muted = on;
    this.tell(r, { state: r.notes.held ? 'held' : 'connected', muted: on });
  }

  async dtmf(actor: Actor, callId: string, digits: string): Promise<void> {
    const r = this.reach(actor, callId);
    await r.call.requireMedia().sendDtmf(this.customerLeg(r), digits);
  }

  async transfer(actor: Actor, callId: string, to: TransferTarget): Promise<{ result: 'transferring' | 'answered' }> {
    const r = this.reach(actor, callId);
    const session = this.o.dialer.sessionOf(r.call.id, r.asAgent ? actor.userId : undefined);
    const by = this.o.acd.directory.agents.get(actor.userId)?.staffNo ?? String(actor.userId);
    if (to.kind === 'external') return this.transferOut(r, to.number, by, session?.release.bind(session) ?? null);
    if (!session) throw conflict('call', '只有排队接入的来电可以转技能组或座席 (only calls answered from a queue can be transferred to a group or an agent)');
    const at = this.o.clock.now();
    if (to.kind === 'skillGroup') {
      if (!this.o.acd.directory.groups.has(to.skillGroupId)) throw validationError('skillGroupId', `skill group ${to.skillGroupId} does not exist`);
      this.o.bridge.handOff(r.call.id, { kind: 'skillGroup', skillGroupId: to.skillGroupId });
      r.notes.transfers.push({ at, by, kind: 'skillGroup', to: this.o.acd.directory.groups.get(to.skillGroupId)!.name, result: 'pending' });
    } else {
      const agent = this.o.acd.directory.agents.get(to.agentId);
      if (!agent?.email) throw validationError('agentId', `agent ${to.agentId} does not exist`);
      if (to.agentId === session.agentId) throw validationError('agentId', '不能转给自己 (that is you)');
      if (this.o.acd.status(to.agentId).status === 'offline') throw conflict('agentId', `${agent.name} 不在线 (the agent is offline)`);
      this.o.bridge.handOff(r.call.id, { kind: 'agent', email: agent.email, skillGroupId: [...agent.groups.keys()][0] ?? null });
      r.notes.transfers.push({ at, by, kind: 'agent', to: agent.staffNo ?? agent.name, result: 'pending' });
    }
    r.notes.transfer = 'agent';
    session.release(LOCAL_CAUSES.normal());
    return { result: 'transferring' };
  }

  /**
   * 转外线: the outside party is rung for the customer (who keeps talking to the agent meanwhile) and, on answer,
   * the agent leaves. An agent's explicit transfer is not a relay by the caller, so trunk calls may use it.
   */
  private async transferOut(r: Reach, number: string, by: string, releaseAgent: (() => void) | null): Promise<{ result: 'answered' }> {
    const dialled = classifyDialled(number);
    if (dialled.kind === 'extension' || dialled.kind === 'invalid') throw validationError('number', `${number} 不是外线号码 (not an outside number)`);
    if (dialled.kind === 'international') throw validationError('number', '不允许转国际号码 (international numbers are not allowed)');
    const customer = this.customerLeg(r);
    // The customer sees the number they called (or were called from) again.
    const prefer = r.call.record.number;
    const route = await this.o.calls.outboundTarget(r.call, dialled.digits, this.o.b2bua.env.settings.maxForwards, prefer);
    const at = this.o.clock.now();
    if ('cause' in route) {
      r.notes.transfers.push({ at, by, kind: 'external', to: dialled.digits, result: 'failed' });
      throw conflict('number', `外线无法接通 (${route.cause.text})`);
    }
    const out = await dialLeg(this.o.b2bua, this.o.clock, r.call, route.target, {
      mediaRole: 'agent', recordRole: 'callee', ringTimeoutMs: this.o.calls.settings.ringTimeoutMs, peerLegId: customer,
    });
    if (out.result === 'failed') {
      r.notes.transfers.push({ at, by, kind: 'external', to: dialled.digits, result: 'failed' });
      throw conflict('number', `外线未接通 (${out.cause.text}, ${statusForCaller(out.cause)})`);
    }
    r.notes.transfers.push({ at, by, kind: 'external', to: dialled.digits, result: 'answered' });
    r.notes.transfer = 'external';
    if (releaseAgent) releaseAgent();
    else if (r.notes.agentLegId) {
      const leg = r.call.legs.get(r.notes.agentLegId);
      if (leg) await r.call.drop(leg, LOCAL_CAUSES.normal());
    }
    return { result: 'answered' };
  }
}
