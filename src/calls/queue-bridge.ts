// 转人工 on a real call: the IVR's request becomes an ACD enqueue (the call's signal = the caller leaving),
// ${WaitNo} and position announcements reach the caller, and the ACD's answer is carried out — connected
// (wait for the agent's part to end, then 话后整理 and back to the flow for the survey), overflow to another
// group, voicemail, hang-up with a prompt, queue callback — or a transfer re-queues the caller.
import type { Acd, EnqueueOutcome, EnqueueRequest, QueueAnnouncement } from '../acd/index.ts';
import { CallerHangupError, type QueueOutcome, type QueueRequest, type QueueTarget } from '../ivr/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { AgentDialer } from './agent-dialer.ts';
import type { CallNotebook, CallNotes } from './call-notes.ts';
import type { LiveCallControl } from './ivr-call-control.ts';

/** A transfer the control API asked for: where the caller goes once the agent is released. */
export type Handoff = { kind: 'skillGroup'; skillGroupId: number } | { kind: 'agent'; email: string; skillGroupId: number | null } | { kind: 'survey' };

/** How a caller-side request differs from the IVR's 转人工 (外呼指定分配). */
export interface TransferOptions {
  /** No agent online or max wait: answer 'noAgentOnline' / 'timeout' and leave the call alone (no prompt, no voicemail). */
  fallThrough?: boolean;
}

export interface QueueBridgeOptions {
  acd: Acd;
  dialer: AgentDialer;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  /**
   * After the agent's part (they hung up, or asked for the survey): the number's 呼入评价 runs. Resolves true
   * when it ran (the call is then over for the IVR).
   */
  afterAgent?: (control: LiveCallControl, notes: CallNotes, invited: boolean) => Promise<boolean>;
}

/** Overflow and transfer hops one call may take before the ACD is judged to loop. */
const MAX_HOPS = 8;

const VOICEMAIL_PROMPT = '请在提示音后留言，按井号键结束。';
const CALLBACK_PROMPT = '已为您登记排队回呼，轮到您时我们将回电，再见。';

export class QueueBridge {
  /** Transfers waiting for the agent's release, by call id. */
  private readonly handoffs = new Map<string, Handoff>();

  constructor(private readonly o: QueueBridgeOptions) {}

  /** The control API's transfer to a group or an agent: the agent's session is released, the caller re-queued. */
  handOff(callId: string, h: Handoff): void {
    this.handoffs.set(callId, h);
  }

  private groupName(id: number | null): string | null {
    return id === null ? null : (this.o.acd.directory.groups.get(id)?.name ?? null);
  }

