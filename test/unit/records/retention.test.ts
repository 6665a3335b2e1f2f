// 录音/记录保存期限 on real SQLite and real files: recordings past recordingDays go with their files and the record
// then says it has none; records past recordDays go with every file they had; work is done in batches; 0 keeps
// forever; a file already gone does not stop the pass.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Database, loadMigrations, migrate } from '../../../src/platform/index.ts';
import { DEFAULT_RETENTION, loadRetention, RecordStore, runRetention, saveRetention, type RecordInput } from '../../../src/records/index.ts';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 10, 26, 12);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-retention-'));
const ALL = { scope: null, ownAgentId: null };
let db: Database;
let store: RecordStore;
let n = 0;

function file(name: string): string {
  const p = path.join(dir, `${name}-${++n}.wav`);
  writeFileSync(p, Buffer.alloc(44));
  return p;
}

/** A record that started `ageDays` ago, with a call recording and/or a voicemail written then. */
async function call(ageDays: number, o: { recording?: boolean; voicemail?: boolean } = {}): Promise<{ id: string; files: string[] }> {
  const at = NOW - ageDays * DAY;
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const rec = o.recording ? { path: file('call'), channels: 2 as const, durationMs: 1000, bytes: 44 } : null;
  const vm = o.voicemail ? { path: file('vm'), channels: 1 as const, durationMs: 1000, bytes: 44 } : null;
  const input: RecordInput = {
    id, direction: 'inbound', startedAt: at, endedAt: at + 60_000, caller: '13800138000', callee: '02088880000', number: '02088880000',
    channelId: null, channelName: null, agent: null, skillGroup: null, skillGroupIds: [], endStatus: 'normal', endCause: null, hangupSide: 'caller',
    ringMs: 0, talkMs: 0, queueMs: 0, ivrKeys: '', satisfaction: null, remark: '', recording: rec, voicemail: vm,
    detail: { legs: [], ivr: null, queue: [], offers: [], transfers: [], notes: [] },
  };
  await store.write(input, at + 60_000);
  return { id, files: [rec?.path, vm?.path].filter((x): x is string => !!x) };
}

const count = async (sql: string): Promise<number> => (await db.get<{ n: number }>(sql))!.n;

before(async () => {
  db = await Database.open({ file: path.join(dir, 'ccbox.db'), readers: 1 });
  await migrate(db, loadMigrations());
  store = new RecordStore(db);
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.run('DELETE FROM sync_outbox');
  await db.run('DELETE FROM call_records');
});

describe('runRetention', () => {
  it('deletes recordings past recordingDays with their files; the record stays and says it has none', async () => {
    const old = await call(40, { recording: true, voicemail: true });
    const fresh = await call(5, { recording: true });
    const r = await runRetention(db, NOW, { settings: { recordDays: 0, recordingDays: 30 } });
    assert.deepEqual(r, { records: 0, files: 2 });
    for (const f of old.files) assert.equal(existsSync(f), false, `${f} deleted`);
    assert.equal(existsSync(fresh.files[0]!), true);
    const view = await store.get(ALL, old.id);
    assert.equal(view.recording, null);
    assert.equal(view.voicemail, null);
    const row = await db.get<{ has_recording: number; has_voicemail: number }>('SELECT has_recording, has_voicemail FROM call_records WHERE id = ?', [old.id]);
    assert.deepEqual({ ...row }, { has_recording: 0, has_voicemail: 0 });
    await assert.rejects(store.recordingFile(ALL, old.id), /not found/);
    assert.equal((await store.get(ALL, fresh.id)).recording?.channels, 2);
  });

  it('deletes records past recordDays with every file they had; younger records stay', async () => {
    const old = await call(800, { recording: true, voicemail: true });
    const young = await call(100, { recording: true });
    // recordingDays 0: recordings live as long as their record.
    const r = await runRetention(db, NOW, { settings: { recordDays: 730, recordingDays: 0 } });
    assert.deepEqual(r, { records: 1, files: 2 });
    for (const f of old.files) assert.equal(existsSync(f), false);
    await assert.rejects(store.get(ALL, old.id), /not found/);
    assert.equal(await count(`SELECT count(*) AS n FROM recordings WHERE record_id = '${old.id}'`), 0, 'recording rows cascade');
    assert.equal((await store.get(ALL, young.id)).recording?.channels, 2);
    assert.equal(existsSync(young.files[0]!), true);
  });

  it('works in batches until nothing is left past the limit', async () => {
    const olds = [];
    for (let i = 0; i < 7; i++) olds.push(await call(900 + i, { recording: true }));
    const keep = await call(1);
    const batches: number[] = [];
    const spy = db.transaction.bind(db);
    db.transaction = (async (fn: Parameters<Database['transaction']>[0]) => {
      batches.push(1);
      return spy(fn);
    }) as Database['transaction'];
    try {
      const r = await runRetention(db, NOW, { batch: 3, settings: { recordDays: 365, recordingDays: 0 } });
      assert.deepEqual(r, { records: 7, files: 7 });
    } finally {
      db.transaction = spy;
    }
    assert.equal(batches.length, 3, '3 + 3 + 1 rows, one short transaction each');
    assert.equal(await count('SELECT count(*) AS n FROM call_records'), 1);
    assert.equal((await store.get(ALL, keep.id)).id, keep.id);
    for (const o of olds) assert.equal(existsSync(o.files[0]!), false);
  });

  it('0 keeps forever; a file already gone does not stop the pass; settings are saved and read back', async () => {
    const a = await call(5000, { recording: true });
    assert.deepEqual(await runRetention(db, NOW, { settings: { recordDays: 0, recordingDays: 0 } }), { records: 0, files: 0 });
    rmSync(a.files[0]!);
    assert.deepEqual(await loadRetention(db), DEFAULT_RETENTION);
    await saveRetention(db, { recordDays: 3000, recordingDays: 10 });
    assert.deepEqual(await loadRetention(db), { recordDays: 3000, recordingDays: 10 });
    // The saved settings are used when none are passed.
    assert.deepEqual(await runRetention(db, NOW), { records: 1, files: 1 });
    assert.equal(await count('SELECT count(*) AS n FROM call_records'), 0);
    await assert.rejects(saveRetention(db, { recordDays: -1, recordingDays: 0 }), /recordDays/);
  });
});
