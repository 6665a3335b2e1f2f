// 通话功能 beyond the basic controls: 加入黑名单 (the customer's number), 重拨, 邀请评价, a 自助服务 flow started by the
// agent (the customer leaves the agent, runs the flow, and is connected back when its end node returns), and
// 收号 (the customer keys digits the agent does not hear; they are POSTed to the template's callback URL).
import type { Actor } from '../directory/index.ts';
import { IvrInterpreter, type IvrService } from '../ivr/index.ts';
import type { Clock } from '../platform/clock.ts';
import { conflict, notFound } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { AgentDialer } from './agent-dialer.ts';
import type { CallActions } from './call-actions.ts';
import type { CallNotes } from './call-notes.ts';
import type { Call } from './call.ts';
import { customerControl, type CustomerControlOptions } from './customer-control.ts';
import type { LiveCallControl } from './ivr-call-control.ts';
import type { OutboundCalls } from './outbound-calls.ts';
import type { QueueBridge } from './queue-bridge.ts';
import type { BlacklistEntry, CallSettings, DigitTemplate } from './settings/index.ts';

export interface InCallServicesOptions extends CustomerControlOptions {
  actions: CallActions;
  dialer: AgentDialer;
  bridge: QueueBridge;
  outbound: OutboundCalls;
  settings: CallSettings;
  ivr: Pick<IvrService, 'snapshot' | 'timeZone'>;
  clock: Clock;
  log: Logger;
  notifyAgent?: (agentId: number, event: string, data: unknown) => boolean;
  /** The 收号 callback's deadline. */
  digitsCallbackTimeoutMs?: number;
  fetch?: typeof fetch;
}

export class InCallServices {
  constructor(private readonly o: InCallServicesOptions) {}

  /** The customer's number of a call: the caller of an inbound call, the callee of an outbound one. */
  private customerNumber(call: Call): string {
    return call.record.direction === 'inbound' ? call.record.caller : call.record.callee;
  }

  async blacklist(actor: Actor, callId: string, remark: string | undefined): Promise<BlacklistEntry> {
    const r = this.o.actions.reach(actor, callId);
    if (r.call.record.direction === 'internal') throw conflict('call', '内线通话不能加入黑名单 (an internal call has no customer)');
    return this.o.settings.addToBlacklist({ number: this.customerNumber(r.call), ...(remark ? { remark } : {}) }, actor.userId);
  }

  /** 邀请评价: the agent leaves and the customer hears the number's survey. */
  async survey(actor: Actor, callId: string): Promise<void> {
    const r = this.o.actions.reach(actor, callId);
    if (!r.asAgent) throw notFound('call');
    const s = r.call.record.number ? await this.o.settings.forNumber(r.call.record.number) : null;
    if (r.call.record.direction === 'inbound') {
      if (!s?.inboundSurvey.enabled) throw conflict('call', '该号码未开启呼入评价 (no inbound survey for this number)');
      const session = this.o.dialer.sessionOf(r.call.id, actor.userId);
      if (!session) throw conflict('call', '通话尚未接通 (the call is not connected)');
      this.o.bridge.handOff(r.call.id, { kind: 'survey' });
      r.notes.agentHungUp = true;
      session.release(LOCAL_CAUSES.normal());
      return;
    }
    if (!s?.outboundSurvey.enabled) throw conflict('call', '该号码未开启呼出评价 (no outbound survey for this number)');
    if (!r.notes.customerLegId) throw conflict('call', '通话尚未接通 (the customer is not connected)');
    void this.o.outbound.agentLeaves(r.call);
  }

