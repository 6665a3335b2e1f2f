// What puts an agent at work: a workbench login, or — for an agent who works from a desk phone alone — the
// bound phone's registration (its DND key standing in for 示忙). Edges log in and out; levels are re-derived
// when the directory changes a binding.
import type { AgentBook } from './agent-book.ts';
import type { AgentRuntime } from './agent-state.ts';
import type { AgentStatusView } from './agent-state-types.ts';
import type { AgentPresenceInputs } from './acd-types.ts';

export class AgentPresence implements AgentPresenceInputs {
  private readonly registered = new Set<string>();
  private readonly dnd = new Set<string>();

  constructor(
    private readonly book: AgentBook,
    /** Re-reads the directory (an agent or extension the ACD has not seen yet). */
    private readonly refresh: () => Promise<void>,
  ) {}

  private async agent(agentId: number): Promise<AgentRuntime> {
    if (!this.book.agent(agentId)) await this.refresh();
    return this.book.requireAgent(agentId);
  }

  async webLogin(agentId: number): Promise<AgentStatusView> {
    const rt = await this.agent(agentId);
    rt.presence.web = true;
    if (rt.status === 'offline') this.book.setStatus(rt, this.book.dir.defaultStatus, { cause: 'login' });
    return rt.view();
  }

  async webLogout(agentId: number): Promise<AgentStatusView> {
    const rt = await this.agent(agentId);
    rt.presence.web = false;
    if (!rt.presence.phoneRegistered && rt.status !== 'offline') this.book.setStatus(rt, 'offline', { cause: 'logout' });
    return rt.view();
  }

  async phoneRegistration(extension: string, registered: boolean): Promise<void> {
    if (registered) this.registered.add(extension);
    else this.registered.delete(extension);
    if (!this.book.dir.phonesByExtension.has(extension)) await this.refresh();
    this.applyPhone(extension, true);
  }

  async phoneDnd(extension: string, dnd: boolean): Promise<void> {
    if (dnd) this.dnd.add(extension);
    else this.dnd.delete(extension);
    const rt = this.boundAgent(extension);
    if (rt) {
      rt.presence.dnd = dnd;
      if (dnd && rt.status === 'idle') this.book.setStatus(rt, 'busy', { cause: 'phone-dnd' });
      else if (!dnd && rt.status === 'busy') this.book.setStatus(rt, 'idle', { cause: 'phone-dnd' });
    }
    this.applyPhone(extension, false);
  }

  /** After a directory refresh: bindings may have moved; registrations stay as the SIP layer reported them. */
  resync(): void {
    for (const rt of this.book.agents.values()) {
      const phone = [...this.book.dir.phones.values()].find((p) => p.agentId === rt.agentId);
      if ((phone?.id ?? null) !== rt.presence.phoneId) {
        rt.presence.phoneId = phone?.id ?? null;
        this.applyAgentPhone(rt, phone ? this.registered.has(phone.extension) : false, phone ? this.dnd.has(phone.extension) : false, true);
      }
    }
    for (const [id, p] of this.book.phones) {
      const info = this.book.dir.phones.get(id);
      p.registered = !!info && this.registered.has(info.extension);
      p.dnd = !!info && this.dnd.has(info.extension);
    }
  }

  private boundAgent(extension: string): AgentRuntime | undefined {
    const pid = this.book.dir.phonesByExtension.get(extension);
    const agentId = pid === undefined ? null : this.book.dir.phones.get(pid)?.agentId;
    return agentId == null ? undefined : this.book.agent(agentId);
  }

  private applyPhone(extension: string, edge: boolean): void {
    const pid = this.book.dir.phonesByExtension.get(extension);
    if (pid === undefined) return;
    const rt = this.boundAgent(extension);
    if (rt) {
      rt.presence.phoneId = pid;
      this.applyAgentPhone(rt, this.registered.has(extension), this.dnd.has(extension), edge);
    }
    const gp = this.book.phones.get(pid);
    if (gp) {
      gp.registered = this.registered.has(extension);
      gp.dnd = this.dnd.has(extension);
    }
  }

  /** A phone that comes up signs an offline agent in (示忙 when on DND); one that goes away signs them out unless the workbench is open. */
  private applyAgentPhone(rt: AgentRuntime, registered: boolean, dnd: boolean, edge: boolean): void {
    const was = rt.presence.phoneRegistered;
    rt.presence.phoneRegistered = registered;
    rt.presence.dnd = dnd;
    if (registered && !was && edge && rt.status === 'offline') {
      this.book.setStatus(rt, dnd ? 'busy' : this.book.dir.defaultStatus, { cause: 'login' });
    } else if (!registered && was && !rt.presence.web && rt.status !== 'offline') {
      this.book.setStatus(rt, 'offline', { cause: 'logout' });
    }
  }
}
