// SIP channels (线路) and numbers (号码管理).

import { http } from './api';
import type { PhoneContact } from './api-phones';

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

const { get, post, patch, del, qs } = http;

export const channelsApi = {
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
};
