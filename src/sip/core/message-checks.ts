// Checks a syntactically parsed message against RFC 3261 rules that decide the answer:
// required headers (8.1.1), single-valued headers (7.3.1), scalar ranges, CSeq method,
// Request-URI scheme (8.2.2.1). Thrown errors carry the status for requests.
import { SipParseError, syntaxError } from './errors.ts';
import {
  getCallId, getContacts, getContentType, getCSeq, getExpires, getFrom, getMaxForwards, getTo, getVias,
} from './message.ts';
import type { SipMessage, SipRequest, SipResponse } from './message-types.ts';
import { isSipUri, SIP_SCHEMES } from './uri.ts';

/** RFC 3261 8.1.1: "the minimum required set of header fields" (Max-Forwards is tolerated
 * absent: RFC 2543 peers omit it, RFC 4475 3.4.1). */
const REQUIRED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/** Headers whose grammar allows exactly one value. */
export const SINGLE_VALUED = [
  'To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires',
  'Min-Expires', 'MIME-Version', 'RSeq', 'RAck', 'Session-Expires', 'Min-SE', 'Refer-To',
  'Referred-By', 'Replaces', 'Event', 'Subscription-State', 'Content-Disposition', 'Priority',
];

/** Names of required headers that are absent. */
export function missingRequiredHeaders(msg: SipMessage): string[] {
  return REQUIRED.filter((name) => !msg.headers.has(name));
}

/** Names of single-valued headers present more than once (RFC 4475 3.3.8, 3.3.9). */
export function repeatedSingleHeaders(msg: SipMessage): string[] {
  return SINGLE_VALUED.filter((name) => msg.headers.count(name) > 1);
}

function checkCommon(msg: SipMessage): void {
  const missing = missingRequiredHeaders(msg);
  if (missing.length > 0) throw syntaxError(`Missing Required Header: ${missing.join(', ')}`);
  const repeated = repeatedSingleHeaders(msg);
  if (repeated.length > 0) throw syntaxError(`Multiple Values In Header: ${repeated.join(', ')}`);
  // Parsing each key header throws the precise 400 reason (overlarge CSeq, bad Via, ...).
  getCSeq(msg);
  getVias(msg);
  getFrom(msg);
  getTo(msg);
  getCallId(msg);
}

export function checkRequest(req: SipRequest): void {
  checkCommon(req);
  // RFC 3261 8.1.1.5 / 12.2.1.1: the CSeq method MUST match the request method.
  if (getCSeq(req).method !== req.method) throw syntaxError('CSeq method does not match request method');
  getMaxForwards(req);
  getExpires(req);
  getContacts(req);
  getContentType(req);
  // RFC 3261 8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD
  // reject the request with a 416 (Unsupported URI Scheme) response."
  if (!SIP_SCHEMES.has(req.uri.scheme)) {
    throw new SipParseError('Unsupported URI Scheme', { status: 416 });
  }
  // RFC 3261 19.1.1 table: the headers component is not allowed in a Request-URI.
  if (isSipUri(req.uri) && req.uri.headers.length > 0) throw syntaxError('Request-URI must not contain headers');
}

export function checkResponse(res: SipResponse): void {
  checkCommon(res);
  getContacts(res);
}
