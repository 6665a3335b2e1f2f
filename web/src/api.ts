// Typed client for the ccbox REST API v1 (docs/api-v1.md): JSON bodies, the CSRF header on every
// non-GET request, the uniform error shape, and one hook that sends the user back to login on 401.

export type PermissionKey =
  | 'overview' | 'analytics' | 'records' | 'monitor' | 'agents' | 'roles' | 'skillGroups'
  | 'ivr' | 'numbers' | 'phones' | 'channels' | 'settings' | 'workbench';

export interface Me {
  id: number;
  username: string;
  name: string;
  nickname: string;
  staffNo: string | null;
  email: string | null;
  roleId: number;
  roleName: string;
  permissions: string[];
  /** null = all skill groups */
  scopeSkillGroupIds: number[] | null;
}

export interface Session { user: Me; csrfToken: string }

export interface Permission { key: PermissionKey; zh: string; en: string; scoped: boolean }

export type AgentState = 'active' | 'forced_offline';

export interface Agent {
  id: number;
  name: string;
  nickname: string;
  staffNo: string;
  email: string;
  mobile: string | null;
  roleId: number;
  roleName: string;
  skillGroups: { id: number; name: string; priority: number }[];
  state: AgentState;
  mobileAnswer: { enabled: boolean; outbound: boolean };
  /** epoch milliseconds */
  createdAt: number;
}

export interface AgentQuery {
  staffNo?: string; email?: string; name?: string; mobile?: string;
  skillGroupId?: number | ''; page?: number; pageSize?: number;
}

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface AgentCreate {
  name: string; nickname: string; staffNo: string; email: string; roleId: number;
  mobile?: string; skillGroupIds?: number[];
}

export interface AgentPatch {
  name?: string; nickname?: string; roleId?: number; mobile?: string | null;
  skillGroupIds?: number[]; mobileAnswer?: { enabled: boolean; outbound: boolean };
}

export interface ImportRowError { row: number; field: string; message: string }

export interface Job {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed';
  progress: number;
  total: number;
  done: number;
  result?: unknown;
  error?: { code: string; message: string; rows?: ImportRowError[] };
}

export interface Role {
  id: number;
  name: string;
  builtin: boolean;
  permissions: string[];
  scopeSkillGroupIds: number[] | null;
  memberCount: number;
}

export interface RoleInput { name: string; permissions: string[]; scopeSkillGroupIds: number[] | null }

export interface RoleMember { id: number; name: string; staffNo: string | null; email: string | null }

export type RingMode = 'sequential' | 'simultaneous';

export interface SkillGroup {
  id: number; name: string; ringMode: RingMode; receptionLimit: number; memberCount: number;
}

export interface SkillGroupInput { name: string; ringMode: RingMode; receptionLimit: number }

export interface GroupMember {
  kind: 'agent' | 'phone';
  id: number;
  name: string;
  staffNo: string | null;
  /** phones (later): the extension */
  extension?: string;
  priority: number;
}

export interface BreakReason { id: number; name: string; enabled: boolean }

export interface StatusSettings { defaultStatus: 'idle' | 'busy'; breakReasons: BreakReason[] }

export interface SmtpSettings {
  host: string; port: number; secure: boolean; user: string | null; from: string;
  allowSelfSigned?: boolean; passwordSet: boolean;
}

/** Omitting `password` keeps the stored one; omitting `user` clears it. */
export interface SmtpInput {
  host: string; port: number; secure: boolean; user?: string | null; password?: string; from: string;
  allowSelfSigned?: boolean;
}

export type PhoneBinding =
  | { kind: 'agent'; id: number; name: string; staffNo: string | null }
  | { kind: 'skillGroup'; id: number; name: string };

export type BindingInput = { kind: 'agent'; id: number } | { kind: 'skillGroup'; id: number } | { kind: 'none' };

export interface PhoneContact {
  contact: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** ip:port the REGISTER came from */
  address: string;
  userAgent: string;
  expiresAt: number;
  /** seconds */
  expiresIn: number;
  registeredAt: number;
}

