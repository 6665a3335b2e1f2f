// Shapes of 服务记录: what the call side hands in when a call ends (RecordInput), what the store keeps and the
// API shows (CallRecordView with its detail), and the manual's filters. records imports nothing of calls:
// calls builds the input.

export type RecordDirection = 'inbound' | 'outbound' | 'internal';
export type AgentDevice = 'web' | 'mobile' | 'phone';

/** 接入状态: the manual's end statuses, inbound and outbound (internal calls use the outbound ones). */
export const END_STATUSES = {
  // inbound
  normal: '正常结束',
  notConnected: '未接通',
  agentNoAnswer: '座席未接',
  agentTransfer: '座席转接',
  externalTransfer: '外线转接',
  ivrAbandon: 'IVR 期间用户放弃',
  ivrEnd: 'IVR 后直接结束',
  queueAbandon: '会话排队期间用户放弃',
  ringAbandon: '会话振铃期间用户放弃',
  noAgentOnline: '无座席在线',
  afterHours: '非工作时间',
  systemError: '系统错误',
  blacklisted: '黑名单拒接',
  // outbound
  unknown: '未知状态',
  noAnswer: '未接听',
  rejected: '拒接挂断',
  poweredOff: '关机',
  unallocated: '空号',
  busy: '通话中',
  arrears: '欠费',
  networkFailure: '运营商线路异常',
  callerCancelled: '主叫取消',
  outOfService: '不在服务区',
} as const;
export type EndStatus = keyof typeof END_STATUSES;
export const END_STATUS_CODES = Object.keys(END_STATUSES) as EndStatus[];

export interface RecordLeg {
  id: string;
  role: 'caller' | 'callee';
  kind: 'phone' | 'trunk' | 'web';
  party: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  cause: string | null;
}

/** One device rung for the call (ACD offers and direct rings). */
export interface RecordOffer {
  agentId: number | null;
  staffNo: string | null;
  device: AgentDevice;
  at: number;
  endedAt: number | null;
  result: 'answered' | 'rejected' | 'timeout' | 'failed' | 'cancelled' | 'ringing';
}

/** One stay in a skill group's queue. */
export interface RecordQueueVisit {
  skillGroupId: number | null;
  skillGroupName: string | null;
  enteredAt: number;
  leftAt: number | null;
  outcome: string | null;
}

export interface RecordTransfer {
  at: number;
  by: string;
  kind: 'skillGroup' | 'agent' | 'external' | 'extension';
  to: string;
  result: 'answered' | 'failed' | 'pending';
}

export interface RecordIvr {
  flowId: number;
  flowName: string;
  version: string;
  path: { nodeId: string; type: string; label: string; at: number; outlet?: string }[];
  keys: { nodeId: string; digits: string; at: number; accepted: boolean }[];
  end: unknown;
}

export interface RecordFile {
  path: string;
  channels: 1 | 2;
  durationMs: number;
  bytes: number;
}

/** Everything the call side knows when a call ended. */
export interface RecordInput {
  id: string;
  direction: RecordDirection;
  startedAt: number;
  endedAt: number;
  caller: string;
  callee: string;
  number: string | null;
  channelId: number | null;
  channelName: string | null;
  agent: { agentId: number | null; name: string | null; staffNo: string | null; device: AgentDevice } | null;
  skillGroup: { id: number; name: string } | null;
  /** Every group the call waited in or was offered from (scope filtering). */
  skillGroupIds: number[];
  endStatus: EndStatus;
  endCause: string | null;
  hangupSide: 'caller' | 'callee' | 'agent' | 'system' | null;
  ringMs: number;
  talkMs: number;
  queueMs: number;
  ivrKeys: string;
  satisfaction: { key: string | null; label: string | null } | null;
  remark: string;
  recording: RecordFile | null;
  voicemail: RecordFile | null;
  detail: RecordDetail;
}

/**
 * 满意度评价 on a call: none offered, offered but the customer pressed no valid key (未评价), or answered
 * (the key and label are in `satisfaction`).
 */
export type SurveyStatus = 'none' | 'offered' | 'answered';

/** A survey's outcome as the call side reports it: null when none was offered, key null when not answered. */
export function surveyStatusOf(satisfaction: { key: string | null } | null | undefined): SurveyStatus {
  if (!satisfaction) return 'none';
  return satisfaction.key !== null ? 'answered' : 'offered';
}

export interface RecordDetail {
  /** Kept in the stored detail (no column of its own); older records derive it from the satisfaction columns. */
  surveyStatus?: SurveyStatus;
  legs: RecordLeg[];
  ivr: RecordIvr | null;
  queue: RecordQueueVisit[];
  offers: RecordOffer[];
  transfers: RecordTransfer[];
  /** Anything else worth keeping (system errors). */
  notes: string[];
}

/** A row of GET /records. */
export interface CallRecordView {
  id: string;
  startedAt: number;
  endedAt: number;
  direction: RecordDirection;
  caller: string;
  callee: string;
  number: string | null;
  agentId: number | null;
  agentName: string | null;
  staffNo: string | null;
  agentDevice: AgentDevice | null;
  skillGroupId: number | null;
  skillGroupName: string | null;
  endStatus: EndStatus;
  endStatusText: string;
  endCause: string | null;
  hangupSide: string | null;
  ringMs: number;
  talkMs: number;
  totalMs: number;
  queueMs: number;
  ivrKeys: string;
  /** The answered survey's key and label; null when none was offered or the customer gave no key (see surveyStatus). */
  satisfaction: { key: string | null; label: string | null } | null;
  surveyStatus: SurveyStatus;
  remark: string;
  recording: { durationMs: number; channels: number } | null;
  voicemail: { durationMs: number } | null;
}

export interface CallRecordDetailView extends CallRecordView {
  detail: RecordDetail;
}

export interface RecordFilter {
  from?: number;
  to?: number;
  /** Substring of the calling number. */
  caller?: string;
  callee?: string;
  agentId?: number;
  staffNo?: string;
  direction?: RecordDirection;
  skillGroupId?: number;
  remark?: string;
  endStatus?: EndStatus;
  /** Only records that left a voicemail (the console's 语音信箱 tab). */
  voicemail?: boolean;
  page: number;
  pageSize: number;
}

/** Who reads: every group (null), the groups of a scoped role, or only their own calls (agents). */
export interface RecordReader {
  scope: readonly number[] | null;
  ownAgentId: number | null;
}
