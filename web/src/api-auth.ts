// The console's session (login, logout, current user, own password) and the box's health.

import { http } from './api';

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

export interface Health { status: string; components: Record<string, string> }

const { get, put, request } = http;

export const authApi = {
  login: (username: string, password: string) =>
    request<Session>('POST', '/auth/login', { body: { username, password }, own401: true }),
  logout: () => request<void>('POST', '/auth/logout', { own401: true }),
  me: () => get<Session>('/auth/me', { own401: true }),
  changePassword: (oldPassword: string, newPassword: string) =>
    put<void>('/auth/password', { oldPassword, newPassword }),

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
