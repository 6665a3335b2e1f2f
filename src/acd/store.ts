// What the ACD keeps on disk, behind one narrow interface: state history, the last state per agent, the
// 上次接入人 memory and the settings. SQLite in the box (sqlite-store.ts), memory in unit tests (here).
import type { AgentStateChange, AgentStatus, DispatchState } from './agent-state-types.ts';
import type { AcdSettings } from './settings-types.ts';

export interface LastAgentRecord {
  number: string;
  agentId: number;
  direction: 'inbound' | 'outbound';
  at: number;
}

export interface AgentStateRecord {
  agentId: number;
  status: AgentStatus;
  breakReasonId: number | null;
  dispatch: DispatchState;
  callId: string | null;
}

export interface HistoryQuery {
  from?: number;
  to?: number;
  limit: number;
}

export interface AcdStore {
  /** Appends history rows and updates each agent's last state, in one transaction. */
  appendHistory(rows: readonly AgentStateChange[], current: readonly AgentStateRecord[]): Promise<void>;
  /** Newest first. */
  history(agentId: number, q: HistoryQuery): Promise<AgentStateChange[]>;
  /** Agents whose last recorded state is not offline + waiting (left open by an unclean stop). */
  openStates(): Promise<AgentStateRecord[]>;
  /** Calls answered per agent since `since` (restores 按客服接入电话数量 after a restart). */
  answeredSince(since: number): Promise<Map<number, number>>;
  loadLastAgents(since: number): Promise<LastAgentRecord[]>;
  putLastAgent(r: LastAgentRecord): Promise<void>;
  purgeLastAgents(before: number): Promise<number>;
  loadSettings(): Promise<{ global: AcdSettings | null; groups: Map<number, AcdSettings> }>;
  /** groupId null = the global settings; settings null = remove the group's override. */
  saveSettings(groupId: number | null, settings: AcdSettings | null): Promise<void>;
}

export class MemoryAcdStore implements AcdStore {
  readonly rows: AgentStateChange[] = [];
  readonly current = new Map<number, AgentStateRecord>();
  readonly lastAgents = new Map<string, LastAgentRecord>();
  global: AcdSettings | null = null;
  readonly groups = new Map<number, AcdSettings>();

  async appendHistory(rows: readonly AgentStateChange[], current: readonly AgentStateRecord[]): Promise<void> {
    this.rows.push(...rows.map((r) => ({ ...r })));
    for (const c of current) this.current.set(c.agentId, { ...c });
  }
  async history(agentId: number, q: HistoryQuery): Promise<AgentStateChange[]> {
    return this.rows
      .filter((r) => r.agentId === agentId && (q.from === undefined || r.at >= q.from) && (q.to === undefined || r.at < q.to))
      .reverse()
      .slice(0, q.limit);
  }
  async openStates(): Promise<AgentStateRecord[]> {
    return [...this.current.values()].filter((c) => c.status !== 'offline' || c.dispatch !== 'waiting');
  }
  async answeredSince(since: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const r of this.rows) if (r.axis === 'dispatch' && r.cause === 'answered' && r.at >= since) out.set(r.agentId, (out.get(r.agentId) ?? 0) + 1);
    return out;
  }
  async loadLastAgents(since: number): Promise<LastAgentRecord[]> {
    return [...this.lastAgents.values()].filter((r) => r.at >= since);
  }
  async putLastAgent(r: LastAgentRecord): Promise<void> {
    this.lastAgents.set(r.number, { ...r });
  }
  async purgeLastAgents(before: number): Promise<number> {
    let n = 0;
    for (const [k, r] of this.lastAgents) if (r.at < before && this.lastAgents.delete(k)) n++;
    return n;
  }
  async loadSettings(): Promise<{ global: AcdSettings | null; groups: Map<number, AcdSettings> }> {
    return { global: this.global, groups: new Map(this.groups) };
  }
  async saveSettings(groupId: number | null, settings: AcdSettings | null): Promise<void> {
    if (groupId === null) this.global = settings;
    else if (settings) this.groups.set(groupId, settings);
    else this.groups.delete(groupId);
  }
}
