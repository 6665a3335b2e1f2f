// Numbered migrations (src/platform/migrations/NNN-name.sql), each applied in its own transaction at boot.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';
import { CcboxError } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function loadMigrations(dir = DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{3})-([\w-]+)\.sql$/.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: readFileSync(path.join(dir, file), 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new CcboxError('CCBOX_ERR_CONFIG', `migration numbers must be 1..n without gaps (found ${m.version} at ${i + 1})`);
  });
  return out;
}

/** Applies the migrations newer than the database's version; returns the versions applied. */
export async function migrate(db: Database, migrations = loadMigrations(), upTo = Infinity): Promise<number[]> {
  await db.transaction((tx) =>
    tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)'),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version > upTo) break;
    const done = await db.transaction(async (tx) => {
      const row = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [m.version]);
      if (row) return false;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  const newest = await db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const known = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  if ((newest?.v ?? 0) > known) {
    throw new CcboxError('CCBOX_ERR_DB', `database schema version ${newest?.v} is newer than this software (${known}); refusing to run an older ccbox on it`);
  }
  return applied;
}
