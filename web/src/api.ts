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
