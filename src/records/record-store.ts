// 服务记录 in SQLite: a finished call's record, its recordings and its sync outbox row in ONE transaction;
// reads with the manual's filters and paging, limited to the reader's skill-group scope (or own calls).
import type { Database, SqlValue } from '../platform/db.ts';
import { notFound } from '../platform/errors.ts';
import { addToOutbox } from '../sync/outbox.ts';
import { END_STATUSES, surveyStatusOf, type CallRecordDetailView, type CallRecordView, type EndStatus, type RecordDetail, type RecordFilter, type RecordInput, type RecordReader, type SurveyStatus } from './record-types.ts';

interface Row {
  id: string;
  started_at: number;
  ended_at: number;
  direction: CallRecordView['direction'];
  caller: string;
  callee: string;
  number: string | null;
  agent_id: number | null;
  agent_name: string | null;
  staff_no: string | null;
  agent_device: CallRecordView['agentDevice'];
  skill_group_id: number | null;
  skill_group_name: string | null;
  end_status: EndStatus;
  end_cause: string | null;
  hangup_side: string | null;
  ring_ms: number;
  talk_ms: number;
  total_ms: number;
  queue_ms: number;
  ivr_keys: string;
  satisfaction_key: string | null;
  satisfaction_label: string | null;
  remark: string;
  detail: string;
  rec_ms: number | null;
  rec_channels: number | null;
  vm_ms: number | null;
  survey_status: SurveyStatus | null;
}

const SELECT = `SELECT r.*,
  (SELECT duration_ms FROM recordings WHERE record_id = r.id AND kind = 'call' ORDER BY id LIMIT 1) AS rec_ms,
  (SELECT channels FROM recordings WHERE record_id = r.id AND kind = 'call' ORDER BY id LIMIT 1) AS rec_channels,
  (SELECT duration_ms FROM recordings WHERE record_id = r.id AND kind = 'voicemail' ORDER BY id LIMIT 1) AS vm_ms,
  json_extract(r.detail, '$.surveyStatus') AS survey_status
  FROM call_records r`;

function view(r: Row): CallRecordView {
  return {
    id: r.id, startedAt: r.started_at, endedAt: r.ended_at, direction: r.direction, caller: r.caller, callee: r.callee, number: r.number,
    agentId: r.agent_id, agentName: r.agent_name, staffNo: r.staff_no, agentDevice: r.agent_device, skillGroupId: r.skill_group_id,
    skillGroupName: r.skill_group_name, endStatus: r.end_status, endStatusText: END_STATUSES[r.end_status] ?? r.end_status, endCause: r.end_cause,
    hangupSide: r.hangup_side, ringMs: r.ring_ms, talkMs: r.talk_ms, totalMs: r.total_ms, queueMs: r.queue_ms, ivrKeys: r.ivr_keys,
    satisfaction: r.satisfaction_key !== null || r.satisfaction_label !== null ? { key: r.satisfaction_key, label: r.satisfaction_label } : null,
    // Records written before the status was kept: a stored key means answered, nothing means none.
    surveyStatus: r.survey_status ?? (r.satisfaction_key !== null ? 'answered' : 'none'),
    remark: r.remark,
    recording: r.rec_ms !== null ? { durationMs: r.rec_ms, channels: r.rec_channels ?? 2 } : null,
    voicemail: r.vm_ms !== null ? { durationMs: r.vm_ms } : null,
  };
}

/** WHERE clauses of the reader's reach: every row, rows of the scope's groups, or the agent's own calls. */
function reach(reader: RecordReader, where: string[], params: SqlValue[]): void {
  const parts: string[] = [];
  if (reader.scope !== null && reader.scope.length > 0) {
    parts.push(`EXISTS (SELECT 1 FROM call_record_groups g WHERE g.record_id = r.id AND g.skill_group_id IN (${reader.scope.map(() => '?').join(',')}))`);
    params.push(...reader.scope);
  }
  if (reader.ownAgentId !== null) {
    parts.push('r.agent_id = ?');
    params.push(reader.ownAgentId);
  }
  if (reader.scope === null && reader.ownAgentId === null) return;
  where.push(parts.length ? `(${parts.join(' OR ')})` : '0');
}

