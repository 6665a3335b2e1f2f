// /channels (线路管理, 自有号码接入) with live registration and health, /numbers (号码管理, pending →
// effective), /outbound-rights (per-extension outbound and international rights).
import { isIP } from 'node:net';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { telephonyOf, type Telephony } from '../../calls/index.ts';
import { EXTENSION_MSG, EXTENSION_RE, isStrongSipPassword, PASSWORD_MSG } from '../../directory/index.ts';
import { CcboxError } from '../../platform/errors.ts';
import { NUMBER_MSG, NUMBER_RE, PREFIX_MSG, PREFIX_RE, type ChannelConfig } from '../../sip/trunks/index.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const host = z.string().trim().refine((h) => isIP(h) !== 0 || HOST_RE.test(h), '须为 IP 地址或域名 (an IP address or host name)');
const port = z.number().int().min(1).max(65535);
const transport = z.enum(['udp', 'tcp', 'tls']);
const ipOrCidr = z.string().trim().refine((v) => {
  const [addr, bits, extra] = v.split('/');
  if (extra !== undefined || !addr || isIP(addr) === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(addr) === 4 ? 32 : 128);
}, '须为 IP 地址或网段 (an IP address or CIDR)');
const extension = z.string().trim().regex(EXTENSION_RE, EXTENSION_MSG);
const accountUser = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, '账号为 3–32 位字母、数字或 _ . -，以字母开头 (3–32 letters, digits, _ . -, starting with a letter)');

const PublicTrunkInput = z.object({
  carrierHost: host, carrierPort: port.default(5060), transport: transport.default('udp'), trustedIps: z.array(ipOrCidr).max(64).default([]),
}).strict();
const RegisterOutInput = z.object({
  username: z.string().trim().min(1).max(64), authUsername: z.string().trim().min(1).max(64).nullable().optional(),
  password: z.string().min(1).max(128).optional(), server: host, outboundProxy: host.nullable().optional(), port: port.default(5060),
  transport: transport.default('udp'), expires: z.number().int().min(60).max(86_400).default(3600),
}).strict();
const RegisterInInput = z.object({ username: accountUser, password: z.string().refine(isStrongSipPassword, PASSWORD_MSG).optional() }).strict();

const channelFields = {
  name: z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)'),
  deviceType: z.enum(['analog', 'e1t1', 'sipTrunk']),
  capacity: z.number().int().min(1).max(10_000),
  mode: z.enum(['publicTrunk', 'registerOut', 'registerIn']),
  publicTrunk: PublicTrunkInput.optional(),
  registerOut: RegisterOutInput.optional(),
  registerIn: RegisterInInput.optional(),
  inboundExtension: extension.nullable().optional(),
  enabled: z.boolean().optional(),
};

/** The mode's settings must come with a new channel (or with a change of mode). */
function modeBlock(v: { mode?: string; publicTrunk?: unknown; registerOut?: unknown; registerIn?: unknown }, ctx: z.RefinementCtx, required: boolean): void {
  if (!v.mode || !required) return;
  const block = v.mode as 'publicTrunk' | 'registerOut' | 'registerIn';
  if (v[block] === undefined) ctx.addIssue({ code: 'custom', path: [block], message: `${block}: 该接入方式须填写 (required for mode ${block})` });
  if (block === 'registerOut' && v.registerOut && !(v.registerOut as { password?: string }).password) {
    ctx.addIssue({ code: 'custom', path: ['registerOut', 'password'], message: '须填写运营商提供的密码 (the carrier account password is required)' });
  }
}

const ChannelInput = z.object({ ...channelFields, capacity: channelFields.capacity.default(1) }).strict().superRefine((v, ctx) => modeBlock(v, ctx, true));
const ChannelPatch = z.object(channelFields).partial().strict().superRefine((v, ctx) => modeBlock({ ...v, registerOut: v.registerOut ? { password: 'kept', ...v.registerOut } : undefined }, ctx, v.mode !== undefined));

