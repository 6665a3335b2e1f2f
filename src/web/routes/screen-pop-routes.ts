// 来电弹屏 pages (/screen-pops, permission settings), the click-to-call SDK's settings (/settings/sdk), and
// what the agent workbench needs to pop them (/workbench/context: the enabled pages, the box's ID, the agent;
// /workbench/number-info: 号码归属地).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import { requirePermission, type Actor } from '../../directory/index.ts';
import { CcboxError, notFound } from '../../platform/errors.ts';
import { readerOf } from './record-routes.ts';
import { IntegrationStore } from '../sdk/integration-store.ts';
import { numberInfo } from '../sdk/number-info.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const name = z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)');
const url = z.string().trim().min(1, '不能为空 (required)').max(2000, '最长 2000 个字符 (at most 2000 characters)');
const mode = z.enum(['always', 'onCall']);
const PageSchema = z
  .object({ id: z.number(), name: z.string(), url: z.string(), mode, enabled: z.boolean(), createdAt: z.number(), updatedAt: z.number() })
  .openapi('ScreenPopPage');
const PageInput = z.object({ name, url, mode, enabled: z.boolean().optional() }).strict();
const SdkSettings = z.object({ sdkAppId: z.string(), allowedOrigins: z.array(z.string()) }).openapi('SdkSettings');
const Context = z
  .object({
    sdkAppId: z.string(),
    agent: z.object({ id: z.number(), name: z.string(), nickname: z.string(), staffNo: z.string().nullable(), email: z.string().nullable(), mobile: z.string().nullable(), roleId: z.number() }),
    screenPops: z.array(PageSchema),
    directory: z.object({
      skillGroups: z.array(z.object({ id: z.number(), name: z.string() })),
      agents: z.array(z.object({ id: z.number(), name: z.string(), staffNo: z.string(), extension: z.string().nullable() })),
      phones: z.array(z.object({ extension: z.string(), name: z.string() })),
    }),
  })
  .openapi('WorkbenchContext');

export function screenPopRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const store = new IntegrationStore(deps.db);
  const tag = ['screen-pop'];

  app.openapi(createRoute({ method: 'get', path: '/screen-pops', tags: tag, responses: { 200: json(z.array(PageSchema), '来电弹屏 pages'), ...errors } }), async (c) =>
    c.json(await store.list(actorOf(c)), 200),
  );
  app.openapi(createRoute({ method: 'post', path: '/screen-pops', tags: tag, request: body(PageInput), responses: { 201: json(PageSchema, 'Created'), ...errors } }), async (c) =>
    c.json(await store.create(actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/screen-pops/{id}', tags: tag, request: { params: IdParam, ...body(PageInput.partial()) }, responses: { 200: json(PageSchema, 'Updated'), ...errors } }),
    async (c) => c.json(await store.update(actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/screen-pops/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await store.remove(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(createRoute({ method: 'get', path: '/settings/sdk', tags: tag, responses: { 200: json(SdkSettings, 'Click-to-call SDK settings'), ...errors } }), async (c) =>
    c.json(await store.sdkSettings(actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/settings/sdk', tags: tag, request: body(z.object({ allowedOrigins: z.array(z.string().max(300)).max(50) }).strict()), responses: { 200: json(SdkSettings, 'Saved'), ...errors } }),
    async (c) => c.json(await store.setAllowedOrigins(actorOf(c), c.req.valid('json').allowedOrigins), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/workbench/context', tags: tag, responses: { 200: json(Context, 'Screen pops, the box ID and the agent for the workbench'), ...errors } }), async (c) => {
    const actor = actorOf(c);
    const [agent, screenPops, sdkAppId, directory] = await Promise.all([store.agentCard(actor), store.enabledPages(actor), store.sdkAppId(), store.colleagues(actor)]);
    return c.json({ sdkAppId, agent, screenPops, directory }, 200);
  });
  app.openapi(
    createRoute({
      method: 'get', path: '/workbench/number-info', tags: tag, summary: '号码归属地 (region and carrier) of a number',
      request: { query: z.object({ number: z.string().trim().min(1).max(32), lang: z.enum(['zh', 'en']).default('zh') }) },
      responses: { 200: json(z.object({ number: z.string(), location: z.string().nullable(), carrier: z.string().nullable() }), 'Region and carrier, null when unknown'), ...errors },
    }),
    async (c) => {
      requirePermission(actorOf(c), 'workbench');
      const q = c.req.valid('query');
      return c.json(await numberInfo(q.number, q.lang), 200);
    },
  );
  /** The customer's number of one of the agent's calls (live, or its record once ended); never sent back. */
  const customerOf = async (actor: Actor, callId: string): Promise<string> => {
    const cc = deps.callCenter;
    if (!cc) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'calls are not running');
    const pick = (r: { direction: string; caller: string; callee: string }): string | null =>
      r.direction === 'inbound' ? r.caller : r.direction === 'outbound' ? r.callee : null;
    let number: string | null = null;
    try {
      number = pick((await cc.records.get(readerOf(actor), callId)));
    } catch (err) {
      if (!(err instanceof CcboxError) || err.code !== 'CCBOX_ERR_NOT_FOUND') throw err;
      // Just ended, record not written yet: the live call, if the agent is on it.
      number = pick(cc.actions.reach(actor, callId).call.record);
    }
    if (!number) throw new CcboxError('CCBOX_ERR_VALIDATION', '内部通话没有客户号码 (an internal call has no customer number)', { field: 'callId' });
    return number;
  };
  app.openapi(
    createRoute({
      method: 'post', path: '/workbench/calls/{callId}/blacklist', tags: tag, summary: '添加至黑名单: the customer of one of the agent’s calls (the number stays on the box)',
      request: { params: z.object({ callId: z.string().uuid().openapi({ param: { name: 'callId', in: 'path' } }) }), ...body(z.object({ remark: z.string().trim().max(100).optional() }).strict()) },
      responses: { 201: json(z.object({ id: z.number(), remark: z.string() }), 'Added'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      requirePermission(actor, 'workbench');
      const { callId } = c.req.valid('param');
      const number = await customerOf(actor, callId).catch((err: unknown) => {
        throw err instanceof CcboxError && err.code === 'CCBOX_ERR_NOT_FOUND' ? notFound('call') : err;
      });
      const remark = c.req.valid('json').remark || `座席 ${actor.userId} 添加`;
      const entry = await deps.callCenter!.settings.addToBlacklist({ number, remark }, actor.userId).catch((err: unknown) => {
        // The store's message names the number; the agent may not see it.
        throw err instanceof CcboxError && err.code === 'CCBOX_ERR_CONFLICT' ? new CcboxError('CCBOX_ERR_CONFLICT', '该号码已在黑名单中 (already blacklisted)', { field: 'callId' }) : err;
      });
      return c.json({ id: entry.id, remark: entry.remark }, 201);
    },
  );
  return app;
}
