// The ACD store on the box's SQLite (migration 005-acd.sql).
import type { Database } from '../platform/db.ts';
import type { AgentStateChange, AgentStatus, ChangeCause, DispatchState } from './agent-state-types.ts';
import type { AcdSettings } from './settings-types.ts';
import type { AcdStore, AgentStateRecord, HistoryQuery, LastAgentRecord } from './store.ts';

const GLOBAL_KEY = 'acd.settings';

interface HistoryRow {
  agent_id: number;
  axis: 'status' | 'dispatch';
  from_state: string;
  to_state: string;
  break_reason_id: number | null;
  cause: string;
  call_id: string | null;
  at: number;
}

const toChange = (r: HistoryRow): AgentStateChange => ({
  agentId: r.agent_id,
  axis: r.axis,
  from: r.from_state as AgentStatus | DispatchState,
  to: r.to_state as AgentStatus | DispatchState,
  breakReasonId: r.break_reason_id,
  cause: r.cause as ChangeCause,
  callId: r.call_id,
  at: r.at,
});

export class SqliteAcdStore implements AcdStore {
  constructor(private readonly db: Database) {}

  async appendHistory(rows: readonly AgentStateChange[], current: readonly AgentStateRecord[]): Promise<void> {
    if (!rows.length && !current.length) return;
    await this.db.transaction(async (tx) => {
      for (const r of rows) {
        await tx.run(
          'INSERT INTO agent_state_history (agent_id, axis, from_state, to_state, break_reason_id, cause, call_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [r.agentId, r.axis, r.from, r.to, r.breakReasonId, r.cause, r.callId, r.at],
        );
      }
      const at = rows.length ? rows[rows.length - 1]!.at : Date.now();
      for (const c of current) {
        await tx.run(
          `INSERT INTO acd_agent_state (agent_id, status, break_reason_id, dispatch, call_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(agent_id) DO UPDATE SET status = excluded.status, break_reason_id = excluded.break_reason_id,
             dispatch = excluded.dispatch, call_id = excluded.call_id, updated_at = excluded.updated_at`,
          [c.agentId, c.status, c.breakReasonId, c.dispatch, c.callId, at],
        );
      }
    });
  }

  async history(agentId: number, q: HistoryQuery): Promise<AgentStateChange[]> {
    const rows = await this.db.all<HistoryRow>(
      `SELECT agent_id, axis, from_state, to_state, break_reason_id, cause, call_id, at FROM agent_state_history
        WHERE agent_id = ? AND at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?`,
      [agentId, q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.limit],
    );
    return rows.map(toChange);
  }

  async openStates(): Promise<AgentStateRecord[]> {
    return this.db.all<AgentStateRecord>(
      `SELECT agent_id AS agentId, status, break_reason_id AS breakReasonId, dispatch, call_id AS callId
         FROM acd_agent_state WHERE status <> 'offline' OR dispatch <> 'waiting'`,
    );
  }

  async answeredSince(since: number): Promise<Map<number, number>> {
    const rows = await this.db.all<{ agent_id: number; n: number }>(
      "SELECT agent_id, count(*) AS n FROM agent_state_history WHERE at >= ? AND axis = 'dispatch' AND cause = 'answered' GROUP BY agent_id",
      [since],
    );
    return new Map(rows.map((r) => [r.agent_id, r.n]));
  }

  async loadLastAgents(since: number): Promise<LastAgentRecord[]> {
    return this.db.all<LastAgentRecord>('SELECT number, agent_id AS agentId, direction, at FROM acd_last_agent WHERE at >= ?', [since]);
  }

  async putLastAgent(r: LastAgentRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO acd_last_agent (number, agent_id, direction, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(number) DO UPDATE SET agent_id = excluded.agent_id, direction = excluded.direction, at = excluded.at`,
      [r.number, r.agentId, r.direction, r.at],
    );
  }

  async purgeLastAgents(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM acd_last_agent WHERE at < ?', [before])).changes;
  }

  async loadSettings(): Promise<{ global: AcdSettings | null; groups: Map<number, AcdSettings> }> {
    const g = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [GLOBAL_KEY]);
    const rows = await this.db.all<{ group_id: number; settings: string }>('SELECT group_id, settings FROM acd_group_settings');
    return { global: g ? (JSON.parse(g.value) as AcdSettings) : null, groups: new Map(rows.map((r) => [r.group_id, JSON.parse(r.settings) as AcdSettings])) };
  }

  async saveSettings(groupId: number | null, settings: AcdSettings | null): Promise<void> {
    if (groupId === null) {
      await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [GLOBAL_KEY, JSON.stringify(settings)]);
    } else if (settings) {
      await this.db.run(
        'INSERT INTO acd_group_settings (group_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT(group_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at',
        [groupId, JSON.stringify(settings), Date.now()],
      );
    } else {
      await this.db.run('DELETE FROM acd_group_settings WHERE group_id = ?', [groupId]);
    }
  }
}
