// RFC 4028 session timers: UAS and UAC negotiation of Session-Expires/Min-SE, the refresher
// choice, 422 handling, and when to refresh or give up.
import { getMinSE, getSessionExpires, hasOptionTag } from './message.ts';
import type { SipRequest, SipResponse } from './message-types.ts';

/** RFC 4028 4: "the minimum value MUST NOT be less than 90 seconds". */
export const MIN_SE_FLOOR = 90;

export interface SessionTimerPolicy {
  /** Our Min-SE (>= 90). */
  minSE: number;
  /** Interval we ask for or impose when the peer proposes none (e.g. 1800). */
  interval: number;
  /** Who refreshes when the choice is ours; 'uac' is only chosen when the UAC supports timer. */
  prefer: 'uac' | 'uas';
  /** Run a timer even when the UAC proposed none (RFC 4028 9 lets the UAS insert one). */
  imposeWhenAbsent?: boolean;
}

export type UasSessionTimer =
  | { kind: 'reject'; status: 422; minSE: number; headers: Array<[string, string]> }
  | { kind: 'none' }
  | { kind: 'active'; interval: number; refresher: 'uac' | 'uas'; headers: Array<[string, string]> };

/**
 * RFC 4028 9 (UAS): "If the value of the Session-Expires header field is less than the Min-SE
 * value configured on the UAS, the UAS MUST reject the request with a 422". Otherwise the 2xx
 * carries Session-Expires (never below the request's Min-SE) with the request's refresher if
 * it named one, else our choice — 'uac' only if the UAC listed timer in Supported — and
 * "Require: timer" when the UAC supports the extension.
 */
export function negotiateUas(req: SipRequest, policy: SessionTimerPolicy): UasSessionTimer {
  const minSE = Math.max(MIN_SE_FLOOR, policy.minSE);
  const se = getSessionExpires(req);
  if (se && se.deltaSeconds < minSE) return { kind: 'reject', status: 422, minSE, headers: [['Min-SE', String(minSE)]] };
  if (!se && !policy.imposeWhenAbsent) return { kind: 'none' };
  const uacSupports = hasOptionTag(req, 'Supported', 'timer') || hasOptionTag(req, 'Require', 'timer');
  const floor = Math.max(minSE, getMinSE(req) ?? 0);
  const interval = Math.max(floor, se ? Math.min(se.deltaSeconds, Math.max(policy.interval, floor)) : policy.interval);
  const refresher = se?.refresher ?? (uacSupports && policy.prefer === 'uac' ? 'uac' : 'uas');
  const headers: Array<[string, string]> = [['Session-Expires', `${interval};refresher=${refresher}`]];
  if (uacSupports) headers.push(['Require', 'timer']);
  return { kind: 'active', interval, refresher, headers };
}

/** Headers for a UAC request that proposes a session timer (RFC 4028 7.1). */
export function uacRequestHeaders(policy: SessionTimerPolicy): Array<[string, string]> {
  return [['Supported', 'timer'], ['Session-Expires', String(policy.interval)], ['Min-SE', String(Math.max(MIN_SE_FLOOR, policy.minSE))]];
}

export interface UacSessionTimer {
  interval: number;
  refresher: 'uac' | 'uas';
  /** We (the UAC) must send the refreshes. */
  weRefresh: boolean;
}

/**
 * RFC 4028 7.2: "If the 2xx response contains a Session-Expires header field, the UAC MUST
 * use ... the interval in the header" and its refresher. Without one, no session timer runs
 * (null).
 */
export function negotiateUac(res: SipResponse): UacSessionTimer | null {
  const se = getSessionExpires(res);
  if (!se) return null;
  const refresher = se.refresher ?? 'uac';
  return { interval: se.deltaSeconds, refresher, weRefresh: refresher === 'uac' };
}

/** RFC 4028 7.3: after a 422, retry with Session-Expires at least the response's Min-SE. */
export function retryIntervalAfter422(res: SipResponse, previous: number): number | undefined {
  const minSE = getMinSE(res);
  return minSE === undefined ? undefined : Math.max(minSE, previous);
}

/** RFC 4028 10: the refresher sends its refresh "half the session interval" in. */
export function refreshDelayMs(intervalSeconds: number): number {
  return (intervalSeconds / 2) * 1000;
}

/** RFC 4028 10: without a refresh, BYE "before the session expiration ... the minimum of 32
 * seconds and one third of the session interval" before it. */
export function expiryDelayMs(intervalSeconds: number): number {
  return (intervalSeconds - Math.min(32, intervalSeconds / 3)) * 1000;
}
