// /auth: login (admin, e-mail or staff number), logout, me, change password; /tokens for HQ integrations.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createHash } from 'node:crypto';
import { getCookie } from 'hono/cookie';
import { CcboxError } from '../../platform/errors.ts';
import { token } from '../../platform/ids.ts';
import { logSecurity } from '../../platform/logger.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../../platform/secrets.ts';
import { PERMISSION_KEYS, isAdmin, type UserRecord } from '../../directory/index.ts';
import { actorOf, createSession, endSession, requireAuth, SESSION_COOKIE } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const MeSchema = z
  .object({
    id: z.number(),
    username: z.string().nullable(),
    name: z.string(),
    nickname: z.string(),
    staffNo: z.string().nullable(),
    email: z.string().nullable(),
    roleId: z.number(),
    roleName: z.string(),
    permissions: z.array(z.string()),
    scopeSkillGroupIds: z.array(z.number()).nullable(),
  })
  .openapi('Me');
const SessionSchema = z.object({ user: MeSchema, csrfToken: z.string() });

const me = (u: UserRecord): z.infer<typeof MeSchema> => ({
  id: u.id,
  username: u.username,
  name: u.name,
  nickname: u.nickname,
  staffNo: u.staffNo,
  email: u.email,
  roleId: u.roleId,
  roleName: u.roleName,
  permissions: u.permissions.includes('*') ? [...PERMISSION_KEYS] : u.permissions,
  scopeSkillGroupIds: u.permissions.includes('*') ? null : u.scope,
});

const password = z.string().min(1, '不能为空 (required)').max(256);
const newPassword = z
  .string()
  .min(8, '至少 8 位 (at least 8 characters)')
  .max(256)
  .regex(/[A-Z]/, '需包含大写字母 (needs an upper-case letter)')
  .regex(/[a-z]/, '需包含小写字母 (needs a lower-case letter)')
  .regex(/[0-9]/, '需包含数字 (needs a digit)');

export function authRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const badLogin = (): CcboxError => new CcboxError('CCBOX_ERR_AUTH', '账号或密码错误 (wrong username or password)');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['auth'],
      request: body(z.object({ username: z.string().trim().min(1, '不能为空 (required)').max(254), password })),
      responses: { 200: json(SessionSchema, 'Logged in; sets the session cookie'), 401: errors[401], 403: errors[403], 429: json(z.any(), 'Locked') },
    }),
    async (c) => {
      const { username, password: pw } = c.req.valid('json');
      const ip = c.get('ip');
      const lockedMs = deps.loginGuard.lockedFor(username, ip);
      if (lockedMs > 0) {
        throw new CcboxError('CCBOX_ERR_LOCKED', `登录失败次数过多，请 ${Math.ceil(lockedMs / 60_000)} 分钟后再试 (too many failed logins, try again later)`);
      }
      const user = await deps.directory.users.findByLogin(username);
      // Same work whether or not the account exists, so response time does not reveal accounts.
      const ok = await verifyPassword(pw, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !ok) {
        const locked = deps.loginGuard.fail(username, ip);
        logSecurity(deps.log, locked ? 'lockout' : 'auth-failure', 'http', ip, username, 'web login');
        throw badLogin();
      }
      if (user.state === 'forced_offline') {
        throw new CcboxError('CCBOX_ERR_FORCED_OFFLINE', '该账号已被强制下线，请联系管理员恢复 (this account was forced offline by an administrator)');
      }
      deps.loginGuard.succeed(username);
      const csrfToken = await createSession(deps, c, user);
      deps.log.info({ userId: user.id, ip }, 'web login');
      return c.json({ user: me(user), csrfToken }, 200);
    },
  );

  app.use('/auth/logout', requireAuth(deps));
  app.openapi(createRoute({ method: 'post', path: '/auth/logout', tags: ['auth'], responses: { ...NoContent, 401: errors[401] } }), async (c) => {
    await endSession(deps, c);
    return c.body(null, 204);
  });

  app.use('/auth/me', requireAuth(deps));
  app.openapi(createRoute({ method: 'get', path: '/auth/me', tags: ['auth'], responses: { 200: json(SessionSchema, 'The logged-in account'), 401: errors[401] } }), async (c) => {
    const user = await deps.directory.users.byId(actorOf(c).userId);
    return c.json({ user: me(user!), csrfToken: c.get('auth').csrf ?? '' }, 200);
  });

  app.use('/auth/password', requireAuth(deps));
  app.openapi(
    createRoute({
      method: 'put',
      path: '/auth/password',
      tags: ['auth'],
      request: body(z.object({ oldPassword: password, newPassword })),
      responses: { ...NoContent, 400: errors[400], 401: errors[401] },
    }),
    async (c) => {
      const { oldPassword, newPassword: next } = c.req.valid('json');
      const user = (await deps.directory.users.byId(actorOf(c).userId))!;
      if (!(await verifyPassword(oldPassword, user.passwordHash))) {
        throw new CcboxError('CCBOX_ERR_VALIDATION', '原密码错误 (the current password is wrong)', { field: 'oldPassword' });
      }
      await deps.directory.users.setPassword(user.id, next);
      // Other sessions of this account end; this one stays.
      const sid = getCookie(c, SESSION_COOKIE);
      const keep = sid ? createHash('sha256').update(sid).digest('hex') : '';
      await deps.db.run('DELETE FROM sessions WHERE user_id = ? AND id != ?', [user.id, keep]);
      return c.body(null, 204);
    },
  );

  registerTokens(app, deps);
  return app;
}