const like = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class RecordStore {
  constructor(private readonly db: Database) {}

  /** The record, its recordings and its outbox row, all or nothing. */
  async write(input: RecordInput, now: number): Promise<void> {
    const total = Math.max(0, input.endedAt - input.startedAt);
    // 未评价 (offered, no key) has no column of its own: the status rides in the stored detail (no migration).
    const surveyStatus = surveyStatusOf(input.satisfaction);
    const detail: RecordDetail = { ...input.detail, surveyStatus };
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO call_records (id, started_at, ended_at, direction, caller, callee, number, channel_id, agent_id, agent_name, staff_no, agent_device,
           skill_group_id, skill_group_name, end_status, end_cause, hangup_side, ring_ms, talk_ms, total_ms, queue_ms, ivr_keys, satisfaction_key,
           satisfaction_label, remark, has_recording, has_voicemail, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          input.id, input.startedAt, input.endedAt, input.direction, input.caller, input.callee, input.number, input.channelId,
          input.agent?.agentId ?? null, input.agent?.name ?? null, input.agent?.staffNo ?? null, input.agent?.device ?? null,
          input.skillGroup?.id ?? null, input.skillGroup?.name ?? null, input.endStatus, input.endCause, input.hangupSide,
          Math.round(input.ringMs), Math.round(input.talkMs), total, Math.round(input.queueMs), input.ivrKeys,
          input.satisfaction?.key ?? null, input.satisfaction?.label ?? null, input.remark, input.recording ? 1 : 0, input.voicemail ? 1 : 0,
          JSON.stringify(detail),
        ],
      );
      for (const g of new Set(input.skillGroupIds)) await tx.run('INSERT INTO call_record_groups (record_id, skill_group_id) VALUES (?, ?)', [input.id, g]);
      for (const [kind, f] of [['call', input.recording], ['voicemail', input.voicemail]] as const) {
        if (!f) continue;
        await tx.run('INSERT INTO recordings (record_id, kind, path, channels, duration_ms, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          input.id, kind, f.path, f.channels, Math.round(f.durationMs), f.bytes, now,
        ]);
      }
      const { detail: _detail, ...summary } = input;
      await addToOutbox(tx, 'call_record', input.id, { ...summary, surveyStatus, totalMs: total, detail }, now);
    });
  }

  async list(reader: RecordReader, f: RecordFilter): Promise<{ items: CallRecordView[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    this.filter(f, where, params);
    reach(reader, where, params);
    const sqlWhere = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM call_records r${sqlWhere}`, params))?.n ?? 0;
    const rows = await this.db.all<Row>(`${SELECT}${sqlWhere} ORDER BY r.started_at DESC, r.id LIMIT ? OFFSET ?`, [...params, f.pageSize, (f.page - 1) * f.pageSize]);
    return { items: rows.map(view), total, page: f.page, pageSize: f.pageSize };
  }

  /** Every matching row, in pages, for the CSV export (newest first). */
  async *each(reader: RecordReader, f: Omit<RecordFilter, 'page' | 'pageSize'>, batch = 500): AsyncGenerator<CallRecordView> {
    for (let page = 1; ; page++) {
      const r = await this.list(reader, { ...f, page, pageSize: batch });
      yield* r.items;
      if (r.items.length < batch) return;
    }
  }

  private filter(f: Omit<RecordFilter, 'page' | 'pageSize'>, where: string[], params: SqlValue[]): void {
    const add = (sql: string, v: SqlValue): void => {
      where.push(sql);
      params.push(v);
    };
    if (f.from !== undefined) add('r.started_at >= ?', f.from);
    if (f.to !== undefined) add('r.started_at < ?', f.to);
    if (f.caller) add("r.caller LIKE ? ESCAPE '\\'", like(f.caller));
    if (f.callee) add("r.callee LIKE ? ESCAPE '\\'", like(f.callee));
    if (f.agentId !== undefined) add('r.agent_id = ?', f.agentId);
    if (f.staffNo) add('r.staff_no = ?', f.staffNo);
    if (f.direction) add('r.direction = ?', f.direction);
    if (f.skillGroupId !== undefined) add('EXISTS (SELECT 1 FROM call_record_groups g2 WHERE g2.record_id = r.id AND g2.skill_group_id = ?)', f.skillGroupId);
    if (f.remark) add("r.remark LIKE ? ESCAPE '\\'", like(f.remark));
    if (f.endStatus) add('r.end_status = ?', f.endStatus);
    if (f.voicemail) where.push('r.has_voicemail = 1');
  }

  /** One record with its detail; outside the reader's reach it does not exist (404). */
  async get(reader: RecordReader, id: string): Promise<CallRecordDetailView> {
    const where = ['r.id = ?'];
    const params: SqlValue[] = [id];
    reach(reader, where, params);
    const row = await this.db.get<Row>(`${SELECT} WHERE ${where.join(' AND ')}`, params);
    if (!row) throw notFound('call record');
    return { ...view(row), detail: JSON.parse(row.detail) as RecordDetail };
  }

  /** The file of a record's recording (call or voicemail), after the same reach check. */
  async recordingFile(reader: RecordReader, id: string, kind: 'call' | 'voicemail' = 'call'): Promise<{ path: string; bytes: number }> {
    await this.get(reader, id);
    const f = await this.db.get<{ path: string; bytes: number }>('SELECT path, bytes FROM recordings WHERE record_id = ? AND kind = ? ORDER BY id LIMIT 1', [id, kind]);
    if (!f) throw notFound('recording');
    return f;
  }

  async setRemark(reader: RecordReader, id: string, remark: string): Promise<CallRecordDetailView> {
    await this.get(reader, id);
    await this.db.run('UPDATE call_records SET remark = ? WHERE id = ?', [remark, id]);
    return this.get(reader, id);
  }
}
