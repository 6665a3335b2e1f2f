// The two axes of an agent's state (as FreeSWITCH mod_callcenter keeps them) and what a change records.

/**
 * The agent's status, chosen by the agent (or a supervisor, or the box on their behalf):
 * 离线 offline, 示闲 idle, 示忙 busy, 小休 break (+ reason), 话后整理 after-call work.
 */
export type AgentStatus = 'offline' | 'idle' | 'busy' | 'break' | 'acw';

/** The system's dispatch state: 空闲 waiting, 振铃 ringing, 通话中 in-call, 预占 reserved. */
export type DispatchState = 'waiting' | 'ringing' | 'in-call' | 'reserved';

export const AGENT_STATUSES: readonly AgentStatus[] = ['offline', 'idle', 'busy', 'break', 'acw'];
export const DISPATCH_STATES: readonly DispatchState[] = ['waiting', 'ringing', 'in-call', 'reserved'];

/** UI strings (the console speaks Chinese first). */
export const STATUS_ZH: Record<AgentStatus, string> = { offline: '离线', idle: '示闲', busy: '示忙', break: '小休', acw: '话后整理' };
export const DISPATCH_ZH: Record<DispatchState, string> = { waiting: '空闲', ringing: '振铃', 'in-call': '通话中', reserved: '预占' };

/** Why a state changed; kept on every history row for reports. */
export type ChangeCause =
  | 'agent' // the agent set it (workbench, API)
  | 'supervisor' // a supervisor set it for the agent
  | 'login' // web login or phone registration: the default status
  | 'logout' // web logout or phone unregistered
  | 'phone-dnd' // the desk phone's DND key
  | 'ring-timeout' // 超时转接后自动置为小休
  | 'acw-start' // the call ended and 话后整理 began
  | 'acw-timer' // 话后恢复空闲 after N s
  | 'acw-resume' // 恢复接待
  | 'reserve' // picked by the ACD, or reserved for an outbound call
  | 'offer' // the device is ringing
  | 'answered'
  | 'no-answer' // rejected, timed out or failed
  | 'cancelled' // another device answered, the caller left, max wait
  | 'released' // a reservation given back
  | 'call-started' // outbound or direct call reported by the call side
  | 'call-ended'
  | 'removed' // the agent was deleted from the directory
  | 'boot' // closing row for a state left open by an unclean stop
  | 'shutdown';

export interface AgentStateChange {
  agentId: number;
  axis: 'status' | 'dispatch';
  from: AgentStatus | DispatchState;
  to: AgentStatus | DispatchState;
  /** 小休 reason (enabled break reason id); null for other statuses and for the box's own breaks. */
  breakReasonId: number | null;
  cause: ChangeCause;
  /** The call the change belongs to, if any. */
  callId: string | null;
  /** Wall clock, epoch ms. */
  at: number;
}

/** What the workbench, the API and the monitors show of one agent. */
export interface AgentStatusView {
  agentId: number;
  status: AgentStatus;
  breakReasonId: number | null;
  statusSince: number;
  dispatch: DispatchState;
  dispatchSince: number;
  callId: string | null;
  /** 话后整理: when it ends on its own (epoch ms); null when not counting down. */
  acwEndsAt: number | null;
  presence: { web: boolean; phoneRegistered: boolean; dnd: boolean; phoneId: number | null };
  /** Calls answered today (按客服接入电话数量). */
  callsToday: number;
  openSessions: number;
}
