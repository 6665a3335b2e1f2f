// Retention of 服务记录 and recordings: recordings older than their limit are deleted (the record stays and
// says so), records older than theirs go with their files — in small batches (DESIGN.md), each batch its
// own short transaction, so calls writing records never wait long behind the job.
import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { Database } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';

export const retentionSchema = z
  .object({
    /** Days a call record is kept (0: forever). */
    recordDays: z.number().int().min(0).max(3650),
    /** Days a recording or voicemail file is kept (0: as long as its record). */
    recordingDays: z.number().int().min(0).max(3650),
  })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSchema>;

export const DEFAULT_RETENTION: RetentionSettings = { recordDays: 730, recordingDays: 180 };
const SETTINGS_KEY = 'records.retention';
const DAY_MS = 24 * 3600 * 1000;

export async function loadRetention(db: Database): Promise<RetentionSettings> {
  const row = await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [SETTINGS_KEY]);
  const parsed = row ? retentionSchema.safeParse(JSON.parse(row.value)) : null;
  return parsed?.success ? parsed.data : DEFAULT_RETENTION;
}

export async function saveRetention(db: Database, s: RetentionSettings): Promise<void> {
  const value = JSON.stringify(retentionSchema.parse(s));
  await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [SETTINGS_KEY, value]);
}

export interface RetentionResult {
  records: number;
  files: number;
}

async function removeFile(file: string, log?: Logger): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') log?.warn({ err, file }, 'recording could not be deleted');
  });
}

/** One pass: everything past its limit is deleted, `batch` rows per transaction. */
export async function runRetention(db: Database, now: number, opts: { batch?: number; log?: Logger; settings?: RetentionSettings } = {}): Promise<RetentionResult> {
  const s = opts.settings ?? (await loadRetention(db));
  const batch = opts.batch ?? 200;
  const out: RetentionResult = { records: 0, files: 0 };
  if (s.recordingDays > 0) {
    const cutoff = now - s.recordingDays * DAY_MS;
    for (;;) {
      const rows = await db.all<{ id: number; path: string; record_id: string }>('SELECT id, path, record_id FROM recordings WHERE created_at < ? ORDER BY id LIMIT ?', [cutoff, batch]);
      if (!rows.length) break;
      await db.transaction(async (tx) => {
        for (const r of rows) {
          await tx.run('DELETE FROM recordings WHERE id = ?', [r.id]);
          await tx.run(
            `UPDATE call_records SET has_recording = EXISTS (SELECT 1 FROM recordings WHERE record_id = ? AND kind = 'call'),
               has_voicemail = EXISTS (SELECT 1 FROM recordings WHERE record_id = ? AND kind = 'voicemail') WHERE id = ?`,
            [r.record_id, r.record_id, r.record_id],
          );
        }
      });
      // Files go after the rows: a crash in between leaves an orphan file, never a row without its file.
      for (const r of rows) await removeFile(r.path, opts.log);
      out.files += rows.length;
      if (rows.length < batch) break;
    }
  }
  if (s.recordDays > 0) {
    const cutoff = now - s.recordDays * DAY_MS;
    for (;;) {
      const ids = (await db.all<{ id: string }>('SELECT id FROM call_records WHERE started_at < ? ORDER BY started_at LIMIT ?', [cutoff, batch])).map((r) => r.id);
      if (!ids.length) break;
      const marks = ids.map(() => '?').join(',');
      const files = await db.all<{ path: string }>(`SELECT path FROM recordings WHERE record_id IN (${marks})`, ids);
      await db.transaction(async (tx) => {
        await tx.run(`DELETE FROM call_records WHERE id IN (${marks})`, ids);
      });
      for (const f of files) await removeFile(f.path, opts.log);
      out.records += ids.length;
      out.files += files.length;
      if (ids.length < batch) break;
    }
  }
  return out;
}
