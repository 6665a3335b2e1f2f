// What a UAS (or the B2BUA as forwarder) must answer to a request before acting on it,
// in the order of RFC 3261 8.2: structure (400), 505, 483, 405, 416, 420, 415/406.
import { SipParseError } from './errors.ts';
import { getContentType, getMaxForwards, getOptionTags, getVias } from './message.ts';
import { checkRequest, missingRequiredHeaders, repeatedSingleHeaders } from './message-checks.ts';
import type { SipRequest, SipResponse } from './message-types.ts';
import { isSipUri, SIP_SCHEMES } from './uri.ts';

export interface ServerPolicy {
  /** Option tags this UAS implements (RFC 3261 8.2.2.3). */
  supportedOptionTags?: readonly string[];
  /** Body types accepted per method (RFC 3261 8.2.3); also listed in a 415's Accept. */
  acceptedBodyTypes?: (method: string) => readonly string[];
  /** Methods understood; others get 405 with Allow (RFC 3261 8.2.1). null skips the check. */
  allowedMethods?: readonly string[] | null;
  /** The request will be forwarded (B2BUA onward leg, proxying): Max-Forwards and Proxy-Require apply. */
  forwarding?: boolean;
}

export interface ServerVerdict {
  status: number;
  reason: string;
  /** Headers the answer must carry (Unsupported, Accept, Allow, Accept-Encoding). */
  headers: Array<[string, string]>;
}

export const DEFAULT_ALLOWED_METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'INFO', 'REFER',
  'NOTIFY', 'SUBSCRIBE', 'MESSAGE',
];
export const DEFAULT_OPTION_TAGS = ['100rel', 'timer', 'replaces', 'norefersub'];

export function defaultBodyTypes(method: string): readonly string[] {
  switch (method) {
    case 'INFO': return ['application/dtmf-relay', 'application/dtmf', 'application/sdp'];
    case 'NOTIFY': return ['message/sipfrag', 'application/simple-message-summary', 'application/dialog-info+xml', 'application/pidf+xml'];
    case 'MESSAGE': return ['text/plain'];
    default: return ['application/sdp'];
  }
}

const verdict = (status: number, reason: string, headers: Array<[string, string]> = []): ServerVerdict => ({ status, reason, headers });

function structural(msg: SipRequest): ServerVerdict | null {
  if (msg.version !== 'SIP/2.0') return verdict(505, 'Version Not Supported');
  const missing = missingRequiredHeaders(msg);
  if (missing.length > 0) return verdict(400, `Missing Required Header: ${missing.join(', ')}`);
  const repeated = repeatedSingleHeaders(msg);
  if (repeated.length > 0) return verdict(400, `Multiple Values In Header: ${repeated.join(', ')}`);
  try {
    checkRequest(msg);
  } catch (err) {
    if (!(err instanceof SipParseError)) throw err;
    // 416 is judged below in RFC order; everything else structural is a 400.
    if (err.status !== 416) return verdict(err.status ?? 400, err.reason);
  }
  return null;
}

function extensions(msg: SipRequest, policy: ServerPolicy): ServerVerdict | null {
  // RFC 3261 8.2.2.3: "the UAS MUST NOT ... process Require in ACK or CANCEL" (they cannot be rejected).
  if (msg.method === 'ACK' || msg.method === 'CANCEL') return null;
  const supported = new Set((policy.supportedOptionTags ?? DEFAULT_OPTION_TAGS).map((t) => t.toLowerCase()));
  const required = [...getOptionTags(msg, 'Require')];
  if (policy.forwarding) required.push(...getOptionTags(msg, 'Proxy-Require'));
  const unknown = required.filter((t) => !supported.has(t.toLowerCase()));
  // "the UAS MUST respond by generating a response with status code 420 (Bad Extension) ...
  // and include an Unsupported header field listing those options it does not understand"
  return unknown.length > 0 ? verdict(420, 'Bad Extension', [['Unsupported', unknown.join(', ')]]) : null;
}

function acceptsSdp(accept: readonly string[]): boolean {
  return accept.some((a) => /^\s*(\*\/\*|application\/\*|application\/sdp)\s*(;|$)/i.test(a));
}

function content(msg: SipRequest, policy: ServerPolicy): ServerVerdict | null {
  const types = (policy.acceptedBodyTypes ?? defaultBodyTypes)(msg.method);
  const encodings = msg.headers.getAll('Content-Encoding').filter((e) => e !== '' && e.toLowerCase() !== 'identity');
  if (encodings.length > 0) return verdict(415, 'Unsupported Media Type', [['Accept-Encoding', 'identity']]);
  if (msg.body.length > 0) {
    const ct = getContentType(msg);
    // RFC 3261 8.2.3: "If a UAS does not understand the body of a request, it SHOULD respond
    // with a 415 ... The response MUST contain an Accept header field listing the types ..."
    if (!ct) return verdict(400, 'Missing Content-Type');
    const type = `${ct.type}/${ct.subtype}`;
    if (!types.includes(type)) return verdict(415, 'Unsupported Media Type', [['Accept', types.join(', ')]]);
  }
  // RFC 4475 3.3.15: an INVITE whose Accept excludes application/sdp cannot be answered with SDP.
  const accept = msg.headers.getAll('Accept');
  if (msg.method === 'INVITE' && msg.headers.has('Accept') && !acceptsSdp(accept)) {
    return verdict(406, 'Not Acceptable', [['Accept', 'application/sdp']]);
  }
  return null;
}

/**
 * Judges a (leniently) parsed request. Returns the answer to send, or null to go on.
 * An ACK is never answered: a non-null verdict for an ACK means "drop it".
 */
export function validateRequestForServer(msg: SipRequest, policy: ServerPolicy = {}): ServerVerdict | null {
  const bad = structural(msg);
  if (bad) return bad;
  // RFC 3261 16.3 step 3 (applies to the B2BUA's onward leg): Max-Forwards 0 → 483.
  if (policy.forwarding && getMaxForwards(msg) === 0 && msg.method !== 'ACK') return verdict(483, 'Too Many Hops');
  const allowed = policy.allowedMethods === undefined ? DEFAULT_ALLOWED_METHODS : policy.allowedMethods;
  if (allowed && !allowed.includes(msg.method)) return verdict(405, 'Method Not Allowed', [['Allow', allowed.join(', ')]]);
  // RFC 3261 8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD
  // reject the request with a 416 (Unsupported URI Scheme) response."
  if (!SIP_SCHEMES.has(msg.uri.scheme)) return verdict(416, 'Unsupported URI Scheme');
  if (isSipUri(msg.uri) && msg.uri.headers.length > 0) return verdict(400, 'Request-URI must not contain headers');
  return extensions(msg, policy) ?? content(msg, policy);
}

/**
 * RFC 3261 8.1.3.3: "If more than one Via header field value is present in a response, the
 * UAC SHOULD discard the message." Also drops responses whose top Via is not ours (18.1.2).
 * Returns 'drop' or null.
 */
export function validateResponseForClient(res: SipResponse, isOurSentBy?: (host: string, port?: number) => boolean): 'drop' | null {
  try {
    const vias = getVias(res);
    if (vias.length !== 1) return 'drop';
    if (isOurSentBy && !isOurSentBy(vias[0].host, vias[0].port)) return 'drop';
  } catch {
    return 'drop';
  }
  return null;
}
