// /phones (SIP 话机与内线号码) with live registration state, /sip/bans (the SIP defences' bans), /sip/status.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { EXTENSION_MSG, EXTENSION_RE, hasPermission, isStrongSipPassword, PASSWORD_MSG, requirePermission, type Phone } from '../../directory/index.ts';
import { CcboxError, notFound } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const extension = z.string().trim().regex(EXTENSION_RE, EXTENSION_MSG);
const password = z.string().refine(isStrongSipPassword, PASSWORD_MSG);
const phoneName = z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)');
const BindingInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('skillGroup'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('none') }),
]);
const NewPhoneInput = z.object({ extension, name: phoneName, password: password.optional(), binding: BindingInput.optional() }).strict();
const PhonePatch = z.object({ extension, name: phoneName, binding: BindingInput }).partial().strict();
const ResetInput = z.object({ password: password.optional() }).strict();

const Contact = z.object({
  contact: z.string(),
  transport: z.enum(['udp', 'tcp', 'tls']),
  address: z.string(),
  userAgent: z.string(),
  expiresAt: z.number(),
  expiresIn: z.number(),
  registeredAt: z.number(),
});
const PhoneSchema = z
  .object({
    id: z.number(),
    extension: z.string(),
    name: z.string(),
    password: z.string(),
    binding: z
      .union([
        z.object({ kind: z.literal('agent'), id: z.number(), name: z.string(), staffNo: z.string().nullable() }),
        z.object({ kind: z.literal('skillGroup'), id: z.number(), name: z.string() }),
      ])
      .nullable(),
    registration: z.object({ state: z.enum(['registered', 'unregistered']), contacts: z.array(Contact) }),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi('Phone');
const BanSchema = z
  .object({ key: z.string(), kind: z.enum(['ip', 'user']), value: z.string(), reason: z.enum(['rate-limit', 'auth-failures']), since: z.number(), expiresAt: z.number(), lastIp: z.string() })
  .openapi('SipBan');
const StatusSchema = z.object({
  realm: z.string(),
  listening: z.array(z.object({ transport: z.enum(['udp', 'tcp', 'tls']), ip: z.string(), port: z.number() })),
  registeredContacts: z.number(),
});
const KeyParam = z.object({ key: z.string().min(3).openapi({ param: { name: 'key', in: 'path' }, example: 'ip:192.0.2.10' }) });

export function sipRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const { phones } = deps.directory;
  const sip = () => {
    if (!deps.sip) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'SIP is not running');
    return deps.sip;
  };
  const withState = (p: Phone) => {
    const contacts = deps.sip?.registrations(p.extension) ?? [];
    return { ...p, registration: { state: contacts.length ? ('registered' as const) : ('unregistered' as const), contacts } };
  };

  app.openapi(createRoute({ method: 'get', path: '/phones', tags: ['phones'], responses: { 200: json(z.array(PhoneSchema), 'Phones with registration state'), 403: errors[403] } }), async (c) =>
    c.json((await phones.list(actorOf(c))).map(withState), 200),
  );
  app.openapi(createRoute({ method: 'post', path: '/phones', tags: ['phones'], request: body(NewPhoneInput), responses: { 201: json(PhoneSchema, 'Created; the password is shown'), ...errors } }), async (c) =>
    c.json(withState(await phones.create(actorOf(c), c.req.valid('json'))), 201),
  );
  app.openapi(createRoute({ method: 'get', path: '/phones/{id}', tags: ['phones'], request: { params: IdParam }, responses: { 200: json(PhoneSchema, 'The phone'), ...errors } }), async (c) =>
    c.json(withState(await phones.get(actorOf(c), c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/phones/{id}', tags: ['phones'], request: { params: IdParam, ...body(PhonePatch) }, responses: { 200: json(PhoneSchema, 'Updated'), ...errors } }),
    async (c) => c.json(withState(await phones.update(actorOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/phones/{id}', tags: ['phones'], request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await phones.remove(actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({
      method: 'post', path: '/phones/{id}/reset-password', tags: ['phones'],
      request: { params: IdParam, body: { content: { 'application/json': { schema: ResetInput } }, required: false } },
      responses: { 200: json(PhoneSchema, 'The phone with its new password'), ...errors },
    }),
    async (c) => {
      const input = (c.req.valid('json') as z.infer<typeof ResetInput> | undefined) ?? {};
      return c.json(withState(await phones.resetPassword(actorOf(c), c.req.valid('param').id, input.password)), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/phones/{id}/binding', tags: ['phones'], request: { params: IdParam, ...body(BindingInput) }, responses: { 200: json(PhoneSchema, 'Bound'), ...errors } }),
    async (c) => c.json(withState(await phones.setBinding(actorOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  app.openapi(createRoute({ method: 'get', path: '/sip/bans', tags: ['sip'], responses: { 200: json(z.array(BanSchema), 'Current bans'), 403: errors[403] } }), (c) => {
    requirePermission(actorOf(c), 'settings');
    return c.json(sip().listBans(), 200);
  });
  app.openapi(createRoute({ method: 'delete', path: '/sip/bans/{key}', tags: ['sip'], request: { params: KeyParam }, responses: { ...NoContent, ...errors } }), (c) => {
    const actor = actorOf(c);
    requirePermission(actor, 'settings');
    if (!sip().liftBan(c.req.valid('param').key, `user ${actor.userId}`)) throw notFound('ban');
    return c.body(null, 204);
  });
  app.openapi(createRoute({ method: 'get', path: '/sip/status', tags: ['sip'], responses: { 200: json(StatusSchema, 'Signalling addresses'), 403: errors[403] } }), (c) => {
    const actor = actorOf(c);
    if (!hasPermission(actor, 'phones') && !hasPermission(actor, 'channels')) requirePermission(actor, 'settings');
    const s = sip();
    return c.json({ realm: s.auth.realm, listening: s.transport.listening, registeredContacts: s.location.size }, 200);
  });
  return app;
}
