// 外呼外显规则's first rule: numbers bound to a skill group are shown first on its members' outbound calls.
// Kept in SQLite (migration 007); a number must be one of the box's channel numbers.
import type { Database } from '../platform/db.ts';
import { validationError } from '../platform/errors.ts';

export class OutboundNumbers {
  constructor(private readonly db: Database) {}

  /** Numbers bound to any of the groups. */
  async ofGroups(groupIds: readonly number[]): Promise<string[]> {
    if (!groupIds.length) return [];
    const rows = await this.db.all<{ number: string }>(
      `SELECT DISTINCT number FROM outbound_number_groups WHERE skill_group_id IN (${groupIds.map(() => '?').join(',')}) ORDER BY number`,
      [...groupIds],
    );
    return rows.map((r) => r.number);
  }

  async list(): Promise<{ skillGroupId: number; numbers: string[] }[]> {
    const rows = await this.db.all<{ number: string; skill_group_id: number }>('SELECT number, skill_group_id FROM outbound_number_groups ORDER BY skill_group_id, number');
    const out = new Map<number, string[]>();
    for (const r of rows) out.set(r.skill_group_id, [...(out.get(r.skill_group_id) ?? []), r.number]);
    return [...out].map(([skillGroupId, numbers]) => ({ skillGroupId, numbers }));
  }

  /** Replaces the group's numbers; every number must be a channel number of the box (nothing changes otherwise). */
  async set(groupId: number, numbers: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(numbers)];
    await this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT id FROM skill_groups WHERE id = ?', [groupId]))) throw validationError('skillGroupId', `skill group ${groupId} does not exist`);
      for (const [i, n] of wanted.entries()) {
        if (!(await tx.get('SELECT id FROM sip_numbers WHERE number = ?', [n]))) throw validationError(`numbers.${i}`, `${n} 不是本机线路的号码 (not a number of the box's channels)`);
      }
      await tx.run('DELETE FROM outbound_number_groups WHERE skill_group_id = ?', [groupId]);
      for (const n of wanted) await tx.run('INSERT INTO outbound_number_groups (number, skill_group_id) VALUES (?, ?)', [n, groupId]);
    });
    return wanted.sort();
  }
}
