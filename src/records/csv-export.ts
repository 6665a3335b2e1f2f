// 服务记录 export: the manual's columns as CSV (UTF-8 with BOM so spreadsheets read the Chinese headers),
// produced row batch by row batch so a long export never holds every record in memory.
import type { CallRecordView } from './record-types.ts';

const DIRECTION: Record<CallRecordView['direction'], string> = { inbound: '呼入', outbound: '呼出', internal: '内线' };
const DEVICE: Record<string, string> = { web: '电脑', mobile: '手机', phone: '话机' };
const SIDE: Record<string, string> = { caller: '主叫', callee: '被叫', agent: '座席', system: '系统' };

export const CSV_HEADER = [
  '通话 ID', '开始时间', '呼叫方向', '座席设备', '主叫号码', '被叫号码', '备注', '接入状态', '振铃时长(秒)', '通话时长(秒)', '总时长(秒)',
  '排队时长(秒)', '客服', '工号', '技能组', 'IVR 按键', '满意度', '挂机方', '录音',
];

const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
// A leading = + - @ would be read as a formula by spreadsheet programs (CSV injection).
const text = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
const secs = (ms: number): string => (ms / 1000).toFixed(0);

/** Local time as the console shows it, in the box's zone. */
export function formatTime(ms: number, timeZone: string): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(ms));
  const g = (t: string): string => p.find((x) => x.type === t)?.value ?? '';
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}:${g('second')}`;
}

export function csvRow(r: CallRecordView, timeZone: string): string {
  const fields = [
    r.id, formatTime(r.startedAt, timeZone), DIRECTION[r.direction], r.agentDevice ? DEVICE[r.agentDevice] ?? '' : '', text(r.caller), text(r.callee),
    text(r.remark), r.endStatusText, secs(r.ringMs), secs(r.talkMs), secs(r.totalMs), secs(r.queueMs), text(r.agentName ?? ''), text(r.staffNo ?? ''),
    text(r.skillGroupName ?? ''), text(r.ivrKeys), text(r.satisfaction?.label ?? (r.surveyStatus === 'offered' ? '未评价' : '')), r.hangupSide ? SIDE[r.hangupSide] ?? r.hangupSide : '',
    r.recording ? '有' : '',
  ];
  return fields.map(cell).join(',') + '\r\n';
}

/** The whole file as a stream of text chunks. */
export async function* csvExport(rows: AsyncIterable<CallRecordView>, timeZone: string): AsyncGenerator<string> {
  yield '\ufeff' + CSV_HEADER.map(cell).join(',') + '\r\n';
  let chunk = '';
  for await (const r of rows) {
    chunk += csvRow(r, timeZone);
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
