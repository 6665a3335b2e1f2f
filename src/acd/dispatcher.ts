// Matches waiting calls with free members — box-wide by priority then arrival, each group by its strategy —
// and rings them through the AgentDeviceDialer: first to answer wins, no answer moves on to the next member
// (and sends the one who let it ring out to 小休 when configured), a queue callback dials its customer back.
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../platform/clock.ts';
import { agentKey } from './agent-book.ts';
import type { GroupPhoneRuntime, AgentRuntime } from './agent-state.ts';
import type { ChangeCause } from './agent-state-types.ts';
import type { OfferCallInfo, OfferCancelReason, OfferResult, OfferTarget } from './acd-types.ts';
import type { AcdCore } from './core.ts';
import { nextAverage } from './estimate.ts';
import { entryOrder, type CallQueue } from './queue.ts';
import type { OfferRound, OfferSlot, QueueEntry } from './queue-entry.ts';
import type { QueueManager, RoundControl } from './queues.ts';
import { firstRingStep, type Candidate, type RingStep } from './strategies/index.ts';

interface Cursor {
  q: CallQueue;
  i: number;
  /** The group's free members at the start of the pump; null when entries carry their own agent lists. */
  members: Candidate[] | null;
}

export class Dispatcher implements RoundControl {
  private scheduled = false;
  private pumping = false;
  private stopped = false;
  private retryTimer: TimerHandle | undefined;
  private retryAtMono = Infinity;
  /** pick()'s list of free candidates, reused so a selection allocates no list of the group's size. */
  private readonly scratch: Candidate[] = [];

  constructor(
    private readonly core: AcdCore,
    private readonly queues: QueueManager,
  ) {}