const Registration = z.object({
  state: z.enum(['registered', 'unregistered', 'failed']), label: z.string(), detail: z.string().nullable(), expiresIn: z.number().nullable(),
  contacts: z.array(z.object({ contact: z.string(), transport: transport, address: z.string(), userAgent: z.string(), expiresAt: z.number(), expiresIn: z.number(), registeredAt: z.number() })).optional(),
});
const Health = z.object({ state: z.enum(['up', 'down', 'unknown']), lastCheckedAt: z.number().nullable(), rttMs: z.number().nullable(), detail: z.string().nullable() });
const ChannelSchema = z.object({
  id: z.number(), name: z.string(), deviceType: z.enum(['analog', 'e1t1', 'sipTrunk']), capacity: z.number(), maxCalls: z.number(),
  mode: z.enum(['publicTrunk', 'registerOut', 'registerIn']),
  publicTrunk: z.object({ carrierHost: z.string(), carrierPort: z.number(), transport, trustedIps: z.array(z.string()) }).nullable(),
  registerOut: z.object({
    username: z.string(), authUsername: z.string().nullable(), server: z.string(), outboundProxy: z.string().nullable(), port: z.number(), transport,
    expires: z.number(), passwordSet: z.boolean(),
  }).nullable(),
  registerIn: z.object({ username: z.string(), password: z.string() }).nullable(),
  inboundExtension: z.string().nullable(), enabled: z.boolean(), createdAt: z.number(), updatedAt: z.number(),
  status: z.object({
    registration: Registration.nullable(), health: Health, activeCalls: z.number(),
    boxAddress: z.object({ udp: z.string().nullable(), tcp: z.string().nullable(), tls: z.string().nullable() }),
  }),
  numbers: z.array(z.object({ id: z.number(), number: z.string(), state: z.enum(['pending', 'effective']) })),
}).openapi('Channel');

const NumberSchema = z.object({
  id: z.number(), number: z.string(), channelId: z.number(), channelName: z.string(), sendPrefix: z.string(), state: z.enum(['pending', 'effective']),
  effectiveAt: z.number().nullable(), createdAt: z.number(), updatedAt: z.number(),
}).openapi('ChannelNumber');
const numberString = z.string().trim().refine((n) => NUMBER_RE.test(n.replace(/[\s-]/g, '')), NUMBER_MSG);
const prefix = z.string().regex(PREFIX_RE, PREFIX_MSG);
const NumberInput = z.object({ number: numberString, channelId: z.number().int().positive(), sendPrefix: prefix.optional() }).strict();
const NumberPatch = z.object({ channelId: z.number().int().positive(), sendPrefix: prefix }).partial().strict();
const NumberQuery = z.object({ channelId: z.coerce.number().int().positive().optional(), state: z.enum(['pending', 'effective']).optional() });
const RightsSchema = z.object({ extension: z.string(), outbound: z.boolean(), international: z.boolean() }).openapi('OutboundRights');
const RightsInput = z.object({ outbound: z.boolean(), international: z.boolean() }).strict();
const ExtParam = z.object({ extension: extension.openapi({ param: { name: 'extension', in: 'path' }, example: '1001' }) });

