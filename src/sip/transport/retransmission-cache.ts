// Absorbs UDP retransmissions of the non-INVITE requests the stack answers itself (REGISTER, OPTIONS,
// default rejections): the last response is re-sent, the request is not processed again. This is the
// Completed state of RFC 3261 17.2.2 (Timer J = 64*T1) without a full transaction object.
import type { Clock } from '../../platform/clock.ts';
import { getCSeq, getTopVia, sentByOf, type SipRequest, type SipResponse } from '../core/index.ts';
import type { SipSource } from './transport-types.ts';

interface Entry {
  response?: SipResponse;
  until: number;
}

export class RetransmissionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly holdMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * RFC 3261 17.2.3: a request matches a transaction by the top Via branch, its sent-by and the method
   * (ACK excluded). Only UDP needs this; reliable transports do not retransmit.
   */
  static keyOf(req: SipRequest, source: SipSource): string | undefined {
    if (source.transport !== 'udp' || req.method === 'ACK' || req.method === 'INVITE') return undefined;
    try {
      const via = getTopVia(req);
      if (!via.branch) return undefined;
      return `${via.branch}|${sentByOf(via)}|${getCSeq(req).method}|${source.ip}:${source.port}`;
    } catch {
      return undefined;
    }
  }

  /** The earlier answer to this request ('pending' while it is being worked on), or undefined if new. */
  lookup(key: string): SipResponse | 'pending' | undefined {
    const e = this.entries.get(key);
    if (!e || e.until <= this.clock.monotonic()) return undefined;
    return e.response ?? 'pending';
  }

  begin(key: string): void {
    if (this.entries.size >= this.maxEntries) this.sweep();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { until: this.clock.monotonic() + this.holdMs });
  }

  complete(key: string, response: SipResponse): void {
    const e = this.entries.get(key);
    // Provisional answers do not complete a non-INVITE transaction; keep the latest for re-sending.
    this.entries.set(key, { response, until: Math.max(e?.until ?? 0, this.clock.monotonic() + (response.status >= 200 ? this.holdMs : 0)) });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  sweep(): void {
    const now = this.clock.monotonic();
    for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}
