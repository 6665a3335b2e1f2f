// /agents (客服管理): list with the manual's filters, add, edit, delete, reset password, force offline,
// batch import from the CSV/XLSX template as a background job with progress.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CcboxError } from '../../platform/errors.ts';
import {
  agentPatchSchema,
  csvTemplate,
  importAgents,
  MAX_IMPORT_BYTES,
  newAgentSchema,
  readSheet,
  requirePermission,
  XLSX_TYPE,
  xlsxTemplate,
} from '../../directory/index.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const AgentSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    nickname: z.string(),
    staffNo: z.string(),
    email: z.string(),
    mobile: z.string().nullable(),
    roleId: z.number(),
    roleName: z.string(),
    skillGroups: z.array(z.object({ id: z.number(), name: z.string(), priority: z.number() })),
    state: z.enum(['active', 'forced_offline']),
    mobileAnswer: z.object({ enabled: z.boolean(), outbound: z.boolean() }),
    createdAt: z.number(),
  })
  .openapi('Agent');

const filterText = z.string().trim().max(64).optional();
const ListQuery = z.object({
  staffNo: filterText,
  email: filterText,
  name: filterText,
  mobile: filterText,
  skillGroupId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function agentRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const agents = deps.directory.agents;
  const tag = ['agents'];

  app.openapi(
    createRoute({ method: 'get', path: '/agents', tags: tag, request: { query: ListQuery }, responses: { 200: json(z.object({ items: z.array(AgentSchema), total: z.number(), page: z.number(), pageSize: z.number() }), 'A page of agents'), 403: errors[403] } }),
    async (c) => c.json(await agents.list(actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/agents', tags: tag, request: body(newAgentSchema), responses: { 201: json(AgentSchema, 'Created; the password was mailed'), ...errors } }),
    async (c) => c.json(await agents.create(actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/agents/import-template', tags: tag, request: { query: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }) }, responses: { 200: { description: 'The template file' } } }),
    async (c) => {
      requirePermission(actorOf(c), 'agents');
      const format = c.req.valid('query').format;
      const name = encodeURIComponent(`客服导入模板.${format}`);
      c.header('content-disposition', `attachment; filename="agents-template.${format}"; filename*=UTF-8''${name}`);
      if (format === 'xlsx') {
        c.header('content-type', XLSX_TYPE);
        return c.body(new Uint8Array(await xlsxTemplate()), 200);
      }
      c.header('content-type', 'text/csv; charset=utf-8');
      return c.body(csvTemplate(), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/agents/import',
      tags: tag,
      request: { body: { content: { 'text/csv': { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
      responses: { 202: json(z.object({ jobId: z.string() }), 'Import started; poll /jobs/{id}'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      requirePermission(actor, 'agents');
      const len = Number(c.req.header('content-length') ?? 0);
      if (len > MAX_IMPORT_BYTES) throw new CcboxError('CCBOX_ERR_VALIDATION', '文件超过 5 MB (file larger than 5 MB)', { field: 'file' });
      const buf = Buffer.from(await c.req.arrayBuffer());
      const rows = await readSheet(buf, c.req.header('content-type') ?? '');
      await deps.directory.mailer.assertConfigured();
      const jobId = deps.jobs.start('agent-import', actor.userId, (p) =>
        importAgents({ db: deps.db, agents, mailer: deps.directory.mailer }, actor, rows, p),
      );
      return c.json({ jobId }, 202);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/agents/{id}', tags: tag, request: { params: IdParam }, responses: { 200: json(AgentSchema, 'The agent'), 404: errors[404] } }), async (c) =>
    c.json(await agents.get(actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/agents/{id}', tags: tag, request: { params: IdParam, ...body(agentPatchSchema) }, responses: { 200: json(AgentSchema, 'Updated'), ...errors } }),
    async (c) => c.json(await agents.update(actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/agents/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await agents.remove(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  const action = (path: string, run: (id: number, c: Parameters<typeof actorOf>[0]) => Promise<void>, summary: string): void => {
    app.openapi(createRoute({ method: 'post', path, tags: tag, summary, request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
      await run(c.req.valid('param').id, c);
      return c.body(null, 204);
    });
  };
  action('/agents/{id}/reset-password', (id, c) => agents.resetPassword(actorOf(c), id), '重置密码: mail a new random password');
  action('/agents/{id}/force-offline', (id, c) => agents.setState(actorOf(c), id, 'forced_offline'), '强制下线');
  action('/agents/{id}/restore', (id, c) => agents.setState(actorOf(c), id, 'active'), '恢复');

  app.openapi(
    createRoute({ method: 'get', path: '/jobs/{id}', tags: ['jobs'], request: { params: z.object({ id: z.string().uuid() }) }, responses: { 200: json(z.any(), 'Job progress'), 404: errors[404] } }),
    async (c) => {
      const job = deps.jobs.view(c.req.valid('param').id, actorOf(c).userId);
      if (!job) throw new CcboxError('CCBOX_ERR_NOT_FOUND', 'job not found');
      return c.json(job, 200);
    },
  );
  return app;
}
