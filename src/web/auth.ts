// Sessions (HttpOnly cookie + CSRF token), API tokens (Bearer, scoped), and the middleware that turns
// either into the Actor every directory call is checked against.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Actor, Permission, UserRecord } from '../directory/index.ts';
import { PERMISSION_KEYS } from '../directory/index.ts';
import { CcboxError } from '../platform/errors.ts';
import { token } from '../platform/ids.ts';
import { logSecurity } from '../platform/logger.ts';
import type { AppEnv, WebDeps } from './web-types.ts';

export const SESSION_COOKIE = 'ccbox_session';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function actorFor(user: UserRecord, via: Actor['via'], ip: string, narrow?: string[]): Actor {
  let perms = new Set<Permission | '*'>(user.permissions as (Permission | '*')[]);
  if (narrow) {
    const all = perms.has('*') ? new Set<string>(PERMISSION_KEYS) : perms;
    perms = new Set(narrow.filter((p) => all.has(p)) as Permission[]);
  }
  return { userId: user.id, permissions: perms, scope: user.permissions.includes('*') ? null : user.scope, via, ip };
}

export async function createSession(deps: WebDeps, c: Context<AppEnv>, user: UserRecord): Promise<string> {
  const sid = token(32);
  const csrf = token(24);
  const now = Date.now();
  await deps.db.run('INSERT INTO sessions (id, user_id, csrf, ip, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    sha256(sid),
    user.id,
    csrf,
    c.get('ip'),
    (c.req.header('user-agent') ?? '').slice(0, 200),
    now,
    now + deps.config.sessionTtlMs,
  ]);
  setCookie(c, SESSION_COOKIE, sid, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: Math.floor(deps.config.sessionTtlMs / 1000),
  });
  return csrf;
}

export async function endSession(deps: WebDeps, c: Context<AppEnv>): Promise<void> {
  const sid = getCookie(c, SESSION_COOKIE);
  if (sid) await deps.db.run('DELETE FROM sessions WHERE id = ?', [sha256(sid)]);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

const safeEqual = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function fromSession(deps: WebDeps, c: Context<AppEnv>, sid: string): Promise<AppEnv['Variables']['auth'] | null> {
  const row = await deps.db.get<{ id: string; user_id: number; csrf: string; expires_at: number }>(
    'SELECT id, user_id, csrf, expires_at FROM sessions WHERE id = ?',
    [sha256(sid)],
  );
  if (!row || row.expires_at < Date.now()) return null;
  const user = await deps.directory.users.byId(row.user_id);
  if (!user || user.deleted || user.state !== 'active') return null;
  return { actor: actorFor(user, 'session', c.get('ip')), sessionId: row.id, csrf: row.csrf };
}

async function fromToken(deps: WebDeps, c: Context<AppEnv>, bearer: string): Promise<AppEnv['Variables']['auth'] | null> {
  const row = await deps.db.get<{ id: number; created_by: number; scopes: string }>(
    'SELECT id, created_by, scopes FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL',
    [sha256(bearer)],
  );
  if (!row) return null;
  const user = await deps.directory.users.byId(row.created_by);
  if (!user || user.deleted || user.state !== 'active') return null;
  void deps.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [Date.now(), row.id]).catch(() => undefined);
  return { actor: actorFor(user, 'token', c.get('ip'), JSON.parse(row.scopes) as string[]), sessionId: null, csrf: null };
}

/** Requires a session or token; on a session, every state-changing request must carry the CSRF token. */
export function requireAuth(deps: WebDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authz = c.req.header('authorization');
    const sid = getCookie(c, SESSION_COOKIE);
    let auth: AppEnv['Variables']['auth'] | null = null;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      auth = m ? await fromToken(deps, c, m[1]!) : null;
      if (!auth) logSecurity(deps.log, 'auth-failure', 'http', c.get('ip'), '', 'bad API token');
    } else if (sid) {
      auth = await fromSession(deps, c, sid);
    }
    if (!auth) throw new CcboxError('CCBOX_ERR_AUTH', '未登录或登录已过期 (not logged in or session expired)');
    if (auth.csrf !== null && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!safeEqual(sent, auth.csrf)) {
        logSecurity(deps.log, 'csrf', 'http', c.get('ip'), String(auth.actor.userId), `${c.req.method} ${c.req.path}`);
        throw new CcboxError('CCBOX_ERR_CSRF', 'CSRF 校验失败，请刷新页面 (missing or wrong x-csrf-token header)');
      }
    }
    c.set('auth', auth);
    await next();
  };
}

export const actorOf = (c: Context<AppEnv>): Actor => c.get('auth').actor;
