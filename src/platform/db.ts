// SQLite through sqlite3: one write connection whose transactions run one at a time from a queue,
// plus read-only connections for queries and reports. WAL, synchronous=FULL.
//
// Group commit: transactions that queue up while one commits run together in the next BEGIN … COMMIT,
// each inside its own SAVEPOINT (a throw rolls back only that one), and every caller's promise settles
// after that COMMIT — so under load one fsync carries many call records, and no caller hears "written"
// before its rows are durable.
import sqlite3 from 'sqlite3';
import { CcboxError } from './errors.ts';

export type SqlValue = string | number | bigint | null | Buffer;
export type Params = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastID: number;
}

/** Statements available inside a write transaction. */
export interface Tx {
  run(sql: string, params?: Params): Promise<RunResult>;
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface DbOptions {
  file: string;
  readers?: number;
  busyTimeoutMs?: number;
}

function wrap(err: Error & { code?: string }, sql: string): CcboxError {
  const code = err.code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new CcboxError('CCBOX_ERR_DB_CORRUPT', `database is corrupt or not a SQLite file (${err.message})`, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new CcboxError('CCBOX_ERR_DB', `database is locked by another process (${err.message})`, { cause: err });
  }
  return new CcboxError('CCBOX_ERR_DB', `${err.message} [${sql.slice(0, 80)}]`, { cause: err });
}

class Conn implements Tx {
  constructor(readonly raw: sqlite3.Database) {}
  static open(file: string, mode: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, mode, (err) => (err ? reject(wrap(err, 'open')) : resolve(new Conn(db))));
    });
  }
  run(sql: string, params: Params = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(wrap(err, sql));
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }
  get<T = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get(sql, params, (err: Error | null, row: T) => (err ? reject(wrap(err, sql)) : resolve(row)));
    });
  }
  all<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(wrap(err, sql)) : resolve(rows)));
    });
  }
  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.exec(sql, (err) => (err ? reject(wrap(err, sql)) : resolve()));
    });
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())));
  }
}

interface PendingTx {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

/** At most this many transactions share one COMMIT. */
const MAX_GROUP = 200;

export class Database {
  private writer!: Conn;
  private readers: Conn[] = [];
  private nextReader = 0;
  /** Transactions waiting for the write connection, in order. */
  private pending: PendingTx[] = [];
  /** The group being written, if any (resolves when it settled). */
  private writing: Promise<void> | null = null;
  private closed = false;
  /** Figures for the health page and benchmarks: commits and the transactions they carried. */
  readonly stats = { commits: 0, transactions: 0, largestGroup: 0 };

  private constructor(readonly file: string) {}

  static async open(opts: DbOptions): Promise<Database> {
    const db = new Database(opts.file);
    const busy = opts.busyTimeoutMs ?? 2000;
    db.writer = await Conn.open(opts.file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
    try {
      // The first statement touches the file header: a non-database file fails here.
      await db.writer.exec(`PRAGMA busy_timeout=${busy}`);
      await db.writer.get('PRAGMA journal_mode=WAL');
      await db.writer.exec('PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON');
      await db.writer.get('SELECT count(*) AS n FROM sqlite_master');
      for (let i = 0; i < (opts.readers ?? 2); i++) {
        const r = await Conn.open(opts.file, sqlite3.OPEN_READONLY);
        await r.exec(`PRAGMA busy_timeout=${busy}; PRAGMA foreign_keys=ON`);
        db.readers.push(r);
      }
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
    return db;
  }

  /**
   * Runs fn inside BEGIN IMMEDIATE … COMMIT on the write connection. Transactions are queued,
   * so no other caller's statements interleave with this one across awaits. Any throw rolls back
   * this transaction's changes (and only them); the promise settles once the COMMIT is durable.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new CcboxError('CCBOX_ERR_DB', 'database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  /** Transactions queued or being written. */
  get pendingWrites(): number {
    return this.pending.length + (this.writing ? 1 : 0);
  }

  private kick(): void {
    if (this.writing || this.pending.length === 0) return;
    const group = this.pending.splice(0, MAX_GROUP);
    this.writing = this.writeGroup(group).finally(() => {
      this.writing = null;
      this.kick();
    });
  }

  private async writeGroup(group: PendingTx[]): Promise<void> {
    if (group.length === 1) return this.writeAlone(group[0]!);
    try {
      await this.writer.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    const values = new Map<PendingTx, unknown>();
    const failed = new Set<PendingTx>();
    try {
      for (const p of group) {
        await this.writer.exec('SAVEPOINT g');
        try {
          values.set(p, await p.fn(this.writer));
          await this.writer.exec('RELEASE g');
        } catch (err) {
          failed.add(p);
          p.reject(err);
          // Fails only when SQLite already ended the whole transaction (e.g. disk full): the rest is redone below.
          await this.writer.exec('ROLLBACK TO g; RELEASE g');
        }
      }
      await this.writer.exec('COMMIT');
    } catch {
      await this.writer.exec('ROLLBACK').catch(() => undefined);
      // Nothing of the group was written: each one that did not fail on its own is redone alone.
      for (const p of group) if (!failed.has(p)) await this.writeAlone(p);
      return;
    }
    this.stats.commits++;
    this.stats.transactions += values.size;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    for (const [p, value] of values) p.resolve(value);
  }

  private async writeAlone(p: PendingTx): Promise<void> {
    try {
      await this.writer.exec('BEGIN IMMEDIATE');
      try {
        const value = await p.fn(this.writer);
        await this.writer.exec('COMMIT');
        this.stats.commits++;
        this.stats.transactions++;
        p.resolve(value);
      } catch (err) {
        await this.writer.exec('ROLLBACK').catch(() => undefined);
        p.reject(err);
      }
    } catch (err) {
      p.reject(err);
    }
  }

  /** A single write statement, queued like a transaction. */
  run(sql: string, params?: Params): Promise<RunResult> {
    return this.transaction((tx) => tx.run(sql, params));
  }

  private reader(): Conn {
    const r = this.readers[this.nextReader++ % Math.max(1, this.readers.length)] ?? this.writer;
    return r;
  }

  get<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return this.reader().get<T>(sql, params);
  }

  all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.reader().all<T>(sql, params);
  }

  /** Bounded integrity check: PRAGMA quick_check(N) returns at most N problems; "ok" means none. */
  async quickCheck(maxErrors: number): Promise<string[]> {
    const rows = await this.writer.all<{ quick_check: string }>(`PRAGMA quick_check(${Math.max(1, maxErrors | 0)})`);
    const msgs = rows.map((r) => r.quick_check);
    return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    for (const r of this.readers) await r.close().catch(() => undefined);
    if (this.writer) {
      await this.writer.exec('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
      await this.writer.close();
    }
  }
}
