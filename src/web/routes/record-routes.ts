// 服务记录: the call records with the manual's filters and paging, one record's detail, its recording and
// voicemail (streamed, with Range for in-browser playback), remarks and the CSV export. Permission `records`
// (rows limited to the role's skill-group scope); an agent with only the workbench sees their own calls.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { hasPermission, requirePermission, type Actor } from '../../directory/index.ts';
import { CcboxError, forbidden } from '../../platform/errors.ts';
import {
  csvExport, END_STATUS_CODES, END_STATUSES, loadRetention, retentionSchema, saveRetention, type RecordFilter, type RecordReader, type RecordStore,
} from '../../records/index.ts';
import { actorOf } from '../auth.ts';
import { body, errors, json } from '../schemas.ts';
import type { AppEnv, WebDeps } from '../web-types.ts';
import { protectRecord, protectRecords, protectRecordStream } from '../../privacy/index.ts';

const tag = ['records'];

const RecordIdParam = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const Filter = z.object({
  from: z.coerce.number().int().min(0).optional().openapi({ description: 'Start time ≥ (epoch ms)' }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: 'Start time < (epoch ms)' }),
  caller: z.string().max(32).optional(),
  callee: z.string().max(32).optional(),
  agentId: z.coerce.number().int().positive().optional(),
  staffNo: z.string().max(32).optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  skillGroupId: z.coerce.number().int().positive().optional(),
  remark: z.string().max(100).optional(),
  endStatus: z.enum(END_STATUS_CODES as [string, ...string[]]).optional(),
  voicemail: z.enum(['true', 'false']).transform((v) => v === 'true').optional().openapi({ description: 'true: only records with a voicemail (语音信箱)' }),
});
/** The manual lists these under outbound calls (正常结束 is both: listed with inbound). */
const OUTBOUND_STATUSES = new Set<string>(['unknown', 'noAnswer', 'rejected', 'poweredOff', 'unallocated', 'busy', 'arrears', 'networkFailure', 'callerCancelled', 'outOfService']);
const Paging = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) });

const RecordRow = z
  .object({
    id: z.string(),
    startedAt: z.number(),
    endedAt: z.number(),
    direction: z.string(),
    caller: z.string(),
    callee: z.string(),
    number: z.string().nullable(),
    agentId: z.number().nullable(),
    agentName: z.string().nullable(),
    staffNo: z.string().nullable(),
    agentDevice: z.string().nullable(),
    skillGroupId: z.number().nullable(),
    skillGroupName: z.string().nullable(),
    endStatus: z.string(),
    endStatusText: z.string(),
    endCause: z.string().nullable(),
    hangupSide: z.string().nullable(),
    ringMs: z.number(),
    talkMs: z.number(),
    totalMs: z.number(),
    queueMs: z.number(),
    ivrKeys: z.string(),
    satisfaction: z.object({ key: z.string().nullable(), label: z.string().nullable() }).nullable(),
    /** none: no survey; offered: the survey ran but the customer gave no valid key (未评价); answered: see satisfaction. */
    surveyStatus: z.enum(['none', 'offered', 'answered']),
    remark: z.string(),
    recording: z.object({ durationMs: z.number(), channels: z.number() }).nullable(),
    voicemail: z.object({ durationMs: z.number() }).nullable(),
  })
  .openapi('CallRecord');
const RecordDetail = RecordRow.extend({ detail: z.any() }).openapi('CallRecordDetail');
const Page = z.object({ items: z.array(RecordRow), total: z.number(), page: z.number(), pageSize: z.number() }).openapi('CallRecordPage');

/** Who reads which rows: `records` within the role's scope; a workbench-only agent their own calls. */
export function readerOf(actor: Actor): RecordReader {
  if (hasPermission(actor, 'records')) return { scope: actor.scope, ownAgentId: null };
  if (hasPermission(actor, 'workbench')) return { scope: [], ownAgentId: actor.userId };
  throw forbidden('this account has no permission for records');
}

/** Streams a file, honouring a single `Range: bytes=a-b` (audio elements seek with it). */
function sendFile(c: Context<AppEnv>, file: { path: string; bytes: number }, type: string, name: string): Response {
  const size = file.bytes;
  const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
  let start = 0;
  let end = size - 1;
  let status: 200 | 206 = 200;
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
    if (start > end || start >= size) return c.body(null, 416, { 'content-range': `bytes */${size}` });
    status = 206;
  }
  const stream = Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>;
  c.header('content-type', type);
  c.header('accept-ranges', 'bytes');
  c.header('content-length', String(end - start + 1));
  c.header('content-disposition', `inline; filename="${name}"`);
  if (status === 206) c.header('content-range', `bytes ${start}-${end}/${size}`);
  return c.body(stream, status);
}

