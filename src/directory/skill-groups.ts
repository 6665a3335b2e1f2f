// 技能组管理: groups, ring mode, reception limit, members with priority 1 (highest) … 5.
import type { Database, Tx } from '../platform/db.ts';
import { CcboxError, conflict, notFound, validationError } from '../platform/errors.ts';
import type { RingMode, SkillGroup, SkillGroupMember } from './directory-types.ts';
import { type Actor, inScope, isAdmin, requireInScope, requirePermission } from './permissions.ts';

/** The manual: 同时振铃 rings at most 2 agents or phones at once. */
export const SIMULTANEOUS_MAX = 2;
const SIMULTANEOUS_MSG = '同时振铃模式下技能组最多支持 2 个客服/话机 (simultaneous ringing allows at most 2 agents or phones)';

interface GroupRow {
  id: number;
  name: string;
  ring_mode: RingMode;
  reception_limit: number;
  members: number;
}

const SELECT_GROUPS = `SELECT g.*, (SELECT count(*) FROM skill_group_members m WHERE m.group_id = g.id) AS members FROM skill_groups g`;

const toGroup = (r: GroupRow): SkillGroup => ({
  id: r.id,
  name: r.name,
  ringMode: r.ring_mode,
  receptionLimit: r.reception_limit,
  memberCount: r.members,
});

/** Refuses adding `adding` members when the group rings simultaneously and would exceed the limit. */
export async function assertRingModeFits(tx: Tx, groupId: number, adding: number): Promise<void> {
  const g = await tx.get<GroupRow>(`${SELECT_GROUPS} WHERE g.id = ?`, [groupId]);
  if (!g) throw validationError('skillGroupIds', `skill group ${groupId} does not exist`);
  if (g.ring_mode === 'simultaneous' && g.members + adding > SIMULTANEOUS_MAX) {
    throw validationError('members', `${g.name}: ${SIMULTANEOUS_MSG}`);
  }
}

export interface GroupInput {
  name: string;
  ringMode: RingMode;
  receptionLimit: number;
}

export interface MemberInput {
  kind: 'agent' | 'phone';
  id: number;
  priority?: number;
}

export class SkillGroups {
  constructor(private readonly db: Database) {}

  /** Groups visible to the actor: all for unscoped roles, the scoped ones otherwise. */
  async list(actor: Actor): Promise<SkillGroup[]> {
    this.requireReader(actor);
    const rows = await this.db.all<GroupRow>(`${SELECT_GROUPS} ORDER BY g.id`);
    return rows.filter((r) => inScope(actor, r.id)).map(toGroup);
  }

  private requireReader(actor: Actor): void {
    // The agents page needs the group list for its filters and forms.
    if (!actor.permissions.has('*') && !actor.permissions.has('skillGroups') && !actor.permissions.has('agents') && !actor.permissions.has('roles')) {
      requirePermission(actor, 'skillGroups');
    }
  }

  async get(actor: Actor, id: number, tx?: Tx): Promise<SkillGroup> {
    this.requireReader(actor);
    const row = await (tx ?? this.db).get<GroupRow>(`${SELECT_GROUPS} WHERE g.id = ?`, [id]);
    if (!row || !inScope(actor, id)) throw notFound('skill group');
    return toGroup(row);
  }

