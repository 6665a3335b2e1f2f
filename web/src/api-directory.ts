// The directory (座席、角色、技能组): agents and their import, roles and permissions, skill groups and members.

import { http, XLSX_TYPE, type ImportRowError, type Page } from './api';
import type { PermissionKey } from './api-auth';

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


export interface AgentCreate {
  name: string; nickname: string; staffNo: string; email: string; roleId: number;
  mobile?: string; skillGroupIds?: number[];
}

export interface AgentPatch {
  name?: string; nickname?: string; roleId?: number; mobile?: string | null;
  skillGroupIds?: number[]; mobileAnswer?: { enabled: boolean; outbound: boolean };
}

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

const { get, post, patch, put, del, qs, request } = http;
const BASE = http.base;

export const directoryApi = {
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
};