  transfer = async (req: QueueRequest, control: LiveCallControl, opts: TransferOptions = {}): Promise<QueueOutcome> => {
    const call = control.call;
    const notes = this.o.notebook.of(call.id);
    let target: QueueTarget = req.target;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const groupId = target.kind === 'skillGroup' ? target.skillGroupId : (target.skillGroupId ?? null);
      const visit = { skillGroupId: groupId, skillGroupName: this.groupName(groupId) ?? (target.kind === 'agents' ? target.skillGroupName ?? null : null), enteredAt: this.o.clock.now(), leftAt: null as number | null, outcome: null as string | null };
      notes.queue.push(visit);
      notes.phase = 'queue';
      if (groupId !== null) {
        notes.skillGroupIds.add(groupId);
        notes.skillGroup = { id: groupId, name: visit.skillGroupName ?? '' };
      }
      let out: EnqueueOutcome;
      try {
        out = await this.o.acd.enqueue({
          ...this.request(req, target, control, hop > 0),
          ...(opts.fallThrough ? { noAgentAction: { action: 'hangup', prompt: null }, maxWaitAction: { action: 'hangup', prompt: null }, announce: null } : {}),
        });
      } catch (err) {
        visit.leftAt = this.o.clock.now();
        visit.outcome = 'rejected';
        return { result: 'rejected', skillGroupId: groupId, reason: (err as Error).message };
      }
      visit.leftAt = this.o.clock.now();
      visit.outcome = out.outcome;
      control.alive();
      switch (out.outcome) {
        case 'connected': {
          const next = await this.talk(out, control, notes, groupId);
          if ('result' in next) return next;
          target = next.target;
          continue;
        }
        case 'overflow':
          target = { kind: 'skillGroup', skillGroupId: out.skillGroupId };
          continue;
        case 'voicemail':
          if (out.reason === 'no-agent-online') notes.noAgentOnline = true;
          await control.play({ kind: 'tts', text: VOICEMAIL_PROMPT }, { interruptible: false, repeat: 1 });
          await control.recordVoicemail({ maxSeconds: 60, beep: true, finishOnKey: '#' });
          return this.done('voicemail');
        case 'hangup':
          if (opts.fallThrough && out.reason !== 'shutdown') return { result: out.reason === 'max-wait' ? 'timeout' : 'noAgentOnline', skillGroupId: groupId };
          if (out.reason === 'no-agent-online') notes.noAgentOnline = true;
          if (out.prompt) await control.play({ kind: 'tts', text: out.prompt }, { interruptible: false, repeat: 1 });
          call.hangup(LOCAL_CAUSES.normal());
          return this.done(out.reason === 'shutdown' ? 'shutdown' : 'hangup');
        case 'callerAbandoned':
          throw new CallerHangupError();
        case 'callbackScheduled':
          await control.play({ kind: 'tts', text: CALLBACK_PROMPT }, { interruptible: false, repeat: 1 });
          call.hangup(LOCAL_CAUSES.normal());
          return this.done('callback');
      }
    }
    return { result: 'rejected', skillGroupId: null, reason: `more than ${MAX_HOPS} overflows or transfers` };
  };

  /**
   * The ACD carried the call out itself (voicemail, hang-up, callback): the IVR is done with it, which
   * QueueOutcome says as a transfer with no agent.
   */
  private done(to: string): QueueOutcome {
    return { result: 'transferred', agent: { staffNo: '' }, to: `acd:${to}` };
  }

  private request(req: QueueRequest, target: QueueTarget, control: LiveCallControl, again: boolean): EnqueueRequest {
    const call = control.call;
    const where = target.kind === 'skillGroup'
      ? { skillGroupId: target.skillGroupId }
      : { agentEmails: target.agentEmails, ...(target.skillGroupId ? { skillGroupId: target.skillGroupId } : target.skillGroupName ? { skillGroupName: target.skillGroupName } : {}) };
    return {
      callId: call.id,
      callerNumber: call.record.caller,
      calleeNumber: call.record.number,
      ...where,
      priority: req.priority,
      maxWaitMs: req.maxWaitMs,
      data: { ivrFlow: req.ivr.flowName, ivrKeys: req.ivr.keys, transferred: again ? '1' : '0' },
      signal: call.signal,
      onWaitNo: (n) => control.setVariable('WaitNo', String(n)),
      onAnnounce: (a) => void this.announce(control, a),
    };
  }

  private async announce(control: LiveCallControl, a: QueueAnnouncement): Promise<void> {
    const parts: string[] = [];
    if (a.position) parts.push(a.waitNo <= 1 ? '您是下一位。' : `您前面还有 ${a.waitNo - 1} 位客户在等待。`);
    if (a.estimatedWait) parts.push(`预计等待 ${Math.max(1, Math.round(a.estimatedWaitMs / 60_000))} 分钟。`);
    if (!parts.length) return;
    await control.playSource({ kind: 'tts', text: parts.join('') }, false).catch(() => undefined);
  }

  /** The agent talks with the caller; resolves when their part ended (agent hung up or a transfer). */
  private async talk(out: Extract<EnqueueOutcome, { outcome: 'connected' }>, control: LiveCallControl, notes: CallNotes, groupId: number | null): Promise<QueueOutcome | { target: QueueTarget }> {
    const call = control.call;
    const session = this.o.dialer.session(out.offerId);
    const talk = notes.talks.at(-1);
    const how = session ? await session.ended : 'agent';
    // The agent's call is over for the ACD: 空闲, then 话后整理.
    this.o.acd.callEnded(call.id);
    const handoff = this.handoffs.get(call.id);
    this.handoffs.delete(call.id);
    if (how === 'call' || call.signal.aborted) throw new CallerHangupError();
    if (how === 'released' && handoff && handoff.kind !== 'survey') {
      if (handoff.kind === 'skillGroup') return { target: { kind: 'skillGroup', skillGroupId: handoff.skillGroupId } };
      return { target: { kind: 'agents', agentEmails: [handoff.email], ...(handoff.skillGroupId ? { skillGroupId: handoff.skillGroupId } : {}) } };
    }
    const agent = { staffNo: talk?.staffNo ?? '', ...(talk?.name ? { name: talk.name } : {}) };
    const talkMs = talk ? (talk.endedAt ?? this.o.clock.now()) - talk.answeredAt : 0;
    if (how === 'released' && notes.transfer === 'external') return { result: 'transferred', agent, to: 'external' };
    // 邀请评价 (the agent asked for the survey) or the number's 呼入评价 after the agent hung up.
    if (how === 'released' && handoff?.kind === 'survey' && (await this.o.afterAgent?.(control, notes, true))) return this.done('survey');
    if (how === 'agent' && (await this.o.afterAgent?.(control, notes, false))) return this.done('survey');
    return { result: 'agentHungUp', agent, skillGroupId: groupId, waitMs: out.waitedMs, talkMs };
  }
}
