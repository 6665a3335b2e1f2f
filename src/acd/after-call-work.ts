// 话后整理: after a call an idle agent wraps up; 话后恢复空闲 ends it after N s, 继续整理 adds N s more,
// 恢复接待 ends it at once (any status move out of 话后整理 disarms the countdown).
import type { Clock, TimerHandle } from '../platform/clock.ts';
import type { AgentBook } from './agent-book.ts';
import type { AgentRuntime } from './agent-state.ts';
import type { AcdSettingsCache } from './settings.ts';

export class AfterCallWork {
  private readonly timers = new Map<number, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly book: AgentBook,
    private readonly settings: AcdSettingsCache,
  ) {}

  /** The agent's call ended. Only 示闲 agents wrap up: 示忙 and 小休 chosen during the call stay. */
  begin(rt: AgentRuntime, callId: string | null): void {
    if (rt.status !== 'idle') return;
    const s = this.settings.effective(rt.callGroupId).answer.afterCallIdle;
    // Without the countdown the agent resumes by hand — impossible from a desk phone alone, so skip it there.
    if (!s.enabled && !rt.presence.web) return;
    const endsAt = s.enabled ? this.clock.now() + s.seconds * 1000 : null;
    rt.acwEndsAt = endsAt; // set first so the change event already carries the countdown
    this.book.setStatus(rt, 'acw', { cause: 'acw-start', callId });
    if (endsAt !== null) this.arm(rt, endsAt);
  }

  /** 继续整理: N more seconds from the current end (or from now when nothing counts down). */
  extend(rt: AgentRuntime): void {
    if (rt.status !== 'acw') return;
    const s = this.settings.effective(rt.callGroupId).answer.afterCallIdle;
    if (!s.enabled || rt.acwEndsAt === null) return;
    this.arm(rt, Math.max(rt.acwEndsAt, this.clock.now()) + s.seconds * 1000);
  }

  /** Called on every status change: leaving 话后整理 disarms its countdown. */
  leftAcw(agentId: number): void {
    this.clock.clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
  }

  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private arm(rt: AgentRuntime, endsAt: number): void {
    this.clock.clearTimeout(this.timers.get(rt.agentId));
    rt.acwEndsAt = endsAt;
    const t = this.clock.setTimeout(() => {
      this.timers.delete(rt.agentId);
      if (rt.status === 'acw') this.book.setStatus(rt, 'idle', { cause: 'acw-timer' });
    }, endsAt - this.clock.now());
    this.timers.set(rt.agentId, t);
  }
}
