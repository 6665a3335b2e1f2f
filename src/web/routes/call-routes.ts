// The call control API (issue 6, part 0): an agent's outbound call (POST /calls), the live calls the caller may
// see, and 通话功能 on one call — answer/reject a workbench offer, hang up, hold, mute, transfer, DTMF — for the
// agent on the call or a supervisor whose scope covers it (anyone else: 404). Also 外显号码 per skill group.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { CallActions, CallCenter } from '../../calls/index.ts';
import { hasPermission, requirePermission, type Actor } from '../../directory/index.ts';
import { CcboxError, forbidden, validationError } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const tag = ['calls'];
const CallIdParam = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const DialInput = z
  .object({
    /** An outside number, or an extension (工作台呼叫话机); with 号码隐私保护 also a mask the agent was shown or a user ID. */
    to: z.string().trim().regex(/^[A-Za-z0-9_.@+*#-]{2,64}$/, '号码只能是数字，可带 + (digits, optional +)'),
    /** 允许座席指定号码呼出: one of the numbers of the agent's skill groups. */
    callerNumber: z.string().trim().regex(/^\+?[0-9]{3,20}$/).optional(),
  })
  .strict();
const Dialled = z
  .object({ callId: z.string(), callee: z.string(), callerNumber: z.string().nullable(), location: z.string().nullable(), device: z.enum(['web', 'phone', 'mobile']) })
  .openapi('OutboundCall');
const Transfer = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('skillGroup'), skillGroupId: z.number().int().positive() }).strict(),
    z.object({ kind: z.literal('agent'), agentId: z.number().int().positive() }).strict(),
    z.object({ kind: z.literal('external'), number: z.string().trim().regex(/^[A-Za-z0-9_.@+*#-]{3,64}$/, '号码只能是数字 (digits only)') }).strict(),
  ])
  .openapi('TransferTarget');
const Dtmf = z.object({ digits: z.string().regex(/^[0-9A-Da-d*#]{1,32}$/, '0-9, *, #, A-D') }).strict();
const LiveCall = z
  .object({
    id: z.string(),
    direction: z.string(),
    caller: z.string(),
    callee: z.string(),
    number: z.string().nullable(),
    state: z.string(),
    startedAt: z.number(),
    answeredAt: z.number().nullable(),
    agentIds: z.array(z.number()),
    held: z.boolean(),
    muted: z.boolean(),
  })
  .openapi('LiveCall');

const SIMPLE = ['answer', 'reject', 'hangup', 'hold', 'unhold', 'mute', 'unmute'] as const;
type Simple = (typeof SIMPLE)[number];

const SUMMARY: Record<Simple, string> = {
  answer: 'Answer the call ringing on the caller’s workbench (desk phones answer on the phone)',
  reject: 'Reject the call ringing on the caller’s workbench',
  hangup: 'Hang up: the agent leaves (an inbound caller goes on to the survey); a supervisor ends the call',
  hold: '通话保持: the customer hears hold music and is not heard',
  unhold: '取回',
  mute: '静音: the agent is not heard',
  unmute: '取消静音',
};

function run(a: CallActions, what: Simple, actor: Actor, id: string): Promise<void> | void {
  switch (what) {
    case 'answer': return a.answer(actor, id);
    case 'reject': return a.reject(actor, id);
    case 'hangup': return a.hangup(actor, id);
    case 'hold': return a.hold(actor, id, true);
    case 'unhold': return a.hold(actor, id, false);
    case 'mute': return a.mute(actor, id, true);
    case 'unmute': return a.mute(actor, id, false);
  }
}

export function callRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const cc = (): CallCenter => {
    if (!deps.callCenter) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'calls are not running');
    return deps.callCenter;
  };
  /** Outbound calls are the agents' (the workbench permission, and a place in the directory). */
  const asAgent = (actor: Actor): number => {
    requirePermission(actor, 'workbench');
    if (!cc().acd.hasAgent(actor.userId)) throw forbidden('只有客服可以外呼 (only agents place calls)');
    return actor.userId;
  };

  app.openapi(
    createRoute({ method: 'post', path: '/calls', tags: tag, summary: '拨号盘呼出: the agent’s device, then the number (or an extension)', request: body(DialInput), responses: { 201: json(Dialled, 'Dialing'), ...errors } }),
    async (c) => {
      const actor = actorOf(c);
      const { to: typed, callerNumber } = c.req.valid('json');
      const agentId = asAgent(actor);
      // 号码隐私保护: what the agent typed (a mask they were shown, a user ID) becomes the real number here.
      const to = deps.privacy ? await deps.privacy.resolveDial(actor, typed) : typed;
      if (!/^\+?[0-9*#]{2,24}$/.test(to)) throw validationError('to', '号码只能是数字，可带 + (digits, optional +)');
      const out = await cc().outbound.start(agentId, to, callerNumber ?? null);
      return c.json({ ...out, callee: deps.privacy ? await deps.privacy.present(actor, out.callee) : out.callee }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/calls', tags: tag, summary: 'Live calls the caller is on, or (monitor) in their scope', responses: { 200: json(z.array(LiveCall), 'Live calls'), ...errors } }),
    async (c) => {
      const actor = actorOf(c);
      const center = cc();
      const out: z.infer<typeof LiveCall>[] = [];
      for (const rec of center.telephony.calls.list()) {
        let notes;
        try {
          notes = center.actions.reach(actor, rec.id).notes;
        } catch {
          continue;
        }
        const agentIds = [...new Set([notes.outboundAgentId, ...notes.talks.filter((t) => t.endedAt === null).map((t) => t.agentId)].filter((x): x is number => x != null))];
        out.push({ id: rec.id, direction: rec.direction, caller: rec.caller, callee: rec.callee, number: rec.number, state: rec.state, startedAt: rec.startedAt, answeredAt: rec.answeredAt, agentIds, held: notes.held, muted: notes.muted });
      }
      if (deps.privacy && (await deps.privacy.protects(actor))) {
        // 号码隐私保护: the customer's side of each call (the caller inbound, the callee outbound).
        const shown = await deps.privacy.presentMany(actor, out.flatMap((x) => (x.direction === 'inbound' ? [x.caller] : x.direction === 'outbound' ? [x.callee] : [])));
        for (const x of out) {
          if (x.direction === 'inbound') x.caller = shown.get(x.caller) ?? x.caller;
          if (x.direction === 'outbound') x.callee = shown.get(x.callee) ?? x.callee;
        }
      }
      return c.json(out, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/calls/caller-ids', tags: tag, summary: '允许座席指定号码呼出: the numbers the agent may choose',
      responses: { 200: json(z.object({ allowed: z.boolean(), numbers: z.array(z.string()) }).openapi('CallerIdChoice'), 'Choices'), ...errors },
    }),
    async (c) => {
      const numbers = await cc().outbound.choices(asAgent(actorOf(c)));
      return c.json({ allowed: numbers.length > 0, numbers }, 200);
    },
  );
  for (const what of SIMPLE) {
    app.openapi(
      createRoute({ method: 'post', path: `/calls/{id}/${what}`, tags: tag, summary: SUMMARY[what], request: { params: CallIdParam }, responses: { ...NoContent, ...errors } }),
      async (c) => {
        await run(cc().actions, what, actorOf(c), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
  }
  app.openapi(
    createRoute({
      method: 'post', path: '/calls/{id}/transfer', tags: tag, summary: '转技能组 / 转座席 / 转外线 (the caller’s data goes along)',
      request: { params: CallIdParam, ...body(Transfer) }, responses: { 200: json(z.object({ result: z.enum(['transferring', 'answered']) }), 'Transferred'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      const to = c.req.valid('json');
      // 转外线 to a number the agent saw masked or as a user ID.
      if (to.kind === 'external' && deps.privacy) to.number = await deps.privacy.resolveDial(actor, to.number, 'number');
      return c.json(await cc().actions.transfer(actor, c.req.valid('param').id, to), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/calls/{id}/dtmf', tags: tag, summary: '输分机号: digits sent to the customer (RFC 4733)', request: { params: CallIdParam, ...body(Dtmf) }, responses: { ...NoContent, ...errors } }),
    async (c) => {
      await cc().actions.dtmf(actorOf(c), c.req.valid('param').id, c.req.valid('json').digits);
      return c.body(null, 204);
    },
  );

  // ---- 重拨, 加入黑名单, 邀请评价, 自助服务, 收号 ----
  app.openapi(
    createRoute({ method: 'post', path: '/calls/redial', tags: tag, summary: '重拨: the agent’s last outbound call again', responses: { 201: json(Dialled, 'Dialing'), ...errors } }),
    async (c) => c.json(await cc().outbound.redial(asAgent(actorOf(c))), 201),
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/calls/{id}/blacklist', tags: tag, summary: '加入黑名单: the customer’s number',
      request: { params: CallIdParam, ...body(z.object({ remark: z.string().trim().max(100, '最长 100 个字符 (at most 100 characters)').optional() }).strict()) },
      responses: { 201: json(z.any(), 'The blacklist entry'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      // 号码隐私保护: an agent role gets the entry without the number (and a repeat without it in the message).
      const hide = !!deps.privacy && (await deps.privacy.protects(actor));
      const entry = await cc().services.blacklist(actor, c.req.valid('param').id, c.req.valid('json').remark).catch((err: unknown) => {
        throw hide && err instanceof CcboxError && err.code === 'CCBOX_ERR_CONFLICT' ? new CcboxError('CCBOX_ERR_CONFLICT', '该号码已在黑名单中 (already blacklisted)', { field: 'number' }) : err;
      });
      return c.json(hide ? { ...entry, number: await deps.privacy!.present(actor, entry.number) } : entry, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/calls/{id}/survey', tags: tag, summary: '邀请评价: the agent leaves, the customer hears the number’s survey', request: { params: CallIdParam }, responses: { 202: json(z.object({ state: z.string() }), 'Started'), ...errors } }),
    async (c) => {
      await cc().services.survey(actorOf(c), c.req.valid('param').id);
      return c.json({ state: 'survey' }, 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/calls/{id}/self-service', tags: tag, summary: '自助服务: the customer runs the flow and comes back to the agent',
      request: { params: CallIdParam, ...body(z.object({ selfServiceId: z.number().int().positive() }).strict()) }, responses: { 202: json(z.object({ state: z.string() }), 'Started'), ...errors },
    }),
    async (c) => {
      await cc().services.selfService(actorOf(c), c.req.valid('param').id, c.req.valid('json').selfServiceId);
      return c.json({ state: 'running' }, 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/calls/{id}/collect-digits', tags: tag, summary: '收号: digits the agent does not hear, posted to the template’s callback URL',
      request: { params: CallIdParam, ...body(z.object({ templateId: z.number().int().positive() }).strict()) }, responses: { 202: json(z.object({ state: z.string() }), 'Started'), ...errors },
    }),
    async (c) => {
      await cc().services.collectDigits(actorOf(c), c.req.valid('param').id, c.req.valid('json').templateId);
      return c.json({ state: 'running' }, 202);
    },
  );

  // ---- 外呼外显规则: numbers bound to outbound skill groups ----
  app.openapi(
    createRoute({
      method: 'get', path: '/calls/outbound-numbers', tags: tag, summary: 'Numbers shown first on each skill group’s outbound calls',
      responses: { 200: json(z.array(z.object({ skillGroupId: z.number(), numbers: z.array(z.string()) })), 'Bindings'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      if (!hasPermission(actor, 'numbers') && !hasPermission(actor, 'skillGroups')) throw forbidden('this account has no permission for numbers');
      return c.json((await cc().outboundNumbers.list()).filter((b) => actor.scope === null || actor.scope.includes(b.skillGroupId)), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/calls/outbound-numbers/{id}', tags: tag, summary: 'Set the numbers of skill group {id} (replaces them)',
      request: { params: IdParam, ...body(z.object({ numbers: z.array(z.string().regex(/^\+?[0-9]{3,20}$/)).max(100) }).strict()) },
      responses: { 200: json(z.object({ skillGroupId: z.number(), numbers: z.array(z.string()) }), 'Saved'), ...errors },
    }),
    async (c) => {
      requirePermission(actorOf(c), 'numbers');
      const id = c.req.valid('param').id;
      return c.json({ skillGroupId: id, numbers: await cc().outboundNumbers.set(id, c.req.valid('json').numbers) }, 200);
    },
  );
  return app;
}
