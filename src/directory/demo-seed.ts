// The demo profile's people (DESIGN.md): agents 1001–1004 in groups 售前 (1001, 1002) and 售后 (1003, 1004).
import type { Database } from '../platform/db.ts';
import { hashPassword } from '../platform/secrets.ts';

export const DEMO = {
  adminPassword: 'Admin-demo-1',
  groups: [
    { name: '售前', members: ['1001', '1002'] },
    { name: '售后', members: ['1003', '1004'] },
  ],
  agents: ['1001', '1002', '1003', '1004'].map((n) => ({
    staffNo: n,
    name: `客服${n}`,
    nickname: `Agent ${n}`,
    email: `${n}@demo.local`,
    password: `Agent${n}-demo`,
  })),
} as const;

/** Idempotent: only what is missing is added, so a restarted demo box keeps its changes. */
export async function seedDemoDirectory(db: Database): Promise<void> {
  const hashes = await Promise.all(DEMO.agents.map((a) => hashPassword(a.password)));
  await db.transaction(async (tx) => {
    const now = Date.now();
    const role = await tx.get<{ id: number }>("SELECT id FROM roles WHERE builtin = 'agent'");
    for (const g of DEMO.groups) {
      await tx.run('INSERT OR IGNORE INTO skill_groups (name, ring_mode, reception_limit, created_at) VALUES (?, ?, 10, ?)', [g.name, 'sequential', now]);
    }
    for (const [i, a] of DEMO.agents.entries()) {
      const exists = await tx.get('SELECT id FROM users WHERE staff_no = ? AND deleted_at IS NULL', [a.staffNo]);
      if (exists) continue;
      const r = await tx.run(
        `INSERT INTO users (name, nickname, staff_no, email, role_id, password_hash, password_changed_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [a.name, a.nickname, a.staffNo, a.email, role!.id, hashes[i]!, now, now],
      );
      const group = DEMO.groups.find((g) => (g.members as readonly string[]).includes(a.staffNo))!;
      const gid = await tx.get<{ id: number }>('SELECT id FROM skill_groups WHERE name = ?', [group.name]);
      await tx.run("INSERT OR IGNORE INTO skill_group_members (group_id, member_kind, member_id, priority) VALUES (?, 'agent', ?, 3)", [gid!.id, r.lastID]);
    }
  });
}
