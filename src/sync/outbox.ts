// The sync outbox: what must reach HQ is written as a row in the same transaction as the data it carries
// (DESIGN.md storage rules), so a crash or a cloud outage only grows the outbox. Pushing is a later part.
import type { Database, Tx } from '../platform/db.ts';

export type OutboxKind = 'call_record';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  /** The idempotency key HQ deduplicates on (a record's UUID). */
  refId: string;
  payload: unknown;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
}

/**
 * Adds the row inside the caller's transaction. A second row for the same (kind, refId) replaces the
 * payload of one not yet sent (at-least-once with the UUID as key: HQ takes the newest).
 */
export async function addToOutbox(tx: Tx, kind: OutboxKind, refId: string, payload: unknown, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO sync_outbox (kind, ref_id, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kind, ref_id) DO UPDATE SET payload = excluded.payload, sent_at = NULL, next_attempt_at = excluded.next_attempt_at`,
    [kind, refId, JSON.stringify(payload), now, now],
  );
}

interface Raw {
  id: number;
  kind: OutboxKind;
  ref_id: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  sent_at: number | null;
}

/** Rows waiting to be pushed, oldest first (the pusher of the sync issue reads them here). */
export async function pendingOutbox(db: Database, limit = 100): Promise<OutboxRow[]> {
  const rows = await db.all<Raw>('SELECT * FROM sync_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?', [limit]);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, refId: r.ref_id, payload: JSON.parse(r.payload) as unknown, createdAt: r.created_at,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, sentAt: r.sent_at,
  }));
}
