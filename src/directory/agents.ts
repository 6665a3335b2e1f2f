// 客服管理: agents, with every read and write checked against the actor's permission and skill-group scope.
import type { Database, Params, Tx } from '../platform/db.ts';
import { conflict, forbidden, notFound, validationError } from '../platform/errors.ts';
import { randomPassword } from '../platform/ids.ts';
import { hashPassword } from '../platform/secrets.ts';
import type { Agent, AgentFilter, AgentPatch, Mailer, NewAgent, Page } from './directory-types.ts';
import { type Actor, inScope, requireInScope, requirePermission } from './permissions.ts';
import { assertAssignableRole } from './roles.ts';
import { assertRingModeFits } from './skill-groups.ts';
import { newAgentMail, resetMail } from './mails.ts';

interface AgentRow {
  id: number;
  name: string;
  nickname: string;
  staff_no: string;
  email: string;
  mobile: string | null;
  role_id: number;
  role_name: string;
  state: 'active' | 'forced_offline';
  mobile_answer: number;
  mobile_outbound: number;
  created_at: number;
  groups: string | null;
}

const SELECT_AGENTS = `SELECT u.id, u.name, u.nickname, u.staff_no, u.email, u.mobile, u.role_id, r.name AS role_name,
    u.state, u.mobile_answer, u.mobile_outbound, u.created_at,
    (SELECT json_group_array(json_object('id', g.id, 'name', g.name, 'priority', m.priority))
       FROM skill_group_members m JOIN skill_groups g ON g.id = m.group_id
      WHERE m.member_kind = 'agent' AND m.member_id = u.id) AS groups
  FROM users u JOIN roles r ON r.id = u.role_id`;

const AGENT_WHERE = 'u.deleted_at IS NULL AND u.username IS NULL';

function toAgent(r: AgentRow): Agent {
  const groups = (r.groups ? (JSON.parse(r.groups) as Agent['skillGroups']) : []).sort((a, b) => a.id - b.id);
  return {
    id: r.id,
    name: r.name,
    nickname: r.nickname,
    staffNo: r.staff_no,
    email: r.email,
    mobile: r.mobile,
    roleId: r.role_id,
    roleName: r.role_name,
    skillGroups: groups,
    state: r.state,
    mobileAnswer: { enabled: r.mobile_answer === 1, outbound: r.mobile_outbound === 1 },
    createdAt: r.created_at,
  };
}

/** SQL that limits rows to agents inside the actor's scope (a member of at least one scoped group). */
function scopeClause(actor: Actor, params: unknown[]): string {
  if (actor.scope === null) return '';
  if (actor.scope.length === 0) return ' AND 0';
  params.push(...actor.scope);
  return ` AND EXISTS (SELECT 1 FROM skill_group_members sm WHERE sm.member_kind = 'agent' AND sm.member_id = u.id
    AND sm.group_id IN (${actor.scope.map(() => '?').join(',')}))`;
}

