// Error raised by the SIP parser and typed header accessors: carries the answer to give
// (drachtio SipError style) so the transport can reply without knowing why parsing failed.
import type { SipRequest } from './message-types.ts';

/** 400/416/505 for a request that may be answered; null means "drop silently". */
export type ParseErrorStatus = 400 | 416 | 505 | null;

export interface SipParseErrorOptions {
  status?: ParseErrorStatus;
  /** What was parsed of the request before the fault, enough to build a response. */
  partial?: SipRequest;
}

export class SipParseError extends Error {
  readonly code = 'CCBOX_ERR_SIP_PARSE';
  readonly status: ParseErrorStatus;
  /** Reason phrase to put in the response (RFC 3261 21.4.1 allows a specific phrase). */
  readonly reason: string;
  readonly partial?: SipRequest;

  constructor(reason: string, options: SipParseErrorOptions = {}) {
    super(reason);
    this.name = 'SipParseError';
    this.reason = reason;
    this.status = options.status === undefined ? 400 : options.status;
    this.partial = options.partial;
  }

  /**
   * True when a response can be sent: there is a status and the request has a Via to answer
   * along (RFC 3261 18.2.2). Missing To/From/Call-ID are copied as absent (RFC 4475 3.3.1
   * still wants a 400 for such a request).
   */
  get respondable(): boolean {
    return this.status !== null && this.partial !== undefined && this.partial.headers.has('Via');
  }

  /** Same fault, re-targeted (e.g. a response's fault becomes a silent drop). */
  withStatus(status: ParseErrorStatus, partial?: SipRequest): SipParseError {
    return new SipParseError(this.reason, { status, partial: partial ?? this.partial });
  }
}

/** Shorthand used by header parsers: a 400 with a precise reason. */
export function syntaxError(what: string): SipParseError {
  return new SipParseError(what, { status: 400 });
}
