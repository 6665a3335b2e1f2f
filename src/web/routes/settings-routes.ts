// /settings/status and /break-reasons (上线状态与小休原因), /settings/smtp (邮件服务器).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const Reason = z.object({ id: z.number(), name: z.string(), enabled: z.boolean() }).openapi('BreakReason');
const reasonName = z.string().trim().min(1, '不能为空 (required)').max(16, '最长 16 个字符 (at most 16 characters)');
const Smtp = z.object({
  host: z.string().trim().min(1, '不能为空 (required)').max(253).regex(/^[A-Za-z0-9.:\-[\]]+$/, '主机名格式不正确 (not a host name or address)'),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  user: z.string().max(254).nullable().optional(),
  password: z.string().max(256).nullable().optional(),
  from: z.string().trim().min(3).max(254),
  allowSelfSigned: z.boolean().optional(),
});
const SmtpView = z.object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string().nullable(), from: z.string(), allowSelfSigned: z.boolean(), passwordSet: z.boolean() });

export function settingsRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const { status, mailSettings } = deps.directory;
  const tag = ['settings'];

  app.openapi(
    createRoute({ method: 'get', path: '/settings/status', tags: tag, responses: { 200: json(z.object({ defaultStatus: z.enum(['idle', 'busy']), breakReasons: z.array(Reason) }), 'Status settings') } }),
    async (c) => c.json(await status.get(), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/settings/status', tags: tag, request: body(z.object({ defaultStatus: z.enum(['idle', 'busy']) })), responses: { ...NoContent, ...errors } }),
    async (c) => {
      await status.setDefault(actorOf(c), c.req.valid('json').defaultStatus);
      return c.body(null, 204);
    },
  );
  app.openapi(createRoute({ method: 'post', path: '/break-reasons', tags: tag, request: body(z.object({ name: reasonName })), responses: { 201: json(Reason, 'Created'), ...errors } }), async (c) =>
    c.json(await status.addReason(actorOf(c), c.req.valid('json').name), 201),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/break-reasons/{id}', tags: tag, request: { params: IdParam, ...body(z.object({ name: reasonName.optional(), enabled: z.boolean().optional() })) }, responses: { 200: json(Reason, 'Updated'), ...errors } }),
    async (c) => c.json(await status.updateReason(actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/settings/smtp', tags: tag, responses: { 200: json(SmtpView.nullable(), 'The relay, or null'), ...errors } }), async (c) =>
    c.json(await mailSettings.view(actorOf(c)), 200),
  );
  app.openapi(createRoute({ method: 'put', path: '/settings/smtp', tags: tag, request: body(Smtp), responses: { 200: json(SmtpView, 'Saved'), ...errors } }), async (c) => {
    const v = c.req.valid('json');
    return c.json(await mailSettings.set(actorOf(c), { ...v, user: v.user ?? null }), 200);
  });
  return app;
}
