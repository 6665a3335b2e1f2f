// A waiting call (or queue callback) and the timers and hooks that travel with it.
import type { TimerHandle } from '../platform/clock.ts';
import type { EnqueueOutcome, EnqueueRequest } from './acd-types.ts';
import type { QueueAction } from './settings-types.ts';

export interface OfferSlot {
  offerId: string;
  /** 'agent:<id>' | 'phone:<id>' */
  key: string;
  settled: boolean;
  deadline: TimerHandle | undefined;
}

/** The devices ringing for one entry at the same time. */
export interface OfferRound {
  slots: OfferSlot[];
  done: boolean;
  winner: string | null;
}

export interface QueueEntry {
  id: string;
  callId: string;
  queueKey: number | null;
  callerNumber: string;
  calleeNumber: string | null;
  priority: number;
  /** Box-wide arrival order. */
  seq: number;
  enqueuedAt: number;
  enqueuedMono: number;
  /** specifiedSeat: the only agents who may take it, in ring order; null = the group's members. */
  restrictTo: number[] | null;
  party: 'caller' | 'callback';
  callbackId: string | null;
  callbackNumber: string | null;
  callbackAttempts: number;
  waitNo: number;
  round: OfferRound | null;
  /** Members already rung for this entry without answer; they come round again after retryDelay. */
  tried: Set<string>;
  /** Monotonic ms before which tried members are not rung again. */
  retryAt: number;
  /** Monotonic ms before which the entry is not offered at all (a callback waiting to retry). */
  notBefore: number;
  maxWaitAt: number;
  maxWaitAction: QueueAction;
  noAgentAction: QueueAction;
  announce: { intervalMs: number; position: boolean; estimatedWait: boolean } | null;
  data: Record<string, string>;
  timers: { maxWait?: TimerHandle; announce?: TimerHandle };
  hooks: Pick<EnqueueRequest, 'onWaitNo' | 'onAnnounce'>;
  /** Settles the enqueue() promise; null once settled (a callback entry lives on after it). */
  resolve: ((o: EnqueueOutcome) => void) | null;
  finished: boolean;
  detachSignal: (() => void) | null;
}