export function recordRoutes(deps: WebDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const store = (): RecordStore => {
    if (!deps.callCenter) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'calls are not running');
    return deps.callCenter.records;
  };
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  // /records/calls is the name for the same list (the console's 服务记录 tab beside 语音信箱).
  for (const path of ['/records', '/records/calls']) {
    app.openapi(
      createRoute({ method: 'get', path, tags: tag, summary: '服务记录 with the manual’s filters, newest first', request: { query: Filter.merge(Paging) }, responses: { 200: json(Page, 'One page of records in the reader’s scope'), ...errors } }),
      async (c) => {
        const actor = actorOf(c);
        const page = await store().list(readerOf(actor), c.req.valid('query') as RecordFilter);
        return c.json({ ...page, items: await protectRecords(deps.privacy, actor, page.items) } as never, 200);
      },
    );
  }
  app.openapi(
    createRoute({
      method: 'get', path: '/records/end-statuses', tags: tag, summary: 'The manual’s 接入状态 (end statuses) for the filter',
      responses: { 200: json(z.array(z.object({ code: z.string(), zh: z.string(), direction: z.enum(['inbound', 'outbound']) })), 'End statuses'), ...errors },
    }),
    async (c) => {
      readerOf(actorOf(c));
      return c.json(END_STATUS_CODES.map((code) => ({ code, zh: END_STATUSES[code], direction: OUTBOUND_STATUSES.has(code) ? 'outbound' as const : 'inbound' as const })), 200);
    },
  );
  // 录音保存期限: before /records/{id}, which would take `retention` for an id.
  app.openapi(
    createRoute({ method: 'get', path: '/records/retention', tags: tag, summary: 'How long records and recordings are kept (days; 0 = forever)', responses: { 200: json(retentionSchema, 'Retention'), ...errors } }),
    async (c) => {
      requirePermission(actorOf(c), 'settings');
      return c.json(await loadRetention(deps.db), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/records/retention', tags: tag, summary: 'Set the retention; the daily job deletes older rows and files in small batches', request: body(retentionSchema), responses: { 200: json(retentionSchema, 'Saved'), ...errors } }),
    async (c) => {
      requirePermission(actorOf(c), 'settings');
      await saveRetention(deps.db, c.req.valid('json'));
      return c.json(await loadRetention(deps.db), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/records/export.csv', tags: tag, summary: 'The filtered records as CSV (UTF-8 with BOM)', request: { query: Filter }, responses: { 200: { description: 'text/csv' }, ...errors } }),
    async (c) => {
      const actor = actorOf(c);
      const rows = protectRecordStream(deps.privacy, actor, store().each(readerOf(actor), c.req.valid('query') as Omit<RecordFilter, 'page' | 'pageSize'>));
      const stream = Readable.toWeb(Readable.from(csvExport(rows, timeZone))) as ReadableStream<Uint8Array>;
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', 'attachment; filename="call-records.csv"');
      return c.body(stream, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/records/{id}', tags: tag, summary: '查看详情: legs, IVR path, queue, offers, transfers, timings', request: { params: RecordIdParam }, responses: { 200: json(RecordDetail, 'The record'), ...errors } }),
    async (c) => {
      const actor = actorOf(c);
      return c.json((await protectRecord(deps.privacy, actor, await store().get(readerOf(actor), c.req.valid('param').id))) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'patch', path: '/records/{id}', tags: tag, summary: 'Edit the remark (备注)',
      request: { params: RecordIdParam, ...body(z.object({ remark: z.string().max(200, '最长 200 个字符 (at most 200 characters)') }).strict()) },
      responses: { 200: json(RecordDetail, 'The record'), ...errors },
    }),
    async (c) => {
      const actor = actorOf(c);
      return c.json((await protectRecord(deps.privacy, actor, await store().setRemark(readerOf(actor), c.req.valid('param').id, c.req.valid('json').remark))) as never, 200);
    },
  );
  for (const kind of ['recording', 'voicemail'] as const) {
    app.openapi(
      createRoute({
        method: 'get', path: `/records/{id}/${kind}`, tags: tag,
        summary: kind === 'recording' ? 'The call recording (stereo WAV: left customer, right agent)' : 'The voicemail message (mono WAV)',
        request: { params: RecordIdParam }, responses: { 200: { description: 'audio/wav' }, 206: { description: 'Part of the file (Range)' }, ...errors },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const file = await store().recordingFile(readerOf(actorOf(c)), id, kind === 'recording' ? 'call' : 'voicemail');
        return sendFile(c, file, 'audio/wav', `${id}${kind === 'voicemail' ? '-voicemail' : ''}.wav`) as never;
      },
    );
  }
  return app;
}
