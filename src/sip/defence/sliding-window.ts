// Counts events per key within a sliding time window (request rates, auth failures).

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  /** Records one event at `now` and returns how many fall inside the window ending at `now`. */
  hit(key: string, now: number): number {
    const list = this.prune(key, now) ?? [];
    list.push(now);
    this.hits.set(key, list);
    return list.length;
  }

  count(key: string, now: number): number {
    return this.prune(key, now)?.length ?? 0;
  }

  clear(key: string): void {
    this.hits.delete(key);
  }

  /** Drops keys with no event inside the window (called from a periodic sweep). */
  sweep(now: number): void {
    for (const key of [...this.hits.keys()]) this.prune(key, now);
  }

  get size(): number {
    return this.hits.size;
  }

  private prune(key: string, now: number): number[] | undefined {
    const list = this.hits.get(key);
    if (!list) return undefined;
    let drop = 0;
    while (drop < list.length && list[drop]! <= now - this.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) {
      this.hits.delete(key);
      return undefined;
    }
    return list;
  }
}