  async create(actor: Actor, input: GroupInput): Promise<SkillGroup> {
    requirePermission(actor, 'skillGroups');
    // A scoped manager could create a group but never see it; creating groups is for unscoped roles.
    if (actor.scope !== null && !isAdmin(actor)) throw new CcboxError('CCBOX_ERR_FORBIDDEN', 'a role limited to some skill groups cannot create groups');
    const id = await this.db.transaction(async (tx) => {
      await this.checkName(tx, input.name, null);
      const r = await tx.run('INSERT INTO skill_groups (name, ring_mode, reception_limit, created_at) VALUES (?, ?, ?, ?)', [
        input.name,
        input.ringMode,
        input.receptionLimit,
        Date.now(),
      ]);
      return r.lastID;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, input: Partial<GroupInput>): Promise<SkillGroup> {
    requirePermission(actor, 'skillGroups');
    await this.db.transaction(async (tx) => {
      const g = await this.get(actor, id, tx);
      if (input.name !== undefined) await this.checkName(tx, input.name, id);
      if (input.ringMode === 'simultaneous' && g.memberCount > SIMULTANEOUS_MAX) throw validationError('ringMode', SIMULTANEOUS_MSG);
      await tx.run('UPDATE skill_groups SET name = ?, ring_mode = ?, reception_limit = ? WHERE id = ?', [
        input.name ?? g.name,
        input.ringMode ?? g.ringMode,
        input.receptionLimit ?? g.receptionLimit,
        id,
      ]);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'skillGroups');
    await this.db.transaction(async (tx) => {
      const g = await this.get(actor, id, tx);
      if (g.memberCount > 0) {
        throw new CcboxError('CCBOX_ERR_GROUP_NOT_EMPTY', `技能组 ${g.name} 下还有 ${g.memberCount} 个成员，请先移除成员后再删除 (remove its members first)`);
      }
      await tx.run('DELETE FROM skill_groups WHERE id = ?', [id]);
    });
  }

  async members(actor: Actor, id: number, tx?: Tx): Promise<SkillGroupMember[]> {
    await this.get(actor, id, tx);
    return (tx ?? this.db).all<SkillGroupMember>(
      `SELECT m.member_kind AS kind, m.member_id AS id, u.name AS name, u.staff_no AS staffNo, m.priority AS priority
         FROM skill_group_members m JOIN users u ON u.id = m.member_id AND m.member_kind = 'agent'
        WHERE m.group_id = ? ORDER BY m.priority, u.staff_no`,
      [id],
    );
  }

  /** Replaces the member list. Agents must be visible to the actor; the ring-mode limit applies. */
  async setMembers(actor: Actor, id: number, members: MemberInput[]): Promise<SkillGroupMember[]> {
    requirePermission(actor, 'skillGroups');
    requireInScope(actor, [id]);
    return this.db.transaction(async (tx) => {
      const g = await this.get(actor, id, tx);
      const seen = new Set<string>();
      for (const [i, m] of members.entries()) {
        const key = `${m.kind}:${m.id}`;
        if (seen.has(key)) throw validationError(`members.${i}.id`, `member ${key} listed twice`);
        seen.add(key);
        if (m.kind !== 'agent') throw validationError(`members.${i}.kind`, 'phones join skill groups once SIP phones are set up');
        const agent = await tx.get('SELECT id FROM users WHERE id = ? AND deleted_at IS NULL AND username IS NULL', [m.id]);
        if (!agent) throw validationError(`members.${i}.id`, `agent ${m.id} does not exist`);
        if (actor.scope !== null && !(await this.agentInScope(tx, actor.scope, m.id))) {
          // Adding someone by ID would otherwise pull agents of other groups into this role's view.
          throw validationError(`members.${i}.id`, `agent ${m.id} is not in any skill group of your scope`);
        }
      }
      if (g.ringMode === 'simultaneous' && members.length > SIMULTANEOUS_MAX) throw validationError('members', SIMULTANEOUS_MSG);
      await tx.run('DELETE FROM skill_group_members WHERE group_id = ?', [id]);
      for (const m of members) {
        await tx.run('INSERT INTO skill_group_members (group_id, member_kind, member_id, priority) VALUES (?, ?, ?, ?)', [
          id,
          m.kind,
          m.id,
          m.priority ?? 3,
        ]);
      }
      return this.members(actor, id, tx);
    });
  }

  private async agentInScope(tx: Tx, scope: readonly number[], agentId: number): Promise<boolean> {
    if (scope.length === 0) return false;
    const row = await tx.get(
      `SELECT 1 FROM skill_group_members WHERE member_kind = 'agent' AND member_id = ? AND group_id IN (${scope.map(() => '?').join(',')})`,
      [agentId, ...scope],
    );
    return !!row;
  }

  private async checkName(tx: Tx, name: string, id: number | null): Promise<void> {
    const dup = await tx.get<{ id: number }>('SELECT id FROM skill_groups WHERE name = ?', [name]);
    if (dup && dup.id !== id) throw conflict('name', `技能组 ${name} 已存在 (skill group name already exists)`);
  }
}
