// Shapes the workbench reads: the ACD's agent status and queues (docs/api-v1.md), the workbench context
// (screen pops, the box's ID, colleagues), the call control API, and the sessions it keeps on the page.

export type AgentStatusName = 'offline' | 'idle' | 'busy' | 'break' | 'acw';
export type DispatchState = 'waiting' | 'ringing' | 'in-call' | 'reserved';

export interface AgentStatusView {
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
  /** 话后整理 countdown end (epoch ms) */
  acwEndsAt: number | null;
  presence: { web: boolean; phoneRegistered: boolean; dnd: boolean; phoneId: number | null };
  callsToday: number;
  openSessions: number;
  skillGroupIds: number[];
}

export interface QueueSummary {
  skillGroupId: number | null;
  name: string;
  waiting: number;
  callbacks: number;
  longestWaitMs: number;
  onlineAgents: number;
  idleAgents: number;
}

export type ScreenPopMode = 'always' | 'onCall';

export interface ScreenPopPage {
  id: number;
  name: string;
  url: string;
  mode: ScreenPopMode;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ScreenPopInput { name: string; url: string; mode: ScreenPopMode; enabled?: boolean }

export interface AgentCard {
  id: number; name: string; nickname: string; staffNo: string | null; email: string | null; mobile: string | null; roleId: number;
}

export interface Colleague { id: number; name: string; staffNo: string; extension: string | null }

export interface WorkbenchContext {
  sdkAppId: string;
  agent: AgentCard;
  screenPops: ScreenPopPage[];
  directory: { skillGroups: { id: number; name: string }[]; agents: Colleague[]; phones: { extension: string; name: string }[] };
}

export interface SdkSettings { sdkAppId: string; allowedOrigins: string[] }

export type TransferTarget =
  | { kind: 'skillGroup'; skillGroupId: number }
  | { kind: 'agent'; agentId: number }
  | { kind: 'external'; number: string };

export interface DialRequest {
  /** A number or an extension (工作台呼叫话机). */
  to: string;
  /** Caller ID chosen on the dial pad, when the agent may choose. */
  callerNumber?: string;
}

/** The control API's answer to an outbound call (POST /calls). */
export interface DialResult { callId: string; callee?: string; callerNumber?: string | null; location?: string | null }

export interface CallerIdChoice { allowed: boolean; numbers: string[] }

export interface RecentCall {
  id: string;
  direction: 'inbound' | 'outbound' | 'internal';
  startedAt: number;
  caller: string;
  callee: string;
  endStatus: string;
  /** 接入状态 as text (正常结束, 未接通 …) */
  endStatusText: string;
  talkMs: number;
  remark: string;
}

export type SessionState = 'ringing' | 'dialing' | 'connected' | 'held' | 'ended';

export interface SessionCard { at: number; header: string; desc: string; pic: string; url: string }

/** A call as the agent's page knows it (服务中 while not ended, 已结束 after). */
export interface WbSession {
  callId: string;
  offerId: string | null;
  direction: 'inbound' | 'outbound' | 'internal';
  /** The customer's number (or the colleague's extension). */
  number: string;
  /** Shown instead of the number (a screen pop's callOut desc, the SDK's phoneDesc). */
  desc: string | null;
  callerName: string | null;
  location: string | null;
  /** The customer's latest 备注 (from their last call that has one). */
  customerRemark: string | null;
  skillGroupName: string | null;
  state: SessionState;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  muted: boolean;
  /** 自助服务 or 收号 running on the customer's leg (the agent and the customer do not hear each other). */
  aside: string | null;
  autoAnswer: boolean;
  /** Caller data carried along (IVR variables). */
  data: Record<string, string>;
  cards: SessionCard[];
}