export interface Phone {
  id: number;
  extension: string;
  name: string;
  password: string;
  binding: PhoneBinding | null;
  registration: { state: 'registered' | 'unregistered'; contacts: PhoneContact[] };
  createdAt: number;
  updatedAt: number;
}

export interface PhoneCreate { extension: string; name: string; password?: string; binding?: BindingInput }
export interface PhonePatch { extension?: string; name?: string; binding?: BindingInput }

export interface SipBan {
  key: string;
  kind: 'ip' | 'user';
  value: string;
  reason: 'rate-limit' | 'auth-failures';
  since: number;
  expiresAt: number;
  lastIp: string;
}

export interface SipStatus {
  realm: string;
  listening: { transport: 'udp' | 'tcp' | 'tls'; ip: string; port: number }[];
  registeredContacts: number;
}

// ---- IVR (电话呼入 IVR 管理): types in api-ivr-types.ts ----
export type * from './api-ivr-types';
import type { FlowCreate, FlowDefinition, FlowValidation, FlowVersionView, HotWord, HotWordList, IvrBinding, IvrCatalog, IvrFlow, IvrPrompt, SimStart, SimStep, Simulation } from './api-ivr-types';

// ---- SIP channels (线路) and numbers (号码管理) ----

export type DeviceType = 'analog' | 'e1t1' | 'sipTrunk';
export type ChannelMode = 'publicTrunk' | 'registerOut' | 'registerIn';
export type Transport = 'udp' | 'tcp' | 'tls';

export interface PublicTrunkSettings { carrierHost: string; carrierPort: number; transport: Transport; trustedIps: string[] }
export interface RegisterOutSettings {
  username: string; authUsername: string | null; server: string; outboundProxy: string | null; port: number;
  transport: Transport; expires: number;
}

export interface Channel {
  id: number;
  name: string;
  deviceType: DeviceType;
  /** lines (analog), spans (E1/T1) or concurrent calls (SIP trunk) */
  capacity: number;
  maxCalls: number;
  mode: ChannelMode;
  publicTrunk: PublicTrunkSettings | null;
  registerOut: (RegisterOutSettings & { passwordSet: boolean }) | null;
  registerIn: { username: string; password: string } | null;
  inboundExtension: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  status: {
    registration: {
      state: 'registered' | 'unregistered' | 'failed'; label: string; detail: string | null; expiresIn: number | null;
      contacts?: PhoneContact[];
    } | null;
    health: { state: 'up' | 'down' | 'unknown'; lastCheckedAt: number | null; rttMs: number | null; detail: string | null };
    activeCalls: number;
    boxAddress: { udp: string | null; tcp: string | null; tls: string | null };
  };
  numbers: { id: number; number: string; state: NumberState }[];
}

export interface ChannelInput {
  name?: string;
  deviceType?: DeviceType;
  capacity?: number;
  mode?: ChannelMode;
  publicTrunk?: Partial<PublicTrunkSettings>;
  registerOut?: Partial<RegisterOutSettings> & { password?: string };
  registerIn?: { username: string; password?: string };
  inboundExtension?: string | null;
  enabled?: boolean;
}

export type NumberState = 'pending' | 'effective';

export interface ChannelNumber {
  id: number; number: string; channelId: number; channelName: string; sendPrefix: string; state: NumberState;
  effectiveAt: number | null; createdAt: number; updatedAt: number;
}

export interface OutboundRights { extension: string; outbound: boolean; international: boolean }

