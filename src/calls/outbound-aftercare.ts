// What follows an agent's outbound call besides the hang-up: the prompt the agent hears when the customer does
// not answer or hangs up first (外呼设置), and the number's 呼出评价配置 — after the agent hangs up (or invites
// it) the customer hears the survey, and its key and label land on the record.
import type { Acd } from '../acd/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES, type EndCause } from '../sip/b2bua/index.ts';
import type { CallNotebook } from './call-notes.ts';
import type { Call } from './call.ts';
import { customerControl, type CustomerControlOptions } from './customer-control.ts';
import type { CallPrompt, CallSettings } from './settings/index.ts';
import { runSurvey } from './survey.ts';

export interface OutboundAftercareOptions extends CustomerControlOptions {
  settings: CallSettings;
  acd: Acd;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
}

export class OutboundAftercare {
  constructor(private readonly o: OutboundAftercareOptions) {}

  private async playToAgent(call: Call, agentLegId: string | null, prompt: CallPrompt | null): Promise<void> {
    const media = call.media;
    if (!prompt || !agentLegId || !media || media.closed || !media.leg(agentLegId)) return;
    const source = prompt.kind === 'file' ? { kind: 'file' as const, path: this.o.promptPath(prompt.promptId) } : { kind: 'tts' as const, text: prompt.text };
    await media.play(agentLegId, source, { interruptible: false }).catch((err: unknown) => this.o.log.warn({ err, callId: call.id }, 'prompt to the agent failed'));
  }

  /** The customer did not answer: the agent hears 外呼设置's no-answer prompt, then the call ends with the cause. */
  async notAnswered(call: Call, agentLegId: string, cause: EndCause): Promise<void> {
    if (call.isEnded) return;
    if (cause.category !== 'cancelled') await this.playToAgent(call, agentLegId, (await this.o.settings.get('outbound')).noAnswerPrompt);
    if (!call.isEnded) call.hangup(cause, cause.category === 'cancelled' ? 'caller' : 'callee');
  }

  /**
   * The customer answered: arms the customer-hang-up prompt and the outbound survey. Legs that a prompt or
   * the survey outlives stop being essential, and their end is handled here.
   */
  async connected(call: Call, agentLegId: string, customerLegId: string, agentIsPhone: boolean): Promise<{ surveyOnAgentHangup: boolean }> {
    const rules = await this.o.settings.get('outbound');
    const number = call.record.number ? await this.o.settings.forNumber(call.record.number) : null;
    const customer = call.legs.get(customerLegId);
    if (rules.customerHangupPrompt && agentIsPhone && customer) {
      customer.essential = false;
      customer.sip.common.on('ended', () => {
        if (call.isEnded) return;
        if (this.o.notebook.peek(call.id)?.aside === 'survey') return call.hangup(LOCAL_CAUSES.normal(), 'callee');
        void this.playToAgent(call, agentLegId, rules.customerHangupPrompt).finally(() => call.hangup(LOCAL_CAUSES.normal(), 'callee'));
      });
    }
    const survey = !!number?.outboundSurvey.enabled;
    const agent = call.legs.get(agentLegId);
    if (survey && agent) {
      agent.essential = false;
      agent.sip.common.on('ended', () => {
        if (call.isEnded || this.o.notebook.peek(call.id)?.aside) return;
        void this.agentLeaves(call).then(
          (ran) => (ran ? undefined : call.hangup(LOCAL_CAUSES.normal(), 'caller')),
          (err: unknown) => {
            this.o.log.error({ err, callId: call.id }, 'outbound survey failed');
            call.hangup(LOCAL_CAUSES.normal(), 'caller');
          },
        );
      });
    }
    return { surveyOnAgentHangup: survey };
  }

  /**
   * The agent leaves an answered outbound call (hung up, or 邀请评价): with the number's 呼出评价配置 on, the
   * customer hears the survey and the call then ends. False when there is no survey to run (the caller ends the call).
   */
  async agentLeaves(call: Call): Promise<boolean> {
    const notes = this.o.notebook.peek(call.id);
    if (!notes || call.isEnded || !notes.customerLegId || notes.aside) return false;
    const s = call.record.number ? await this.o.settings.forNumber(call.record.number) : null;
    if (!s?.outboundSurvey.enabled || call.isEnded) return false;
    notes.aside = 'survey';
    notes.agentHungUp = true;
    notes.phase = 'after';
    const agentLegId = notes.agentLegId;
    notes.agentLegId = null;
    const talk = notes.talks.at(-1);
    if (talk) talk.endedAt ??= this.o.clock.now();
    const leg = agentLegId ? call.legs.get(agentLegId) : undefined;
    if (leg) await call.drop(leg, LOCAL_CAUSES.normal());
    else if (agentLegId) await call.media?.removeLeg(agentLegId).catch(() => undefined);
    // The agent is free (话后整理) while the customer answers the survey.
    this.o.acd.callEnded(call.id);
    const control = customerControl(call, notes.customerLegId, notes, this.o);
    try {
      await runSurvey(control, s.outboundSurvey, notes);
    } finally {
      control.dispose();
    }
    call.hangup(LOCAL_CAUSES.normal(), 'system');
    return true;
  }
}
