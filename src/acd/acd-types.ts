// The ACD's contracts with the call side: how it rings a device (AgentDeviceDialer), how a call is handed to
// it (enqueue → outcome), the presence inputs the web and SIP layers feed, and its events.
import type { AgentStateChange, AgentStatus, AgentStatusView, DispatchState } from './agent-state-types.ts';
import type { QueueAction } from './settings-types.ts';

// ---------------------------------------------------------------------------------------------------
// Ringing a device

/** Whom to ring: an agent (the call side picks the device: workbench if logged in, else the bound phone) or a group phone. */
export type OfferTarget =
  | { kind: 'agent'; agentId: number; /** workbench logged in */ web: boolean; /** bound desk phone, registered and not DND */ phoneId: number | null }
  | { kind: 'phone'; phoneId: number };

export interface OfferCallInfo {
  /** Unique per ringing device; the key for cancel(). */
  offerId: string;
  callId: string;
  /** 'callback': a queue callback — after the agent answers the ACD asks the QueueCallbackDialer to dial the customer. */
  kind: 'inbound' | 'callback';
  callerNumber: string;
  calleeNumber: string | null;
  skillGroupId: number | null;
  skillGroupName: string | null;
  /** How long the caller has waited so far (ms). */
  waitedMs: number;
  /** Caller data carried along (IVR variables, specifiedSeat fields). */
  data: Record<string, string>;
}

export interface OfferOptions {
  /** Ring at most this long, then resolve 'timeout' (呼入超时转接). */
  timeoutMs: number;
  /** 呼入自动接听: the device answers without the agent's action. */
  autoAnswer: boolean;
}

export type OfferResult = 'answered' | 'rejected' | 'timeout' | 'failed';
export type OfferCancelReason = 'answered-elsewhere' | 'caller-abandoned' | 'max-wait' | 'no-agent' | 'shutdown' | 'deadline';

/**
 * Rings agents' devices. Implemented by the call side (desk phone = B2BUA leg, browser = WebRTC leg);
 * the ACD only decides who. offer() must settle once; the ACD also keeps its own deadline
 * (timeoutMs + a grace) and cancels an offer that never settles.
 */
export interface AgentDeviceDialer {
  offer(target: OfferTarget, call: OfferCallInfo, opts: OfferOptions): Promise<OfferResult>;
  /**
   * Stop ringing. Called for the losers of a simultaneous ring, when the caller leaves, at max wait, at the
   * ACD's deadline. If the device had already answered, this releases (hangs up) that device's leg.
   * Idempotent; an offer that has settled may be cancelled.
   */
  cancel(offerId: string, reason: OfferCancelReason): void;
}

/** Dials the customer of a queue callback once an agent has answered it. */
export interface QueueCallbackDialer {
  dialBack(req: { callbackId: string; callId: string; number: string; agentId: number | null; phoneId: number | null; skillGroupId: number | null; timeoutMs: number }): Promise<'connected' | 'no-answer' | 'failed'>;
}

// ---------------------------------------------------------------------------------------------------
// The IVR's 转人工 node → the ACD

export interface QueueAnnouncement {
  callId: string;
  skillGroupId: number | null;
  /** ${WaitNo}: 1 = next. */
  waitNo: number;
  estimatedWaitMs: number;
  /** Which parts the settings ask to speak. */
  position: boolean;
  estimatedWait: boolean;
}

export interface EnqueueRequest {
  callId: string;
  callerNumber: string;
  calleeNumber?: string | null;
  /** The queue (one per skill group). Optional only when agentEmails is given. */
  skillGroupId?: number | null;
  /** The group by name (a specifiedSeat callback may answer with one) when skillGroupId is not given. */
  skillGroupName?: string | null;
  /** specifiedSeat: only these agents may take the call (SeatEmails), rung in this order when sequential. */
  agentEmails?: string[] | null;
  /** 1 (served first) … 5, as the 转人工 node's setting; equal priorities keep arrival order. Default 3. */
  priority?: number;
  /** Overrides the queue settings' max wait (ms). */
  maxWaitMs?: number | null;
  /** Overrides the queue settings' announcements; null turns them off. */
  announce?: { intervalMs: number; position: boolean; estimatedWait: boolean } | null;
  /** Override what happens when no agent is online / at max wait. */
  noAgentAction?: QueueAction | null;
  maxWaitAction?: QueueAction | null;
  /** Caller data carried to the agent's device (and the screen pop). */
  data?: Record<string, string>;
  /** Aborting = the caller hung up (same as acd.abandon(callId)). */
  signal?: AbortSignal;
  /** ${WaitNo} changed (also called once on joining). */
  onWaitNo?: (waitNo: number) => void;
  /** Time for a position / estimated-wait prompt. */
  onAnnounce?: (a: QueueAnnouncement) => void;
}

