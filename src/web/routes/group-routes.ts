// /roles (角色权限管理), /permissions, /skill-groups (技能组管理) with members.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { PERMISSIONS, PERMISSION_KEYS, requirePermission } from '../../directory/index.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const name = z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)');
const permission = z.enum(PERMISSION_KEYS as [string, ...string[]]);
const RoleSchema = z
  .object({ id: z.number(), name: z.string(), builtin: z.boolean(), permissions: z.array(z.string()), scopeSkillGroupIds: z.array(z.number()).nullable(), memberCount: z.number() })
  .openapi('Role');
const RoleInput = z.object({
  name,
  permissions: z.array(permission),
  scopeSkillGroupIds: z.array(z.number().int().positive()).nullable(),
});
const GroupSchema = z
  .object({ id: z.number(), name: z.string(), ringMode: z.enum(['sequential', 'simultaneous']), receptionLimit: z.number(), memberCount: z.number() })
  .openapi('SkillGroup');
const GroupInput = z.object({
  name,
  ringMode: z.enum(['sequential', 'simultaneous']),
  receptionLimit: z.number().int().min(1, '至少为 1 (at least 1)').max(1000),
});
const MemberSchema = z.object({ kind: z.enum(['agent', 'phone']), id: z.number(), name: z.string(), staffNo: z.string().nullable(), priority: z.number() });
const MembersInput = z.object({
  members: z.array(z.object({ kind: z.enum(['agent', 'phone']).default('agent'), id: z.number().int().positive(), priority: z.number().int().min(1).max(5).default(3) })).max(500),
});

export function groupRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const { roles, skillGroups } = deps.directory;

  app.openapi(
    createRoute({ method: 'get', path: '/permissions', tags: ['roles'], responses: { 200: json(z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), scoped: z.boolean() })), 'Console modules') } }),
    (c) => c.json(PERMISSIONS.map((p) => ({ ...p })), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/roles', tags: ['roles'], responses: { 200: json(z.array(RoleSchema), 'Roles'), 403: errors[403] } }), async (c) => {
    // The agent form needs the role list; an agent manager sees the roles but cannot change them.
    const actor = actorOf(c);
    if (!actor.permissions.has('agents')) requirePermission(actor, 'roles');
    return c.json(await roles.list({ ...actor, permissions: new Set([...actor.permissions, 'roles']) }), 200);
  });
  app.openapi(createRoute({ method: 'post', path: '/roles', tags: ['roles'], request: body(RoleInput), responses: { 201: json(RoleSchema, 'Created'), ...errors } }), async (c) =>
    c.json(await roles.create(actorOf(c), c.req.valid('json') as never), 201),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/roles/{id}', tags: ['roles'], request: { params: IdParam, ...body(RoleInput.partial()) }, responses: { 200: json(RoleSchema, 'Updated'), ...errors } }),
    async (c) => c.json(await roles.update(actorOf(c), c.req.valid('param').id, c.req.valid('json') as never), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/roles/{id}', tags: ['roles'], request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await roles.remove(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'get', path: '/roles/{id}/members', tags: ['roles'], request: { params: IdParam }, responses: { 200: json(z.array(z.object({ id: z.number(), name: z.string(), staffNo: z.string().nullable(), email: z.string().nullable() })), 'Members'), ...errors } }),
    async (c) => c.json(await roles.members(actorOf(c), c.req.valid('param').id), 200),
  );

  app.openapi(createRoute({ method: 'get', path: '/skill-groups', tags: ['skill groups'], responses: { 200: json(z.array(GroupSchema), 'Skill groups in scope'), 403: errors[403] } }), async (c) =>
    c.json(await skillGroups.list(actorOf(c)), 200),
  );
  app.openapi(createRoute({ method: 'post', path: '/skill-groups', tags: ['skill groups'], request: body(GroupInput), responses: { 201: json(GroupSchema, 'Created'), ...errors } }), async (c) =>
    c.json(await skillGroups.create(actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/skill-groups/{id}', tags: ['skill groups'], request: { params: IdParam }, responses: { 200: json(GroupSchema, 'The group'), ...errors } }),
    async (c) => c.json(await skillGroups.get(actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/skill-groups/{id}', tags: ['skill groups'], request: { params: IdParam, ...body(GroupInput.partial()) }, responses: { 200: json(GroupSchema, 'Updated'), ...errors } }),
    async (c) => c.json(await skillGroups.update(actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/skill-groups/{id}', tags: ['skill groups'], request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await skillGroups.remove(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'get', path: '/skill-groups/{id}/members', tags: ['skill groups'], request: { params: IdParam }, responses: { 200: json(z.array(MemberSchema), 'Members'), ...errors } }),
    async (c) => {
      requirePermission(actorOf(c), 'skillGroups');
      return c.json(await skillGroups.members(actorOf(c), c.req.valid('param').id), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/skill-groups/{id}/members', tags: ['skill groups'], request: { params: IdParam, ...body(MembersInput) }, responses: { 200: json(z.array(MemberSchema), 'Members'), ...errors } }),
    async (c) => c.json(await skillGroups.setMembers(actorOf(c), c.req.valid('param').id, c.req.valid('json').members), 200),
  );
  return app;
}
