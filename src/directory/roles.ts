// 角色权限管理: built-in 管理员 and 普通座席 plus custom roles with per-module permissions and a skill-group scope.
import type { Database, Tx } from '../platform/db.ts';
import { CcboxError, conflict, forbidden, notFound, validationError } from '../platform/errors.ts';
import type { Role } from './directory-types.ts';
import { type Actor, PERMISSION_KEYS, type Permission, isAdmin, requirePermission } from './permissions.ts';

interface RoleRow {
  id: number;
  name: string;
  builtin: string | null;
  permissions: string;
  scope_groups: string | null;
  members: number;
}

const SELECT_ROLES = `SELECT r.*, (SELECT count(*) FROM users u WHERE u.role_id = r.id AND u.deleted_at IS NULL) AS members FROM roles r`;

const toRole = (r: RoleRow): Role => ({
  id: r.id,
  name: r.name,
  builtin: r.builtin !== null,
  permissions: r.builtin === 'admin' ? [...PERMISSION_KEYS] : (JSON.parse(r.permissions) as string[]),
  scopeSkillGroupIds: r.scope_groups === null ? null : (JSON.parse(r.scope_groups) as number[]),
  memberCount: r.members,
});

export interface RoleInput {
  name: string;
  permissions: Permission[];
  scopeSkillGroupIds: number[] | null;
}

/**
 * An actor may hand out only what it holds: the role's permissions must be a subset of the actor's
 * and its scope inside the actor's scope. This stops an agent manager from promoting anyone to admin.
 */
export async function assertAssignableRole(actor: Actor, tx: Tx, roleId: number): Promise<void> {
  const row = await tx.get<RoleRow>('SELECT *, 0 AS members FROM roles WHERE id = ?', [roleId]);
  if (!row) throw validationError('roleId', `role ${roleId} does not exist`);
  if (isAdmin(actor)) return;
  if (row.builtin === 'admin') throw forbidden('only an administrator can grant the 管理员 role');
  const perms = JSON.parse(row.permissions) as Permission[];
  const missing = perms.filter((p) => !actor.permissions.has(p));
  if (missing.length) throw forbidden(`role ${row.name} grants permissions you do not hold: ${missing.join(', ')}`);
  if (actor.scope !== null) {
    const scope = row.scope_groups === null ? null : (JSON.parse(row.scope_groups) as number[]);
    const scoped = perms.some((p) => ['analytics', 'records', 'monitor', 'agents', 'skillGroups'].includes(p));
    if (scoped && (scope === null || scope.some((g) => !actor.scope!.includes(g)))) {
      throw forbidden(`role ${row.name} reaches skill groups outside your scope`);
    }
  }
}

export class Roles {
  constructor(private readonly db: Database) {}

  async list(actor: Actor): Promise<Role[]> {
    requirePermission(actor, 'roles');
    return (await this.db.all<RoleRow>(`${SELECT_ROLES} ORDER BY r.id`)).map(toRole);
  }

  /** Roles offered in the agent form: every role to those who manage roles, else the assignable ones. */
  async get(actor: Actor, id: number): Promise<Role> {
    requirePermission(actor, 'roles');
    const row = await this.db.get<RoleRow>(`${SELECT_ROLES} WHERE r.id = ?`, [id]);
    if (!row) throw notFound('role');
    return toRole(row);
  }

  async create(actor: Actor, input: RoleInput): Promise<Role> {
    requirePermission(actor, 'roles');
    const id = await this.db.transaction(async (tx) => {
      await this.check(tx, input, null);
      const r = await tx.run('INSERT INTO roles (name, permissions, scope_groups, created_at) VALUES (?, ?, ?, ?)', [
        input.name,
        JSON.stringify([...new Set(input.permissions)]),
        input.scopeSkillGroupIds === null ? null : JSON.stringify([...new Set(input.scopeSkillGroupIds)]),
        Date.now(),
      ]);
      return r.lastID;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, input: Partial<RoleInput>): Promise<Role> {
    requirePermission(actor, 'roles');
    await this.db.transaction(async (tx) => {
      const row = await tx.get<RoleRow>('SELECT *, 0 AS members FROM roles WHERE id = ?', [id]);
      if (!row) throw notFound('role');
      if (row.builtin) throw forbidden('built-in roles cannot be changed');
      const merged: RoleInput = {
        name: input.name ?? row.name,
        permissions: input.permissions ?? (JSON.parse(row.permissions) as Permission[]),
        scopeSkillGroupIds:
          input.scopeSkillGroupIds !== undefined ? input.scopeSkillGroupIds : row.scope_groups === null ? null : JSON.parse(row.scope_groups),
      };
      await this.check(tx, merged, id);
      await tx.run('UPDATE roles SET name = ?, permissions = ?, scope_groups = ? WHERE id = ?', [
        merged.name,
        JSON.stringify([...new Set(merged.permissions)]),
        merged.scopeSkillGroupIds === null ? null : JSON.stringify([...new Set(merged.scopeSkillGroupIds)]),
        id,
      ]);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'roles');
    await this.db.transaction(async (tx) => {
      const row = await tx.get<RoleRow>(`${SELECT_ROLES} WHERE r.id = ?`, [id]);
      if (!row) throw notFound('role');
      if (row.builtin) throw forbidden('built-in roles cannot be deleted');
      if (row.members > 0) throw new CcboxError('CCBOX_ERR_ROLE_IN_USE', `角色下还有 ${row.members} 名成员，无法删除 (the role still has members)`);
      await tx.run('DELETE FROM roles WHERE id = ?', [id]);
    });
  }

  async members(actor: Actor, id: number): Promise<{ id: number; name: string; staffNo: string | null; email: string | null }[]> {
    await this.get(actor, id);
    return this.db.all(
      'SELECT id, name, staff_no AS staffNo, email FROM users WHERE role_id = ? AND deleted_at IS NULL ORDER BY staff_no',
      [id],
    );
  }

  private async check(tx: Tx, input: RoleInput, id: number | null): Promise<void> {
    const dup = await tx.get<{ id: number }>('SELECT id FROM roles WHERE name = ?', [input.name]);
    if (dup && dup.id !== id) throw conflict('name', `角色 ${input.name} 已存在 (role name already exists)`);
    for (const g of input.scopeSkillGroupIds ?? []) {
      if (!(await tx.get('SELECT id FROM skill_groups WHERE id = ?', [g]))) {
        throw validationError('scopeSkillGroupIds', `skill group ${g} does not exist`);
      }
    }
  }
}
