// Types of the URIs SIP carries: sip/sips (RFC 3261 19.1), tel (RFC 3966), and any other
// scheme kept opaque so that To/From/Contact with unknown schemes still parse (RFC 4475 3.3.4).
import type { Params } from './grammar.ts';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** Decoded user part (escapes resolved); may contain ';' (RFC 4475 3.1.1.9). */
  user?: string;
  password?: string;
  /** hostname, IPv4 address or IPv6 reference with its brackets. */
  host: string;
  port?: number;
  /** uri-parameters; lower-cased names, decoded values, null for a name without value. */
  params: Params;
  /** headers component (`?a=b&c=d`), decoded, in order. */
  headers: Array<[string, string]>;
}

export interface TelUri {
  scheme: 'tel';
  /** global or local number as written, e.g. "+86-10-8888-0000" or "1001". */
  number: string;
  params: Params;
}

/** Any other scheme (http, urn, isbn, soap.beep, ...): kept verbatim. */
export interface AbsoluteUri {
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;