export class Agents {
  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
  ) {}

  async list(actor: Actor, f: AgentFilter): Promise<Page<Agent>> {
    requirePermission(actor, 'agents');
    const params: unknown[] = [];
    let where = AGENT_WHERE;
    const like = (col: string, v: string | undefined): void => {
      if (!v) return;
      where += ` AND ${col} LIKE ? ESCAPE '\\'`;
      params.push(`%${v.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    };
    like('u.staff_no', f.staffNo);
    like('u.email', f.email);
    like('u.name', f.name);
    like('u.mobile', f.mobile);
    if (f.skillGroupId !== undefined) {
      where += " AND EXISTS (SELECT 1 FROM skill_group_members fm WHERE fm.member_kind = 'agent' AND fm.member_id = u.id AND fm.group_id = ?)";
      params.push(f.skillGroupId);
    }
    where += scopeClause(actor, params);
    const total = await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM users u WHERE ${where}`, params as Params);
    const rows = await this.db.all<AgentRow>(`${SELECT_AGENTS} WHERE ${where} ORDER BY u.staff_no LIMIT ? OFFSET ?`, [
      ...params,
      f.pageSize,
      (f.page - 1) * f.pageSize,
    ] as Params);
    return { items: rows.map(toAgent), total: total?.n ?? 0, page: f.page, pageSize: f.pageSize };
  }

  /** An agent the actor may see; others are reported as not found (no probing across scopes). */
  async get(actor: Actor, id: number, tx?: Tx): Promise<Agent> {
    requirePermission(actor, 'agents');
    const params: unknown[] = [id];
    const sql = `${SELECT_AGENTS} WHERE u.id = ? AND ${AGENT_WHERE}${scopeClause(actor, params)}`;
    const row = await (tx ?? this.db).get<AgentRow>(sql, params as Params);
    if (!row) throw notFound('agent');
    return toAgent(row);
  }

  async create(actor: Actor, input: NewAgent): Promise<Agent> {
    requirePermission(actor, 'agents');
    await this.mailer.assertConfigured();
    const password = randomPassword();
    const hash = await hashPassword(password);
    const id = await this.db.transaction(async (tx) => {
      await this.validateNew(actor, tx, input);
      return this.insert(tx, input, hash);
    });
    try {
      await this.mailer.send(newAgentMail(input, password));
    } catch (err) {
      // The agent could never log in without the mail: undo the insert rather than leave a dead account.
      await this.db.transaction(async (tx) => {
        await tx.run("DELETE FROM skill_group_members WHERE member_kind = 'agent' AND member_id = ?", [id]);
        await tx.run('DELETE FROM users WHERE id = ?', [id]);
      });
      throw err;
    }
    return this.get(actor, id);
  }

  /** Checks a new agent against the database: duplicates, role and groups (used by create and import). */
  async validateNew(actor: Actor, tx: Tx, input: NewAgent): Promise<void> {
    const dup = await tx.get<{ staff_no: string; email: string }>(
      `SELECT staff_no, email FROM users WHERE deleted_at IS NULL AND (staff_no = ? OR email = ?)`,
      [input.staffNo, input.email],
    );
    if (dup?.staff_no === input.staffNo) throw conflict('staffNo', `工号 ${input.staffNo} 已存在 (staff number already exists)`);
    if (dup) throw conflict('email', `邮箱 ${input.email} 已存在 (e-mail already exists)`);
    await assertAssignableRole(actor, tx, input.roleId);
    const groups = input.skillGroupIds ?? [];
    if (actor.scope !== null && groups.length === 0) {
      throw validationError('skillGroupIds', '请选择至少一个您管理范围内的技能组 (choose at least one skill group in your scope)');
    }
    requireInScope(actor, groups);
    for (const g of groups) await assertRingModeFits(tx, g, 1);
  }

  async insert(tx: Tx, input: NewAgent, passwordHash: string): Promise<number> {
    const roleRow = await tx.get<{ id: number }>('SELECT id FROM roles WHERE id = ?', [input.roleId]);
    if (!roleRow) throw validationError('roleId', `role ${input.roleId} does not exist`);
    const now = Date.now();
    const r = await tx.run(
      `INSERT INTO users (name, nickname, staff_no, email, mobile, role_id, password_hash, password_changed_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [input.name, input.nickname, input.staffNo, input.email, input.mobile ?? null, input.roleId, passwordHash, now, now],
    );
    for (const g of new Set(input.skillGroupIds ?? [])) {
      const exists = await tx.get('SELECT id FROM skill_groups WHERE id = ?', [g]);
      if (!exists) throw validationError('skillGroupIds', `skill group ${g} does not exist`);
      await tx.run("INSERT INTO skill_group_members (group_id, member_kind, member_id, priority) VALUES (?, 'agent', ?, 3)", [g, r.lastID]);
    }
    return r.lastID;
  }

  async update(actor: Actor, id: number, patch: AgentPatch): Promise<Agent> {
    await this.db.transaction(async (tx) => {
      const agent = await this.get(actor, id, tx);
      if (patch.roleId !== undefined && patch.roleId !== agent.roleId) await assertAssignableRole(actor, tx, patch.roleId);
      const sets: string[] = [];
      const vals: unknown[] = [];
      const set = (col: string, v: unknown): void => {
        sets.push(`${col} = ?`);
        vals.push(v);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.nickname !== undefined) set('nickname', patch.nickname);
      if (patch.roleId !== undefined) set('role_id', patch.roleId);
      if (patch.mobile !== undefined) set('mobile', patch.mobile);
      if (patch.mobileAnswer) {
        set('mobile_answer', patch.mobileAnswer.enabled ? 1 : 0);
        set('mobile_outbound', patch.mobileAnswer.outbound ? 1 : 0);
      }
      if (sets.length) await tx.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...vals, id] as Params);
      if (patch.skillGroupIds) await this.setGroups(actor, tx, agent, patch.skillGroupIds);
    });
    return this.get(actor, id);
  }

  /** Replaces the agent's groups inside the actor's scope; memberships outside it are left as they are. */
  private async setGroups(actor: Actor, tx: Tx, agent: Agent, wanted: number[]): Promise<void> {
    requireInScope(actor, wanted);
    const current = agent.skillGroups.map((g) => g.id);
    for (const g of current) {
      if (inScope(actor, g) && !wanted.includes(g)) {
        await tx.run("DELETE FROM skill_group_members WHERE group_id = ? AND member_kind = 'agent' AND member_id = ?", [g, agent.id]);
      }
    }
    for (const g of new Set(wanted)) {
      if (current.includes(g)) continue;
      if (!(await tx.get('SELECT id FROM skill_groups WHERE id = ?', [g]))) throw validationError('skillGroupIds', `skill group ${g} does not exist`);
      await assertRingModeFits(tx, g, 1);
      await tx.run("INSERT INTO skill_group_members (group_id, member_kind, member_id, priority) VALUES (?, 'agent', ?, 3)", [g, agent.id]);
    }
    if (actor.scope !== null && !(await this.visibleAfter(tx, actor, agent.id))) {
      throw validationError('skillGroupIds', '不能将客服移出您管理范围内的全部技能组 (the agent must stay in one of your groups)');
    }
  }

  private async visibleAfter(tx: Tx, actor: Actor, id: number): Promise<boolean> {
    const params: unknown[] = [id];
    return !!(await tx.get(`SELECT u.id FROM users u WHERE u.id = ?${scopeClause(actor, params)}`, params as Params));
  }

  /** Deleted agents can no longer log in; their rows stay for call records. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const agent = await this.get(actor, id, tx);
      if (agent.id === actor.userId) throw forbidden('you cannot delete your own account');
      await tx.run("DELETE FROM skill_group_members WHERE member_kind = 'agent' AND member_id = ?", [id]);
      await tx.run('UPDATE users SET deleted_at = ? WHERE id = ?', [Date.now(), id]);
      await tx.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    });
  }

  /** Mails a new random password; the old one stops working once the mail has gone out. */
  async resetPassword(actor: Actor, id: number): Promise<void> {
    const agent = await this.get(actor, id);
    await this.mailer.assertConfigured();
    const password = randomPassword();
    const hash = await hashPassword(password);
    await this.mailer.send(resetMail(agent, password));
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?', [hash, Date.now(), id]);
      await tx.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    });
  }

  /** 强制下线: sessions end and login is refused until restored. */
  async setState(actor: Actor, id: number, state: 'active' | 'forced_offline'): Promise<void> {
    await this.db.transaction(async (tx) => {
      const agent = await this.get(actor, id, tx);
      if (agent.id === actor.userId) throw forbidden('you cannot force your own account offline');
      await tx.run('UPDATE users SET state = ? WHERE id = ?', [state, id]);
      if (state === 'forced_offline') await tx.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    });
  }
}

