// One agent's state on two axes — status (the agent's choice) and dispatch (the system's) — each with one guarded
// transition() that throws on an illegal move and reports every change.
import { CcboxError } from '../platform/errors.ts';
import type { AgentStateChange, AgentStatus, AgentStatusView, ChangeCause, DispatchState } from './agent-state-types.ts';
import { STATUS_ZH, DISPATCH_ZH } from './agent-state-types.ts';

/** Legal status moves. 话后整理 follows a call only from 示闲; 继续整理 (extend) is not a move. */
const STATUS_MOVES: Record<AgentStatus, readonly AgentStatus[]> = {
  offline: ['idle', 'busy'], // login lands in the default status (上线状态), never straight in 小休
  idle: ['busy', 'break', 'acw', 'offline'],
  busy: ['idle', 'break', 'offline'],
  break: ['idle', 'busy', 'break', 'offline'], // break → break: another reason
  acw: ['idle', 'busy', 'break', 'offline'],
};

/** Legal dispatch moves. */
const DISPATCH_MOVES: Record<DispatchState, readonly DispatchState[]> = {
  waiting: ['reserved', 'ringing', 'in-call'], // ringing/in-call directly: a call the call side placed itself
  reserved: ['ringing', 'in-call', 'waiting'],
  ringing: ['in-call', 'waiting'],
  'in-call': ['waiting'],
};

export const canMoveStatus = (from: AgentStatus, to: AgentStatus): boolean => STATUS_MOVES[from].includes(to);
export const canMoveDispatch = (from: DispatchState, to: DispatchState): boolean => DISPATCH_MOVES[from].includes(to);

export class IllegalTransition extends CcboxError {
  constructor(axis: 'status' | 'dispatch', from: string, to: string, zhFrom: string, zhTo: string) {
    super('CCBOX_ERR_CONFLICT', `不能从${zhFrom}切换到${zhTo} (illegal ${axis} move ${from} → ${to})`, { field: axis === 'status' ? 'status' : 'dispatch' });
  }
}

export interface TransitionOptions {
  cause: ChangeCause;
  at: number;
  callId?: string | null;
  breakReasonId?: number | null;
}

export type ChangeListener = (change: AgentStateChange, view: AgentStatusView) => void;

export interface PresenceFlags {
  web: boolean;
  phoneId: number | null;
  phoneRegistered: boolean;
  dnd: boolean;
}

export class AgentRuntime {
  status: AgentStatus = 'offline';
  breakReasonId: number | null = null;
  statusSince: number;
  dispatch: DispatchState = 'waiting';
  dispatchSince: number;
  /** The call the dispatch state refers to (ringing, in call, reserved for). */
  callId: string | null = null;
  /** When the agent last became free for calls (示闲 after login or after a call); 按客服空闲时长 sorts by it. */
  idleSince: number;
  acwEndsAt: number | null = null;
  /** Group whose settings govern the 话后整理 that follows the current call (null: global). */
  callGroupId: number | null = null;
  callsToday = 0;
  callsDay = '';
  /** Calls the agent took that have not ended yet (接待人数上限 bounds it). */
  openSessions = new Set<string>();
  readonly presence: PresenceFlags = { web: false, phoneId: null, phoneRegistered: false, dnd: false };

  constructor(
    readonly agentId: number,
    at: number,
    private readonly onChange: ChangeListener,
  ) {
    this.statusSince = at;
    this.dispatchSince = at;
    this.idleSince = at;
  }

  /** Status axis: throws IllegalTransition on a move the table does not allow. */
  transitionStatus(to: AgentStatus, opts: TransitionOptions): void {
    const from = this.status;
    const reason = to === 'break' ? (opts.breakReasonId ?? null) : null;
    const legal = canMoveStatus(from, to) && !(from === 'break' && to === 'break' && reason === this.breakReasonId);
    if (!legal) throw new IllegalTransition('status', from, to, STATUS_ZH[from], STATUS_ZH[to]);
    this.status = to;
    this.breakReasonId = reason;
    this.statusSince = opts.at;
    if (to !== 'acw') this.acwEndsAt = null;
    if (to === 'idle') this.idleSince = opts.at;
    this.onChange({ agentId: this.agentId, axis: 'status', from, to, breakReasonId: reason, cause: opts.cause, callId: opts.callId ?? null, at: opts.at }, this.view());
  }

  /** Dispatch axis: throws IllegalTransition on a move the table does not allow. */
  transitionDispatch(to: DispatchState, opts: TransitionOptions): void {
    const from = this.dispatch;
    if (!canMoveDispatch(from, to)) throw new IllegalTransition('dispatch', from, to, DISPATCH_ZH[from], DISPATCH_ZH[to]);
    this.dispatch = to;
    this.dispatchSince = opts.at;
    this.callId = to === 'waiting' ? null : (opts.callId ?? this.callId);
    if (from === 'in-call' && this.status === 'idle') this.idleSince = opts.at;
    this.onChange({ agentId: this.agentId, axis: 'dispatch', from, to, breakReasonId: null, cause: opts.cause, callId: opts.callId ?? null, at: opts.at }, this.view());
  }

  /** Reachable for a call: the workbench is open, or the bound phone is registered and not on DND. */
  get reachable(): boolean {
    return this.presence.web || (this.presence.phoneRegistered && !this.presence.dnd);
  }

  /** Counts answered calls per local day. */
  countAnswered(day: string): void {
    if (this.callsDay !== day) {
      this.callsDay = day;
      this.callsToday = 0;
    }
    this.callsToday++;
  }

  callsOn(day: string): number {
    return this.callsDay === day ? this.callsToday : 0;
  }

  view(): AgentStatusView {
    return {
      agentId: this.agentId,
      status: this.status,
      breakReasonId: this.breakReasonId,
      statusSince: this.statusSince,
      dispatch: this.dispatch,
      dispatchSince: this.dispatchSince,
      callId: this.callId,
      acwEndsAt: this.acwEndsAt,
      presence: { ...this.presence },
      callsToday: this.callsToday,
      openSessions: this.openSessions.size,
    };
  }
}

/** A phone bound to a skill group: rings as an idle member while registered and not on DND. Dispatch axis only. */
export class GroupPhoneRuntime {
  dispatch: DispatchState = 'waiting';
  dispatchSince: number;
  callId: string | null = null;
  registered = false;
  dnd = false;
  idleSince: number;
  callsToday = 0;
  callsDay = '';

  constructor(
    readonly phoneId: number,
    at: number,
  ) {
    this.dispatchSince = at;
    this.idleSince = at;
  }

  transitionDispatch(to: DispatchState, opts: TransitionOptions): void {
    const from = this.dispatch;
    if (!canMoveDispatch(from, to)) throw new IllegalTransition('dispatch', from, to, DISPATCH_ZH[from], DISPATCH_ZH[to]);
    this.dispatch = to;
    this.dispatchSince = opts.at;
    this.callId = to === 'waiting' ? null : (opts.callId ?? this.callId);
    if (from === 'in-call') this.idleSince = opts.at;
  }

  get available(): boolean {
    return this.registered && !this.dnd && this.dispatch === 'waiting';
  }

  countAnswered(day: string): void {
    if (this.callsDay !== day) {
      this.callsDay = day;
      this.callsToday = 0;
    }
    this.callsToday++;
  }
}
