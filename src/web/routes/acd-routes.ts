// The ACD's control API: agent status (示闲/示忙/小休/离线, 继续整理/恢复接待) and its history, the queues of the
// caller's groups (排队情况), the monitors' real-time snapshot, and 呼入接听设置.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { AcdAccess, AGENT_STATUSES, DISPATCH_STATES, acdSettingsInputSchema, acdSettingsSchema, type Acd } from '../../acd/index.ts';
import { CcboxError } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const Presence = z.object({ web: z.boolean(), phoneRegistered: z.boolean(), dnd: z.boolean(), phoneId: z.number().nullable() });
const StatusView = z
  .object({
    agentId: z.number(),
    name: z.string(),
    staffNo: z.string().nullable(),
    status: z.enum(AGENT_STATUSES as [string, ...string[]]),
    breakReasonId: z.number().nullable(),
    breakReasonName: z.string().nullable(),
    statusSince: z.number(),
    dispatch: z.enum(DISPATCH_STATES as [string, ...string[]]),
    dispatchSince: z.number(),
    callId: z.string().nullable(),
    acwEndsAt: z.number().nullable(),
    presence: Presence,
    callsToday: z.number(),
    openSessions: z.number(),
    skillGroupIds: z.array(z.number()),
  })
  .openapi('AgentStatus');

const StatusInput = z
  .object({
    /** 'acw' during 话后整理 = 继续整理; 'idle' then = 恢复接待. */
    status: z.enum(['idle', 'busy', 'break', 'offline', 'acw']),
    breakReasonId: z.number().int().positive().nullable().optional(),
  })
  .strict();

const HistoryQuery = z.object({
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const HistoryRow = z.object({
  agentId: z.number(),
  axis: z.enum(['status', 'dispatch']),
  from: z.string(),
  to: z.string(),
  breakReasonId: z.number().nullable(),
  cause: z.string(),
  callId: z.string().nullable(),
  at: z.number(),
});

const QueueSummary = z
  .object({ skillGroupId: z.number().nullable(), name: z.string(), waiting: z.number(), callbacks: z.number(), longestWaitMs: z.number(), onlineAgents: z.number(), idleAgents: z.number() })
  .openapi('QueueSummary');
const QueueEntry = z.object({
  callId: z.string(),
  kind: z.enum(['caller', 'callback']),
  callbackId: z.string().nullable(),
  callerNumber: z.string(),
  waitNo: z.number(),
  priority: z.number(),
  enqueuedAt: z.number(),
  waitedMs: z.number(),
  ringing: z.boolean(),
});
const Snapshot = z
  .object({
    at: z.number(),
    agents: z.array(StatusView.omit({ name: true }).extend({ name: z.string() })),
    phones: z.array(z.object({ phoneId: z.number(), extension: z.string(), skillGroupId: z.number(), registered: z.boolean(), dnd: z.boolean(), dispatch: z.string(), dispatchSince: z.number() })),
    queues: z.array(QueueSummary.extend({ entries: z.array(QueueEntry) })),
  })
  .openapi('MonitorSnapshot');
const SettingsView = z
  .object({ global: acdSettingsSchema, groups: z.array(z.object({ skillGroupId: z.number(), name: z.string(), settings: acdSettingsSchema.nullable() })) })
  .openapi('AcdSettings');

export function acdRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tag = ['acd'];
  let access: AcdAccess | null = null;
  const acd = (): AcdAccess => {
    if (!deps.acd) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'the ACD is not running');
    return (access ??= new AcdAccess(deps.acd as Acd));
  };

  app.openapi(
    createRoute({ method: 'get', path: '/agents/{id}/status', tags: tag, request: { params: IdParam }, responses: { 200: json(StatusView, 'Both axes of the agent’s state'), ...errors } }),
    async (c) => c.json(await acd().getStatus(actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/agents/{id}/status',
      tags: tag,
      request: { params: IdParam, ...body(StatusInput) },
      responses: { 200: json(StatusView, 'The new state'), ...errors },
    }),
    async (c) => c.json(await acd().setStatus(actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/agents/{id}/status/history', tags: tag, request: { params: IdParam, query: HistoryQuery }, responses: { 200: json(z.array(HistoryRow), 'State changes, newest first'), ...errors } }),
    async (c) => c.json(await acd().history(actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/queues', tags: tag, responses: { 200: json(z.array(QueueSummary), 'Waiting calls per group in the caller’s scope'), ...errors } }), async (c) =>
    c.json(await acd().queues(actorOf(c)), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/monitor/snapshot', tags: tag, responses: { 200: json(Snapshot, 'Agents and queues right now, in scope'), ...errors } }), async (c) =>
    c.json((await acd().snapshot(actorOf(c))) as never, 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/acd/settings', tags: tag, responses: { 200: json(SettingsView, '呼入接听设置: global and per group'), ...errors } }), async (c) =>
    c.json(await acd().settingsView(actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/acd/settings', tags: tag, request: body(acdSettingsInputSchema), responses: { 200: json(SettingsView, 'Saved'), ...errors } }),
    async (c) => c.json(await acd().saveSettings(actorOf(c), c.req.valid('json')), 200),
  );
  return app;
}
