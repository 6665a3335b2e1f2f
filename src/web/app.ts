// The Hono app: client address, security headers, /healthz, /api/v1 (zod-validated, OpenAPI), the console.
import { OpenAPIHono } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import { CcboxError } from '../platform/errors.ts';
import { requireAuth } from './auth.ts';
import { acdRoutes } from './routes/acd-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { groupRoutes } from './routes/group-routes.ts';
import { ivrRoutes } from './routes/ivr-routes.ts';
import { settingsRoutes } from './routes/settings-routes.ts';
import { sipRoutes } from './routes/sip-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import { recordRoutes } from './routes/record-routes.ts';
import { callRoutes } from './routes/call-routes.ts';
import { screenPopRoutes } from './routes/screen-pop-routes.ts';
import { privacyRoutes } from './routes/privacy-routes.ts';
import { callSettingsRoutes } from './routes/call-settings-routes.ts';
import { mountSdk } from './sdk/index.ts';
import { serveConsole } from './static.ts';
import type { AppEnv, WebDeps } from './web-types.ts';

/** zod failures become one 400 naming the first bad field (e.g. `email`, `members.0.priority`). */
function validationHook(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): void {
  if (result.success) return;
  const issue = result.error!.issues[0]!;
  const field = issue.path.map(String).join('.') || 'body';
  throw new CcboxError('CCBOX_ERR_VALIDATION', `${field}: ${issue.message}`, { field });
}

export function errorResponse(deps: Pick<WebDeps, 'log'>, err: unknown, c: Context): Response {
  if (err instanceof CcboxError) {
    if (err.httpStatus >= 500) deps.log.error({ err, path: c.req.path }, err.message);
    return c.json({ error: err.toJSON() }, err.httpStatus as 400);
  }
  const status = (err as { status?: number }).status;
  if (status === 413) return c.json({ error: { code: 'CCBOX_ERR_VALIDATION', message: '请求体过大 (request body too large)', field: 'body' } }, 413);
  if (err instanceof SyntaxError || status === 400) {
    return c.json({ error: { code: 'CCBOX_ERR_VALIDATION', message: `请求格式错误 (malformed request): ${(err as Error).message}`, field: 'body' } }, 400);
  }
  deps.log.error({ err, path: c.req.path }, 'unhandled error');
  return c.json({ error: { code: 'CCBOX_ERR_INTERNAL', message: 'internal error' } }, 500);
}

export function createApp(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError((err, c) => errorResponse(deps, err, c));
  app.use('*', async (c, next) => {
    let ip = 'unknown';
    try {
      ip = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // app.request() in tests has no socket
      ip = c.req.header('x-test-remote') ?? '127.0.0.1';
    }
    c.set('ip', ip.replace(/^::ffff:/, ''));
    await next();
  });
  // Before the security headers: /sdk/* answers with its own (a cross-origin script, an embeddable frame).
  mountSdk(app, deps);
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // 点击试听 plays TTS the page fetched (POST) from a blob: URL.
        mediaSrc: ["'self'", 'blob:'],
        // Screen-pop pages are the site's own HTTPS business systems.
        frameSrc: ['https:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );

  app.get('/healthz', async (c) => {
    const r = await deps.health.report();
    return c.json(r, r.status === 'ok' ? 200 : 503);
  });

  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.use('*', bodyLimit({ maxSize: 6 * 1024 * 1024 }));
  api.use('*', async (c, next) => {
    const open = c.req.path.endsWith('/auth/login') || c.req.path.endsWith('/openapi.json');
    if (open) return next();
    return requireAuth(deps)(c, next);
  });
  api.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 400 && c.get('auth')) {
      const a = c.get('auth').actor;
      await deps.db
        .run('INSERT INTO audit_log (at, user_id, ip, action, target) VALUES (?, ?, ?, ?, ?)', [Date.now(), a.userId, c.get('ip'), c.req.method, c.req.path])
        .catch((err: unknown) => deps.log.error({ err }, 'audit write failed'));
    }
  });
  api.route('/', authRoutes(deps));
  api.route('/', agentRoutes(deps));
  api.route('/', groupRoutes(deps));
  api.route('/', settingsRoutes(deps));
  api.route('/', sipRoutes(deps));
  api.route('/', channelRoutes(deps));
  api.route('/', acdRoutes(deps));
  api.route('/', ivrRoutes(deps));
  api.route('/', recordRoutes(deps));
  api.route('/', callRoutes(deps));
  api.route('/', screenPopRoutes(deps));
  api.route('/', privacyRoutes(deps));
  api.route('/', callSettingsRoutes(deps));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'ccbox API', version: '1', description: 'Console and HQ API of the ccbox contact-center box. See docs/api-v1.md.' },
  });
  api.notFound((c) => c.json({ error: { code: 'CCBOX_ERR_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.route('/api/v1', api);
  serveConsole(app, deps.config.webDist);
  return app;
}
