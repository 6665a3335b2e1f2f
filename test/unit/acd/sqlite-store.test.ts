// The ACD on real SQLite: migrations, the directory read, history and last state, 上次接入人, settings.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Acd, DEFAULT_ACD_SETTINGS, SqliteAcdStore, sqlDirectorySource } from '../../../src/acd/index.ts';
import { seedDemoDirectory } from '../../../src/directory/index.ts';
import { createLogger, Database, FakeClock, loadMigrations, migrate } from '../../../src/platform/index.ts';
import { settingsWith } from './acd-helpers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-acd-'));
const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
let db: Database;

before(async () => {
  db = await Database.open({ file: path.join(dir, 'ccbox.db'), readers: 1 });
  await migrate(db, loadMigrations());
  await seedDemoDirectory(db);
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteAcdStore', () => {
  it('reads the directory: agents, groups with member priorities, break reasons, default status', async () => {
    const d = await sqlDirectorySource(db).load();
    assert.deepEqual([...d.groups.values()].map((g) => `${g.name}:${g.members.length}`), ['售前:2', '售后:2']);
    assert.equal(d.agents.size, 4);
    assert.equal(d.agentsByEmail.has('1001@demo.local'), true);
    assert.deepEqual([...d.breakReasons.values()].map((r) => r.name), ['休息', '会议', '培训']);
    assert.equal(d.defaultStatus, 'idle');
  });

  it('keeps history and the last state; closes open states at the next start', async () => {
    const clock = new FakeClock();
    const store = new SqliteAcdStore(db);
    const acd = await Acd.start({ store, directory: sqlDirectorySource(db), clock, log });
    const agentId = acd.directory.agentsByEmail.get('1001@demo.local')!;
    await acd.webLogin(agentId);
    acd.setStatus(agentId, 'break', { breakReasonId: 1, by: 'agent' });
    await acd.flush();
    assert.deepEqual((await store.history(agentId, { limit: 10 })).map((r) => `${r.from}>${r.to}:${r.cause}`), ['idle>break:agent', 'offline>idle:login']);
    assert.deepEqual(await store.openStates(), [{ agentId, status: 'break', breakReasonId: 1, dispatch: 'waiting', callId: null }]);
    // No stop(): the next start finds the open state and closes it.
    const acd2 = await Acd.start({ store, directory: sqlDirectorySource(db), clock, log });
    assert.deepEqual((await store.history(agentId, { limit: 1 })).map((r) => `${r.from}>${r.to}:${r.cause}`), ['break>offline:boot']);
    assert.deepEqual(await store.openStates(), []);
    await acd2.stop();
    await acd.stop();
  });

  it('remembers the last agent per number and purges after 3 days', async () => {
    const store = new SqliteAcdStore(db);
    await store.putLastAgent({ number: '13800000000', agentId: 3, direction: 'outbound', at: 1000 });
    await store.putLastAgent({ number: '13800000000', agentId: 4, direction: 'inbound', at: 2000 });
    assert.deepEqual(await store.loadLastAgents(0), [{ number: '13800000000', agentId: 4, direction: 'inbound', at: 2000 }]);
    assert.equal(await store.purgeLastAgents(2001), 1);
    assert.deepEqual(await store.loadLastAgents(0), []);
  });

  it('saves global and per-group settings; a deleted group takes its override along', async () => {
    const store = new SqliteAcdStore(db);
    const g = settingsWith({ answer: { autoAnswer: true } });
    await store.saveSettings(null, g);
    await store.saveSettings(1, DEFAULT_ACD_SETTINGS);
    let s = await store.loadSettings();
    assert.equal(s.global?.answer.autoAnswer, true);
    assert.deepEqual([...s.groups.keys()], [1]);
    await db.run('INSERT INTO skill_groups (name, ring_mode, reception_limit, created_at) VALUES (?, ?, 5, 0)', ['临时', 'sequential']);
    const tmp = (await db.get<{ id: number }>("SELECT id FROM skill_groups WHERE name = '临时'"))!.id;
    await store.saveSettings(tmp, g);
    await db.run('DELETE FROM skill_groups WHERE id = ?', [tmp]);
    s = await store.loadSettings();
    assert.deepEqual([...s.groups.keys()], [1]);
    await store.saveSettings(1, null);
    assert.equal((await store.loadSettings()).groups.size, 0);
  });

  it('counts calls answered today after a restart (按客服接入电话数量)', async () => {
    const store = new SqliteAcdStore(db);
    const clock = new FakeClock(new Date().setHours(12, 0, 0, 0));
    await store.appendHistory(
      [
        { agentId: 2, axis: 'dispatch', from: 'ringing', to: 'in-call', breakReasonId: null, cause: 'answered', callId: 'a', at: clock.now() - 10 },
        { agentId: 2, axis: 'dispatch', from: 'ringing', to: 'in-call', breakReasonId: null, cause: 'answered', callId: 'b', at: clock.now() - 5 },
      ],
      [],
    );
    const acd = await Acd.start({ store, directory: sqlDirectorySource(db), clock, log });
    assert.equal(acd.status(2).callsToday, 2);
    await acd.stop();
  });
});
