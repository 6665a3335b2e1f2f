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
