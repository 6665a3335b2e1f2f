// The parts of the ACD the queue manager and the dispatcher share.
import type { Clock } from '../platform/clock.ts';
import type { TypedEmitter } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import type { AfterCallWork } from './after-call-work.ts';
import type { AgentBook } from './agent-book.ts';
import type { AcdEvents, AgentDeviceDialer, QueueCallbackDialer } from './acd-types.ts';
import type { CallbackMemory } from './callback-memory.ts';
import type { AcdSettingsCache } from './settings.ts';

export interface AcdTuning {
  /** After every member was rung for a call without answer, wait this long before ringing them again. */
  retryDelayMs: number;
  /** The ACD's own deadline on an offer: timeoutMs + this. */
  offerGraceMs: number;
  /** Deadline for dialing a queue callback's customer. */
  callbackDialTimeoutMs: number;
  /** Ring limit when 呼入超时转接 is off and nothing else bounds it (callbacks). */
  maxRingMs: number;
  /** A queue callback whose customer did not answer keeps its place but is not dialed again before this. */
  callbackRetryMs: number;
}

export const DEFAULT_TUNING: AcdTuning = { retryDelayMs: 2000, offerGraceMs: 2000, callbackDialTimeoutMs: 45_000, maxRingMs: 120_000, callbackRetryMs: 60_000 };

export interface AcdCore {
  clock: Clock;
  log: Logger;
  events: TypedEmitter<AcdEvents>;
  book: AgentBook;
  settings: AcdSettingsCache;
  memory: CallbackMemory;
  acw: AfterCallWork;
  random: () => number;
  tuning: AcdTuning;
  dialer: AgentDeviceDialer | null;
  callbackDialer: QueueCallbackDialer | null;
  /** Average talk time per queue (group id, null = no group), for estimated-wait prompts. */
  handleMs: Map<number | null, number>;
}

/** Runs a hook supplied by the call side; its exceptions are logged, never thrown into the ACD. */
export function safeHook<A extends unknown[]>(log: Logger, fn: ((...a: A) => void) | undefined, ...args: A): void {
  if (!fn) return;
  try {
    fn(...args);
  } catch (err) {
    log.error({ err }, 'an ACD hook of the call side threw');
  }
}
