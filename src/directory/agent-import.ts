// 批量添加客服: template, parsing (CSV or XLSX), row-numbered validation, all-or-nothing import, one mail each.
import ExcelJS from 'exceljs';
import type { Database } from '../platform/db.ts';
import { CcboxError, type RowError } from '../platform/errors.ts';
import { randomPassword } from '../platform/ids.ts';
import type { JobProgress } from '../platform/jobs.ts';
import type { Mailer, NewAgent } from './directory-types.ts';
import { hashPassword } from '../platform/secrets.ts';
import { email, mobile, personName, staffNo } from './agent-schema.ts';
import type { Agents } from './agents.ts';
import { newAgentMail } from './mails.ts';
import { type Actor, requirePermission } from './permissions.ts';
import { toCsv, parseCsv } from './csv.ts';

/** Template columns: the Chinese header is what site IT sees; the key is the API field. */
export const IMPORT_COLUMNS = [
  { key: 'name', header: '姓名', required: true },
  { key: 'nickname', header: '昵称', required: true },
  { key: 'staffNo', header: '工号', required: true },
  { key: 'email', header: '邮箱', required: true },
  { key: 'role', header: '角色', required: true },
  { key: 'mobile', header: '手机号', required: false },
  { key: 'skillGroups', header: '技能组', required: false },
] as const;

export const MAX_IMPORT_ROWS = 2000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EXAMPLE = ['张三', '小张', '2001', 'zhangsan@example.com', '普通座席', '13800138000', '售前;售后'];

export function csvTemplate(): string {
  return toCsv([IMPORT_COLUMNS.map((c) => c.header), EXAMPLE]);
}

export async function xlsxTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客服');
  ws.addRow(IMPORT_COLUMNS.map((c) => c.header));
  ws.addRow(EXAMPLE);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 18));
  ws.getColumn(3).numFmt = '@';
  ws.getColumn(6).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the uploaded file into rows of strings; row 1 is the header. */
export async function readSheet(body: Buffer, contentType: string): Promise<string[][]> {
  if (body.length > MAX_IMPORT_BYTES) throw new CcboxError('CCBOX_ERR_VALIDATION', '文件超过 5 MB (file larger than 5 MB)', { field: 'file' });
  const isZip = body.length > 4 && body.readUInt32LE(0) === 0x04034b50;
  if (contentType.includes('spreadsheetml') || isZip) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(body as unknown as ArrayBuffer);
    } catch (err) {
      throw new CcboxError('CCBOX_ERR_VALIDATION', `无法读取 XLSX 文件 (cannot read the XLSX file): ${(err as Error).message}`, { field: 'file' });
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new CcboxError('CCBOX_ERR_VALIDATION', 'XLSX 文件没有工作表 (no worksheet)', { field: 'file' });
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const vals = IMPORT_COLUMNS.map((_, i) => cellText(row.getCell(i + 1).value));
      rows[n - 1] = vals;
    });
    return Array.from(rows, (r) => r ?? []);
  }
  if (body.includes(0)) throw new CcboxError('CCBOX_ERR_VALIDATION', '文件不是 CSV 或 XLSX (the file is neither CSV nor XLSX)', { field: 'file' });
  return parseCsv(body.toString('utf8'));
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return String(v.result ?? '');
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
}

interface Lookup {
  roles: Map<string, number>;
  groups: Map<string, number>;
}