export function channelRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tel = (): Telephony => {
    const t = telephonyOf(deps.sip);
    if (!t) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'SIP channels are not running');
    return t;
  };
  /**
   * The carrier account's password (registerOut) is never returned: site IT typed it in from the carrier.
   * The gateway account's password (registerIn) is: site IT must type it into the gateway.
   */
  const view = (c: ChannelConfig) => {
    const t = tel();
    const runtime = t.trunks.channel(c.id);
    return {
      id: c.id, name: c.name, deviceType: c.deviceType, capacity: c.capacity, maxCalls: c.maxCalls, mode: c.mode,
      publicTrunk: c.mode === 'publicTrunk' ? c.publicTrunk : null,
      registerOut: c.mode === 'registerOut' ? { ...c.registerOut, passwordSet: c.password !== null } : null,
      registerIn: c.mode === 'registerIn' ? { username: c.registerIn.username, password: c.password ?? '' } : null,
      inboundExtension: c.inboundExtension, enabled: c.enabled, createdAt: c.createdAt, updatedAt: c.updatedAt,
      status: t.trunks.status(c.id),
      numbers: (runtime?.numbers ?? []).map((n) => ({ id: n.id, number: n.number, state: n.state })),
    };
  };
  /** The runtime follows the store asynchronously; a response waits until it has caught up. */
  const settled = async (): Promise<void> => tel().trunks.settled();

  app.openapi(createRoute({ method: 'get', path: '/channels', tags: ['channels'], responses: { 200: json(z.array(ChannelSchema), 'Channels with live state'), 403: errors[403] } }), async (c) =>
    c.json((await tel().store.list(actorOf(c))).map(view), 200),
  );
  app.openapi(createRoute({ method: 'post', path: '/channels', tags: ['channels'], request: body(ChannelInput), responses: { 201: json(ChannelSchema, 'Created'), ...errors } }), async (c) => {
    const created = await tel().store.create(actorOf(c), c.req.valid('json') as never);
    await settled();
    return c.json(view(created), 201);
  });
  app.openapi(createRoute({ method: 'get', path: '/channels/{id}', tags: ['channels'], request: { params: IdParam }, responses: { 200: json(ChannelSchema, 'The channel'), ...errors } }), async (c) =>
    c.json(view(await tel().store.get(actorOf(c), c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/channels/{id}', tags: ['channels'], request: { params: IdParam, ...body(ChannelPatch) }, responses: { 200: json(ChannelSchema, 'Updated'), ...errors } }),
    async (c) => {
      const updated = await tel().store.update(actorOf(c), c.req.valid('param').id, c.req.valid('json') as never);
      await settled();
      return c.json(view(updated), 200);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: '/channels/{id}', tags: ['channels'], request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await tel().store.remove(actorOf(c), c.req.valid('param').id);
    await settled();
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/channels/{id}/check', tags: ['channels'], request: { params: IdParam }, responses: { 200: json(ChannelSchema, 'Pinged now (OPTIONS); the channel with its health'), ...errors } }),
    async (c) => {
      const channel = await tel().store.get(actorOf(c), c.req.valid('param').id);
      await tel().trunks.check(channel.id);
      await settled();
      return c.json(view((await tel().store.load(channel.id)) ?? channel), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/numbers', tags: ['numbers'], request: { query: NumberQuery }, responses: { 200: json(z.array(NumberSchema), 'Numbers (bind them to IVR flows by number)'), 403: errors[403] } }),
    async (c) => c.json(await tel().store.listNumbers(actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(createRoute({ method: 'post', path: '/numbers', tags: ['numbers'], request: body(NumberInput), responses: { 201: json(NumberSchema, 'Added (pending until its line answers)'), ...errors } }), async (c) => {
    const n = await tel().store.createNumber(actorOf(c), c.req.valid('json'));
    await settled();
    return c.json(n, 201);
  });
  app.openapi(createRoute({ method: 'get', path: '/numbers/{id}', tags: ['numbers'], request: { params: IdParam }, responses: { 200: json(NumberSchema, 'The number'), ...errors } }), async (c) =>
    c.json(await tel().store.getNumber(actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/numbers/{id}', tags: ['numbers'], request: { params: IdParam, ...body(NumberPatch) }, responses: { 200: json(NumberSchema, 'Updated'), ...errors } }),
    async (c) => {
      const n = await tel().store.updateNumber(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      await settled();
      return c.json(n, 200);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: '/numbers/{id}', tags: ['numbers'], request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await tel().store.removeNumber(actorOf(c), c.req.valid('param').id);
    await settled();
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/numbers/{id}/activate', tags: ['numbers'], request: { params: IdParam }, responses: { 200: json(NumberSchema, 'Effective'), ...errors } }),
    async (c) => {
      const n = await tel().store.activateNumber(actorOf(c), c.req.valid('param').id);
      await settled();
      return c.json(n, 200);
    },
  );

  app.openapi(createRoute({ method: 'get', path: '/outbound-rights', tags: ['phones'], responses: { 200: json(z.array(RightsSchema), 'Outbound rights per extension'), 403: errors[403] } }), async (c) =>
    c.json(await tel().store.listRights(actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/outbound-rights/{extension}', tags: ['phones'], request: { params: ExtParam, ...body(RightsInput) }, responses: { 200: json(RightsSchema, 'Set'), ...errors } }),
    async (c) => c.json(await tel().store.setRights(actorOf(c), c.req.valid('param').extension, c.req.valid('json')), 200),
  );
  return app;
}
