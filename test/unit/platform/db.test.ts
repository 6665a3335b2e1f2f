// The write queue, rollbacks, migrations and corruption detection of the sqlite3 layer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Database, loadMigrations, migrate, CcboxError } from '../../../src/platform/index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-db-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('Database', () => {
  it('runs transactions one at a time: no statement of another caller interleaves across awaits', async () => {
    const db = await Database.open({ file: path.join(dir, 'q.db'), readers: 1 });
    await db.transaction((tx) => tx.exec('CREATE TABLE log (tx INTEGER, step INTEGER)'));
    const work = (n: number) =>
      db.transaction(async (tx) => {
        for (let step = 0; step < 5; step++) {
          await tx.run('INSERT INTO log VALUES (?, ?)', [n, step]);
          await new Promise((r) => setImmediate(r));
        }
      });
    await Promise.all([1, 2, 3, 4].map(work));
    const rows = await db.all<{ tx: number; step: number }>('SELECT tx, step FROM log ORDER BY rowid');
    const order = rows.map((r) => r.tx);
    assert.deepEqual(order, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
    await db.close();
  });

  it('group commit: transactions queued during a commit share the next one; a throw undoes only its own', async () => {
    const db = await Database.open({ file: path.join(dir, 'g.db'), readers: 1 });
    await db.transaction((tx) => tx.exec('CREATE TABLE rec (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE outbox (rec INTEGER NOT NULL)'));
    const before = { ...db.stats };
    const written: number[] = [];
    // 300 records, each with its outbox row, like the call path under load; every 7th fails half-way.
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => db.transaction(async (tx) => {
      await tx.run('INSERT INTO rec (id, v) VALUES (?, ?)', [i, `r${i}`]);
      if (i % 7 === 3) throw new Error(`bad record ${i}`);
      await tx.run('INSERT INTO outbox (rec) VALUES (?)', [i]);
      return i;
    }).then(async (v) => {
      // Settled only after the COMMIT: a reader already sees the row.
      assert.ok(await db.get('SELECT 1 FROM rec WHERE id = ?', [v]), `record ${v} visible when its promise settles`);
      written.push(v);
      return v;
    })));
    const bad = results.filter((r) => r.status === 'rejected');
    assert.equal(bad.length, 43);
    assert.ok(bad.every((r) => /bad record \d+/.test(String((r as PromiseRejectedResult).reason))));
    assert.equal(written.length, 257);
    const recs = await db.all<{ id: number }>('SELECT id FROM rec ORDER BY id');
    const outbox = await db.all<{ rec: number }>('SELECT rec FROM outbox ORDER BY rec');
    assert.deepEqual(recs.map((r) => r.id), outbox.map((r) => r.rec), 'each record with its outbox row, none without');
    assert.ok(recs.every((r) => r.id % 7 !== 3), 'a failed transaction left nothing');
    const commits = db.stats.commits - before.commits;
    assert.ok(commits < 50, `300 transactions in ${commits} commits`);
    assert.ok(db.stats.largestGroup > 1);
    // A statement error (not a throw of ours) inside a group is rolled back to its savepoint too.
    const mixed = await Promise.allSettled([
      db.run('INSERT INTO rec (id, v) VALUES (1000, ?)', ['ok']),
      db.run('INSERT INTO rec (id, v) VALUES (0, ?)', ['duplicate key']),
      db.run('INSERT INTO rec (id, v) VALUES (1001, ?)', ['ok']),
    ]);
    assert.deepEqual(mixed.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((await db.all('SELECT id FROM rec WHERE id >= 1000')).length, 2);
    await db.close();
  });

  it('rolls back everything on a throw and keeps serving the next transaction', async () => {
    const db = await Database.open({ file: path.join(dir, 'r.db'), readers: 1 });
    await db.transaction((tx) => tx.exec('CREATE TABLE t (v INTEGER UNIQUE)'));
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)');
        await tx.run('INSERT INTO t VALUES (1)');
      }),
      (e: unknown) => e instanceof CcboxError && e.code === 'CCBOX_ERR_DB',
    );
    assert.deepEqual(await db.all('SELECT v FROM t'), []);
    await db.run('INSERT INTO t VALUES (2)');
    assert.deepEqual(await db.all('SELECT v FROM t'), [{ v: 2 }]);
    await db.close();
  });

  it('uses WAL and synchronous=FULL', async () => {
    const db = await Database.open({ file: path.join(dir, 'w.db'), readers: 1 });
    const mode = await db.transaction((tx) => tx.get<{ journal_mode: string }>('PRAGMA journal_mode'));
    const sync = await db.transaction((tx) => tx.get<{ synchronous: number }>('PRAGMA synchronous'));
    assert.equal(mode?.journal_mode, 'wal');
    assert.equal(sync?.synchronous, 2);
    await db.close();
  });

  it('applies numbered migrations once, in order, and refuses a newer schema', async () => {
    const db = await Database.open({ file: path.join(dir, 'm.db'), readers: 1 });
    const all = loadMigrations();
    assert.deepEqual(all.map((m) => m.version), all.map((_, i) => i + 1));
    assert.deepEqual(await migrate(db, all, 1), [1]);
    assert.deepEqual(await migrate(db, all), all.slice(1).map((m) => m.version));
    assert.deepEqual(await migrate(db, all), []);
    await db.run("INSERT INTO schema_migrations VALUES (999, 'future', 0)");
    await assert.rejects(migrate(db, all), /newer than this software/);
    await db.close();
  });

  it('reports a file that is not a database as corrupt', async () => {
    const file = path.join(dir, 'bad.db');
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    await assert.rejects(Database.open({ file, readers: 1 }), (e: unknown) => e instanceof CcboxError && e.code === 'CCBOX_ERR_DB_CORRUPT');
  });

  it('passes a bounded quick_check on a healthy database', async () => {
    const db = await Database.open({ file: path.join(dir, 'm.db'), readers: 1 });
    assert.deepEqual(await db.quickCheck(10), []);
    await db.close();
  });
});
