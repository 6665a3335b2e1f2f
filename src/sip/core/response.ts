// Builds responses to requests (RFC 3261 8.2.6) and the requests a client transaction or
// UAC core derives from another: CANCEL (9.1) and the ACK for a non-2xx final (17.1.1.3).
import { getTo } from './message.ts';
import { createRequest, createResponse } from './message.ts';
import type { SipRequest, SipResponse } from './message-types.ts';

export interface ResponseOptions {
  reason?: string;
  /** Tag for To when the request had none (RFC 3261 8.2.6.2). Not added to 100 Trying. */
  toTag?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  contentType?: string;
}

const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

function toWithTag(req: SipRequest, status: number, toTag: string | undefined): string | undefined {
  const raw = req.headers.get('To');
  if (raw === undefined || toTag === undefined || status === 100) return raw;
  try {
    if (getTo(req).tag !== undefined) return raw;
  } catch {
    return raw; // a malformed To is echoed as it came (answering a 400)
  }
  return `${raw};tag=${toTag}`;
}

/**
 * RFC 3261 8.2.6.2: "The From field of the response MUST equal the From header field of the
 * request. The Call-ID header field of the response MUST equal the Call-ID header field of the
 * request. The CSeq header field ... MUST equal ... The Via header field values in the response
 * MUST equal the Via header field values in the request and MUST maintain the same ordering."
 */
export function buildResponse(req: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const res = createResponse({ status, reason: options.reason, body: options.body });
  const h = res.headers;
  for (const via of req.headers.getAll('Via')) h.append('Via', via);
  const copy = (name: string, value: string | undefined) => value !== undefined && h.append(name, value);
  copy('From', req.headers.get('From'));
  copy('To', toWithTag(req, status, options.toTag));
  copy('Call-ID', req.headers.get('Call-ID'));
  copy('CSeq', req.headers.get('CSeq'));
  // 8.2.6.1: a 100 (Trying) copies the Timestamp of the request.
  if (status === 100) copy('Timestamp', req.headers.get('Timestamp'));
  // 12.1.1: "the UAS MUST copy all Record-Route header field values from the request into
  // the response (including the URIs, URI parameters, and any Record-Route header field parameters".
  if (status > 100 && status < 300 && DIALOG_CREATING.has(req.method)) {
    for (const rr of req.headers.getAll('Record-Route')) h.append('Record-Route', rr);
  }
  for (const [name, value] of options.headers ?? []) h.append(name, value);
  if (options.contentType) h.set('Content-Type', options.contentType);
  return res;
}

/**
 * RFC 3261 9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields
 * in the CANCEL request MUST be identical to those in the request being cancelled, including
 * tags. A CANCEL constructed by a client MUST have only a single Via header field value
 * matching the top Via value in the request being cancelled."
 */
export function buildCancel(invite: SipRequest): SipRequest {
  return derivedRequest(invite, 'CANCEL', invite.headers.get('To'));
}

/**
 * RFC 3261 17.1.1.3: the ACK for a non-2xx final response has the original request's
 * Call-ID, From, Request-URI, top Via and Route, the To of the response, and CSeq method ACK.
 */
export function buildAckForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  return derivedRequest(invite, 'ACK', response.headers.get('To'));
}

function derivedRequest(invite: SipRequest, method: 'CANCEL' | 'ACK', to: string | undefined): SipRequest {
  const req = createRequest({ method, uri: invite.uri });
  const h = req.headers;
  const topVia = invite.headers.get('Via');
  if (topVia !== undefined) h.append('Via', topVia);
  h.append('Max-Forwards', '70');
  h.append('From', invite.headers.get('From') ?? '');
  if (to !== undefined) h.append('To', to);
  h.append('Call-ID', invite.headers.get('Call-ID') ?? '');
  const seq = /^\s*([0-9]+)/.exec(invite.headers.get('CSeq') ?? '')?.[1] ?? '0';
  h.append('CSeq', `${seq} ${method}`);
  for (const route of invite.headers.getAll('Route')) h.append('Route', route);
  return req;
}
