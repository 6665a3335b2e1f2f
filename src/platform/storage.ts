// Storage at boot: the data dir, a run marker that tells a clean stop from a crash, the database with its
// migrations and, after an unclean stop, a bounded integrity check.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Database } from './db.ts';
import { CcboxError } from './errors.ts';
import { writeFileDurable } from './files.ts';
import type { Logger } from './logger.ts';
import { migrate } from './migrate.ts';

export interface Storage {
  db: Database;
  uncleanShutdown: boolean;
  /** Marks a clean stop; call after the database is closed. */
  markStopped(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openStorage(opts: { dataDir: string; readers: number; quickCheckLimit: number; log: Logger }): Promise<Storage> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o750 });
  const marker = path.join(opts.dataDir, 'ccbox.running');
  let unclean = false;
  if (existsSync(marker)) {
    const pid = Number(readFileSync(marker, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) {
      throw new CcboxError('CCBOX_ERR_DB', `another ccbox (pid ${pid}) is running on ${opts.dataDir}; stop it first`);
    }
    unclean = true;
  }
  const file = path.join(opts.dataDir, 'ccbox.db');
  const db = await Database.open({ file, readers: opts.readers });
  try {
    if (unclean) {
      opts.log.warn({ dataDir: opts.dataDir }, 'previous run did not stop cleanly; running a bounded integrity check');
      const problems = await db.quickCheck(opts.quickCheckLimit);
      if (problems.length) {
        throw new CcboxError('CCBOX_ERR_DB_CORRUPT', `database ${file} failed its integrity check: ${problems.slice(0, 5).join('; ')} — restore it from a backup`);
      }
    }
    const applied = await migrate(db);
    if (applied.length) opts.log.info({ applied }, 'database migrations applied');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  await writeFileDurable(marker, `${process.pid}\n`);
  return {
    db,
    uncleanShutdown: unclean,
    markStopped: () => {
      try {
        unlinkSync(marker);
      } catch {
        // already gone
      }
    },
  };
}