const TokenSchema = z.object({ id: z.number(), name: z.string(), scopes: z.array(z.string()), createdAt: z.number(), lastUsedAt: z.number().nullable() });

function registerTokens(app: OpenAPIHono<AppEnv>, deps: WebDeps): void {
  app.use('/tokens', requireAuth(deps));
  app.use('/tokens/*', requireAuth(deps));
  const adminOnly = (c: Parameters<typeof actorOf>[0]): void => {
    if (!isAdmin(actorOf(c)) || actorOf(c).via !== 'session') throw new CcboxError('CCBOX_ERR_FORBIDDEN', 'only an administrator can manage API tokens');
  };
  app.openapi(createRoute({ method: 'get', path: '/tokens', tags: ['tokens'], responses: { 200: json(z.array(TokenSchema), 'API tokens'), 403: errors[403] } }), async (c) => {
    adminOnly(c);
    const rows = await deps.db.all<{ id: number; name: string; scopes: string; created_at: number; last_used_at: number | null }>(
      'SELECT id, name, scopes, created_at, last_used_at FROM api_tokens WHERE revoked_at IS NULL ORDER BY id',
    );
    return c.json(rows.map((r) => ({ id: r.id, name: r.name, scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at, lastUsedAt: r.last_used_at })), 200);
  });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['tokens'],
      request: body(z.object({ name: z.string().trim().min(1).max(64), scopes: z.array(z.enum(PERMISSION_KEYS as [string, ...string[]])).min(1) })),
      responses: { 201: json(TokenSchema.extend({ token: z.string() }), 'Created; the token is shown only now'), 400: errors[400], 403: errors[403] },
    }),
    async (c) => {
      adminOnly(c);
      const { name, scopes } = c.req.valid('json');
      const secret = `ccbox_${token(32)}`;
      const now = Date.now();
      const r = await deps.db.run('INSERT INTO api_tokens (name, token_hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [
        name,
        createHash('sha256').update(secret).digest('hex'),
        JSON.stringify([...new Set(scopes)]),
        actorOf(c).userId,
        now,
      ]);
      return c.json({ id: r.lastID, name, scopes, createdAt: now, lastUsedAt: null, token: secret }, 201);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: '/tokens/{id}', tags: ['tokens'], request: { params: IdParam }, responses: { ...NoContent, 403: errors[403], 404: errors[404] } }), async (c) => {
    adminOnly(c);
    const r = await deps.db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [Date.now(), c.req.valid('param').id]);
    if (!r.changes) throw new CcboxError('CCBOX_ERR_NOT_FOUND', 'token not found');
    return c.body(null, 204);
  });
}
