// The waiting calls of every skill group: joining (or 无座席在线 at once), ${WaitNo} updates, position and
// estimated-wait announcements, max wait, the caller leaving, and queue callbacks that keep their place.
import { randomUUID } from 'node:crypto';
import { conflict, validationError } from '../platform/errors.ts';
import type { EnqueueOutcome, EnqueueRequest, QueueAnnouncement, QueueEvent } from './acd-types.ts';
import { safeHook, type AcdCore } from './core.ts';
import { estimateWaitMs } from './estimate.ts';
import { CallQueue } from './queue.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { QueueAction } from './settings-types.ts';

type Reason = 'no-agent-online' | 'max-wait';

export function actionOutcome(a: QueueAction, reason: Reason): EnqueueOutcome {
  if (a.action === 'overflow') return { outcome: 'overflow', skillGroupId: a.skillGroupId, reason };
  if (a.action === 'voicemail') return { outcome: 'voicemail', reason };
  return { outcome: 'hangup', reason, prompt: a.prompt };
}

/** What the queue manager needs of the dispatcher (set after both are built). */
export interface RoundControl {
  schedule(): void;
  cancelRound(entry: QueueEntry, reason: 'caller-abandoned' | 'max-wait' | 'no-agent' | 'shutdown'): void;
}

export class QueueManager {
  readonly queues = new Map<number | null, CallQueue>();
  readonly byCallId = new Map<string, QueueEntry>();
  readonly byCallbackId = new Map<string, QueueEntry>();
  private seq = 0;
  rounds!: RoundControl;
  /** Set when an agent or phone went offline: the next pump checks for queues left without anyone online. */
  noAgentCheck = false;

  constructor(private readonly core: AcdCore) {}

  private queue(key: number | null): CallQueue {
    let q = this.queues.get(key);
    if (!q) {
      q = new CallQueue(key, (e, n) => this.waitNoChanged(e, n));
      this.queues.set(key, q);
    }
    return q;
  }

  private waitNoChanged(e: QueueEntry, waitNo: number): void {
    this.core.events.safeEmit('wait-no', { callId: e.callId, skillGroupId: e.queueKey, waitNo });
    if (e.party === 'caller') safeHook(this.core.log, e.hooks.onWaitNo, waitNo);
  }

