// Typed views of SIP header values, as returned by the accessors in message.ts.
import type { Params } from './grammar.ts';
import type { Uri } from './uri-types.ts';

/** name-addr / addr-spec with header parameters (From, To, Contact, Route, Refer-To, PAI). */
export interface NameAddr {
  /** Unquoted, unescaped display name (UTF-8), if any. */
  displayName?: string;
  uri: Uri;
  /** Header parameters (outside `<>`); values raw, quoted strings keep their quotes. */
  params: Params;
}

/** From and To: the tag is read from params for convenience. */
export interface FromTo extends NameAddr {
  tag?: string;
}

export interface Contact extends NameAddr {
  /** `expires` contact param; undefined when absent or out of range (RFC 4475 3.1.2.4). */
  expires?: number;
  /** `q` contact param, 0..1. */
  q?: number;
}

/** Contact: * (RFC 3261 10.2.2, remove all bindings). */
export type ContactStar = '*';

export interface Via {
  protocol: string;
  version: string;
  /** Upper-cased transport token: UDP, TCP, TLS, SCTP, WS, WSS or an unknown token. */
  transport: string;
  host: string;
  port?: number;
  /** All via-params including branch/received/rport (names lower-cased, values raw). */
  params: Params;
  branch?: string;
  received?: string;
  /** RFC 3581: null when present without a value, the port when filled in. */
  rport?: number | null;
}

export interface CSeq {
  seq: number;
  method: string;
}

export interface MediaType {
  /** Lower-cased type and subtype. */
  type: string;
  subtype: string;
  params: Params;
}

/** WWW-Authenticate/Proxy-Authenticate (challenge) or Authorization/Proxy-Authorization. */
export interface AuthHeader {
  /** Scheme as written (compare case-insensitively); "Digest" for digest. */
  scheme: string;
  /** auth-params, lower-cased names, unquoted values. */
  params: Map<string, string>;
  /** Names of params that were written as quoted strings. */
  quoted: Set<string>;
  /** token68 form (e.g. Basic credentials) when the value is not a param list. */
  token68?: string;
}

/** RFC 3326 Reason header value. */
export interface Reason {
  protocol: string;
  cause?: number;
  text?: string;
  params: Params;
}

/** RFC 3891 Replaces. */
export interface Replaces {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

/** RFC 4028 Session-Expires. */
export interface SessionExpires {
  deltaSeconds: number;
  refresher?: 'uac' | 'uas';
  params: Params;
}

/** RFC 3262 RAck. */
export interface RAck {
  rseq: number;
  cseq: number;
  method: string;
}

/** RFC 6665 Event. */
export interface EventHeader {
  event: string;
  id?: string;
  params: Params;
}

/** RFC 6665 Subscription-State. */
export interface SubscriptionState {
  state: string;
  expires?: number;
  reason?: string;
  retryAfter?: number;
  params: Params;
}
