// What happens to an inbound call before its number's IVR flow: a blacklisted caller hears the blacklist
// prompt and is hung up (通用设置-黑名单); a customer an agent called out within 3 days reaches that agent
// when the number's 外呼指定分配 says so (only them, with the failure prompt; or them first, then the flow).
// After the agent hangs up, the number's 呼入评价配置 runs instead of the rest of the flow.
import type { Acd } from '../acd/index.ts';
import { CallerHangupError, type QueueRequest } from '../ivr/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { CallNotebook, CallNotes } from './call-notes.ts';
import type { ActiveCall, InboundCallInfo, InboundRoute, InboundRouter } from './call-types.ts';
import type { IvrCallRouter } from './call-router.ts';
import { LiveCallControl, type LiveCallControlOptions } from './ivr-call-control.ts';
import type { QueueBridge } from './queue-bridge.ts';
import type { CallSettings, NumberCallSettings } from './settings/index.ts';
import { runSurvey } from './survey.ts';

/** 外呼指定分配 remembers an agent's outbound call this long (the manual's 3 days). */
export const LAST_OUTBOUND_TTL_MS = 3 * 24 * 3600 * 1000;

export interface InboundPolicyOptions {
  settings: CallSettings;
  router: IvrCallRouter;
  bridge: QueueBridge;
  acd: Acd;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  promptPath: (promptId: string) => string;
  renderTts?: LiveCallControlOptions['renderTts'];
}

export class InboundPolicy {
  constructor(private readonly o: InboundPolicyOptions) {}

  private control(call: ActiveCall, info: InboundCallInfo): LiveCallControl {
    return new LiveCallControl({
      call, clock: this.o.clock, log: this.o.log, notes: this.o.notebook.of(call.id), promptPath: this.o.promptPath,
      ...(this.o.renderTts ? { renderTts: this.o.renderTts } : {}),
      transferToQueue: (req, control) => this.o.bridge.transfer(req, control),
      variables: { SystemCallerNumber: info.caller, SystemCalleeNumber: info.number, SystemSessionId: call.id, WaitNo: '', StaffNo: '' },
    });
  }

  route: InboundRouter = async (info: InboundCallInfo): Promise<InboundRoute | null> => {
    if (await this.o.settings.isBlacklisted(info.caller)) return { kind: 'handle', run: (call) => this.refuse(call, info) };
    const flow = await this.o.router.route(info);
    const number = await this.o.settings.forNumber(info.number);
    const mode = number?.lastAgentRouting.mode ?? 'off';
    if (mode === 'off') return flow;
    const agentId = await this.o.settings.lastOutboundAgent(info.caller, LAST_OUTBOUND_TTL_MS);
    const email = agentId !== null ? this.o.acd.directory.agents.get(agentId)?.email : undefined;
    if (!email) return flow;
    return { kind: 'handle', run: (call) => this.toLastAgent(call, info, number!, email, flow) };
  };

  private async refuse(call: ActiveCall, info: InboundCallInfo): Promise<void> {
    const notes = this.o.notebook.of(call.id);
    notes.blacklisted = true;
    this.o.log.info({ callId: call.id, caller: info.caller }, 'blacklisted caller refused');
    const prompt = (await this.o.settings.get('general')).blacklistPrompt;
    const control = this.control(call, info);
    try {
      if (prompt) await control.play(prompt, { interruptible: false, repeat: 1 });
    } catch (err) {
      if (!(err instanceof CallerHangupError)) throw err;
    } finally {
      control.dispose();
    }
    call.hangup(LOCAL_CAUSES.normal());
  }

  private async toLastAgent(call: ActiveCall, info: InboundCallInfo, s: NumberCallSettings, email: string, flow: InboundRoute | null): Promise<void> {
    const notes = this.o.notebook.of(call.id);
    const control = this.control(call, info);
    const ring = this.o.acd.settings.effective(null).answer.ringTimeout;
    const req: QueueRequest = {
      target: { kind: 'agents', agentEmails: [email] }, priority: 1,
      // One ring of the agent (plus the offer's set-up), then the failure prompt or the flow.
      maxWaitMs: ((ring.enabled ? ring.seconds : 20) + 3) * 1000,
      ivr: { flowId: 0, flowName: '外呼指定分配', version: '', nodeId: '', keys: '' },
    };
    let fallBack = false;
    try {
      const out = await this.o.bridge.transfer(req, control, { fallThrough: true });
      if (out.result === 'noAgentOnline' || out.result === 'timeout' || out.result === 'rejected') {
        notes.phase = 'setup';
        if (s.lastAgentRouting.mode === 'first' && flow?.kind === 'handle') fallBack = true;
        else if (s.lastAgentRouting.failurePrompt) await control.play(s.lastAgentRouting.failurePrompt, { interruptible: false, repeat: 1 });
      }
    } catch (err) {
      if (!(err instanceof CallerHangupError)) throw err;
      return;
    } finally {
      control.dispose();
    }
    if (fallBack && flow?.kind === 'handle') return flow.run(call);
    call.hangup(LOCAL_CAUSES.normal());
  }

  /** QueueBridge's afterAgent: the number's 呼入评价配置 (also when the agent invited the caller to it). */
  afterAgent = async (control: LiveCallControl, notes: CallNotes, _invited: boolean): Promise<boolean> => {
    const number = control.call.record.number;
    const s = number ? await this.o.settings.forNumber(number) : null;
    if (!s?.inboundSurvey.enabled) return false;
    notes.phase = 'after';
    await runSurvey(control, s.inboundSurvey, notes);
    control.call.hangup(LOCAL_CAUSES.normal());
    return true;
  };
}