  /** specifiedSeat e-mails → agent ids, unknown ones dropped; null when none is left (the group's members take it). */
  private restriction(req: EnqueueRequest): number[] | null {
    if (!req.agentEmails?.length) return null;
    const ids: number[] = [];
    for (const e of req.agentEmails) {
      const id = this.core.book.dir.agentsByEmail.get(e.trim().toLowerCase());
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    return ids.length ? ids : null;
  }

  private groupOf(req: EnqueueRequest): number | null {
    const dir = this.core.book.dir;
    if (req.skillGroupId != null) {
      if (!dir.groups.has(req.skillGroupId)) throw validationError('skillGroupId', `skill group ${req.skillGroupId} does not exist`);
      return req.skillGroupId;
    }
    if (req.skillGroupName) {
      const g = [...dir.groups.values()].find((x) => x.name === req.skillGroupName);
      if (!g) throw validationError('skillGroupName', `skill group ${req.skillGroupName} does not exist`);
      return g.id;
    }
    return null;
  }

  enqueue(req: EnqueueRequest): Promise<EnqueueOutcome> {
    const { book, settings } = this.core;
    if (this.byCallId.has(req.callId)) throw conflict('callId', `call ${req.callId} is already queued`);
    const groupId = this.groupOf(req);
    if (groupId === null && !req.agentEmails?.length) throw validationError('skillGroupId', 'a skill group or a list of agents is required');
    const s = settings.effective(groupId);
    const restrictTo = this.restriction(req);
    const noAgentAction = req.noAgentAction ?? s.queue.noAgentAction;
    if (req.signal?.aborted) return Promise.resolve({ outcome: 'callerAbandoned', waitedMs: 0, ringing: false });
    if ((groupId === null && !restrictTo) || !book.anyOnline(groupId, restrictTo)) {
      this.emitQueue('left', req.callId, groupId, 'caller', actionOutcome(noAgentAction, 'no-agent-online').outcome);
      return Promise.resolve(actionOutcome(noAgentAction, 'no-agent-online'));
    }
    const entry = this.newEntry(req, groupId, restrictTo, noAgentAction);
    return new Promise((resolve) => {
      entry.resolve = resolve;
      this.byCallId.set(entry.callId, entry);
      this.emitQueue('joined', entry.callId, groupId, 'caller');
      this.queue(groupId).insert(entry);
      this.armTimers(entry);
      if (req.signal) {
        const onAbort = (): void => void this.abandon(entry.callId);
        req.signal.addEventListener('abort', onAbort, { once: true });
        entry.detachSignal = () => req.signal!.removeEventListener('abort', onAbort);
      }
      this.rounds.schedule();
    });
  }

  private newEntry(req: EnqueueRequest, groupId: number | null, restrictTo: number[] | null, noAgentAction: QueueAction): QueueEntry {
    const s = this.core.settings.effective(groupId);
    const { clock } = this.core;
    const interval = req.announce === undefined ? s.queue.announce.intervalSec * 1000 : (req.announce?.intervalMs ?? 0);
    return {
      id: randomUUID(),
      callId: req.callId,
      queueKey: groupId,
      callerNumber: req.callerNumber,
      calleeNumber: req.calleeNumber ?? null,
      priority: Math.max(1, Math.min(5, Math.trunc(req.priority ?? 3))),
      seq: ++this.seq,
      enqueuedAt: clock.now(),
      enqueuedMono: clock.monotonic(),
      restrictTo,
      party: 'caller',
      callbackId: null,
      callbackNumber: null,
      callbackAttempts: 0,
      waitNo: 0,
      round: null,
      tried: new Set(),
      retryAt: 0,
      notBefore: 0,
      maxWaitAt: clock.monotonic() + (req.maxWaitMs ?? s.queue.maxWaitSec * 1000),
      maxWaitAction: req.maxWaitAction ?? s.queue.maxWaitAction,
      noAgentAction,
      announce: interval > 0 ? { intervalMs: interval, position: req.announce?.position ?? s.queue.announce.position, estimatedWait: req.announce?.estimatedWait ?? s.queue.announce.estimatedWait } : null,
      data: { ...(req.data ?? {}) },
      timers: {},
      hooks: { onWaitNo: req.onWaitNo, onAnnounce: req.onAnnounce },
      resolve: null,
      finished: false,
      detachSignal: null,
    };
  }

  private armTimers(entry: QueueEntry): void {
    const { clock } = this.core;
    entry.timers.maxWait = clock.setTimeout(() => this.finish(entry, actionOutcome(entry.maxWaitAction, 'max-wait')), entry.maxWaitAt - clock.monotonic());
    if (entry.announce) entry.timers.announce = clock.setInterval(() => this.announce(entry), entry.announce.intervalMs);
  }

  private clearTimers(entry: QueueEntry): void {
    this.core.clock.clearTimeout(entry.timers.maxWait);
    this.core.clock.clearInterval(entry.timers.announce);
    entry.timers = {};
  }

  private announce(entry: QueueEntry): void {
    if (entry.finished || entry.party !== 'caller' || !entry.announce) return;
    const online = entry.queueKey !== null ? this.core.book.counts(entry.queueKey).online : (entry.restrictTo?.length ?? 1);
    const a: QueueAnnouncement = {
      callId: entry.callId,
      skillGroupId: entry.queueKey,
      waitNo: entry.waitNo,
      estimatedWaitMs: estimateWaitMs(entry.waitNo, this.core.handleMs.get(entry.queueKey) ?? null, online),
      position: entry.announce.position,
      estimatedWait: entry.announce.estimatedWait,
    };
    this.core.events.safeEmit('announce', a);
    safeHook(this.core.log, entry.hooks.onAnnounce, a);
  }

  /** The caller hung up while queued or ringing. */
  abandon(callId: string): boolean {
    const entry = this.byCallId.get(callId);
    if (!entry || entry.finished || entry.party !== 'caller') return false;
    const ringing = entry.round !== null && !entry.round.done;
    this.finish(entry, { outcome: 'callerAbandoned', waitedMs: this.core.clock.monotonic() - entry.enqueuedMono, ringing }, 'caller-abandoned');
    return true;
  }

  /** Ends an entry: out of its queue, timers off, ringing cancelled, enqueue() settled. */
  finish(entry: QueueEntry, outcome: EnqueueOutcome | null, cancelReason: 'caller-abandoned' | 'max-wait' | 'no-agent' | 'shutdown' = 'max-wait', leftAs?: QueueEvent['outcome']): void {
    if (entry.finished) return;
    entry.finished = true;
    this.clearTimers(entry);
    entry.detachSignal?.();
    if (entry.round && !entry.round.done) this.rounds.cancelRound(entry, cancelReason);
    this.queues.get(entry.queueKey)?.remove(entry);
    this.byCallId.delete(entry.callId);
    if (entry.callbackId) this.byCallbackId.delete(entry.callbackId);
    this.emitQueue('left', entry.callId, entry.queueKey, entry.party, leftAs ?? outcome?.outcome);
    if (outcome && entry.resolve) {
      const resolve = entry.resolve;
      entry.resolve = null;
      resolve(outcome);
    }
  }

  /**
   * 排队回呼: the caller pressed the key. The entry stays where it is, its "device" now a number to dial back;
   * enqueue() settles with callbackScheduled and the call side hangs up.
   */
  requestCallback(callId: string, number?: string): { callbackId: string; waitNo: number } {
    const entry = this.byCallId.get(callId);
    if (!entry || entry.finished || entry.party !== 'caller') throw conflict('callId', `call ${callId} is not waiting in a queue`);
    const s = this.core.settings.effective(entry.queueKey);
    if (!s.queue.callback.enabled) throw conflict('callback', '该技能组未开启排队回呼 (queue callback is off for this group)');
    if (entry.round && !entry.round.done) this.rounds.cancelRound(entry, 'caller-abandoned');
    this.clearTimers(entry);
    entry.detachSignal?.();
    entry.detachSignal = null;
    entry.party = 'callback';
    entry.callbackId = randomUUID();
    entry.callbackNumber = (number ?? entry.callerNumber).trim();
    this.byCallbackId.set(entry.callbackId, entry);
    const out = { callbackId: entry.callbackId, waitNo: entry.waitNo };
    this.core.events.safeEmit('callback', { callbackId: entry.callbackId, callId, number: entry.callbackNumber, state: 'scheduled', agentId: null });
    const resolve = entry.resolve;
    entry.resolve = null;
    resolve?.({ outcome: 'callbackScheduled', ...out });
    this.rounds.schedule();
    return out;
  }

  cancelCallback(callbackId: string): boolean {
    const entry = this.byCallbackId.get(callbackId);
    if (!entry || entry.finished || !this.queues.get(entry.queueKey)?.entries.includes(entry)) return false;
    this.finish(entry, null, 'caller-abandoned', 'callback-cancelled');
    this.core.events.safeEmit('callback', { callbackId, callId: entry.callId, number: entry.callbackNumber!, state: 'cancelled', agentId: null });
    return true;
  }

  /** A callback whose agent answered leaves the line while its customer is dialed… */
  takeForCallback(entry: QueueEntry): void {
    this.queues.get(entry.queueKey)?.remove(entry);
  }

  /** …and returns to its old place (its arrival order) when the customer did not answer. */
  requeueCallback(entry: QueueEntry): void {
    if (entry.finished) return;
    this.queue(entry.queueKey).insert(entry);
    this.rounds.schedule();
  }

  /** Callers in queues where nobody is online any more get the 无座席在线 action. */
  checkNoAgent(): void {
    for (const q of this.queues.values()) {
      const groupOnline = q.key !== null ? this.core.book.anyOnline(q.key, null) : false;
      for (const e of [...q.entries]) {
        if (e.party !== 'caller' || e.finished) continue;
        const online = e.restrictTo ? this.core.book.anyOnline(e.queueKey, e.restrictTo) : groupOnline;
        if (!online) this.finish(e, actionOutcome(e.noAgentAction, 'no-agent-online'), 'no-agent');
      }
    }
  }

  /** Shutdown: callers are told to hang up, callbacks are dropped. */
  stop(): void {
    for (const e of [...this.byCallId.values()]) this.finish(e, { outcome: 'hangup', reason: 'shutdown', prompt: null }, 'shutdown');
  }

  private emitQueue(type: QueueEvent['type'], callId: string, skillGroupId: number | null, kind: QueueEvent['kind'], outcome?: QueueEvent['outcome']): void {
    this.core.events.safeEmit('queue', { type, callId, skillGroupId, kind, at: this.core.clock.now(), ...(outcome ? { outcome } : {}) });
  }
}
