// Offers that ring a workbench: the agent's browser is told over its WebSocket (`callOffer`), and the offer
// waits for the agent's answer or reject through the control API, the ring timeout, or a cancel.
// 呼入自动接听 answers at once (the softphone is connected, so nothing waits for a click).
import type { OfferCallInfo, OfferOptions } from '../acd/index.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';

type Answer = 'answered' | 'rejected' | 'timeout' | 'failed';

interface Pending {
  offerId: string;
  callId: string;
  agentId: number;
  timer: TimerHandle | undefined;
  resolve: (a: Answer) => void;
}

export class BrowserOffers {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly notify: (agentId: number, event: string, data: unknown) => boolean,
  ) {}

  offer(agentId: number, info: OfferCallInfo, opts: OfferOptions): Promise<Answer> {
    const event = {
      offerId: info.offerId, callId: info.callId, callerNumber: info.callerNumber, calleeNumber: info.calleeNumber, skillGroupId: info.skillGroupId,
      skillGroupName: info.skillGroupName, waitedMs: info.waitedMs, data: info.data, autoAnswer: opts.autoAnswer, timeoutMs: opts.timeoutMs,
    };
    const told = this.notify(agentId, 'callOffer', event);
    if (opts.autoAnswer) return Promise.resolve('answered');
    if (!told) return Promise.resolve('failed');
    return new Promise<Answer>((resolve) => {
      const p: Pending = { offerId: info.offerId, callId: info.callId, agentId, timer: undefined, resolve };
      p.timer = this.clock.setTimeout(() => this.settle(p, 'timeout'), opts.timeoutMs);
      this.pending.set(info.offerId, p);
    });
  }

  private settle(p: Pending, a: Answer): void {
    if (this.pending.get(p.offerId) !== p) return;
    this.pending.delete(p.offerId);
    this.clock.clearTimeout(p.timer);
    if (a !== 'answered') this.notify(p.agentId, 'callOfferEnded', { offerId: p.offerId, callId: p.callId, reason: a });
    p.resolve(a);
  }

  private find(callId: string, agentId: number): Pending | undefined {
    return [...this.pending.values()].find((p) => p.callId === callId && p.agentId === agentId);
  }

  /** Whether `agentId` is being offered `callId` right now. */
  ringing(callId: string, agentId: number): boolean {
    return !!this.find(callId, agentId);
  }

  answer(callId: string, agentId: number): boolean {
    const p = this.find(callId, agentId);
    if (p) this.settle(p, 'answered');
    return !!p;
  }

  reject(callId: string, agentId: number): boolean {
    const p = this.find(callId, agentId);
    if (p) this.settle(p, 'rejected');
    return !!p;
  }

  cancel(offerId: string): void {
    const p = this.pending.get(offerId);
    if (p) this.settle(p, 'failed');
  }
}
