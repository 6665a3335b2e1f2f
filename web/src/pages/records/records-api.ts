// Client of 服务记录 (GET /records with the manual's filters, one record's detail, its recording and voicemail,
// the remark, the CSV export) and 录音保存期限 (GET/PUT /records/retention, permission settings).
import { http, type Page } from '../../api';

export type RecordDirection = 'inbound' | 'outbound' | 'internal';
export type AgentDevice = 'web' | 'mobile' | 'phone';

/** The server's end-status codes, in the manual's order (inbound, then outbound). */
export const END_STATUS_CODES = [
  'normal', 'notConnected', 'agentNoAnswer', 'agentTransfer', 'externalTransfer', 'ivrAbandon', 'ivrEnd', 'queueAbandon',
  'ringAbandon', 'noAgentOnline', 'afterHours', 'systemError', 'blacklisted',
  'unknown', 'noAnswer', 'rejected', 'poweredOff', 'unallocated', 'busy', 'arrears', 'networkFailure', 'callerCancelled', 'outOfService',
] as const;
export type EndStatus = (typeof END_STATUS_CODES)[number];

export interface CallRecord {
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
  satisfaction: { key: string | null; label: string | null } | null;
  /** none: no survey; offered: offered, the customer gave no key (未评价); answered: see satisfaction. */
  surveyStatus: 'none' | 'offered' | 'answered';
  remark: string;
  recording: { durationMs: number; channels: number } | null;
  voicemail: { durationMs: number } | null;
}

export interface RecordLeg {
  id: string; role: 'caller' | 'callee'; kind: 'phone' | 'trunk' | 'web'; party: string;
  startedAt: number; answeredAt: number | null; endedAt: number | null; cause: string | null;
}
export interface RecordOffer {
  agentId: number | null; staffNo: string | null; device: AgentDevice; at: number; endedAt: number | null;
  result: 'answered' | 'rejected' | 'timeout' | 'failed' | 'cancelled' | 'ringing';
}
export interface RecordQueueVisit { skillGroupId: number | null; skillGroupName: string | null; enteredAt: number; leftAt: number | null; outcome: string | null }
export interface RecordTransfer { at: number; by: string; kind: 'skillGroup' | 'agent' | 'external' | 'extension'; to: string; result: 'answered' | 'failed' | 'pending' }
export interface RecordIvr {
  flowId: number; flowName: string; version: string;
  path: { nodeId: string; type: string; label: string; at: number; outlet?: string }[];
  keys: { nodeId: string; digits: string; at: number; accepted: boolean }[];
  end: unknown;
}

export interface CallRecordDetail extends CallRecord {
  detail: { legs: RecordLeg[]; ivr: RecordIvr | null; queue: RecordQueueVisit[]; offers: RecordOffer[]; transfers: RecordTransfer[]; notes: string[] };
}

export interface RecordQuery {
  from?: number; to?: number; caller?: string; callee?: string; staffNo?: string; agentId?: number;
  direction?: RecordDirection | ''; skillGroupId?: number | ''; remark?: string; endStatus?: string;
  voicemail?: boolean; page?: number; pageSize?: number;
}

export interface Retention { recordDays: number; recordingDays: number }

function query(q: RecordQuery): string {
  const { voicemail, ...rest } = q;
  return http.qs({ ...rest, voicemail: voicemail ? 'true' : undefined });
}

export const recordsApi = {
  list: (q: RecordQuery) => http.get<Page<CallRecord>>(`/records${query(q)}`),
  get: (id: string) => http.get<CallRecordDetail>(`/records/${encodeURIComponent(id)}`),
  setRemark: (id: string, remark: string) => http.patch<CallRecordDetail>(`/records/${encodeURIComponent(id)}`, { remark }),
  /** Same-origin URLs: the session cookie goes along, and the server answers Range for seeking. */
  recordingUrl: (id: string) => `${http.base}/records/${encodeURIComponent(id)}/recording`,
  voicemailUrl: (id: string) => `${http.base}/records/${encodeURIComponent(id)}/voicemail`,
  exportUrl: (q: RecordQuery) => {
    const { page: _p, pageSize: _s, ...rest } = q;
    return `${http.base}/records/export.csv${query(rest)}`;
  },
  /** The server's 接入状态 list (it may know more than this build). */
  endStatuses: () => http.get<{ code: string; zh: string; direction: 'inbound' | 'outbound' }[]>('/records/end-statuses'),
  retention: () => http.get<Retention>('/records/retention'),
  putRetention: (r: Retention) => http.put<Retention>('/records/retention', r),
};
