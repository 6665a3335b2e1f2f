// 免打扰 (DND) from desk phones to the ACD, both ways phones signal it: the feature codes *78 (on) and *79
// (off) dialled from a registered phone — answered, confirmed by a short prompt, hung up — and the
// as-feature-event subscription of Yealink/Fanvil "DND feature key sync". A change made elsewhere (the
// console, the workbench, a supervisor) reaches the phone's DND flag and its subscriptions as a NOTIFY.
import type { Acd, AgentStateChange, AgentStatusView } from '../acd/index.ts';
import { CallerHangupError } from '../ivr/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import { FeatureSyncServer, type FeatureSyncSettings } from '../sip/feature-sync/index.ts';
import type { SipStack } from '../sip/index.ts';
import type { CallNotebook } from './call-notes.ts';
import type { ActiveCall, FeatureCodeRouter } from './call-types.ts';
import type { Calls } from './calls.ts';
import { LiveCallControl, type LiveCallControlOptions } from './ivr-call-control.ts';

/** Asterisk/FreePBX convention. */
export const DND_CODES: Readonly<Record<string, boolean>> = { '*78': true, '*79': false };

/** What the phone hears (zh-CN: the phones' users are the site's agents). */
export const DND_PROMPTS = {
  on: '免打扰已开启',
  off: '免打扰已关闭',
  /** A phone bound to no agent and no skill group has no ACD state to change. */
  unbound: '本话机未绑定座席或技能组，无法设置免打扰',
} as const;

export interface PhoneDndOptions {
  acd: Acd;
  calls: Calls;
  stack: SipStack;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  promptPath: (promptId: string) => string;
  renderTts?: LiveCallControlOptions['renderTts'];
  sync?: Partial<FeatureSyncSettings>;
}

export class PhoneDnd {
  readonly sync: FeatureSyncServer;
  private readonly log: Logger;

  constructor(private readonly o: PhoneDndOptions) {
    this.log = o.log.child({ part: 'phone-dnd' });
    this.sync = new FeatureSyncServer({
      stack: o.stack, clock: o.clock, log: o.log, ...(o.sync ? { settings: o.sync } : {}),
      keeper: { dndOf: (ext) => this.dndOf(ext), setDnd: (ext, dnd) => this.apply(ext, dnd) },
    });
  }

  start(): void {
    this.sync.install();
    this.o.calls.setFeatureCodes(this.route);
    this.o.acd.on('agent-state', this.onAgentState);
  }

  stop(): void {
    this.o.acd.off('agent-state', this.onAgentState);
    this.o.calls.setFeatureCodes(null);
    this.sync.stop();
  }

  /** The phone's DND flag in the ACD; null when the phone is bound to no agent and no group (or unknown). */
  dndOf(extension: string): boolean | null {
    const dir = this.o.acd.directory;
    const pid = dir.phonesByExtension.get(extension);
    const phone = pid === undefined ? undefined : dir.phones.get(pid);
    if (!phone) return null;
    if (phone.agentId != null) return this.o.acd.hasAgent(phone.agentId) ? this.o.acd.status(phone.agentId).presence.dnd : false;
    if (phone.groupId == null) return null;
    return this.o.acd.snapshot().phones.find((p) => p.phoneId === phone.id)?.dnd ?? false;
  }

  /** Sets the phone's DND in the ACD (示忙 ↔ 示闲 for its agent); resolves with the state that holds now. */
  private async apply(extension: string, dnd: boolean): Promise<boolean> {
    await this.o.acd.phoneDnd(extension, dnd);
    return this.dndOf(extension) ?? dnd;
  }

  /** The feature codes: *78 / *79 answered with a confirmation (or the refusal for an unbound phone). */
  readonly route: FeatureCodeRouter = ({ extension, dialled }) => {
    const dnd = DND_CODES[dialled];
    if (dnd === undefined) return null;
    return { kind: 'handle', run: (call) => this.byCode(call, extension, dnd) };
  };

  private async byCode(call: ActiveCall, extension: string, dnd: boolean): Promise<void> {
    let text: string;
    if (this.dndOf(extension) === null) {
      this.log.info({ extension }, 'DND feature code from a phone bound to no agent or group refused');
      text = DND_PROMPTS.unbound;
    } else {
      const now = await this.apply(extension, dnd);
      this.log.info({ extension, dnd: now }, 'DND set by feature code');
      this.sync.publish(extension, now);
      text = now ? DND_PROMPTS.on : DND_PROMPTS.off;
    }
    const control = new LiveCallControl({
      call, clock: this.o.clock, log: this.log, notes: this.o.notebook.of(call.id), promptPath: this.o.promptPath,
      ...(this.o.renderTts ? { renderTts: this.o.renderTts } : {}),
      transferToQueue: async () => ({ result: 'rejected', skillGroupId: null, reason: 'a feature code call' }),
      variables: { SystemCallerNumber: extension, SystemCalleeNumber: call.record.callee, SystemSessionId: call.id },
    });
    try {
      await control.play({ kind: 'tts', text }, { interruptible: false, repeat: 1 });
    } catch (err) {
      if (!(err instanceof CallerHangupError)) throw err;
    } finally {
      control.dispose();
    }
    call.hangup(LOCAL_CAUSES.normal());
  }

  /**
   * 示闲/示忙/小休 chosen elsewhere (console, workbench, supervisor) moves the bound phone's DND flag with it —
   * on for 示忙 and 小休, off for 示闲 — so the phone rings exactly when the agent takes calls, and its
   * subscribed DND key shows it. The phone's own changes (cause phone-dnd) are already in place.
   */
  private readonly onAgentState = (change: AgentStateChange, view: AgentStatusView): void => {
    if (change.axis !== 'status' || (change.cause !== 'agent' && change.cause !== 'supervisor')) return;
    const to = change.to;
    if (to !== 'idle' && to !== 'busy' && to !== 'break') return;
    const phone = view.presence.phoneId === null ? undefined : this.o.acd.directory.phones.get(view.presence.phoneId);
    const dnd = to !== 'idle';
    if (!phone || view.presence.dnd === dnd) return;
    void this.apply(phone.extension, dnd).then(
      (now) => this.sync.publish(phone.extension, now),
      (err: unknown) => this.log.warn({ err, extension: phone.extension }, 'phone DND could not follow the agent status'),
    );
  };
}
