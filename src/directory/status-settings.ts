// 上线状态与小休原因: the status an agent starts in after login, and the break reasons agents pick from.
import type { Database, Tx } from '../platform/db.ts';
import { conflict, notFound } from '../platform/errors.ts';
import type { BreakReason, DefaultStatus } from './directory-types.ts';
import { type Actor, requirePermission } from './permissions.ts';

interface ReasonRow {
  id: number;
  name: string;
  enabled: number;
}

const toReason = (r: ReasonRow): BreakReason => ({ id: r.id, name: r.name, enabled: r.enabled === 1 });

export class StatusSettings {
  constructor(private readonly db: Database) {}

  async get(): Promise<{ defaultStatus: DefaultStatus; breakReasons: BreakReason[] }> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'status.default'");
    const reasons = await this.db.all<ReasonRow>('SELECT id, name, enabled FROM break_reasons ORDER BY id');
    return { defaultStatus: row ? (JSON.parse(row.value) as DefaultStatus) : 'idle', breakReasons: reasons.map(toReason) };
  }

  async setDefault(actor: Actor, status: DefaultStatus): Promise<void> {
    requirePermission(actor, 'settings');
    await this.db.run("INSERT INTO settings (key, value) VALUES ('status.default', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
      JSON.stringify(status),
    ]);
  }

  async addReason(actor: Actor, name: string): Promise<BreakReason> {
    requirePermission(actor, 'settings');
    return this.db.transaction(async (tx) => {
      await this.checkName(tx, name, null);
      const r = await tx.run('INSERT INTO break_reasons (name, enabled, created_at) VALUES (?, 1, ?)', [name, Date.now()]);
      return { id: r.lastID, name, enabled: true };
    });
  }

  async updateReason(actor: Actor, id: number, patch: { name?: string; enabled?: boolean }): Promise<BreakReason> {
    requirePermission(actor, 'settings');
    return this.db.transaction(async (tx) => {
      const row = await tx.get<ReasonRow>('SELECT id, name, enabled FROM break_reasons WHERE id = ?', [id]);
      if (!row) throw notFound('break reason');
      if (patch.name !== undefined) await this.checkName(tx, patch.name, id);
      const next = { name: patch.name ?? row.name, enabled: patch.enabled ?? row.enabled === 1 };
      await tx.run('UPDATE break_reasons SET name = ?, enabled = ? WHERE id = ?', [next.name, next.enabled ? 1 : 0, id]);
      return { id, ...next };
    });
  }

  private async checkName(tx: Tx, name: string, id: number | null): Promise<void> {
    const dup = await tx.get<{ id: number }>('SELECT id FROM break_reasons WHERE name = ?', [name]);
    if (dup && dup.id !== id) throw conflict('name', `小休原因 ${name} 已存在 (break reason already exists)`);
  }
}
