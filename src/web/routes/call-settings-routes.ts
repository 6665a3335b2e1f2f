// 通话设置 (/call-settings/...): the blacklist, 通用设置, 通话保持放音, 外呼设置, per-number 外呼指定分配 and 评价配置,
// 收号 templates and the 自助服务 list. Permission `settings` (the workbench reads the two lists it triggers).
// Prompt files named in a setting must exist in the IVR's prompt library (400 naming the field).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { CallCenter } from '../../calls/index.ts';
import {
  blacklistInputSchema, digitTemplateInputSchema, digitTemplatePatchSchema, generalSettingsSchema, holdMusicSchema, numberSettingsSchema,
  outboundSettingsSchema, selfServiceInputSchema, selfServicePatchSchema, type CallPrompt,
} from '../../calls/settings/index.ts';
import { hasPermission, requirePermission, type Actor } from '../../directory/index.ts';
import { CcboxError, forbidden, validationError } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const tag = ['call-settings'];
const Any = z.any();
const NumberParam = z.object({ number: z.string().regex(/^\+?[0-9]{3,20}$/).openapi({ param: { name: 'number', in: 'path' } }) });
const BlacklistQuery = z.object({
  number: z.string().max(32).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** Every prompt file a setting names must exist; `at` is the field path of each prompt. */
async function checkPrompts(cc: CallCenter, prompts: [string, CallPrompt | null | undefined][]): Promise<void> {
  for (const [at, p] of prompts) {
    if (p?.kind !== 'file') continue;
    try {
      await cc.ivr.prompts.get(p.promptId);
    } catch {
      throw validationError(`${at}.promptId`, `放音文件 ${p.promptId} 不存在 (no such prompt file)`);
    }
  }
}

export function callSettingsRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const cc = (): CallCenter => {
    if (!deps.callCenter) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'calls are not running');
    return deps.callCenter;
  };
  const admin = (actor: Actor): void => requirePermission(actor, 'settings');
  const adminOrAgent = (actor: Actor): void => {
    if (!hasPermission(actor, 'settings') && !hasPermission(actor, 'workbench')) throw forbidden('this account has no permission for call settings');
  };

  // ---- 黑名单 ----
  app.openapi(
    createRoute({ method: 'get', path: '/call-settings/blacklist', tags: tag, summary: '通用设置-黑名单', request: { query: BlacklistQuery }, responses: { 200: json(Any, 'One page'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      return c.json(await cc().settings.blacklist(c.req.valid('query')), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/call-settings/blacklist', tags: tag, summary: 'Add a number (callers refused with the blacklist prompt)', request: body(blacklistInputSchema), responses: { 201: json(Any, 'Added'), ...errors } }),
    async (c) => {
      const actor = actorOf(c);
      admin(actor);
      return c.json(await cc().settings.addToBlacklist(c.req.valid('json'), actor.userId > 0 ? actor.userId : null), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/call-settings/blacklist/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }),
    async (c) => {
      admin(actorOf(c));
      await cc().settings.removeFromBlacklist(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---- box-wide settings ----
  const boxwide = [
    ['general', '/call-settings/general', generalSettingsSchema, '通用设置 (the blacklist prompt)', (v: any): [string, CallPrompt | null][] => [['blacklistPrompt', v.blacklistPrompt]]],
    ['holdMusic', '/call-settings/hold-music', holdMusicSchema, '通话保持放音设置', (v: any): [string, CallPrompt | null][] => [['prompt', v.prompt]]],
    ['outbound', '/call-settings/outbound', outboundSettingsSchema, '外呼设置: 外呼外显规则, 允许座席指定号码呼出, prompts to the agent', (v: any): [string, CallPrompt | null][] => [['noAnswerPrompt', v.noAnswerPrompt], ['customerHangupPrompt', v.customerHangupPrompt]]],
  ] as const;
  for (const [key, path, schema, summary, prompts] of boxwide) {
    app.openapi(createRoute({ method: 'get', path, tags: tag, summary, responses: { 200: json(Any, 'The settings'), ...errors } }), async (c) => {
      admin(actorOf(c));
      return c.json(await cc().settings.get(key), 200);
    });
    app.openapi(createRoute({ method: 'put', path, tags: tag, summary, request: body(schema as z.ZodTypeAny), responses: { 200: json(Any, 'Saved'), ...errors } }), async (c) => {
      admin(actorOf(c));
      const v = c.req.valid('json');
      await checkPrompts(cc(), prompts(v));
      return c.json(await cc().settings.set(key, v as never), 200);
    });
  }

  // ---- 号码设置: 外呼指定分配, 呼入/呼出评价配置 ----
  app.openapi(
    createRoute({ method: 'get', path: '/call-settings/numbers', tags: tag, summary: 'Per-number call settings of every number', responses: { 200: json(Any, 'Settings'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      return c.json(await cc().settings.numbers(), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/call-settings/numbers/{number}', tags: tag, request: { params: NumberParam }, responses: { 200: json(Any, 'Settings'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      const s = await cc().settings.forNumber(c.req.valid('param').number);
      if (!s) throw new CcboxError('CCBOX_ERR_NOT_FOUND', 'number not found');
      return c.json(s, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/call-settings/numbers/{number}', tags: tag, summary: '外呼指定分配 and 呼入/呼出评价配置 of one number', request: { params: NumberParam, ...body(numberSettingsSchema.extend({ number: z.string().optional() })) }, responses: { 200: json(Any, 'Saved'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      const { number: _shown, ...v } = c.req.valid('json');
      await checkPrompts(cc(), [
        ['lastAgentRouting.failurePrompt', v.lastAgentRouting.failurePrompt],
        ...(['inboundSurvey', 'outboundSurvey'] as const).flatMap((k): [string, CallPrompt | null][] => [[`${k}.prompt`, v[k].prompt], [`${k}.thanksPrompt`, v[k].thanksPrompt]]),
      ]);
      return c.json(await cc().settings.setNumber(c.req.valid('param').number, v), 200);
    },
  );

  // ---- 收号设置 ----
  app.openapi(
    createRoute({ method: 'get', path: '/call-settings/digit-collection', tags: tag, summary: '收号 templates', responses: { 200: json(Any, 'Templates'), ...errors } }),
    async (c) => {
      adminOrAgent(actorOf(c));
      return c.json(await cc().settings.digitTemplates(), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/call-settings/digit-collection', tags: tag, request: body(digitTemplateInputSchema), responses: { 201: json(Any, 'Created'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      const v = c.req.valid('json');
      await checkPrompts(cc(), [['prompt', v.prompt]]);
      return c.json(await cc().settings.saveDigitTemplate(null, v), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/call-settings/digit-collection/{id}', tags: tag, request: { params: IdParam, ...body(digitTemplatePatchSchema) }, responses: { 200: json(Any, 'Saved'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      const v = c.req.valid('json');
      await checkPrompts(cc(), [['prompt', v.prompt]]);
      return c.json(await cc().settings.saveDigitTemplate(c.req.valid('param').id, v), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/call-settings/digit-collection/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }),
    async (c) => {
      admin(actorOf(c));
      await cc().settings.removeDigitTemplate(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---- 自助服务 ----
  app.openapi(
    createRoute({ method: 'get', path: '/call-settings/self-service', tags: tag, summary: '自助服务 list', responses: { 200: json(Any, 'Entries'), ...errors } }),
    async (c) => {
      adminOrAgent(actorOf(c));
      return c.json(await cc().settings.selfServices(), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/call-settings/self-service', tags: tag, request: body(selfServiceInputSchema), responses: { 201: json(Any, 'Created'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      return c.json(await cc().settings.saveSelfService(null, c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/call-settings/self-service/{id}', tags: tag, request: { params: IdParam, ...body(selfServicePatchSchema) }, responses: { 200: json(Any, 'Saved'), ...errors } }),
    async (c) => {
      admin(actorOf(c));
      return c.json(await cc().settings.saveSelfService(c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/call-settings/self-service/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }),
    async (c) => {
      admin(actorOf(c));
      await cc().settings.removeSelfService(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
