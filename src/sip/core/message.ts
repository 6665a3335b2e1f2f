// Building SIP messages and reading their headers as typed values (parsed once, cached).
import { syntaxError } from './errors.ts';
import { parseAuthHeader } from './header-auth.ts';
import { parseContacts, parseFromTo, parseNameAddr } from './header-address.ts';
import type {
  AuthHeader, Contact, ContactStar, CSeq, EventHeader, FromTo, MediaType, NameAddr, RAck, Reason,
  Replaces, SessionExpires, SubscriptionState, Via,
} from './header-types.ts';
import {
  parseCallId, parseCSeq, parseDeltaSeconds, parseEvent, parseMaxForwards, parseMediaType, parseMinSE,
  parseRAck, parseReason, parseReplaces, parseRSeq, parseSessionExpires, parseSubscriptionState, parseTokenList,
} from './header-values.ts';
import { parseVia } from './header-via.ts';
import { Headers } from './headers.ts';
import type { SipMessage, SipRequest, SipResponse } from './message-types.ts';
import { reasonPhrase } from './status.ts';
import type { Uri } from './uri-types.ts';
import { parseUri } from './uri.ts';

export type HeaderInit = Headers | ReadonlyArray<readonly [string, string]>;

function toHeaders(init: HeaderInit | undefined): Headers {
  if (init instanceof Headers) return init;
  const h = new Headers();
  for (const [name, value] of init ?? []) h.append(name, value);
  return h;
}

