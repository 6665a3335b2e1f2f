// RFC 3261 18.2.1 received, RFC 3581 rport on incoming requests, and RFC 3261 18.2.2 response routing.
import { getTopVia, hostAddress, serializeVia, type SipRequest, type Via } from '../core/index.ts';
import { normalizeIp } from './addresses.ts';
import type { SipDestination, SipSource, TransportProtocol } from './transport-types.ts';

const DEFAULT_PORT: Record<TransportProtocol, number> = { udp: 5060, tcp: 5060, tls: 5061 };

/**
 * Stamps the top Via of a request with where it really came from. RFC 3261 18.2.1: "If the host
 * portion of the "sent-by" field contains a domain name, or if it contains an IP address that
 * differs from the packet source address, the server MUST add a "received" parameter". RFC 3581 4:
 * with an empty rport "the server MUST insert a "received" parameter ... and MUST set the value of
 * the "rport" parameter to the source port of the request". Returns false for a Via that cannot be read.
 */
export function stampReceived(req: SipRequest, source: SipSource): boolean {
  let top: Via;
  try {
    top = getTopVia(req);
  } catch {
    return false;
  }
  const sentByIp = normalizeIp(hostAddress(top.host));
  const wantsRport = top.params.has('rport');
  if (sentByIp === source.ip && !wantsRport) return true;
  const params = new Map(top.params);
  params.set('received', source.ip);
  if (wantsRport) params.set('rport', String(source.port));
  const vias = [...req.headers.getAll('Via')];
  vias[0] = serializeVia({ ...top, params });
  req.headers.set('Via', vias);
  return true;
}

/**
 * Where the response to a request goes (RFC 3261 18.2.2 with RFC 3581 5): over a reliable transport
 * the connection the request came on; else the received address (or the source address) and the
 * rport, else the sent-by port, else the transport's default port. maddr (multicast) is not served.
 */
export function responseDestination(topVia: Via | undefined, source: SipSource): SipDestination {
  if (source.transport !== 'udp') {
    // "If the "sent-protocol" is a reliable transport protocol ... the response MUST be sent using the
    // existing connection to the source of the original request"; otherwise to received + sent-by port.
    return { transport: source.transport, ip: source.ip, port: source.port, connectionId: source.connectionId };
  }
  if (!topVia) return { transport: 'udp', ip: source.ip, port: source.port };
  const ip = topVia.received ? normalizeIp(topVia.received) : source.ip;
  if (typeof topVia.rport === 'number' || topVia.rport === null) return { transport: 'udp', ip, port: source.port };
  return { transport: 'udp', ip, port: topVia.port ?? DEFAULT_PORT.udp };
}

/** The stream fallback of 18.2.2 when the original connection is gone: received + sent-by port. */
export function reconnectDestination(topVia: Via, source: SipSource): SipDestination {
  const ip = topVia.received ? normalizeIp(topVia.received) : source.ip;
  return { transport: source.transport, ip, port: topVia.port ?? DEFAULT_PORT[source.transport] };
}
