// Routing rules as pure functions: what a dialled string is (an extension, an emergency, mobile,
// landline or service number, an international number), whether an extension may dial it, and where a
// call that arrived on a trunk may go — never to an outbound route (no toll-fraud relay).
import { cleanNumber } from '../sip/trunks/numbers.ts';

export type DialledKind = 'extension' | 'emergency' | 'mobile' | 'landline' | 'service' | 'international' | 'invalid';

export interface DialledNumber {
  kind: DialledKind;
  /** Digits as they will be sent (spaces and dashes gone; 00 written as +). */
  digits: string;
}

/** China's emergency numbers: 110 police, 119 fire, 120 ambulance, 122 traffic (and 112, 999). */
const EMERGENCY = new Set(['110', '119', '120', '122', '112', '999']);

/**
 * Classifies what a phone dialled. A known extension is an extension; other strings in the extension
 * format (4–6 digits starting 1–8, the manual) are too unless they are service numbers (1xxxx, 95xxx,
 * 96xxx). Outside numbers are a mobile (1[3-9] + 9 digits), a landline with its area code (0 + 9–11
 * digits) or a local landline (7–8 digits starting 2–9), service numbers (95xxx, 96xxx, 1xxxx,
 * 400/800), emergency numbers; anything with + or 00 and a country code other than 86 is international.
 */
export function classifyDialled(raw: string, isExtension: (digits: string) => boolean = () => false): DialledNumber {
  const digits = cleanNumber(raw);
  if (isExtension(digits)) return { kind: 'extension', digits };
  if (EMERGENCY.has(digits)) return { kind: 'emergency', digits };
  if (/^[1-8][0-9]{3,5}$/.test(digits) && !SERVICE_SHORT.test(digits)) return { kind: 'extension', digits };
  if (digits.startsWith('+')) {
    if (!/^\+[1-9][0-9]{5,18}$/.test(digits)) return { kind: 'invalid', digits };
    if (!digits.startsWith('+86')) return { kind: 'international', digits };
    return classifyNational(digits.slice(3), digits);
  }
  return classifyNational(digits, digits);
}

/** Short service numbers that share the extension format: 10086, 12315, 95588, 96110 … */
const SERVICE_SHORT = /^(1[0-9]{4}|9[56][0-9]{3,4})$/;

function classifyNational(n: string, digits: string): DialledNumber {
  if (/^1[3-9][0-9]{9}$/.test(n)) return { kind: 'mobile', digits };
  if (/^0[1-9][0-9]{8,10}$/.test(n)) return { kind: 'landline', digits };
  if (/^[2-9][0-9]{6,7}$/.test(n)) return { kind: 'landline', digits };
  if (/^(95[0-9]{3,6}|96[0-9]{3,6}|10[0-9]{3}|1[0-9]{4}|400[0-9]{7}|800[0-9]{7})$/.test(n)) return { kind: 'service', digits };
  // An area code dialled without its 0 (e.g. 2082881882) is a landline too.
  if (/^[1-9][0-9]{9,10}$/.test(n)) return { kind: 'landline', digits };
  return { kind: 'invalid', digits };
}

export interface OutboundRightsView {
  outbound: boolean;
  international: boolean;
}

export type OutboundVerdict = { allowed: true } | { allowed: false; status: 403 | 404 | 484; reason: string };

/**
 * May an extension with `rights` dial `n` out through a channel? Emergency numbers always; everything
 * else needs outbound rights; international numbers need their own right (denied by default).
 */
export function outboundVerdict(n: DialledNumber, rights: OutboundRightsView): OutboundVerdict {
  switch (n.kind) {
    case 'extension':
      return { allowed: false, status: 404, reason: 'No such extension' };
    case 'invalid':
      return { allowed: false, status: 484, reason: 'Address Incomplete' };
    case 'emergency':
      return { allowed: true };
    case 'international':
      if (!rights.outbound || !rights.international) return { allowed: false, status: 403, reason: 'International calls not allowed' };
      return { allowed: true };
    default:
      return rights.outbound ? { allowed: true } : { allowed: false, status: 403, reason: 'Outbound calls not allowed' };
  }
}

/** Where a call that arrived on a trunk goes, decided from what it dialled. */
export type TrunkTarget =
  | { kind: 'number' }
  | { kind: 'extension'; extension: string }
  /** Anything else is refused: a trunk call never reaches an outbound route. */
  | { kind: 'refuse'; status: 403 | 404; reason: string };

export function trunkTarget(dialled: string, ours: { isOurNumber: boolean; isExtension: (ext: string) => boolean }): TrunkTarget {
  if (ours.isOurNumber) return { kind: 'number' };
  const n = classifyDialled(dialled, ours.isExtension);
  if (n.kind === 'extension' && ours.isExtension(n.digits)) return { kind: 'extension', extension: n.digits };
  if (n.kind === 'extension') return { kind: 'refuse', status: 404, reason: 'Not Found' };
  return { kind: 'refuse', status: 403, reason: 'No relay to outside numbers' };
}