export type EnqueueOutcome =
  | { outcome: 'connected'; agentId: number | null; phoneId: number | null; offerId: string; waitedMs: number }
  | { outcome: 'overflow'; skillGroupId: number; reason: 'no-agent-online' | 'max-wait' }
  | { outcome: 'voicemail'; reason: 'no-agent-online' | 'max-wait' }
  | { outcome: 'hangup'; reason: 'no-agent-online' | 'max-wait' | 'shutdown'; prompt: string | null }
  | { outcome: 'callerAbandoned'; waitedMs: number; ringing: boolean }
  | { outcome: 'callbackScheduled'; callbackId: string; waitNo: number };

// ---------------------------------------------------------------------------------------------------
// Presence: what stands in for "the agent is at work"

/** Called by the web layer (workbench login/logout) and the SIP layer (registrations, DND). */
export interface AgentPresenceInputs {
  /** Workbench logged in: an offline agent starts in the default status (上线状态). */
  webLogin(agentId: number): Promise<AgentStatusView>;
  /** Workbench closed / logged out: the agent goes offline unless a bound phone keeps them reachable. */
  webLogout(agentId: number): Promise<AgentStatusView>;
  /** The extension has (true) or no longer has (false) a live registration. */
  phoneRegistration(extension: string, registered: boolean): Promise<void>;
  /** The phone's DND key: on → 示忙, off → 示闲. */
  phoneDnd(extension: string, dnd: boolean): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Monitors

export interface QueueEntryView {
  callId: string;
  kind: 'caller' | 'callback';
  callbackId: string | null;
  callerNumber: string;
  waitNo: number;
  priority: number;
  enqueuedAt: number;
  waitedMs: number;
  /** Devices are ringing for it right now. */
  ringing: boolean;
}

export interface QueueView {
  /** null: the 指定座席 queue of calls restricted to named agents without a group. */
  skillGroupId: number | null;
  name: string;
  waiting: number;
  callbacks: number;
  longestWaitMs: number;
  onlineAgents: number;
  idleAgents: number;
  entries: QueueEntryView[];
}

export interface MonitorAgentRow extends AgentStatusView {
  name: string;
  staffNo: string | null;
  breakReasonName: string | null;
  skillGroupIds: number[];
}

export interface MonitorPhoneRow {
  phoneId: number;
  extension: string;
  skillGroupId: number;
  registered: boolean;
  dnd: boolean;
  dispatch: DispatchState;
  dispatchSince: number;
}

export interface MonitorSnapshot {
  at: number;
  agents: MonitorAgentRow[];
  phones: MonitorPhoneRow[];
  queues: QueueView[];
}

// ---------------------------------------------------------------------------------------------------
// Events (monitors, analytics, the workbench subscribe)

export interface OfferEvent {
  offerId: string;
  callId: string;
  target: OfferTarget;
  skillGroupId: number | null;
  at: number;
  /** undefined while ringing; set when it settled. */
  result?: OfferResult | 'cancelled';
}

export interface QueueEvent {
  type: 'joined' | 'left';
  callId: string;
  skillGroupId: number | null;
  kind: 'caller' | 'callback';
  at: number;
  /** For 'left': how it ended. */
  outcome?: EnqueueOutcome['outcome'] | 'callback-connected' | 'callback-failed' | 'callback-cancelled';
}

export interface AcdEvents {
  'agent-state': [change: AgentStateChange, view: AgentStatusView];
  queue: [event: QueueEvent];
  'wait-no': [info: { callId: string; skillGroupId: number | null; waitNo: number }];
  announce: [a: QueueAnnouncement];
  offer: [event: OfferEvent];
  callback: [info: { callbackId: string; callId: string; number: string; state: 'scheduled' | 'dialing' | 'connected' | 'retry' | 'failed' | 'cancelled'; agentId: number | null }];
}

export type { AgentStatus, DispatchState };
