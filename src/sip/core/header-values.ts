// Scalar and token-valued headers: CSeq, Call-ID, Max-Forwards, Expires, Content-Length,
// Content-Type, option tags, RSeq/RAck, Event, Subscription-State, Session-Expires, Min-SE,
// Replaces, Reason.
import { syntaxError } from './errors.ts';
import {
  isToken, parseBoundedInt, parseParamsOnly, skipLws, tokenEnd, unquote,
} from './grammar.ts';
import type {
  CSeq, EventHeader, MediaType, RAck, Reason, Replaces, SessionExpires, SubscriptionState,
} from './header-types.ts';

/** RFC 3261 8.1.1.5: "The sequence number value MUST be expressible as a 32-bit unsigned
 * integer and MUST be less than 2**31." */
export const MAX_CSEQ = 2 ** 31 - 1;
export const MAX_UINT32 = 2 ** 32 - 1;
/** RFC 3261 20.22: Max-Forwards is an integer in the range 0-255. */
export const MAX_MAX_FORWARDS = 255;

/** CSeq = 1*DIGIT LWS Method */
export function parseCSeq(value: string): CSeq {
  const m = /^([0-9]+)[ \t]+(\S+)$/.exec(value.trim());
  if (!m || !isToken(m[2])) throw syntaxError('Invalid CSeq');
  return { seq: parseBoundedInt(m[1], MAX_CSEQ, 'CSeq sequence number'), method: m[2] };
}

/** Call-ID = word [ "@" word ]: no LWS inside, not empty. */
export function parseCallId(value: string): string {
  const v = value.trim();
  if (v === '' || /[\s]/.test(v)) throw syntaxError('Invalid Call-ID');
  return v;
}

export function parseMaxForwards(value: string): number {
  return parseBoundedInt(value, MAX_MAX_FORWARDS, 'Max-Forwards');
}

/** Expires / Min-Expires = delta-seconds (RFC 3261 20.19: up to 2**32-1). */
export function parseDeltaSeconds(value: string, what = 'delta-seconds'): number {
  return parseBoundedInt(value, MAX_UINT32, what);
}

export function parseContentLength(value: string): number {
  if (/^\s*-/.test(value)) throw syntaxError('Negative Content-Length');
  return parseBoundedInt(value, MAX_UINT32, 'Content-Length');
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter) */
export function parseMediaType(value: string): MediaType {
  const s = value.trim();
  const typeEnd = tokenEnd(s, 0);
  const slash = skipLws(s, typeEnd);
  if (typeEnd === 0 || s[slash] !== '/') throw syntaxError('Invalid media type');
  const subStart = skipLws(s, slash + 1);
  const subEnd = tokenEnd(s, subStart);
  if (subEnd === subStart) throw syntaxError('Invalid media subtype');
  return {
    type: s.slice(0, typeEnd).toLowerCase(),
    subtype: s.slice(subStart, subEnd).toLowerCase(),
    params: parseParamsOnly(s, subEnd, 'media type parameters'),
  };
}

export function mediaTypeString(mt: MediaType): string {
  return `${mt.type}/${mt.subtype}`;
}

/** Require, Supported, Unsupported, Proxy-Require, Allow: lists of tokens (empty allowed). */
export function parseTokenList(values: readonly string[], what: string): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === '') continue;
    if (!isToken(v)) throw syntaxError(`Invalid ${what}`);
    out.push(v);
  }
  return out;
}

/** RFC 3262 7.1: RSeq = 1*DIGIT, 1 to 2**32-1. */
export function parseRSeq(value: string): number {
  const n = parseBoundedInt(value, MAX_UINT32, 'RSeq');
  if (n === 0) throw syntaxError('RSeq out of range');
  return n;
}

/** RFC 3262 7.2: RAck = response-num LWS CSeq-num LWS Method */
export function parseRAck(value: string): RAck {
  const m = /^([0-9]+)[ \t]+([0-9]+)[ \t]+(\S+)$/.exec(value.trim());
  if (!m || !isToken(m[3])) throw syntaxError('Invalid RAck');
  return {
    rseq: parseBoundedInt(m[1], MAX_UINT32, 'RAck response-num'),
    cseq: parseBoundedInt(m[2], MAX_UINT32, 'RAck CSeq-num'),
    method: m[3],
  };
}