  /** Takes the customer aside (the agent and the customer no longer hear each other) for `work`, then back. */
  private aside(actor: Actor, callId: string, kind: 'selfService' | 'digits', work: (control: LiveCallControl, notes: CallNotes, call: Call) => Promise<void>): void {
    const r = this.o.actions.reach(actor, callId);
    if (!r.asAgent) throw notFound('call');
    const notes = r.notes;
    const customer = notes.customerLegId;
    const agent = notes.agentLegId;
    const media = r.call.media;
    if (!customer || !agent || !media?.leg(customer) || !media.leg(agent)) throw conflict('call', '通话尚未接通 (the call is not connected)');
    if (notes.aside) throw conflict('call', '正在进行自助服务或收号 (a self-service or digit collection is running)');
    if (notes.held) throw conflict('call', '请先取回通话 (retrieve the held call first)');
    notes.aside = kind;
    const call = r.call;
    const tell = (data: Record<string, unknown>): void => void this.o.notifyAgent?.(actor.userId, 'callState', { callId: call.id, ...data });
    const run = async (): Promise<void> => {
      await media.disconnect(customer, agent);
      const control = customerControl(call, customer, notes, this.o, { StaffNo: this.o.actions.staffNoOf(actor.userId) });
      try {
        await work(control, notes, call);
      } finally {
        control.dispose();
        notes.aside = null;
      }
      if (call.isEnded || !media.leg(agent) || media.closed) return;
      await media.connect(customer, agent);
      tell({ state: 'connected' });
    };
    tell({ state: kind });
    void run().catch((err: unknown) => {
      notes.aside = null;
      if (call.isEnded) return;
      this.o.log.error({ err, callId: call.id }, `${kind} failed`);
      notes.errors.push(`${kind}: ${(err as Error).message}`);
      void media.connect(customer, agent).catch(() => undefined);
      tell({ state: 'connected' });
    });
  }

  /** 自助服务: the flow's newest published revision runs for the customer; its end node returns them to the agent. */
  async selfService(actor: Actor, callId: string, selfServiceId: number): Promise<void> {
    const entry = await this.o.settings.selfService(selfServiceId);
    if (!entry.enabled) throw conflict('selfServiceId', `${entry.name} 已停用 (disabled)`);
    const snapshot = await this.o.ivr.snapshot(entry.flowId, entry.version, 'published');
    this.aside(actor, callId, 'selfService', async (control) => {
      const interpreter = new IvrInterpreter(snapshot, control, { clock: this.o.clock, log: this.o.log, timeZone: this.o.ivr.timeZone });
      await interpreter.run();
    });
  }

  /** 收号: the template's prompt, digits until the terminator, max length or timeout, then the callback. */
  async collectDigits(actor: Actor, callId: string, templateId: number): Promise<void> {
    const t = await this.o.settings.digitTemplate(templateId);
    if (!t.enabled) throw conflict('templateId', `${t.name} 已停用 (disabled)`);
    this.aside(actor, callId, 'digits', async (control, _notes, call) => {
      const digits = await this.keyIn(control, t);
      const delivered = digits.length >= t.minDigits ? await this.deliver(t, call, digits, this.o.actions.staffNoOf(actor.userId)) : false;
      this.o.notifyAgent?.(actor.userId, 'callState', { callId: call.id, state: 'digitsCollected', templateId: t.id, length: digits.length, delivered });
    });
  }

  private async keyIn(control: LiveCallControl, t: DigitTemplate): Promise<string> {
    const first = (await control.play(t.prompt, { interruptible: true, repeat: 1 })).interruptedBy ?? null;
    let digits = first && first !== t.terminator ? first : '';
    if (first && first === t.terminator) return '';
    while (digits.length < t.maxDigits) {
      const d = await control.digits.next(t.timeoutSec * 1000, control.signal);
      control.alive();
      if (d === null || d === t.terminator) break;
      digits += d;
    }
    return digits;
  }

  /** POSTs the digits (never logged) to the template's callback; true on a 2xx within the deadline. */
  private async deliver(t: DigitTemplate, call: Call, digits: string, staffNo: string): Promise<boolean> {
    const body = {
      SessionId: call.id, TemplateId: t.id, TemplateName: t.name, Caller: call.record.caller, Callee: call.record.callee, StaffNo: staffNo,
      Digits: digits, Timestamp: Math.floor(this.o.clock.now() / 1000),
    };
    try {
      const res = await (this.o.fetch ?? fetch)(t.callbackUrl, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.digitsCallbackTimeoutMs ?? 5_000), redirect: 'error',
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) this.o.log.warn({ callId: call.id, template: t.id, status: res.status }, '收号 callback refused the digits');
      return res.ok;
    } catch (err) {
      this.o.log.warn({ callId: call.id, template: t.id, err: (err as Error).message }, '收号 callback failed');
      return false;
    }
  }
}
