// Shapes of SIP channels (线路, 自有号码接入) and their numbers: device types, the three access modes,
// what the console sees (status, registration state 已注册/未注册/异常, health), and the runtime's events.
import type { RegistrationView, TransportProtocol } from '../index.ts';

/** 模拟线路 (via an FXO gateway, 1 call per line), E1/T1 (30 calls per span), SIP 中继设备. */
export type DeviceType = 'analog' | 'e1t1' | 'sipTrunk';

/**
 * (a) publicTrunk: the carrier sends and receives at a fixed address, trusted by IP (公网 SIP 中继);
 * (b) registerOut: the carrier gives an account and the box registers to it (运营商提供 SIP 账号);
 * (c) registerIn: the box gives an account to the customer's gateway or IP-PBX, which registers in.
 */
export type ChannelMode = 'publicTrunk' | 'registerOut' | 'registerIn';

export const CALLS_PER_UNIT: Record<DeviceType, number> = { analog: 1, e1t1: 30, sipTrunk: 1 };

export interface PublicTrunkSettings {
  /** The carrier's signalling address (an IP, or a host resolved by RFC 3263). */
  carrierHost: string;
  carrierPort: number;
  transport: TransportProtocol;
  /** Further addresses or CIDRs the carrier sends from (its SBCs); the carrier host is always trusted. */
  trustedIps: string[];
}

export interface RegisterOutSettings {
  /** The account user (often the number itself). */
  username: string;
  /** Digest user when the carrier uses a separate one. */
  authUsername: string | null;
  /** Registrar (and domain of the account). */
  server: string;
  /** Where requests are sent instead of the server, when the carrier asks for it. */
  outboundProxy: string | null;
  port: number;
  transport: TransportProtocol;
  /** Requested registration lifetime (s); the carrier may grant less. */
  expires: number;
}

export interface RegisterInSettings {
  /** The account the gateway registers with (never an extension). */
  username: string;
}

export type ModeSettings =
  | { mode: 'publicTrunk'; publicTrunk: PublicTrunkSettings }
  | { mode: 'registerOut'; registerOut: RegisterOutSettings }
  | { mode: 'registerIn'; registerIn: RegisterInSettings };

/** A channel as stored, with its password in clear (for the runtime only, never for the API as is). */
export type ChannelConfig = ModeSettings & {
  id: number;
  name: string;
  deviceType: DeviceType;
  /** Lines (analog), spans (E1/T1) or concurrent calls (SIP trunk). */
  capacity: number;
  /** Concurrent calls allowed: capacity × calls per unit. */
  maxCalls: number;
  password: string | null;
  inboundExtension: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
};

export type RegistrationState = 'registered' | 'unregistered' | 'failed';
export const REGISTRATION_LABEL: Record<RegistrationState, string> = { registered: '已注册', unregistered: '未注册', failed: '异常' };

export type HealthState = 'up' | 'down' | 'unknown';

export interface ChannelRegistration {
  state: RegistrationState;
  /** 已注册 / 未注册 / 异常 */
  label: string;
  /** Why it failed (a status, a timeout), or null. */
  detail: string | null;
  /** Seconds until the registration lapses (registered only). */
  expiresIn: number | null;
  /** registerIn: the gateway's registered contacts. */
  contacts?: RegistrationView[];
}

export interface ChannelHealth {
  /** By OPTIONS pings: up when answered (any final response), down after a timeout. */
  state: HealthState;
  lastCheckedAt: number | null;
  rttMs: number | null;
  detail: string | null;
}

export interface ChannelStatus {
  /** registerOut and registerIn; null for a public trunk. */
  registration: ChannelRegistration | null;
  health: ChannelHealth;
  activeCalls: number;
  /** The box's signalling addresses to give the carrier or the gateway (`ip:port` per transport). */
  boxAddress: { udp: string | null; tcp: string | null; tls: string | null };
}

export type NumberState = 'pending' | 'effective';

export interface ChannelNumber {
  id: number;
  /** Digits, optionally with a leading +. */
  number: string;
  channelId: number;
  channelName: string;
  sendPrefix: string;
  state: NumberState;
  effectiveAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface OutboundRights {
  extension: string;
  /** May call outside numbers at all. */
  outbound: boolean;
  /** May call international numbers (denied by default). */
  international: boolean;
}

export interface TrunkEvents {
  /** A registerOut channel's state changed. */
  registration: [{ channelId: number; state: RegistrationState; detail: string | null }];
  health: [{ channelId: number; state: HealthState }];
  /** Pending numbers of the channel became effective (its line answered). */
  'numbers-effective': [{ channelId: number; numbers: string[] }];
}
