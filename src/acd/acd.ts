// The ACD: agent states, queues, routing and ringing behind one object. The web layer sets statuses and reads
// views; the SIP and web layers feed presence; the call side enqueues calls, reports calls and rings devices
// through the AgentDeviceDialer it attaches.
import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../platform/clock.ts';
import { conflict, validationError } from '../platform/errors.ts';
import { TypedEmitter } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import { AfterCallWork } from './after-call-work.ts';
import { AgentBook } from './agent-book.ts';
import type { AgentRuntime } from './agent-state.ts';
import type { AgentStateChange, AgentStatusView } from './agent-state-types.ts';
import type {
  AcdEvents, AgentDeviceDialer, AgentPresenceInputs, EnqueueOutcome, EnqueueRequest, MonitorSnapshot, QueueCallbackDialer, QueueView,
} from './acd-types.ts';
import { CallbackMemory } from './callback-memory.ts';
import { DEFAULT_TUNING, type AcdCore, type AcdTuning } from './core.ts';
import type { AcdDirectory, AcdDirectorySource } from './directory-view.ts';
import { Dispatcher } from './dispatcher.ts';
import { StateHistory } from './history.ts';
import { AgentPresence } from './presence.ts';
import { QueueManager } from './queues.ts';
import { AcdSettingsCache } from './settings.ts';
import type { AcdSettings } from './settings-types.ts';
import { buildSnapshot, queueView } from './snapshot.ts';
import type { AcdStore, HistoryQuery, LastAgentRecord } from './store.ts';

export interface AcdOptions {
  store: AcdStore;
  directory: AcdDirectorySource;
  clock: Clock;
  log: Logger;
  dialer?: AgentDeviceDialer | null;
  callbackDialer?: QueueCallbackDialer | null;
  /** Uniform in [0, 1); strategies that share calls at random take it from here. */
  random?: () => number;
  tuning?: Partial<AcdTuning>;
  /** Re-read the directory this often as a safety net (0: never; the box also refreshes on changes). */
  directoryRefreshMs?: number;
}

export type SettableStatus = 'idle' | 'busy' | 'break' | 'offline' | 'acw';

const DAY_MS = 24 * 3600 * 1000;

export class Acd extends TypedEmitter<AcdEvents> implements AgentPresenceInputs {
  private readonly core: AcdCore;
  private readonly book: AgentBook;
  private readonly queues: QueueManager;
  private readonly dispatcher: Dispatcher;
  private readonly presence: AgentPresence;
  private readonly stateHistory: StateHistory;
  readonly settings: AcdSettingsCache;
  private readonly timers: TimerHandle[] = [];
  private refreshRun: Promise<void> | null = null;
  private refreshAgain: Promise<void> | null = null;
  private stopped = false;

  private constructor(private readonly opts: AcdOptions) {
    super();
    this.setErrorHandler((event, err) => opts.log.error({ err, event }, 'an ACD event listener threw'));
    this.stateHistory = new StateHistory(opts.store, opts.log);
    this.book = new AgentBook(opts.clock, (c, v) => this.onAgentChange(c, v));
    this.settings = new AcdSettingsCache(opts.store);
    const memory = new CallbackMemory(opts.store, opts.log);
    this.core = {
      clock: opts.clock,
      log: opts.log,
      events: this,
      book: this.book,
      settings: this.settings,
      memory,
      acw: new AfterCallWork(opts.clock, this.book, this.settings),
      random: opts.random ?? (() => randomInt(0, 2 ** 32) / 2 ** 32),
      tuning: { ...DEFAULT_TUNING, ...opts.tuning },
      dialer: opts.dialer ?? null,
      callbackDialer: opts.callbackDialer ?? null,
      handleMs: new Map(),
    };
    this.queues = new QueueManager(this.core);
    this.dispatcher = new Dispatcher(this.core, this.queues);
    this.queues.rounds = this.dispatcher;
    this.presence = new AgentPresence(this.book, () => this.refreshDirectory());
  }

  /** Loads settings, directory and memory, and closes states an unclean stop left open. */
  static async start(opts: AcdOptions): Promise<Acd> {
    const acd = new Acd(opts);
    await acd.settings.load();
    await acd.closeOpenStates();
    await acd.loadDirectory();
    const now = opts.clock.now();
    await acd.core.memory.load(now);
    const midnight = new Date(now).setHours(0, 0, 0, 0);
    const day = acd.book.day(now);
    for (const [agentId, n] of await opts.store.answeredSince(midnight)) {
      const rt = acd.book.agent(agentId);
      if (rt) Object.assign(rt, { callsDay: day, callsToday: n });
    }
    if (opts.directoryRefreshMs) acd.timers.push(opts.clock.setInterval(() => void acd.refreshDirectory().catch(() => undefined), opts.directoryRefreshMs));
    acd.timers.push(opts.clock.setInterval(() => void acd.core.memory.purge(opts.clock.now()).catch(() => undefined), DAY_MS));
    return acd;
  }