export interface Health { status: string; components: Record<string, string> }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly rows?: ImportRowError[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BASE = '/api/v1';

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** The token lives in memory only; a reload gets it again from GET /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

interface RequestOptions {
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  /** login and /auth/me handle their own 401 */
  own401?: boolean;
  /** set on the one retry after a CSRF refusal */
  retried?: boolean;
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (res.status === 401 && !opts.own401) unauthorizedHandler?.();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: a proxy error page, handled below */
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string; rows?: ImportRowError[] } } | undefined)?.error;
    // A token lost with a server restart or another tab's login: fetch the current one and retry once.
    if (err?.code === 'CCBOX_ERR_CSRF' && !opts.retried && !opts.own401) {
      const session = await request<Session>('GET', '/auth/me').catch(() => null);
      if (session) {
        setCsrfToken(session.csrfToken);
        return request<T>(method, path, { ...opts, retried: true });
      }
    }
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? '', err?.field, err?.rows);
  }
  return data as T;
}

/** A raw-body POST through XMLHttpRequest, for its upload progress (fetch has none). */
function upload<T>(path: string, file: Blob, contentType: string, onProgress: (fraction: number) => void, retried = false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', ''));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      if (xhr.status === 401) unauthorizedHandler?.();
      const err = (data as { error?: { code?: string; message?: string; field?: string; rows?: ImportRowError[] } } | undefined)?.error;
      if (err?.code === 'CCBOX_ERR_CSRF' && !retried) {
        request<Session>('GET', '/auth/me')
          .then((s) => {
            setCsrfToken(s.csrfToken);
            return upload<T>(path, file, contentType, onProgress, true);
          })
          .then(resolve, reject);
        return;
      }
      reject(new ApiError(xhr.status, err?.code ?? `HTTP_${xhr.status}`, err?.message ?? '', err?.field, err?.rows));
    };
    xhr.send(file);
  });
}

const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
const del = (path: string) => request<void>('DELETE', path);