function leadingToken(value: string, what: string): { token: string; rest: string; end: number; s: string } {
  const s = value.trim();
  const end = tokenEnd(s, 0);
  if (end === 0) throw syntaxError(`Invalid ${what}`);
  return { token: s.slice(0, end), rest: s.slice(end), end, s };
}

/** RFC 6665 8.2.1: Event = event-type *( SEMI event-param ) */
export function parseEvent(value: string): EventHeader {
  const { token, end, s } = leadingToken(value, 'Event');
  const params = parseParamsOnly(s, end, 'Event parameters');
  const id = unquote(params.get('id'));
  return id === undefined ? { event: token.toLowerCase(), params } : { event: token.toLowerCase(), id, params };
}

/** RFC 6665 8.2.3: Subscription-State = substate-value *( SEMI subexp-params ) */
export function parseSubscriptionState(value: string): SubscriptionState {
  const { token, end, s } = leadingToken(value, 'Subscription-State');
  const params = parseParamsOnly(s, end, 'Subscription-State parameters');
  const out: SubscriptionState = { state: token.toLowerCase(), params };
  const expires = params.get('expires');
  if (expires != null) out.expires = parseDeltaSeconds(expires, 'expires');
  const retry = params.get('retry-after');
  if (retry != null) out.retryAfter = parseDeltaSeconds(retry, 'retry-after');
  const reason = params.get('reason');
  if (reason != null) out.reason = reason.toLowerCase();
  return out;
}

/** RFC 4028 4: Session-Expires = delta-seconds *(SEMI se-params); se-params = refresher-param */
export function parseSessionExpires(value: string): SessionExpires {
  const s = value.trim();
  const m = /^[0-9]+/.exec(s);
  if (!m) throw syntaxError('Invalid Session-Expires');
  const params = parseParamsOnly(s, m[0].length, 'Session-Expires parameters');
  const out: SessionExpires = { deltaSeconds: parseDeltaSeconds(m[0], 'Session-Expires'), params };
  const refresher = params.get('refresher')?.toLowerCase();
  if (refresher === 'uac' || refresher === 'uas') out.refresher = refresher;
  else if (refresher !== undefined) throw syntaxError('Invalid Session-Expires refresher');
  return out;
}

/** RFC 4028 5: Min-SE = delta-seconds *(SEMI generic-param) */
export function parseMinSE(value: string): number {
  const s = value.trim();
  const m = /^[0-9]+/.exec(s);
  if (!m) throw syntaxError('Invalid Min-SE');
  parseParamsOnly(s, m[0].length, 'Min-SE parameters');
  return parseDeltaSeconds(m[0], 'Min-SE');
}

/** RFC 3891 6.1: Replaces = callid *(SEMI replaces-param); to-tag and from-tag required. */
export function parseReplaces(value: string): Replaces {
  const s = value.trim();
  const semi = s.indexOf(';');
  const callId = parseCallId(semi < 0 ? s : s.slice(0, semi));
  const params = semi < 0 ? new Map() : parseParamsOnly(s, semi, 'Replaces parameters');
  const toTag = unquote(params.get('to-tag'));
  const fromTag = unquote(params.get('from-tag'));
  if (!toTag || !fromTag) throw syntaxError('Replaces needs to-tag and from-tag');
  return { callId, toTag, fromTag, earlyOnly: params.has('early-only') };
}

/** RFC 3326 2: reason-value = protocol *(SEMI reason-params); cause and text params. */
export function parseReason(value: string): Reason {
  const { token, end, s } = leadingToken(value, 'Reason');
  const params = parseParamsOnly(s, end, 'Reason parameters');
  const out: Reason = { protocol: token, params };
  const cause = params.get('cause');
  if (cause != null) out.cause = parseBoundedInt(cause, 65535, 'Reason cause');
  const text = unquote(params.get('text'));
  if (text !== undefined) out.text = text;
  return out;
}
