// Console modules a role may be granted, and the actor that every directory call is checked against.
import { forbidden } from '../platform/errors.ts';

export const PERMISSIONS = [
  { key: 'overview', zh: '概览', en: 'Overview', scoped: false },
  { key: 'analytics', zh: '数据分析', en: 'Data analysis', scoped: true },
  { key: 'records', zh: '服务记录', en: 'Service records', scoped: true },
  { key: 'monitor', zh: '实时监控', en: 'Real-time monitoring', scoped: true },
  { key: 'agents', zh: '客服管理', en: 'Agents', scoped: true },
  { key: 'roles', zh: '角色权限管理', en: 'Roles and permissions', scoped: false },
  { key: 'skillGroups', zh: '技能组管理', en: 'Skill groups', scoped: true },
  { key: 'ivr', zh: 'IVR 管理', en: 'IVR', scoped: false },
  { key: 'numbers', zh: '号码管理', en: 'Numbers', scoped: false },
  { key: 'phones', zh: 'SIP 话机', en: 'SIP phones', scoped: false },
  { key: 'channels', zh: '线路管理', en: 'SIP channels', scoped: false },
  { key: 'settings', zh: '通用设置', en: 'Settings', scoped: false },
  { key: 'workbench', zh: '座席工作台', en: 'Agent workbench', scoped: false },
] as const;

export type Permission = (typeof PERMISSIONS)[number]['key'];
export const PERMISSION_KEYS = PERMISSIONS.map((p) => p.key) as Permission[];

/** Who is acting: a logged-in user or an API token, with the role's grants resolved. */
export interface Actor {
  userId: number;
  /** `'*'` is the built-in administrator. */
  permissions: ReadonlySet<Permission | '*'>;
  /** Skill groups the scoped modules are limited to; null = every group. */
  scope: readonly number[] | null;
  /** API tokens may narrow the user's permissions further. */
  via: 'session' | 'token';
  ip: string;
}

export function hasPermission(actor: Actor, perm: Permission): boolean {
  return actor.permissions.has('*') || actor.permissions.has(perm);
}

export function requirePermission(actor: Actor, perm: Permission): void {
  if (!hasPermission(actor, perm)) throw forbidden(`this account has no permission for ${perm}`);
}

export const isAdmin = (actor: Actor): boolean => actor.permissions.has('*');

/** Whether a skill group lies inside the actor's scope. */
export function inScope(actor: Actor, groupId: number): boolean {
  return actor.scope === null || actor.scope.includes(groupId);
}

export function requireInScope(actor: Actor, groupIds: readonly number[]): void {
  for (const g of groupIds) if (!inScope(actor, g)) throw forbidden(`skill group ${g} is outside this account's scope`);
}