export const api = {
  login: (username: string, password: string) =>
    request<Session>('POST', '/auth/login', { body: { username, password }, own401: true }),
  logout: () => request<void>('POST', '/auth/logout', { own401: true }),
  me: () => get<Session>('/auth/me', { own401: true }),
  changePassword: (oldPassword: string, newPassword: string) =>
    put<void>('/auth/password', { oldPassword, newPassword }),

  permissions: () => get<Permission[]>('/permissions'),

  agents: (q: AgentQuery) => get<Page<Agent>>(`/agents${qs({ ...q })}`),
  agent: (id: number) => get<Agent>(`/agents/${id}`),
  createAgent: (a: AgentCreate) => post<Agent>('/agents', a),
  updateAgent: (id: number, a: AgentPatch) => patch<Agent>(`/agents/${id}`, a),
  deleteAgent: (id: number) => del(`/agents/${id}`),
  resetPassword: (id: number) => post<void>(`/agents/${id}/reset-password`),
  forceOffline: (id: number) => post<void>(`/agents/${id}/force-offline`),
  restoreAgent: (id: number) => post<void>(`/agents/${id}/restore`),
  importTemplateUrl: (format: 'csv' | 'xlsx') => `${BASE}/agents/import-template${qs({ format })}`,
  importAgents: (file: File) =>
    request<{ jobId: string }>('POST', '/agents/import', {
      raw: file,
      contentType: /\.xlsx$/i.test(file.name) ? XLSX_TYPE : 'text/csv',
    }),
  job: (id: string) => get<Job>(`/jobs/${encodeURIComponent(id)}`),

  roles: () => get<Role[]>('/roles'),
  createRole: (r: RoleInput) => post<Role>('/roles', r),
  updateRole: (id: number, r: RoleInput) => patch<Role>(`/roles/${id}`, r),
  deleteRole: (id: number) => del(`/roles/${id}`),
  roleMembers: (id: number) => get<RoleMember[]>(`/roles/${id}/members`),

  skillGroups: () => get<SkillGroup[]>('/skill-groups'),
  createSkillGroup: (g: SkillGroupInput) => post<SkillGroup>('/skill-groups', g),
  updateSkillGroup: (id: number, g: SkillGroupInput) => patch<SkillGroup>(`/skill-groups/${id}`, g),
  deleteSkillGroup: (id: number) => del(`/skill-groups/${id}`),
  groupMembers: (id: number) => get<GroupMember[]>(`/skill-groups/${id}/members`),
  putGroupMembers: (id: number, members: { kind: GroupMember['kind']; id: number; priority: number }[]) =>
    put<GroupMember[]>(`/skill-groups/${id}/members`, { members }),

  statusSettings: () => get<StatusSettings>('/settings/status'),
  putStatusSettings: (defaultStatus: StatusSettings['defaultStatus']) =>
    put<unknown>('/settings/status', { defaultStatus }),
  createBreakReason: (name: string) => post<BreakReason>('/break-reasons', { name }),
  updateBreakReason: (id: number, p: { name?: string; enabled?: boolean }) =>
    patch<BreakReason>(`/break-reasons/${id}`, p),

  smtp: () => get<SmtpSettings | null>('/settings/smtp'),
  putSmtp: (s: SmtpInput) => put<SmtpSettings>('/settings/smtp', s),

  phones: () => get<Phone[]>('/phones'),
  phone: (id: number) => get<Phone>(`/phones/${id}`),
  createPhone: (p: PhoneCreate) => post<Phone>('/phones', p),
  updatePhone: (id: number, p: PhonePatch) => patch<Phone>(`/phones/${id}`, p),
  bindPhone: (id: number, b: BindingInput) => put<Phone>(`/phones/${id}/binding`, b),
  resetPhonePassword: (id: number, password?: string) =>
    post<Phone>(`/phones/${id}/reset-password`, password ? { password } : {}),
  deletePhone: (id: number) => del(`/phones/${id}`),

  sipStatus: () => get<SipStatus>('/sip/status'),
  sipBans: () => get<SipBan[]>('/sip/bans'),
  liftSipBan: (key: string) => del(`/sip/bans/${encodeURIComponent(key)}`),

  ivrCatalog: () => get<IvrCatalog>('/ivr/catalog'),
  ivrFlows: () => get<IvrFlow[]>('/ivr/flows'),
  ivrFlow: (id: number) => get<IvrFlow>(`/ivr/flows/${id}`),
  createIvrFlow: (f: FlowCreate) => post<IvrFlow>('/ivr/flows', f),
  updateIvrFlow: (id: number, p: { name?: string; description?: string }) => patch<IvrFlow>(`/ivr/flows/${id}`, p),
  deleteIvrFlow: (id: number) => del(`/ivr/flows/${id}`),
  validateIvrFlow: (id: number, definition: FlowDefinition) =>
    post<FlowValidation>(`/ivr/flows/${id}/validate`, { definition }),
  ivrVersion: (id: number, version: string) => get<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`),
  saveIvrVersion: (id: number, version: string, definition: FlowDefinition, note?: string) =>
    put<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`, note === undefined ? { definition } : { definition, note }),
  createIvrVersion: (id: number, from: string, note: string) => post<FlowVersionView>(`/ivr/flows/${id}/versions`, { from, note }),
  deleteIvrVersion: (id: number, version: string) => del(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`),
  publishIvrVersion: (id: number, version: string) =>
    post<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}/publish`),

  ivrBindings: () => get<IvrBinding[]>('/ivr/bindings'),
  bindIvrNumber: (number: string, flowId: number, version: string) =>
    put<IvrBinding>(`/ivr/bindings/${encodeURIComponent(number)}`, { flowId, version }),
  unbindIvrNumber: (number: string) => del(`/ivr/bindings/${encodeURIComponent(number)}`),

  ivrPrompts: () => get<IvrPrompt[]>('/ivr/prompts'),
  promptAudioUrl: (id: string) => `${BASE}/ivr/prompts/${encodeURIComponent(id)}/audio`,
  /** 点击试听: the TTS text rendered on the box, as a WAV blob. */
  ttsPreview: async (text: string, voice: 'cmn' | 'en'): Promise<Blob> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav, application/json' };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    const res = await fetch(`${BASE}/ivr/tts/preview`, { method: 'POST', headers, body: JSON.stringify({ text, voice }), credentials: 'same-origin' });
    if (!res.ok) {
      const err = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
      throw new ApiError(res.status, err?.code ?? 'HTTP', err?.message ?? res.statusText, err?.field);
    }
    return res.blob();
  },
  renameIvrPrompt: (id: string, name: string) => patch<IvrPrompt>(`/ivr/prompts/${encodeURIComponent(id)}`, { name }),
  deleteIvrPrompt: (id: string) => del(`/ivr/prompts/${encodeURIComponent(id)}`),
  uploadIvrPrompt: (file: File, name: string, onProgress: (fraction: number) => void) =>
    upload<IvrPrompt>(`/ivr/prompts${qs({ name, fileName: file.name })}`, file,
      /\.mp3$/i.test(file.name) ? 'audio/mpeg' : 'audio/wav', onProgress),

  hotWordLists: () => get<HotWordList[]>('/ivr/hot-words'),
  createHotWordList: (l: { name: string; words: HotWord[] }) => post<HotWordList>('/ivr/hot-words', l),
  updateHotWordList: (id: number, l: { name?: string; words?: HotWord[] }) => patch<HotWordList>(`/ivr/hot-words/${id}`, l),
  deleteHotWordList: (id: number) => del(`/ivr/hot-words/${id}`),
  deleteHotWordLists: (ids: number[]) => post<void>('/ivr/hot-words/batch-delete', { ids }),
  hotWordExportUrl: (id: number) => `${BASE}/ivr/hot-words/${id}/export`,
  importHotWords: (id: number, file: File) =>
    request<HotWordList>('PUT', `/ivr/hot-words/${id}/import`, { raw: file, contentType: 'text/plain' }),

  simulate: (flowId: number, s: SimStart) => post<Simulation>(`/ivr/flows/${flowId}/simulate`, s),
  simStep: (flowId: number, sessionId: string, step: SimStep) =>
    post<Simulation>(`/ivr/flows/${flowId}/simulate/${sessionId}`, step),
  simEnd: (flowId: number, sessionId: string) => del(`/ivr/flows/${flowId}/simulate/${sessionId}`),

  outboundRights: () => get<OutboundRights[]>('/outbound-rights'),
  setOutboundRights: (extension: string, r: { outbound: boolean; international: boolean }) =>
    put<OutboundRights>(`/outbound-rights/${encodeURIComponent(extension)}`, r),

  channels: () => get<Channel[]>('/channels'),
  createChannel: (c: ChannelInput) => post<Channel>('/channels', c),
  updateChannel: (id: number, c: ChannelInput) => patch<Channel>(`/channels/${id}`, c),
  deleteChannel: (id: number) => del(`/channels/${id}`),
  checkChannel: (id: number) => post<Channel>(`/channels/${id}/check`),

  numbers: (q: { channelId?: number | ''; state?: NumberState | '' } = {}) => get<ChannelNumber[]>(`/numbers${qs(q)}`),
  createNumber: (n: { number: string; channelId: number; sendPrefix?: string }) => post<ChannelNumber>('/numbers', n),
  updateNumber: (id: number, n: { channelId?: number; sendPrefix?: string }) => patch<ChannelNumber>(`/numbers/${id}`, n),
  deleteNumber: (id: number) => del(`/numbers/${id}`),
  activateNumber: (id: number) => post<ChannelNumber>(`/numbers/${id}/activate`),

  /** /healthz is outside /api/v1 and answers 503 with the same body when a part fails. */
  health: async (): Promise<Health> => {
    const res = await fetch('/healthz', { headers: { accept: 'application/json' } });
    try {
      return (await res.json()) as Health;
    } catch {
      return { status: `HTTP ${res.status}`, components: {} };
    }
  },
};

/** The raw verbs, for page folders that keep their own typed client beside them (records, monitor, call settings). */
export const http = { get, post, patch, put, del, qs, base: BASE };
