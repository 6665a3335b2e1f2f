// One skill group's waiting line: priority (1 first … 5) then arrival order, with ${WaitNo} kept current —
// every entry whose position changed is reported. A queue callback is an entry too and keeps its place.
import type { QueueEntry } from './queue-entry.ts';

/** Ordering of two entries: priority 1 before 5, then arrival (seq). */
export const entryOrder = (a: Pick<QueueEntry, 'priority' | 'seq'>, b: Pick<QueueEntry, 'priority' | 'seq'>): number => a.priority - b.priority || a.seq - b.seq;

export class CallQueue {
  private readonly list: QueueEntry[] = [];
  /** Entries restricted to named agents (specifiedSeat): while there are any, the group shortcut is off. */
  private restricted = 0;

  constructor(
    /** Skill group id; null = the 指定座席 queue (calls restricted to named agents without a group). */
    readonly key: number | null,
    private readonly onWaitNo: (entry: QueueEntry, waitNo: number) => void,
  ) {}

  get size(): number {
    return this.list.length;
  }

  get entries(): readonly QueueEntry[] {
    return this.list;
  }

  /** Inserts in order (binary search) and renumbers from there on. */
  insert(entry: QueueEntry): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entryOrder(this.list[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.list.splice(lo, 0, entry);
    if (entry.restrictTo) this.restricted++;
    this.renumber(lo);
    return lo + 1;
  }

  remove(entry: QueueEntry): boolean {
    const i = this.list.indexOf(entry);
    if (i < 0) return false;
    this.list.splice(i, 1);
    if (entry.restrictTo) this.restricted--;
    entry.waitNo = 0;
    this.renumber(i);
    return true;
  }

  positionOf(entry: QueueEntry): number {
    return this.list.indexOf(entry) + 1;
  }

  get callbacks(): number {
    let n = 0;
    for (const e of this.list) if (e.party === 'callback') n++;
    return n;
  }

  get hasRestricted(): boolean {
    return this.restricted > 0;
  }

  private renumber(from: number): void {
    for (let i = from; i < this.list.length; i++) {
      const e = this.list[i]!;
      if (e.waitNo !== i + 1) {
        e.waitNo = i + 1;
        this.onWaitNo(e, i + 1);
      }
    }
  }
}