/** Validates every row and reports all problems at once, numbered as the spreadsheet numbers them. */
export function validateRows(rows: string[][], lookup: Lookup): { agents: NewAgent[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const header = (rows[0] ?? []).map((h) => h.trim());
  IMPORT_COLUMNS.forEach((c, i) => {
    if (header[i] !== c.header && header[i] !== c.key) errors.push({ row: 1, field: c.key, message: `第 ${i + 1} 列应为「${c.header}」(column ${i + 1} must be ${c.header})` });
  });
  if (errors.length) return { agents: [], errors };
  const agents: NewAgent[] = [];
  const seenStaff = new Map<string, number>();
  const seenMail = new Map<string, number>();
  rows.slice(1).forEach((cells, idx) => {
    const rowNo = idx + 2;
    if (cells.every((c) => !c || !c.trim())) return;
    const err = (field: string, message: string): void => void errors.push({ row: rowNo, field, message });
    const get = (i: number): string => (cells[i] ?? '').trim();
    const check = <T>(field: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, v: string): T | undefined => {
      const r = schema.safeParse(v);
      if (!r.success) err(field, r.error.issues[0]?.message ?? 'invalid');
      return r.success ? r.data : undefined;
    };
    const a = {
      name: check('name', personName, get(0)),
      nickname: check('nickname', personName, get(1)),
      staffNo: check('staffNo', staffNo, get(2)),
      email: check('email', email, get(3)),
      mobile: get(5) ? check('mobile', mobile, get(5)) : null,
    };
    const roleId = lookup.roles.get(get(4));
    if (roleId === undefined) err('role', get(4) ? `角色「${get(4)}」不存在 (no such role)` : '不能为空 (required)');
    const groupNames = get(6).split(/[;；,，]/).map((s) => s.trim()).filter(Boolean);
    const skillGroupIds: number[] = [];
    for (const g of groupNames) {
      const id = lookup.groups.get(g);
      if (id === undefined) err('skillGroups', `技能组「${g}」不存在 (no such skill group)`);
      else skillGroupIds.push(id);
    }
    if (a.staffNo && seenStaff.has(a.staffNo)) err('staffNo', `工号与第 ${seenStaff.get(a.staffNo)} 行重复 (duplicate of row ${seenStaff.get(a.staffNo)})`);
    if (a.email && seenMail.has(a.email)) err('email', `邮箱与第 ${seenMail.get(a.email)} 行重复 (duplicate of row ${seenMail.get(a.email)})`);
    if (a.staffNo) seenStaff.set(a.staffNo, rowNo);
    if (a.email) seenMail.set(a.email, rowNo);
    if (a.name && a.nickname && a.staffNo && a.email && a.mobile !== undefined && roleId !== undefined) {
      agents.push({ name: a.name, nickname: a.nickname, staffNo: a.staffNo, email: a.email, mobile: a.mobile, roleId, skillGroupIds });
    }
  });
  if (!errors.length && agents.length === 0) errors.push({ row: 2, field: 'file', message: '文件中没有客服数据 (the file has no agent rows)' });
  if (agents.length > MAX_IMPORT_ROWS) errors.push({ row: MAX_IMPORT_ROWS + 2, field: 'file', message: `一次最多导入 ${MAX_IMPORT_ROWS} 个客服 (at most ${MAX_IMPORT_ROWS} rows)` });
  return { agents, errors };
}

const importError = (errors: RowError[]): CcboxError =>
  new CcboxError('CCBOX_ERR_IMPORT', `导入失败：${errors.length} 处错误，未导入任何客服 (import failed, nothing was imported)`, { rows: errors });

/** The job body: validate all, insert all in one transaction, then mail each new agent. */
export async function importAgents(
  deps: { db: Database; agents: Agents; mailer: Mailer },
  actor: Actor,
  rows: string[][],
  progress: JobProgress,
): Promise<{ imported: number; mailFailures: { staffNo: string; message: string }[] }> {
  requirePermission(actor, 'agents');
  await deps.mailer.assertConfigured();
  const roles = new Map((await deps.db.all<{ id: number; name: string }>('SELECT id, name FROM roles')).map((r) => [r.name, r.id]));
  const groups = new Map((await deps.db.all<{ id: number; name: string }>('SELECT id, name FROM skill_groups')).map((g) => [g.name, g.id]));
  const { agents, errors } = validateRows(rows, { roles, groups });
  if (errors.length) throw importError(errors);
  progress.setTotal(agents.length * 3);
  const passwords: string[] = [];
  const hashes: string[] = [];
  for (const _ of agents) {
    const pw = randomPassword();
    passwords.push(pw);
    hashes.push(await hashPassword(pw));
    progress.advance();
  }
  await deps.db.transaction(async (tx) => {
    const dbErrors: RowError[] = [];
    for (const [i, a] of agents.entries()) {
      try {
        await deps.agents.validateNew(actor, tx, a);
      } catch (err) {
        const e = err as CcboxError;
        dbErrors.push({ row: rowOf(rows, a), field: e.field ?? 'row', message: e.message });
      }
      progress.advance();
      void i;
    }
    if (dbErrors.length) throw importError(dbErrors);
    for (const [i, a] of agents.entries()) await deps.agents.insert(tx, a, hashes[i]!);
  });
  const mailFailures: { staffNo: string; message: string }[] = [];
  for (const [i, a] of agents.entries()) {
    await deps.mailer.send(newAgentMail(a, passwords[i]!)).catch((err: Error) => mailFailures.push({ staffNo: a.staffNo, message: err.message }));
    progress.advance();
  }
  return { imported: agents.length, mailFailures };
}

function rowOf(rows: string[][], a: NewAgent): number {
  const i = rows.findIndex((r, n) => n > 0 && (r[2] ?? '').trim() === a.staffNo);
  return i + 1;
}
