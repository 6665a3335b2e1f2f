// 上次接入人: per customer number, the agent who last talked to them (answered their call) or called them,
// kept 3 days and persisted, so 上次接入人优先 and 外呼指定分配 survive a restart.
import type { Logger } from '../platform/logger.ts';
import type { AcdStore, LastAgentRecord } from './store.ts';

export const LAST_AGENT_TTL_MS = 3 * 24 * 3600 * 1000;

/** Numbers compared digits-only with the + kept, so "138 0013 8000" and "13800138000" are one customer. */
export const normalizeNumber = (n: string): string => n.trim().replace(/[^\d+]/g, '');

export class CallbackMemory {
  private readonly byNumber = new Map<string, LastAgentRecord>();

  constructor(
    private readonly store: AcdStore,
    private readonly log: Logger,
    private readonly ttlMs = LAST_AGENT_TTL_MS,
  ) {}

  async load(now: number): Promise<void> {
    await this.store.purgeLastAgents(now - this.ttlMs);
    for (const r of await this.store.loadLastAgents(now - this.ttlMs)) this.byNumber.set(r.number, r);
  }

  remember(number: string, agentId: number, direction: 'inbound' | 'outbound', at: number): void {
    const key = normalizeNumber(number);
    if (!key) return;
    const rec = { number: key, agentId, direction, at };
    this.byNumber.set(key, rec);
    this.store.putLastAgent(rec).catch((err: unknown) => this.log.error({ err }, 'could not persist the last agent of a number'));
  }

  /** The last agent of the number if remembered within the TTL. */
  lookup(number: string, now: number): LastAgentRecord | null {
    const rec = this.byNumber.get(normalizeNumber(number));
    if (!rec) return null;
    if (now - rec.at >= this.ttlMs) {
      this.byNumber.delete(rec.number);
      return null;
    }
    return rec;
  }

  /** Drops expired entries from memory and disk (run daily). */
  async purge(now: number): Promise<void> {
    for (const [k, r] of this.byNumber) if (now - r.at >= this.ttlMs) this.byNumber.delete(k);
    await this.store.purgeLastAgents(now - this.ttlMs);
  }
}
