// Client of 实时监控: the ACD's snapshot (agents on both axes, group phones, queues with their calls), the live
// calls in scope, a supervisor's status change for an agent (强制示闲/示忙/小休/签出) and ending a call (强拆).
import { http } from '../../api';
import type { StatusSettings } from '../../api-settings';

export type AgentStatusName = 'offline' | 'idle' | 'busy' | 'break' | 'acw';
export type DispatchState = 'waiting' | 'ringing' | 'in-call' | 'reserved';

export interface MonitorAgent {
  agentId: number;
  name: string;
  staffNo: string | null;
  status: AgentStatusName;
  breakReasonId: number | null;
  breakReasonName: string | null;
  statusSince: number;
  dispatch: DispatchState;
  dispatchSince: number;
  callId: string | null;
  acwEndsAt: number | null;
  presence: { web: boolean; phoneRegistered: boolean; dnd: boolean; phoneId: number | null };
  callsToday: number;
  openSessions: number;
  skillGroupIds: number[];
}

export interface MonitorQueueEntry {
  callId: string; kind: 'caller' | 'callback'; callbackId: string | null; callerNumber: string;
  waitNo: number; priority: number; enqueuedAt: number; waitedMs: number; ringing: boolean;
}

export interface MonitorQueue {
  skillGroupId: number | null; name: string; waiting: number; callbacks: number; longestWaitMs: number;
  onlineAgents: number; idleAgents: number; entries: MonitorQueueEntry[];
}

export interface MonitorPhone {
  phoneId: number; extension: string; skillGroupId: number; registered: boolean; dnd: boolean; dispatch: DispatchState; dispatchSince: number;
}

export interface MonitorSnapshot { at: number; agents: MonitorAgent[]; phones: MonitorPhone[]; queues: MonitorQueue[] }

export interface LiveCall {
  id: string; direction: string; caller: string; callee: string; number: string | null; state: string;
  startedAt: number; answeredAt: number | null; agentIds: number[]; held: boolean; muted: boolean;
}

export type ForcedStatus = { status: 'idle' | 'busy' | 'offline' } | { status: 'break'; breakReasonId: number };

export const monitorApi = {
  snapshot: () => http.get<MonitorSnapshot>('/monitor/snapshot'),
  calls: () => http.get<LiveCall[]>('/calls'),
  setStatus: (agentId: number, s: ForcedStatus) => http.put<MonitorAgent>(`/agents/${agentId}/status`, s),
  hangup: (callId: string) => http.post<void>(`/calls/${encodeURIComponent(callId)}/hangup`),
  /** Break reasons come with the status settings (permission settings); without it 小休 is not offered. */
  breakReasons: () => http.get<StatusSettings>('/settings/status').then((s) => s.breakReasons.filter((r) => r.enabled)),
};
