// Settings and views of the SIP defences (rate limit, auth-failure bans, scanner filter).

export interface DefenceSettings {
  /** More than `rateMaxRequests` requests from one IP within `rateWindowMs` → ban (Kamailio pike: 16 in 2 s). */
  rateWindowMs: number;
  rateMaxRequests: number;
  /** `authFailMax` failed authentications from one IP (or for one user) within `authFailWindowMs` → ban. */
  authFailWindowMs: number;
  authFailMax: number;
  /** How long a ban lasts. */
  banMs: number;
}

export const DEFAULT_DEFENCE: DefenceSettings = {
  rateWindowMs: 2000,
  rateMaxRequests: 16,
  authFailWindowMs: 10 * 60_000,
  authFailMax: 10,
  banMs: 300_000,
};

export type BanKind = 'ip' | 'user';
export type BanReason = 'rate-limit' | 'auth-failures';

export interface Ban {
  /** `ip:<address>` or `user:<name>`; what DELETE /sip/bans/{key} takes. */
  key: string;
  kind: BanKind;
  /** The address or the user name. */
  value: string;
  reason: BanReason;
  /** Epoch ms. */
  since: number;
  expiresAt: number;
  /** The address whose requests caused the ban. */
  lastIp: string;
}

/** What the gate decided for one incoming message. */
export type Admission = 'pass' | 'drop';
