// Phones and extensions (话机管理), SIP registrar status and bans, per-extension outbound rights.

import { http } from './api';

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

export interface OutboundRights { extension: string; outbound: boolean; international: boolean }

const { get, post, patch, put, del } = http;

export const phonesApi = {
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

  outboundRights: () => get<OutboundRights[]>('/outbound-rights'),
  setOutboundRights: (extension: string, r: { outbound: boolean; international: boolean }) =>
    put<OutboundRights>(`/outbound-rights/${encodeURIComponent(extension)}`, r),
};
