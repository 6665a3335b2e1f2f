// Settings of the box: agent status (默认状态、小休原因) and the mail server (SMTP).

import { http } from './api';

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

const { get, post, patch, put } = http;

export const settingsApi = {
  statusSettings: () => get<StatusSettings>('/settings/status'),
  putStatusSettings: (defaultStatus: StatusSettings['defaultStatus']) =>
    put<unknown>('/settings/status', { defaultStatus }),
  createBreakReason: (name: string) => post<BreakReason>('/break-reasons', { name }),
  updateBreakReason: (id: number, p: { name?: string; enabled?: boolean }) =>
    patch<BreakReason>(`/break-reasons/${id}`, p),

  smtp: () => get<SmtpSettings | null>('/settings/smtp'),
  putSmtp: (s: SmtpInput) => put<SmtpSettings>('/settings/smtp', s),
};
