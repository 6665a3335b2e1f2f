// Who may see and change what through the control API: an agent their own status; supervisors (monitor or
// agents permission) the agents inside their skill-group scope — others are not found; answer settings need
// skillGroups (the global ones an unscoped role).
import { hasPermission, requirePermission, type Actor } from '../directory/index.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import type { Acd, SettableStatus } from './acd.ts';
import type { AgentStateChange, AgentStatusView } from './agent-state-types.ts';
import type { MonitorSnapshot, QueueView } from './acd-types.ts';
import type { AcdSettingsInput, AcdSettingsView } from './settings-types.ts';

export interface AgentStatusRow extends AgentStatusView {
  name: string;
  staffNo: string | null;
  breakReasonName: string | null;
  skillGroupIds: number[];
}

export type QueueSummary = Omit<QueueView, 'entries'>;

/** How stale the directory may be for frequently polled reads (the workbench polls its queues). */
const POLL_FRESH_MS = 1000;

export class AcdAccess {
  private refreshedAt = 0;

  constructor(
    private readonly acd: Acd,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private async fresh(maxAgeMs = 0): Promise<void> {
    if (maxAgeMs > 0 && this.now() - this.refreshedAt < maxAgeMs) return;
    await this.acd.refreshDirectory();
    this.refreshedAt = this.now();
  }

  /** 'self', or 'supervisor' for an agent in scope; 403 without the permission, 404 outside the scope. */
  private async reach(actor: Actor, agentId: number): Promise<'agent' | 'supervisor'> {
    const self = actor.userId === agentId;
    if (!self && !hasPermission(actor, 'monitor') && !hasPermission(actor, 'agents')) throw forbidden('只能查看或设置自己的状态 (you may only see and set your own status)');
    if (!this.acd.hasAgent(agentId)) await this.fresh();
    const info = this.acd.directory.agents.get(agentId);
    if (!info || !this.acd.hasAgent(agentId)) throw notFound('agent');
    if (!self && actor.scope !== null && ![...info.groups.keys()].some((g) => actor.scope!.includes(g))) throw notFound('agent');
    return self ? 'agent' : 'supervisor';
  }

  private row(agentId: number): AgentStatusRow {
    const view = this.acd.status(agentId);
    const info = this.acd.directory.agents.get(agentId)!;
    const reason = view.breakReasonId !== null ? (this.acd.directory.breakReasons.get(view.breakReasonId)?.name ?? null) : null;
    return { ...view, name: info.name, staffNo: info.staffNo, breakReasonName: reason, skillGroupIds: [...info.groups.keys()].sort((a, b) => a - b) };
  }

  async getStatus(actor: Actor, agentId: number): Promise<AgentStatusRow> {
    await this.reach(actor, agentId);
    return this.row(agentId);
  }

  async setStatus(actor: Actor, agentId: number, input: { status: SettableStatus; breakReasonId?: number | null }): Promise<AgentStatusRow> {
    const by = await this.reach(actor, agentId);
    if (input.status === 'break') await this.fresh(POLL_FRESH_MS); // break reasons may just have been edited
    this.acd.setStatus(agentId, input.status, { breakReasonId: input.breakReasonId ?? null, by });
    return this.row(agentId);
  }

  async history(actor: Actor, agentId: number, q: { from?: number; to?: number; limit: number }): Promise<AgentStateChange[]> {
    await this.reach(actor, agentId);
    return this.acd.history(agentId, q);
  }

  /** 您所在的技能组排队情况: the actor's own groups, plus the groups a supervisor's scope covers. */
  async queues(actor: Actor): Promise<QueueSummary[]> {
    await this.fresh(POLL_FRESH_MS);
    const dir = this.acd.directory;
    const ids = new Set<number>(dir.agents.get(actor.userId)?.groups.keys() ?? []);
    if (hasPermission(actor, 'monitor') || hasPermission(actor, 'agents') || hasPermission(actor, 'skillGroups')) {
      for (const g of dir.groups.keys()) if (actor.scope === null || actor.scope.includes(g)) ids.add(g);
    }
    return [...ids]
      .filter((g) => dir.groups.has(g))
      .sort((a, b) => a - b)
      .map((g) => {
        const { entries: _entries, ...summary } = this.acd.queueView(g);
        return summary;
      });
  }

  async snapshot(actor: Actor): Promise<MonitorSnapshot> {
    requirePermission(actor, 'monitor');
    await this.fresh(POLL_FRESH_MS);
    return this.acd.snapshot(actor.scope === null ? null : new Set(actor.scope));
  }

  async settingsView(actor: Actor): Promise<AcdSettingsView> {
    requirePermission(actor, 'skillGroups');
    await this.fresh();
    const s = this.acd.settings;
    const groups = [...this.acd.directory.groups.values()]
      .filter((g) => actor.scope === null || actor.scope.includes(g.id))
      .sort((a, b) => a.id - b.id)
      .map((g) => ({ skillGroupId: g.id, name: g.name, settings: s.groupOverride(g.id) }));
    return { global: s.globalSettings(), groups };
  }

  async saveSettings(actor: Actor, input: AcdSettingsInput): Promise<AcdSettingsView> {
    requirePermission(actor, 'skillGroups');
    await this.fresh();
    if (input.skillGroupId === null && actor.scope !== null) throw forbidden('全局接听设置仅限不限技能组的角色修改 (only unscoped roles change the global settings)');
    if (input.skillGroupId !== null && actor.scope !== null && !actor.scope.includes(input.skillGroupId)) throw notFound('skill group');
    await this.acd.saveSettings(input.skillGroupId, input.settings);
    return this.settingsView(actor);
  }
}
