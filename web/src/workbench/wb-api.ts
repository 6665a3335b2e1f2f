// HTTP client of what the workbench calls beyond the console's api-*.ts: agent status and queues (ACD control
// API), the call control API (POST /calls…, issue 6), screen-pop settings and the workbench context. Errors are
// the console's ApiError so errorText() shows the server's message.
import { ApiError } from '../api';
import { authApi } from '../api-auth';
import type {
  AgentStatusName, AgentStatusView, CallerIdChoice, DialRequest, DialResult, QueueSummary, RecentCall, ScreenPopInput,
  ScreenPopPage, SdkSettings, TransferTarget, WorkbenchContext,
} from './types';

const BASE = '/api/v1';
let csrf: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The CSRF token for non-GET requests and the socket's hello (memory only, from GET /auth/me). */
export async function csrfToken(refresh = false): Promise<string> {
  if (!csrf || refresh) csrf = (await authApi.me()).csrfToken;
  return csrf;
}

export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = await csrfToken().catch(() => '');
  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (res.status === 401) onUnauthorized?.();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    if (err?.code === 'CCBOX_ERR_CSRF' && !retried) {
      await csrfToken(true);
      return request<T>(method, path, body, true);
    }
    if (!err && res.status === 404) {
      // No such route on this box (a part not built yet): say which, rather than a bare 404.
      const what = `${method} ${BASE}${path.split('?')[0]}`;
      throw new ApiError(404, 'CCBOX_ERR_NOT_FOUND', `本机尚未提供此功能的接口：${what} (this box has no API for it yet: ${what})`);
    }
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? '', err?.field);
  }
  return data as T;
}

/** The same request for other pages of the box's own features (privacy settings). */
export const wbRequest = <T>(method: string, path: string, body?: unknown): Promise<T> => request<T>(method, path, body);

const enc = encodeURIComponent;

export const wb = {
  context: () => request<WorkbenchContext>('GET', '/workbench/context'),
  status: (agentId: number) => request<AgentStatusView>('GET', `/agents/${agentId}/status`),
  setStatus: (agentId: number, status: Exclude<AgentStatusName, 'offline'> | 'offline', breakReasonId?: number | null) =>
    request<AgentStatusView>('PUT', `/agents/${agentId}/status`, breakReasonId ? { status, breakReasonId } : { status }),
  queues: () => request<QueueSummary[]>('GET', '/queues'),

  // ---- call control (POST /api/v1/calls…, the ACD issue's control API) ----
  dial: (r: DialRequest) => request<DialResult>('POST', '/calls', r),
  answer: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/answer`, {}),
  reject: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/reject`, {}),
  hangup: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/hangup`, {}),
  hold: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/hold`, {}),
  unhold: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/unhold`, {}),
  mute: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/mute`, {}),
  unmute: (callId: string) => request<unknown>('POST', `/calls/${enc(callId)}/unmute`, {}),
  transfer: (callId: string, target: TransferTarget) => request<unknown>('POST', `/calls/${enc(callId)}/transfer`, target),
  dtmf: (callId: string, digits: string) => request<unknown>('POST', `/calls/${enc(callId)}/dtmf`, { digits }),
  callerIds: () => request<CallerIdChoice>('GET', '/calls/caller-ids'),
  /** 添加至黑名单: the customer of one of the agent's calls (the box knows the number; masks stay masks). */
  blacklist: (callId: string, remark?: string) => request<unknown>('POST', `/workbench/calls/${enc(callId)}/blacklist`, remark ? { remark } : {}),
  /** 自助服务 entries the agent may send a caller to. */
  selfServices: () => request<{ id: number; name: string; enabled: boolean }[]>('GET', '/call-settings/self-service'),
  selfService: (callId: string, selfServiceId: number) => request<unknown>('POST', `/calls/${enc(callId)}/self-service`, { selfServiceId }),
  /** 服务记录 of the agent (an agent with only the workbench sees their own calls). */
  recentCalls: (agentId: number) =>
    request<{ items: RecentCall[] }>('GET', `/records?agentId=${agentId}&page=1&pageSize=10`).then((r) => r.items),

  /** 号码归属地 (region, carrier) of a number; nulls when unknown. */
  numberInfo: (number: string, lang: 'zh' | 'en') =>
    request<{ number: string; location: string | null; carrier: string | null }>('GET', `/workbench/number-info?number=${enc(number)}&lang=${lang}`),
  /** 备注 on the call's record (written once the call ended). */
  remark: (callId: string, remark: string) => request<unknown>('PATCH', `/records/${enc(callId)}`, { remark }),

  // ---- 来电弹屏 settings (permission settings) ----
  screenPops: () => request<ScreenPopPage[]>('GET', '/screen-pops'),
  createScreenPop: (p: ScreenPopInput) => request<ScreenPopPage>('POST', '/screen-pops', p),
  updateScreenPop: (id: number, p: Partial<ScreenPopInput>) => request<ScreenPopPage>('PATCH', `/screen-pops/${id}`, p),
  deleteScreenPop: (id: number) => request<void>('DELETE', `/screen-pops/${id}`),
  sdkSettings: () => request<SdkSettings>('GET', '/settings/sdk'),
  putSdkSettings: (allowedOrigins: string[]) => request<SdkSettings>('PUT', '/settings/sdk', { allowedOrigins }),
};