  /** Coalesces every reason to look again (a call joined, a member became free) into one pump. */
  schedule(): void {
    if (this.scheduled || this.pumping || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pumping = true;
      try {
        this.pump();
      } catch (err) {
        this.core.log.error({ err }, 'ACD dispatch failed');
      } finally {
        this.pumping = false;
      }
    });
  }

  private pump(): void {
    if (this.queues.noAgentCheck) {
      this.queues.noAgentCheck = false;
      this.queues.checkNoAgent();
    }
    if (!this.core.dialer) return;
    const cursors: Cursor[] = [];
    for (const q of this.queues.queues.values()) {
      if (!q.size) continue;
      const members = q.key !== null && !q.hasRestricted ? this.core.book.groupCandidates(q.key) : null;
      if (members && !members.length) continue;
      cursors.push({ q, i: 0, members });
    }
    for (;;) {
      const best = this.nextCursor(cursors);
      if (!best) return;
      const entry = best.q.entries[best.i++]!;
      const step = this.pick(entry, best.members);
      if (step.length) this.startRound(entry, step);
      if (best.members && !best.members.some((m) => this.core.book.stillAvailable(m, best.q.key))) cursors.splice(cursors.indexOf(best), 1);
    }
  }

  /** The cursor whose next unserved entry comes first box-wide; exhausted cursors are dropped. */
  private nextCursor(cursors: Cursor[]): Cursor | null {
    let best: Cursor | null = null;
    const now = this.core.clock.monotonic();
    for (let k = cursors.length - 1; k >= 0; k--) {
      const c = cursors[k]!;
      while (c.i < c.q.size && (c.q.entries[c.i]!.round || c.q.entries[c.i]!.notBefore > now)) c.i++;
      if (c.i >= c.q.size) {
        cursors.splice(k, 1);
        continue;
      }
      if (!best || entryOrder(c.q.entries[c.i]!, best.q.entries[best.i]!) < 0) best = c;
    }
    return best;
  }

  /** Whom to ring now for this entry (empty: nobody suitable is free). Pure selection over in-memory state. */
  pick(entry: QueueEntry, members: Candidate[] | null): RingStep {
    const { book, settings, memory, clock } = this.core;
    // The free candidates, in the group's order, gathered into a list reused from pick to pick.
    const free = this.scratch;
    free.length = 0;
    if (entry.restrictTo || members) {
      const pool = entry.restrictTo ? book.restrictedCandidates(entry.restrictTo, entry.queueKey) : members!;
      for (const c of pool) if (book.stillAvailable(c, entry.queueKey)) free.push(c);
    } else if (entry.queueKey !== null) {
      book.freeCandidates(entry.queueKey, free);
    }
    if (!free.length) return [];
    let skip: ReadonlySet<string> | null = entry.tried.size ? entry.tried : null;
    if (skip && free.every((c) => skip!.has(c.key))) {
      // Everyone free was rung for this call already: ring them again, but not in a tight loop.
      const now = clock.monotonic();
      if (now < entry.retryAt) {
        this.retryLater(entry.retryAt);
        free.length = 0;
        return [];
      }
      entry.tried.clear();
      skip = null;
    }
    const s = settings.effective(entry.queueKey);
    const ringMode = entry.queueKey !== null && !entry.restrictTo ? (book.dir.groups.get(entry.queueKey)?.ringMode ?? 'sequential') : 'sequential';
    const last = s.routing.lastAgentFirst ? memory.lookup(entry.party === 'callback' ? entry.callbackNumber! : entry.callerNumber, clock.now()) : null;
    const step = firstRingStep(free, { ringMode, distribution: s.routing.distribution, lastKey: last ? agentKey(last.agentId) : null }, { random: this.core.random }, skip);
    free.length = 0;
    // The book's candidate objects are reused by the next pick: the step gets its own.
    return step.map((c) => ({ ...c }));
  }

  private retryLater(atMono: number): void {
    if (atMono >= this.retryAtMono) return;
    this.core.clock.clearTimeout(this.retryTimer);
    this.retryAtMono = atMono;
    this.retryTimer = this.core.clock.setTimeout(() => {
      this.retryAtMono = Infinity;
      this.schedule();
    }, atMono - this.core.clock.monotonic());
  }

  private runtime(key: string): AgentRuntime | GroupPhoneRuntime | undefined {
    const [kind, id] = key.split(':');
    return kind === 'agent' ? this.core.book.agent(Number(id)) : this.core.book.phones.get(Number(id));
  }

  private target(c: Candidate): OfferTarget {
    if (c.kind === 'phone') return { kind: 'phone', phoneId: c.id };
    const rt = this.core.book.agent(c.id)!;
    const phone = rt.presence.phoneRegistered && !rt.presence.dnd ? rt.presence.phoneId : null;
    return { kind: 'agent', agentId: c.id, web: rt.presence.web, phoneId: phone };
  }

  private moveDispatch(key: string, to: 'waiting' | 'reserved' | 'ringing' | 'in-call', cause: ChangeCause, callId: string): void {
    const rt = this.runtime(key);
    if (!rt || rt.dispatch === to) return;
    // Only undo what this call did: a member already busy with another call is left alone.
    if (to !== 'reserved' && rt.dispatch !== 'waiting' && rt.callId !== callId) return;
    rt.transitionDispatch(to, { cause, callId, at: this.core.clock.now() });
  }

  private startRound(entry: QueueEntry, step: RingStep): void {
    const { clock, settings, tuning } = this.core;
    const dialer = this.core.dialer!;
    const s = settings.effective(entry.queueKey);
    const untilMaxWait = Number.isFinite(entry.maxWaitAt) && entry.party === 'caller' ? entry.maxWaitAt - clock.monotonic() : tuning.maxRingMs;
    const ringMs = s.answer.ringTimeout.enabled ? s.answer.ringTimeout.seconds * 1000 : Math.max(1000, untilMaxWait);
    const round: OfferRound = { slots: [], done: false, winner: null };
    entry.round = round;
    // 预占 first, so no other call can take these members while their devices are being rung.
    for (const c of step) this.moveDispatch(c.key, 'reserved', 'reserve', entry.callId);
    for (const c of step) {
      const slot: OfferSlot = { offerId: randomUUID(), key: c.key, settled: false, deadline: undefined };
      round.slots.push(slot);
      this.moveDispatch(c.key, 'ringing', 'offer', entry.callId);
      const target = this.target(c);
      const info = this.callInfo(entry, slot.offerId);
      this.core.events.safeEmit('offer', { offerId: slot.offerId, callId: entry.callId, target, skillGroupId: entry.queueKey, at: clock.now() });
      slot.deadline = clock.setTimeout(() => this.settle(entry, round, slot, 'timeout', true), ringMs + tuning.offerGraceMs);
      Promise.resolve()
        .then(() => dialer.offer(target, info, { timeoutMs: ringMs, autoAnswer: s.answer.autoAnswer }))
        .then(
          (r) => this.settle(entry, round, slot, r, false),
          (err: unknown) => {
            this.core.log.warn({ err, callId: entry.callId }, 'offering a call to a device failed');
            this.settle(entry, round, slot, 'failed', false);
          },
        );
    }
  }

  private callInfo(entry: QueueEntry, offerId: string): OfferCallInfo {
    const g = entry.queueKey !== null ? this.core.book.dir.groups.get(entry.queueKey) : undefined;
    return {
      offerId,
      callId: entry.callId,
      kind: entry.party === 'callback' ? 'callback' : 'inbound',
      callerNumber: entry.party === 'callback' ? entry.callbackNumber! : entry.callerNumber,
      calleeNumber: entry.calleeNumber,
      skillGroupId: entry.queueKey,
      skillGroupName: g?.name ?? null,
      waitedMs: this.core.clock.monotonic() - entry.enqueuedMono,
      data: entry.data,
    };
  }

  private settle(entry: QueueEntry, round: OfferRound, slot: OfferSlot, result: OfferResult, byDeadline: boolean): void {
    const dialer = this.core.dialer;
    if (slot.settled) {
      // Answered after we gave up on it (cancelled, another device won): release that leg.
      if (result === 'answered' && round.winner !== slot.offerId) dialer?.cancel(slot.offerId, 'answered-elsewhere');
      return;
    }
    slot.settled = true;
    this.core.clock.clearTimeout(slot.deadline);
    if (byDeadline) dialer?.cancel(slot.offerId, 'deadline');
    this.emitOffer(entry, slot, result);
    if (result === 'answered') return this.won(entry, round, slot);
    this.moveDispatch(slot.key, 'waiting', 'no-answer', entry.callId);
    if (result === 'timeout') this.afterRingTimeout(entry, slot.key);
    entry.tried.add(slot.key);
    if (round.slots.every((x) => x.settled)) {
      round.done = true;
      entry.round = null;
      entry.retryAt = this.core.clock.monotonic() + this.core.tuning.retryDelayMs;
      this.schedule();
    }
  }

  /** 超时转接后自动置为小休: the agent who let it ring out goes on break (else stays 示闲). */
  private afterRingTimeout(entry: QueueEntry, key: string): void {
    const rt = this.runtime(key);
    if (!rt || !('status' in rt) || rt.status !== 'idle') return;
    if (this.core.settings.effective(entry.queueKey).answer.breakAfterRingTimeout) {
      this.core.book.setStatus(rt, 'break', { cause: 'ring-timeout', callId: entry.callId, breakReasonId: null });
    }
  }

  private won(entry: QueueEntry, round: OfferRound, slot: OfferSlot): void {
    const { clock, book, memory } = this.core;
    round.done = true;
    round.winner = slot.offerId;
    entry.round = null;
    this.cancelSlots(entry, round, 'answered-elsewhere');
    const rt = this.runtime(slot.key);
    if (rt) {
      this.moveDispatch(slot.key, 'in-call', 'answered', entry.callId);
      rt.countAnswered(book.day());
      if ('openSessions' in rt) {
        rt.openSessions.add(entry.callId);
        rt.callGroupId = entry.queueKey;
      }
    }
    const agentId = rt && 'agentId' in rt ? rt.agentId : null;
    const phoneId = rt && 'phoneId' in rt ? rt.phoneId : null;
    if (entry.party === 'caller') {
      if (agentId !== null) memory.remember(entry.callerNumber, agentId, 'inbound', clock.now());
      const waitedMs = clock.monotonic() - entry.enqueuedMono;
      this.queues.finish(entry, { outcome: 'connected', agentId, phoneId, offerId: slot.offerId, waitedMs }, 'max-wait', 'connected');
    } else {
      void this.dialBack(entry, agentId, phoneId);
    }
  }

  private cancelSlots(entry: QueueEntry, round: OfferRound, reason: OfferCancelReason): void {
    for (const other of round.slots) {
      if (other.settled) continue;
      other.settled = true;
      this.core.clock.clearTimeout(other.deadline);
      this.core.dialer?.cancel(other.offerId, reason);
      this.moveDispatch(other.key, 'waiting', 'cancelled', entry.callId);
      this.emitOffer(entry, other, 'cancelled');
    }
  }

  /** The entry ended while its devices rang (caller left, max wait, no agent, shutdown). */
  cancelRound(entry: QueueEntry, reason: 'caller-abandoned' | 'max-wait' | 'no-agent' | 'shutdown'): void {
    const round = entry.round;
    if (!round || round.done) return;
    round.done = true;
    entry.round = null;
    this.cancelSlots(entry, round, reason);
  }

  private emitOffer(entry: QueueEntry, slot: OfferSlot, result: OfferResult | 'cancelled'): void {
    const rt = this.runtime(slot.key);
    const target: OfferTarget = rt && 'agentId' in rt ? { kind: 'agent', agentId: rt.agentId, web: rt.presence.web, phoneId: rt.presence.phoneId } : { kind: 'phone', phoneId: Number(slot.key.split(':')[1]) };
    this.core.events.safeEmit('offer', { offerId: slot.offerId, callId: entry.callId, target, skillGroupId: entry.queueKey, at: this.core.clock.now(), result });
  }

  /** 排队回呼: the agent answered; now the customer is dialed. No answer puts the callback back in its place. */
  private async dialBack(entry: QueueEntry, agentId: number | null, phoneId: number | null): Promise<void> {
    const { clock, tuning, events, memory } = this.core;
    this.queues.takeForCallback(entry);
    const base = { callbackId: entry.callbackId!, callId: entry.callId, number: entry.callbackNumber!, agentId };
    events.safeEmit('callback', { ...base, state: 'dialing' });
    const dialer = this.core.callbackDialer;
    let result: 'connected' | 'no-answer' | 'failed' = 'failed';
    if (dialer) {
      let timer: TimerHandle | undefined;
      const deadline = new Promise<'failed'>((resolve) => (timer = clock.setTimeout(() => resolve('failed'), tuning.callbackDialTimeoutMs + tuning.offerGraceMs)));
      const req = { callbackId: base.callbackId, callId: entry.callId, number: base.number, agentId, phoneId, skillGroupId: entry.queueKey, timeoutMs: tuning.callbackDialTimeoutMs };
      result = await Promise.race([Promise.resolve().then(() => dialer.dialBack(req)), deadline]).catch(() => 'failed' as const);
      clock.clearTimeout(timer);
    }
    if (result === 'connected') {
      if (agentId !== null) memory.remember(base.number, agentId, 'inbound', clock.now());
      events.safeEmit('callback', { ...base, state: 'connected' });
      this.queues.finish(entry, null, 'max-wait', 'callback-connected');
      return;
    }
    this.endCall(entry.callId, false);
    entry.callbackAttempts++;
    if (entry.callbackAttempts < this.core.settings.effective(entry.queueKey).queue.callback.maxAttempts) {
      events.safeEmit('callback', { ...base, state: 'retry' });
      entry.tried.clear();
      entry.notBefore = clock.monotonic() + tuning.callbackRetryMs;
      this.retryLater(entry.notBefore);
      this.queues.requeueCallback(entry);
    } else {
      events.safeEmit('callback', { ...base, state: 'failed' });
      this.queues.finish(entry, null, 'max-wait', 'callback-failed');
    }
  }

  /**
   * A call of an agent or group phone ended (reported by the call side, or a callback nobody answered):
   * back to 空闲, the talk time feeds the estimate, and 话后整理 begins when `wrapUp`.
   */
  endCall(callId: string, wrapUp = true): boolean {
    const { book, clock, acw } = this.core;
    let found = false;
    const now = clock.now();
    for (const rt of book.agents.values()) {
      const holds = rt.callId === callId || rt.openSessions.has(callId);
      if (!holds) continue;
      found = true;
      rt.openSessions.delete(callId);
      if (rt.callId !== callId) continue;
      const talked = rt.dispatch === 'in-call';
      if (talked) this.recordHandle(rt.callGroupId, now - rt.dispatchSince);
      rt.transitionDispatch('waiting', { cause: 'call-ended', callId, at: now });
      // Only a call the agent talked on is wrapped up; one that ended while ringing is not.
      if (wrapUp && talked) acw.begin(rt, callId);
    }
    for (const p of book.phones.values()) {
      if (p.callId !== callId) continue;
      found = true;
      p.transitionDispatch('waiting', { cause: 'call-ended', callId, at: now });
    }
    this.schedule();
    return found;
  }

  private recordHandle(groupId: number | null, ms: number): void {
    this.core.handleMs.set(groupId, nextAverage(this.core.handleMs.get(groupId) ?? null, ms));
  }

  stop(): void {
    this.stopped = true;
    this.core.clock.clearTimeout(this.retryTimer);
  }
}
