// Transaction matching keys: RFC 3261 17.1.3 (client), 17.2.3 (server, with the RFC 2543
// fallback for branches without the magic cookie), 9.2 (CANCEL to INVITE).
import { getCallId, getCSeq, getFrom, getTo, getTopVia } from '../message.ts';
import type { SipRequest, SipResponse } from '../message-types.ts';
import { hasMagicCookie, sentByOf } from '../header-via.ts';
import { serializeUri } from '../uri.ts';

/** The method a request is matched under: "the method of the request matches the one that
 * created the transaction, except for ACK, where the method ... is INVITE." */
export function matchMethod(req: SipRequest): string {
  return req.method === 'ACK' ? 'INVITE' : req.method;
}

/** RFC 3261 17.2.3: branch + sent-by + method, when the branch carries the magic cookie. */
export function serverKey(req: SipRequest, method = matchMethod(req)): string | undefined {
  const via = getTopVia(req);
  if (!hasMagicCookie(via.branch)) return undefined;
  return `${via.branch}\n${sentByOf(via)}\n${method}`;
}

/**
 * RFC 3261 17.2.3 for RFC 2543 peers: "the Request-URI, To tag, From tag, Call-ID, CSeq, and
 * top Via header field match". The To tag is compared separately (an ACK carries the tag of
 * our response), so it is not part of this key.
 */
export function server2543Key(req: SipRequest, method = matchMethod(req)): string {
  const via = getTopVia(req);
  const viaCore = `${via.protocol}/${via.version}/${via.transport} ${sentByOf(via)};branch=${via.branch ?? ''}`;
  return [serializeUri(req.uri), getCallId(req), getFrom(req).tag ?? '', getCSeq(req).seq, method, viaCore].join('\n');
}

/** RFC 3261 8.2.2.2: what identifies a request across forks — From tag, Call-ID and CSeq (number and method). */
export function mergeKey(req: SipRequest): string {
  const cseq = getCSeq(req);
  return [getFrom(req).tag ?? '', getCallId(req), cseq.seq, cseq.method].join('\n');
}

export function toTagOf(msg: SipRequest | SipResponse): string | undefined {
  return getTo(msg).tag;
}

/** RFC 3261 17.1.3: "the branch parameter in the top Via ... and the method parameter in the
 * CSeq header field match the method of the request that created the transaction". */
export function clientKey(branch: string, method: string): string {
  return `${branch}\n${method}`;
}

export function clientKeyOfResponse(res: SipResponse): string | undefined {
  const branch = getTopVia(res).branch;
  return branch === undefined ? undefined : clientKey(branch, getCSeq(res).method);
}
