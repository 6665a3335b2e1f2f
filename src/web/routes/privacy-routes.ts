// 号码隐私保护 settings (/settings/privacy, permission settings): off, 掩码保护, or 真实号码映射为用户 ID with the
// site's HTTPS endpoint (BasicAuth or OAuth2 client credentials). The secret is write-only: sealed with the
// box key, reported only as secretSet.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { privacyInputSchema, type NumberPrivacy } from '../../privacy/index.ts';
import { CcboxError } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, json } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const Auth = z.union([
  z.object({ kind: z.literal('basic'), username: z.string() }),
  z.object({ kind: z.literal('oauth2'), tokenUrl: z.string(), clientId: z.string(), scope: z.string().nullable() }),
]);
const View = z
  .object({
    mode: z.enum(['off', 'mask', 'uid']),
    endpoint: z.object({ url: z.string(), auth: Auth, caCertPem: z.string().nullable(), timeoutMs: z.number(), cacheTtlMs: z.number() }).nullable(),
    secretSet: z.boolean(),
  })
  .openapi('PrivacySettings');

export function privacyRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tag = ['settings'];
  const privacy = (): NumberPrivacy => {
    if (!deps.privacy) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'number privacy is not running');
    return deps.privacy;
  };
  app.openapi(
    createRoute({ method: 'get', path: '/settings/privacy', tags: tag, summary: '号码隐私保护 (the endpoint’s secret is never returned)', responses: { 200: json(View, 'Settings'), ...errors } }),
    async (c) => c.json(await privacy().view(actorOf(c)), 200),
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/settings/privacy', tags: tag, summary: 'Set 号码隐私保护: off, mask (189****8352) or uid (PhoneToUID / UIDToPhone endpoint)',
      request: body(privacyInputSchema), responses: { 200: json(View, 'Saved'), ...errors },
    }),
    async (c) => c.json(await privacy().set(actorOf(c), c.req.valid('json')), 200),
  );
  return app;
}