  private async closeOpenStates(): Promise<void> {
    const at = this.opts.clock.now();
    const open = await this.opts.store.openStates();
    const rows: AgentStateChange[] = [];
    for (const s of open) {
      if (s.status !== 'offline') rows.push({ agentId: s.agentId, axis: 'status', from: s.status, to: 'offline', breakReasonId: null, cause: 'boot', callId: null, at });
      if (s.dispatch !== 'waiting') rows.push({ agentId: s.agentId, axis: 'dispatch', from: s.dispatch, to: 'waiting', breakReasonId: null, cause: 'boot', callId: s.callId, at });
    }
    const current = open.map((s) => ({ agentId: s.agentId, status: 'offline' as const, breakReasonId: null, dispatch: 'waiting' as const, callId: null }));
    if (rows.length) await this.opts.store.appendHistory(rows, current);
  }

  private onAgentChange(change: AgentStateChange, view: AgentStatusView): void {
    this.stateHistory.record(change, view);
    if (change.axis === 'status' && change.from === 'acw') this.core.acw.leftAcw(change.agentId);
    if (change.axis === 'status' && change.to === 'offline') this.queues.noAgentCheck = true;
    this.safeEmit('agent-state', change, view);
    this.dispatcher.schedule();
  }

  // ----------------------------------------------------------------------------------------------
  // Directory

  private async loadDirectory(): Promise<void> {
    const dir: AcdDirectory = await this.opts.directory.load();
    if (this.stopped) return;
    this.book.applyDirectory(dir);
    this.presence.resync();
    this.settings.forgetMissing(dir);
    this.queues.noAgentCheck = true;
    this.dispatcher.schedule();
  }

