// /ivr (电话呼入 IVR 管理): flows, versions, validation, number bindings, prompt files (放音文件管理),
// hot words (热词), the simulator, and the catalog the canvas draws its palette from. Permission `ivr`.
import { readFile } from 'node:fs/promises';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../directory/index.ts';
import {
  FLOW_KINDS, FLOW_KIND_ZH, hotWordListInput, IvrService, MAX_HOT_WORD_IMPORT_BYTES, MAX_PROMPT_BYTES, NODE_SPECS, NODE_TYPES,
  OUTCOME_CHOICES, SYSTEM_VARIABLES, TEMPLATES,
} from '../../ivr/index.ts';
import { speechSettingsInput } from '../../ivr/speech/index.ts';
import { decodeG711, pcmToBytesLE, readWav, writeWav } from '../../media/codec/index.ts';
import { CcboxError, validationError } from '../../platform/errors.ts';
import { actorOf } from '../auth.ts';
import { body, errors, IdParam, json, NoContent } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';

const tag = ['ivr'];
const AUDIO_TYPES = ['audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];

const VersionParam = IdParam.extend({
  version: z.string().regex(/^(MAIN|[1-9][0-9]{0,5})$/, '版本为 MAIN 或数字 (MAIN or a number)').openapi({ param: { name: 'version', in: 'path' }, example: 'MAIN' }),
});
const NumberParam = z.object({
  number: z.string().regex(/^\+?[0-9]{3,20}$/, '号码只能是 3–20 位数字，可带 + (3–20 digits, optional +)').openapi({ param: { name: 'number', in: 'path' }, example: '02088880000' }),
});
const PromptIdParam = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const SessionParam = IdParam.extend({ sessionId: z.string().uuid().openapi({ param: { name: 'sessionId', in: 'path' } }) });

const UsedBy = z.array(z.object({ flowId: z.number(), flowName: z.string(), versions: z.array(z.string()) }));
const Version = z
  .object({
    version: z.string(),
    basedOn: z.string().nullable(),
    note: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
    published: z.object({ revision: z.number(), publishedAt: z.number() }).nullable(),
    unpublishedChanges: z.boolean(),
  })
  .openapi('IvrVersion');
const Flow = z
  .object({
    id: z.number(),
    name: z.string(),
    kind: z.enum(FLOW_KINDS),
    description: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
    versions: z.array(Version),
    bindings: z.array(z.object({ number: z.string(), version: z.string() })),
  })
  .openapi('IvrFlow');
const Definition = z.any().openapi({ description: 'Flow definition: {variables:[{name,default}], nodes:[{id (26-char ULID), type, label, params, outlets:{name: nodeId}, position}]}' });
const VersionView = Version.extend({ flowId: z.number(), flowName: z.string(), kind: z.enum(FLOW_KINDS), definition: Definition }).openapi('IvrVersionView');
const Issue = z.object({ nodeId: z.string().nullable(), field: z.string(), message: z.string() });
const Validation = z.object({ ok: z.boolean(), errors: z.array(Issue), warnings: z.array(Issue) }).openapi('IvrValidation');
const Binding = z.object({ number: z.string(), flowId: z.number(), flowName: z.string(), version: z.string(), updatedAt: z.number() }).openapi('IvrBinding');
const Prompt = z
  .object({ id: z.string(), name: z.string(), originalName: z.string(), durationMs: z.number(), sizeBytes: z.number(), uploadedBy: z.number().nullable(), createdAt: z.number(), updatedAt: z.number(), usedBy: UsedBy })
  .openapi('IvrPrompt');
const HotWordList = z
  .object({ id: z.number(), name: z.string(), words: z.array(z.object({ word: z.string(), weight: z.number() })), createdAt: z.number(), updatedAt: z.number(), usedBy: UsedBy })
  .openapi('IvrHotWordList');
const Simulation = z
  .object({
    sessionId: z.string(),
    flowId: z.number(),
    flowName: z.string(),
    version: z.string(),
    lines: z.array(z.object({ at: z.number(), kind: z.string(), text: z.string() })),
    waitingFor: z.any().nullable(),
    ended: z.boolean(),
    end: z.any().nullable(),
    variables: z.record(z.string(), z.string()),
    trace: z.any(),
  })
  .openapi('IvrSimulation');

const NewFlow = z.object({
  name: z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)'),
  kind: z.enum(FLOW_KINDS).default('inbound'),
  description: z.string().max(200).optional(),
  template: z.enum(TEMPLATES.map((t) => t.key) as [string, ...string[]]).optional(),
  skillGroupId: z.number().int().positive().optional(),
  definition: z.unknown().optional(),
});
const FlowPatch = z.object({ name: NewFlow.shape.name.optional(), description: z.string().max(200).optional() });
const SaveVersion = z.object({ definition: z.unknown(), note: z.string().max(200).optional() });
const NewVersion = z.object({ from: z.string().regex(/^(MAIN|[1-9][0-9]{0,5})$/).default('MAIN'), note: z.string().max(200).default('') });
const ValidateInput = z.object({ definition: z.unknown().optional(), version: z.string().optional() });
const BindInput = z.object({ flowId: z.number().int().positive(), version: z.string().regex(/^(MAIN|[1-9][0-9]{0,5})$/).default('MAIN') });
const SimStart = z.object({
  version: z.string().regex(/^(MAIN|[1-9][0-9]{0,5})$/).default('MAIN'),
  from: z.enum(['draft', 'published']).default('draft'),
  callerNumber: z.string().regex(/^\+?[0-9]{3,20}$/).optional(),
  calleeNumber: z.string().regex(/^\+?[0-9]{3,20}$/).optional(),
  variables: z.record(z.string(), z.string().max(4000)).optional(),
  speech: z.boolean().optional(),
});
const SimStep = z
  .object({
    digits: z.string().regex(/^[0-9*#]{1,32}$/, '按键只能是 0–9 * # (keys 0–9 * #)').optional(),
    speech: z.string().max(200).optional(),
    timeout: z.boolean().optional(),
    outcome: z.string().max(32).optional(),
    staffNo: z.string().max(32).optional(),
    seconds: z.number().int().min(0).max(3600).optional(),
    to: z.string().max(64).optional(),
    hangup: z.boolean().optional(),
  })
  .refine((s) => [s.digits, s.speech, s.timeout, s.outcome, s.hangup].filter((x) => x !== undefined && x !== false).length === 1, {
    message: '每步只能给出一种输入: digits、speech、timeout、outcome 或 hangup (exactly one input per step)',
    path: ['digits'],
  });

const SpeechSettingsView = z
  .object({
    asrEngine: z.enum(['auto', 'local', 'tencent']),
    ttsEngine: z.enum(['local', 'tencent']),
    tencent: z.object({ appId: z.string(), region: z.string(), asrModel: z.string(), ttsVoiceZh: z.number(), ttsVoiceEn: z.number(), secretIdHint: z.string(), secretKeySet: z.boolean() }).nullable(),
  })
  .openapi('IvrSpeechSettings');
const TtsPreview = z.object({
  text: z.string().trim().min(1, '不能为空 (required)').max(2000, '最长 2000 个字符 (at most 2000 characters)'),
  voice: z.enum(['cmn', 'en']).default('cmn'),
});

export function ivrRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const ivr = new IvrService({ db: deps.db, dataDir: deps.config.dataDir, log: deps.log });
  // Prompt users registered with the call center's library (通话设置) guard deletes made here too.
  const users = deps.callCenter?.ivr.prompts;
  if (users) ivr.prompts.addUsers((id) => users.usedElsewhere(id));
  app.use('/ivr/*', async (c, next) => {
    requirePermission(actorOf(c), 'ivr');
    await next();
  });
  const uid = (c: Parameters<typeof actorOf>[0]): number => actorOf(c).userId;

  app.openapi(createRoute({ method: 'get', path: '/ivr/catalog', tags: tag, summary: 'Palette and choices for the canvas', responses: { 200: json(z.any(), 'Catalog'), ...errors } }), async (c) => {
    const nodeTypes = NODE_TYPES.map((t) => ({ type: t, zh: NODE_SPECS[t].zh, en: NODE_SPECS[t].en, kinds: NODE_SPECS[t].kinds ?? FLOW_KINDS }));
    const groups = await deps.db.all<{ id: number; name: string }>('SELECT id, name FROM skill_groups ORDER BY id');
    const prompts = (await ivr.prompts.list()).map((p) => ({ id: p.id, name: p.name, durationMs: p.durationMs }));
    const hotWordLists = (await ivr.hotWords.list()).map((h) => ({ id: h.id, name: h.name }));
    const kinds = FLOW_KINDS.map((k) => ({ key: k, zh: FLOW_KIND_ZH[k] }));
    return c.json({ nodeTypes, systemVariables: SYSTEM_VARIABLES, templates: TEMPLATES, kinds, skillGroups: groups, prompts, hotWordLists, simulatorOutcomes: OUTCOME_CHOICES }, 200);
  });

  // ---- flows and versions ----
  app.openapi(createRoute({ method: 'get', path: '/ivr/flows', tags: tag, responses: { 200: json(z.array(Flow), 'Flows'), ...errors } }), async (c) => c.json(await ivr.flows.list(), 200));
  app.openapi(createRoute({ method: 'post', path: '/ivr/flows', tags: tag, summary: '新建 IVR (empty, from a template, or a given definition)', request: body(NewFlow), responses: { 201: json(Flow, 'Created'), ...errors } }), async (c) => {
    const v = c.req.valid('json');
    return c.json(await ivr.createFlow({ ...v, template: v.template as never }, uid(c)), 201);
  });
  app.openapi(createRoute({ method: 'get', path: '/ivr/flows/{id}', tags: tag, request: { params: IdParam }, responses: { 200: json(Flow, 'The flow'), ...errors } }), async (c) =>
    c.json(await ivr.flows.get(c.req.valid('param').id), 200),
  );
  app.openapi(createRoute({ method: 'patch', path: '/ivr/flows/{id}', tags: tag, request: { params: IdParam, ...body(FlowPatch) }, responses: { 200: json(Flow, 'Updated'), ...errors } }), async (c) => {
    const id = c.req.valid('param').id;
    await ivr.flows.update(id, c.req.valid('json'));
    return c.json(await ivr.flows.get(id), 200);
  });
  app.openapi(createRoute({ method: 'delete', path: '/ivr/flows/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await ivr.flows.remove(c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/flows/{id}/validate', tags: tag, summary: 'Validate a definition (or a saved version) without saving', request: { params: IdParam, ...body(ValidateInput) }, responses: { 200: json(Validation, 'Problems, each pointing at a node and field'), ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const v = c.req.valid('json');
      const flow = await ivr.flows.get(id);
      const definition = v.definition !== undefined ? v.definition : (await ivr.flows.getVersion(id, v.version ?? 'MAIN')).definition;
      const r = await ivr.validate(flow.kind, definition);
      return c.json({ ok: r.ok, errors: r.errors, warnings: r.warnings }, 200);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/flows/{id}/versions', tags: tag, request: { params: IdParam }, responses: { 200: json(z.array(Version), 'Versions'), ...errors } }), async (c) =>
    c.json((await ivr.flows.get(c.req.valid('param').id)).versions, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/flows/{id}/versions', tags: tag, summary: '新建版本 from an existing version, with a note', request: { params: IdParam, ...body(NewVersion) }, responses: { 201: json(VersionView, 'Created'), ...errors } }),
    async (c) => {
      const v = c.req.valid('json');
      return c.json(await ivr.createVersion(c.req.valid('param').id, v.from, v.note, uid(c)), 201);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/flows/{id}/versions/{version}', tags: tag, request: { params: VersionParam }, responses: { 200: json(VersionView, 'The version'), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(await ivr.flows.getVersion(p.id, p.version), 200);
  });
  app.openapi(
    createRoute({ method: 'put', path: '/ivr/flows/{id}/versions/{version}', tags: tag, summary: 'Save (validated; 400 names the node)', request: { params: VersionParam, ...body(SaveVersion) }, responses: { 200: json(VersionView, 'Saved'), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const v = c.req.valid('json');
      return c.json(await ivr.saveVersion(p.id, p.version, v.definition, uid(c), v.note), 200);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: '/ivr/flows/{id}/versions/{version}', tags: tag, request: { params: VersionParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    const p = c.req.valid('param');
    await ivr.flows.removeVersion(p.id, p.version);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/flows/{id}/versions/{version}/publish', tags: tag, summary: '发布: freeze the saved definition as the next revision', request: { params: VersionParam }, responses: { 200: json(VersionView, 'Published'), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await ivr.publish(p.id, p.version, uid(c)), 200);
    },
  );

  // ---- number bindings ----
  app.openapi(createRoute({ method: 'get', path: '/ivr/bindings', tags: tag, responses: { 200: json(z.array(Binding), 'Number → flow/version'), ...errors } }), async (c) => c.json(await ivr.flows.bindings(), 200));
  app.openapi(
    createRoute({ method: 'put', path: '/ivr/bindings/{number}', tags: tag, summary: 'Bind a number to a published flow version', request: { params: NumberParam, ...body(BindInput) }, responses: { 200: json(Binding, 'Bound'), ...errors } }),
    async (c) => {
      const v = c.req.valid('json');
      return c.json(await ivr.bind(c.req.valid('param').number, v.flowId, v.version, uid(c)), 200);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: '/ivr/bindings/{number}', tags: tag, request: { params: NumberParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await ivr.flows.unbind(c.req.valid('param').number);
    return c.body(null, 204);
  });

  // ---- prompt files ----
  app.openapi(createRoute({ method: 'get', path: '/ivr/prompts', tags: tag, responses: { 200: json(z.array(Prompt), 'Prompt files'), ...errors } }), async (c) => c.json(await ivr.prompts.list(), 200));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/ivr/prompts',
      tags: tag,
      summary: 'Upload an mp3/wav (≤ 5 MB) as the raw body; converted to 8 kHz G.711',
      request: {
        query: z.object({ name: z.string().min(1).max(64), fileName: z.string().max(200).optional() }),
        body: { content: Object.fromEntries(AUDIO_TYPES.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])), required: true },
      },
      responses: { 201: json(Prompt, 'Converted and stored'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!AUDIO_TYPES.includes(type)) throw validationError('content-type', '只支持 mp3 或 wav 文件 (content-type must be audio/mpeg or audio/wav)');
      if (Number(c.req.header('content-length') ?? 0) > MAX_PROMPT_BYTES) throw validationError('file', '文件超过 5 MB (file larger than 5 MB)');
      const data = Buffer.from(await c.req.arrayBuffer());
      return c.json(await ivr.prompts.upload(q.name.trim(), q.fileName ?? q.name, data, uid(c)), 201);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/prompts/{id}', tags: tag, request: { params: PromptIdParam }, responses: { 200: json(Prompt, 'The prompt'), ...errors } }), async (c) =>
    c.json(await ivr.prompts.get(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/ivr/prompts/{id}/audio', tags: tag, summary: 'The converted audio (8 kHz A-law WAV) for 试听 and download', request: { params: PromptIdParam }, responses: { 200: { description: 'audio/wav' }, ...errors } }),
    async (c) => {
      const p = await ivr.prompts.get(c.req.valid('param').id);
      const data = await readFile(ivr.prompts.path(p.id));
      c.header('content-type', 'audio/wav');
      c.header('content-disposition', `inline; filename="prompt.wav"; filename*=UTF-8''${encodeURIComponent(p.name)}.wav`);
      return c.body(new Uint8Array(data), 200);
    },
  );
  app.openapi(createRoute({ method: 'patch', path: '/ivr/prompts/{id}', tags: tag, request: { params: PromptIdParam, ...body(z.object({ name: z.string().trim().min(1).max(64) })) }, responses: { 200: json(Prompt, 'Renamed'), ...errors } }), async (c) =>
    c.json(await ivr.prompts.rename(c.req.valid('param').id, c.req.valid('json').name), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/ivr/prompts/{id}', tags: tag, summary: 'Delete (409 naming the flows and call settings while one uses it)', request: { params: PromptIdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await ivr.prompts.remove(c.req.valid('param').id);
    return c.body(null, 204);
  });

  // ---- hot words ----
  app.openapi(createRoute({ method: 'get', path: '/ivr/hot-words', tags: tag, responses: { 200: json(z.array(HotWordList), 'Hot-word lists'), ...errors } }), async (c) => c.json(await ivr.hotWords.list(), 200));
  app.openapi(createRoute({ method: 'post', path: '/ivr/hot-words', tags: tag, request: body(hotWordListInput), responses: { 201: json(HotWordList, 'Created'), ...errors } }), async (c) =>
    c.json(await ivr.hotWords.create(c.req.valid('json')), 201),
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/hot-words/{id}', tags: tag, request: { params: IdParam }, responses: { 200: json(HotWordList, 'The list'), ...errors } }), async (c) =>
    c.json(await ivr.hotWords.get(c.req.valid('param').id), 200),
  );
  app.openapi(createRoute({ method: 'patch', path: '/ivr/hot-words/{id}', tags: tag, request: { params: IdParam, ...body(hotWordListInput.partial()) }, responses: { 200: json(HotWordList, 'Updated'), ...errors } }), async (c) =>
    c.json(await ivr.hotWords.update(c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/ivr/hot-words/{id}', tags: tag, request: { params: IdParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await ivr.hotWords.remove([c.req.valid('param').id]);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/hot-words/batch-delete', tags: tag, request: body(z.object({ ids: z.array(z.number().int().positive()).min(1).max(100) })), responses: { ...NoContent, ...errors } }),
    async (c) => {
      await ivr.hotWords.remove(c.req.valid('json').ids);
      return c.body(null, 204);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/hot-words/{id}/export', tags: tag, summary: 'Download as word|weight lines', request: { params: IdParam }, responses: { 200: { description: 'text/plain' }, ...errors } }), async (c) => {
    const list = await ivr.hotWords.get(c.req.valid('param').id);
    c.header('content-type', 'text/plain; charset=utf-8');
    c.header('content-disposition', `attachment; filename="hot-words.txt"; filename*=UTF-8''${encodeURIComponent(list.name)}.txt`);
    return c.body(ivr.hotWords.exportFile(list), 200);
  });
  app.openapi(
    createRoute({
      method: 'put',
      path: '/ivr/hot-words/{id}/import',
      tags: tag,
      summary: 'Replace the words from a .txt of word|weight lines (≤ 100 KB); any bad line → 422 with rows, nothing replaced',
      request: { params: IdParam, body: { content: { 'text/plain': { schema: z.string() } }, required: true } },
      responses: { 200: json(HotWordList, 'Replaced'), ...errors },
    }),
    async (c) => {
      const buf = Buffer.from(await c.req.arrayBuffer());
      if (buf.length > MAX_HOT_WORD_IMPORT_BYTES) throw validationError('file', '文件超过 100 KB (file larger than 100 KB)');
      return c.json(await ivr.hotWords.importFile(c.req.valid('param').id, buf.toString('utf8')), 200);
    },
  );

  // ---- speech (语音设置) and TTS preview (点击试听) ----
  const speech = () => {
    if (!deps.speech) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'speech is not available on this server');
    return deps.speech;
  };
  app.openapi(createRoute({ method: 'get', path: '/ivr/speech/settings', tags: tag, summary: 'ASR/TTS engines and the Tencent Cloud account (secrets never returned)', responses: { 200: json(SpeechSettingsView, 'Settings'), ...errors } }), async (c) =>
    c.json(await speech().settings.view(), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/ivr/speech/settings', tags: tag, summary: 'Set engines and the Tencent Cloud account (SecretId/SecretKey sealed with the box key; omitted = kept)', request: body(speechSettingsInput), responses: { 200: json(SpeechSettingsView, 'Saved'), ...errors } }),
    async (c) => {
      const view = await speech().settings.set(c.req.valid('json'));
      deps.log.info({ userId: uid(c), asrEngine: view.asrEngine, ttsEngine: view.ttsEngine, tencent: view.tencent ? view.tencent.appId : null }, 'speech settings changed');
      return c.json(view, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/tts/preview', tags: tag, summary: '点击试听: the text rendered by the box\'s TTS (cached), as an 8 kHz 16-bit WAV', request: body(TtsPreview), responses: { 200: { description: 'audio/wav' }, ...errors } }),
    async (c) => {
      const v = c.req.valid('json');
      // ${variables} have no values outside a call: they are left out, as a call would with an unset one.
      const text = v.text.replace(/\$\{[A-Za-z_][A-Za-z0-9_.]*\}/g, '').trim();
      if (!text) throw validationError('text', '只有变量，没有可朗读的文字 (nothing to speak besides variables)');
      const r = await speech().preview(text, v.voice);
      // The cached prompt is 8 kHz A-law (what calls play); browsers decode 16-bit PCM WAV, not A-law.
      const { data } = readWav(await readFile(r.path));
      const pcm = decodeG711('pcma', data);
      const bytes = new Uint8Array(pcm.length * 2);
      pcmToBytesLE(pcm, bytes);
      c.header('content-type', 'audio/wav');
      c.header('cache-control', 'private, max-age=3600');
      return c.body(new Uint8Array(writeWav('pcm16', 1, 8000, bytes)), 200);
    },
  );

  // ---- simulator ----
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/flows/{id}/simulate', tags: tag, summary: 'Start a simulated call (default: the MAIN draft)', request: { params: IdParam, ...body(SimStart) }, responses: { 201: json(Simulation, 'First transcript and what the flow waits for'), ...errors } }),
    async (c) => c.json(await ivr.simulate(c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/ivr/flows/{id}/simulate/{sessionId}', tags: tag, summary: 'Send keys, speech, a timeout, an outcome or a hang-up', request: { params: SessionParam, ...body(SimStep) }, responses: { 200: json(Simulation, 'Next transcript'), ...errors } }),
    async (c) => c.json(await simulation(c.req.valid('param'), (id) => ivr.simulator.step(id, c.req.valid('json'))), 200),
  );
  app.openapi(createRoute({ method: 'get', path: '/ivr/flows/{id}/simulate/{sessionId}', tags: tag, request: { params: SessionParam }, responses: { 200: json(Simulation, 'Current state'), ...errors } }), async (c) =>
    c.json(await simulation(c.req.valid('param'), (id) => ivr.simulator.view(id)), 200),
  );
  app.openapi(createRoute({ method: 'delete', path: '/ivr/flows/{id}/simulate/{sessionId}', tags: tag, request: { params: SessionParam }, responses: { ...NoContent, ...errors } }), async (c) => {
    await simulation(c.req.valid('param'), async (id) => ivr.simulator.close(id));
    return c.body(null, 204);
  });

  /** A session is addressed through its flow: another flow's ID does not reach it. */
  async function simulation<T>(p: { id: number; sessionId: string }, fn: (sessionId: string) => Promise<T>): Promise<T> {
    const view = await ivr.simulator.view(p.sessionId);
    if (view.flowId !== p.id) throw new CcboxError('CCBOX_ERR_NOT_FOUND', 'simulator session not found');
    return fn(p.sessionId);
  }
  return app;
}
