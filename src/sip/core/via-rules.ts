// Transport rules for Via that are pure logic: stamping received/rport on requests we
// receive (RFC 3261 18.2.1, RFC 3581 4) and choosing where a response goes (18.2.2).
import { hostAddress } from './grammar.ts';
import { getVias } from './message.ts';
import type { SipRequest } from './message-types.ts';
import { serializeVia } from './header-via.ts';
import type { Via } from './header-types.ts';
import type { Peer } from './transaction/transaction-types.ts';

/**
 * RFC 3261 18.2.1: "If the host portion of the "sent-by" parameter contains a domain name, or
 * if it contains an IP address that differs from the packet source address, the server MUST
 * add a "received" parameter". RFC 3581 4: with rport, "the server MUST insert a "received"
 * parameter ... even if it is identical" and "MUST set the value of the "rport" parameter to
 * the source port of the request". Changes the request's top Via in place.
 */
export function stampReceived(req: SipRequest, source: Peer): void {
  const top = getVias(req)[0];
  const stamped = top && stampedVia(top, source);
  if (!stamped) return;
  const values = [...req.headers.getAll('Via')];
  values[0] = serializeVia(stamped);
  req.headers.set('Via', values);
}

/** The top Via as stampReceived leaves it (received, rport filled in); undefined when it stays as it is. */
export function stampedVia(top: Via, source: Peer): Via | undefined {
  const hasRport = top.rport !== undefined;
  if (!hasRport && hostAddress(top.host).toLowerCase() === source.address.toLowerCase()) return undefined;
  const params = new Map(top.params);
  params.set('received', source.address);
  if (hasRport) params.set('rport', String(source.port));
  return { ...top, params, received: source.address, ...(hasRport ? { rport: source.port } : {}) };
}

/** RFC 3261 18.2.2 with RFC 3581 4: the destination of a response to a request from `source`. */
export function responseDestination(via: Via, source: Peer): Peer {
  // "If the "sent-protocol" is a reliable transport protocol ... the response MUST be sent
  // using the existing connection to the source of the original request".
  if (source.transport.toLowerCase() !== 'udp') return source;
  const base = source.flowId === undefined ? {} : { flowId: source.flowId };
  const maddr = via.params.get('maddr');
  if (maddr) return { transport: 'udp', address: hostAddress(maddr), port: via.port ?? 5060, ...base };
  // RFC 3581 4: "send it to the IP address indicated in the received parameter and the port
  // indicated in the rport parameter".
  if (typeof via.rport === 'number') return { transport: 'udp', address: via.received ? hostAddress(via.received) : source.address, port: via.rport, ...base };
  // "if it is present, the response MUST be sent to the address in the "received" parameter,
  // using the port indicated in the "sent-by" value, or using port 5060".
  return { transport: 'udp', address: hostAddress(via.received ?? via.host), port: via.port ?? 5060, ...base };
}