  /** Re-reads agents, groups, members, phones and break reasons (coalesced). */
  refreshDirectory(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.refreshRun) {
      this.refreshAgain ??= this.refreshRun.then(() => {
        this.refreshAgain = null;
        return this.refreshDirectory();
      });
      return this.refreshAgain;
    }
    this.refreshRun = this.loadDirectory().finally(() => (this.refreshRun = null));
    return this.refreshRun;
  }

  get directory(): AcdDirectory {
    return this.book.dir;
  }

  // ----------------------------------------------------------------------------------------------
  // Presence (web and SIP layers)

  webLogin(agentId: number): Promise<AgentStatusView> {
    return this.presence.webLogin(agentId);
  }
  webLogout(agentId: number): Promise<AgentStatusView> {
    return this.presence.webLogout(agentId);
  }
  async phoneRegistration(extension: string, registered: boolean): Promise<void> {
    await this.presence.phoneRegistration(extension, registered);
    if (!registered) this.queues.noAgentCheck = true;
    this.dispatcher.schedule();
  }
  async phoneDnd(extension: string, dnd: boolean): Promise<void> {
    await this.presence.phoneDnd(extension, dnd);
    this.dispatcher.schedule();
  }

  // ----------------------------------------------------------------------------------------------
  // The call side

  attachDialer(dialer: AgentDeviceDialer | null, callbackDialer: QueueCallbackDialer | null = this.core.callbackDialer): void {
    this.core.dialer = dialer;
    this.core.callbackDialer = callbackDialer;
    this.dispatcher.schedule();
  }

  /** The IVR's 转人工: settles once the call is connected, overflows, goes to voicemail, is hung up, abandoned or turned into a callback. */
  enqueue(req: EnqueueRequest): Promise<EnqueueOutcome> {
    if (this.stopped) return Promise.resolve({ outcome: 'hangup', reason: 'shutdown', prompt: null });
    try {
      return this.queues.enqueue(req);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The caller hung up while queued or ringing. */
  abandon(callId: string): boolean {
    return this.queues.abandon(callId);
  }

  /** The caller pressed the callback key: keeps their place, enqueue() settles with callbackScheduled. */
  requestCallback(callId: string, number?: string): { callbackId: string; waitNo: number } {
    return this.queues.requestCallback(callId, number);
  }

  cancelCallback(callbackId: string): boolean {
    return this.queues.cancelCallback(callbackId);
  }

  /** A call the agent placed or took outside the queues (outbound, internal): 通话中, and 上次接入人 for outbound. */
  agentCallStarted(agentId: number, callId: string, opts: { direction: 'inbound' | 'outbound' | 'internal'; remoteNumber?: string | null; skillGroupId?: number | null }): AgentStatusView {
    const rt = this.book.requireAgent(agentId);
    if (!(rt.dispatch === 'in-call' && rt.callId === callId)) rt.transitionDispatch('in-call', { cause: 'call-started', callId, at: this.opts.clock.now() });
    rt.openSessions.add(callId);
    rt.callGroupId = opts.skillGroupId ?? null;
    if (opts.direction === 'outbound' && opts.remoteNumber) this.core.memory.remember(opts.remoteNumber, agentId, 'outbound', this.opts.clock.now());
    return rt.view();
  }

  /** The agent's (or group phone's) call ended: 空闲 again, then 话后整理 per the answer settings. */
  callEnded(callId: string): boolean {
    // Still queued or ringing: the caller left (the call side may report it either way).
    const left = this.queues.abandon(callId);
    return this.dispatcher.endCall(callId) || left;
  }

  /** 预占 for an outbound call being dialed, so the ACD does not ring the agent meanwhile. False when not free. */
  reserve(agentId: number, callId: string): boolean {
    const rt = this.book.requireAgent(agentId);
    if (rt.dispatch !== 'waiting') return false;
    rt.transitionDispatch('reserved', { cause: 'reserve', callId, at: this.opts.clock.now() });
    return true;
  }

  release(agentId: number): void {
    const rt = this.book.requireAgent(agentId);
    if (rt.dispatch === 'reserved') rt.transitionDispatch('waiting', { cause: 'released', callId: rt.callId, at: this.opts.clock.now() });
  }

  /** 上次接入人 of a number within 3 days (外呼指定分配 uses it too). */
  lastAgent(number: string): LastAgentRecord | null {
    return this.core.memory.lookup(number, this.opts.clock.now());
  }

  // ----------------------------------------------------------------------------------------------
  // Status (the control API)

  status(agentId: number): AgentStatusView {
    return this.book.requireAgent(agentId).view();
  }

  hasAgent(agentId: number): boolean {
    return !!this.book.agent(agentId);
  }

  /**
   * 示闲 / 示忙 / 小休 (+ reason) / 离线, and during 话后整理: 'acw' = 继续整理, 'idle' = 恢复接待.
   * An agent setting their own status from 离线 signs in; a supervisor cannot sign an offline agent in.
   */
  setStatus(agentId: number, to: SettableStatus, opts: { breakReasonId?: number | null; by: 'agent' | 'supervisor' }): AgentStatusView {
    const rt = this.book.requireAgent(agentId);
    const cause = opts.by;
    if (to === 'acw') {
      if (rt.status !== 'acw') throw conflict('status', '只有话后整理中才能继续整理 (extend only during after-call work)');
      this.core.acw.extend(rt);
      return rt.view();
    }
    const reason = to === 'break' ? this.checkBreakReason(opts.breakReasonId ?? null) : null;
    if (to === rt.status && (to !== 'break' || reason === rt.breakReasonId)) return rt.view();
    if (rt.status === 'offline' && to !== 'offline') {
      if (opts.by === 'supervisor') throw conflict('status', '客服不在线，不能代为上线 (the agent is offline)');
      rt.presence.web = true;
      if (to === 'break') this.book.setStatus(rt, this.book.dir.defaultStatus, { cause: 'login' });
    }
    this.book.setStatus(rt, to, { cause, breakReasonId: reason });
    return rt.view();
  }

  private checkBreakReason(id: number | null): number | null {
    const enabled = [...this.book.dir.breakReasons].filter(([, r]) => r.enabled);
    if (id === null) {
      if (enabled.length) throw validationError('breakReasonId', '请选择小休原因 (choose a break reason)');
      return null;
    }
    if (!enabled.some(([rid]) => rid === id)) throw validationError('breakReasonId', `小休原因 ${id} 不存在或未启用 (no such enabled break reason)`);
    return id;
  }

  /** The agent's state changes, newest first (reports). */
  async history(agentId: number, q: HistoryQuery): Promise<AgentStateChange[]> {
    await this.stateHistory.flush();
    return this.opts.store.history(agentId, q);
  }

  // ----------------------------------------------------------------------------------------------
  // Views

  snapshot(groupIds: ReadonlySet<number> | null = null): MonitorSnapshot {
    return buildSnapshot(this.book, this.queues, this.opts.clock.monotonic(), this.opts.clock.now(), groupIds);
  }

  queueView(groupId: number | null): QueueView {
    return queueView(this.book, this.queues, groupId, this.opts.clock.monotonic());
  }

  saveSettings(groupId: number | null, settings: AcdSettings | null): Promise<void> {
    return this.settings.save(this.book.dir, groupId, settings);
  }

  /** Everything written so far is on disk (tests, reports). */
  flush(): Promise<void> {
    return this.stateHistory.flush();
  }

  // ----------------------------------------------------------------------------------------------

  /** Graceful stop: callers told to hang up, ringing cancelled, everyone signed out in the history. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) this.opts.clock.clearInterval(t);
    this.dispatcher.stop();
    this.queues.stop();
    this.core.acw.stop();
    const at = this.opts.clock.now();
    for (const rt of this.book.agents.values()) this.signOut(rt, at);
    await this.refreshRun?.catch(() => undefined);
    await this.stateHistory.flush();
  }

  private signOut(rt: AgentRuntime, at: number): void {
    if (rt.dispatch !== 'waiting') rt.transitionDispatch('waiting', { cause: 'shutdown', callId: rt.callId, at });
    if (rt.status !== 'offline') rt.transitionStatus('offline', { cause: 'shutdown', at });
  }
}