function toBody(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

export function createRequest(init: {
  method: string; uri: Uri | string; headers?: HeaderInit; body?: Buffer | string;
}): SipRequest {
  const uri = typeof init.uri === 'string' ? parseUri(init.uri) : init.uri;
  return { kind: 'request', method: init.method, uri, version: 'SIP/2.0', headers: toHeaders(init.headers), body: toBody(init.body) };
}

export function createResponse(init: {
  status: number; reason?: string; headers?: HeaderInit; body?: Buffer | string;
}): SipResponse {
  return {
    kind: 'response', status: init.status, reason: init.reason ?? reasonPhrase(init.status),
    version: 'SIP/2.0', headers: toHeaders(init.headers), body: toBody(init.body),
  };
}

/** Independent copy: headers cloned, body bytes shared (Buffers are treated as immutable). */
export function cloneMessage<T extends SipMessage>(msg: T): T {
  return { ...msg, headers: msg.headers.clone() };
}

function single(values: readonly string[], name: string): string | undefined {
  if (values.length > 1) throw syntaxError(`Multiple ${name} values`);
  return values[0];
}

function required(values: readonly string[], name: string): string {
  const v = single(values, name);
  if (v === undefined) throw syntaxError(`Missing ${name}`);
  return v;
}

export function getVias(msg: SipMessage): Via[] {
  return msg.headers.parsed('Via', (vs) => vs.map(parseVia));
}

export function getTopVia(msg: SipMessage): Via {
  const top = getVias(msg)[0];
  if (!top) throw syntaxError('Missing Via');
  return top;
}

export function getFrom(msg: SipMessage): FromTo {
  return msg.headers.parsed('From', (vs) => parseFromTo(required(vs, 'From')));
}

export function getTo(msg: SipMessage): FromTo {
  return msg.headers.parsed('To', (vs) => parseFromTo(required(vs, 'To')));
}

export function getCallId(msg: SipMessage): string {
  return msg.headers.parsed('Call-ID', (vs) => parseCallId(required(vs, 'Call-ID')));
}

export function getCSeq(msg: SipMessage): CSeq {
  return msg.headers.parsed('CSeq', (vs) => parseCSeq(required(vs, 'CSeq')));
}

/** Contacts in order; an empty list when there is no Contact; '*' for a wildcard. */
export function getContacts(msg: SipMessage): Contact[] | ContactStar {
  return msg.headers.parsed('Contact', parseContacts);
}

export function getMaxForwards(msg: SipMessage): number | undefined {
  return msg.headers.parsed('Max-Forwards', (vs) => {
    const v = single(vs, 'Max-Forwards');
    return v === undefined ? undefined : parseMaxForwards(v);
  });
}

export function getExpires(msg: SipMessage): number | undefined {
  return optionalScalar(msg, 'Expires', (v) => parseDeltaSeconds(v, 'Expires'));
}

export function getMinExpires(msg: SipMessage): number | undefined {
  return optionalScalar(msg, 'Min-Expires', (v) => parseDeltaSeconds(v, 'Min-Expires'));
}

export function getContentType(msg: SipMessage): MediaType | undefined {
  return optionalScalar(msg, 'Content-Type', parseMediaType);
}

function optionalScalar<T>(msg: SipMessage, name: string, parse: (v: string) => T): T | undefined {
  return msg.headers.parsed(name, (vs) => {
    const v = single(vs, name);
    return v === undefined ? undefined : parse(v);
  });
}

export type OptionTagHeader = 'Require' | 'Supported' | 'Unsupported' | 'Proxy-Require' | 'Allow' | 'Allow-Events';

export function getOptionTags(msg: SipMessage, name: OptionTagHeader): string[] {
  return msg.headers.parsed(name, (vs) => parseTokenList(vs, name));
}

export function hasOptionTag(msg: SipMessage, name: OptionTagHeader, tag: string): boolean {
  return getOptionTags(msg, name).some((t) => t.toLowerCase() === tag.toLowerCase());
}

export type AuthHeaderName = 'Authorization' | 'Proxy-Authorization' | 'WWW-Authenticate' | 'Proxy-Authenticate';

export function getAuthHeaders(msg: SipMessage, name: AuthHeaderName): AuthHeader[] {
  return msg.headers.parsed(name, (vs) => vs.map(parseAuthHeader));
}

export type RouteHeader = 'Route' | 'Record-Route' | 'Path' | 'Service-Route';

export function getRoutes(msg: SipMessage, name: RouteHeader): NameAddr[] {
  return msg.headers.parsed(name, (vs) => vs.map(parseNameAddr));
}

export function getReasons(msg: SipMessage): Reason[] {
  return msg.headers.parsed('Reason', (vs) => vs.map(parseReason));
}

/** RFC 3325 P-Asserted-Identity: one or two identities (a sip/sips and a tel). */
export function getPAssertedIdentities(msg: SipMessage): NameAddr[] {
  return msg.headers.parsed('P-Asserted-Identity', (vs) => vs.map(parseNameAddr));
}

/** RFC 3515 Refer-To (single value). */
export function getReferTo(msg: SipMessage): NameAddr | undefined {
  return optionalScalar(msg, 'Refer-To', parseNameAddr);
}

/** RFC 3892 Referred-By (single value). */
export function getReferredBy(msg: SipMessage): NameAddr | undefined {
  return optionalScalar(msg, 'Referred-By', parseNameAddr);
}

export function getReplaces(msg: SipMessage): Replaces | undefined {
  return optionalScalar(msg, 'Replaces', parseReplaces);
}

export function getSessionExpires(msg: SipMessage): SessionExpires | undefined {
  return optionalScalar(msg, 'Session-Expires', parseSessionExpires);
}

export function getMinSE(msg: SipMessage): number | undefined {
  return optionalScalar(msg, 'Min-SE', parseMinSE);
}

export function getRSeq(msg: SipMessage): number | undefined {
  return optionalScalar(msg, 'RSeq', parseRSeq);
}

export function getRAck(msg: SipMessage): RAck | undefined {
  return optionalScalar(msg, 'RAck', parseRAck);
}

export function getEvent(msg: SipMessage): EventHeader | undefined {
  return optionalScalar(msg, 'Event', parseEvent);
}

export function getSubscriptionState(msg: SipMessage): SubscriptionState | undefined {
  return optionalScalar(msg, 'Subscription-State', parseSubscriptionState);
}
