// Shapes shared by the SIP transports (UDP, TCP, TLS): where a message came from, where one goes,
// the events a transport reports and the options it takes.
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SipMessage, SipParseError } from '../core/index.ts';

export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Where a message arrived from: the peer's address and, on TCP/TLS, the connection it used. */
export interface SipSource {
  transport: TransportProtocol;
  /** Peer address, IPv4 dotted or IPv6 without brackets (v4-mapped addresses are unmapped). */
  ip: string;
  port: number;
  /** Stream connection the message came on (answers go back over it, RFC 3261 18.2.2). */
  connectionId?: string;
  /** Our address and port the message reached. */
  localIp: string;
  localPort: number;
}

/** Where a message goes. On TCP/TLS an open connection is used when named or known for ip:port. */
export interface SipDestination {
  transport: TransportProtocol;
  ip: string;
  port: number;
  connectionId?: string;
}

export interface ListeningAddress {
  transport: TransportProtocol;
  ip: string;
  port: number;
}

export interface TransportEvents {
  /** A parsed message. Requests are as received: rport/received are the stack's job. */
  message: [message: SipMessage, source: SipSource];
  /** Bytes that did not parse; `error.respondable` says whether a 400 may be sent (requests only). */
  malformed: [error: SipParseError, source: SipSource];
  /** RFC 5626 keep-alive (CRLFCRLF on a stream, already answered with CRLF; CRLF runs on UDP). */
  keepAlive: [source: SipSource];
  /** A stream connection closed (idle, peer, error or framing failure). */
  closed: [connectionId: string, reason: string];
  /** A TLS handshake with a peer failed (it rejected our certificate, or spoke no TLS). */
  tlsFailure: [ip: string, reason: string];
}

export interface TransportOptions {
  clock: Clock;
  log: Logger;
  /** Largest message accepted (a datagram, or a framed message's body). */
  maxMessageBytes: number;
  /** A stream connection with no traffic for this long is closed. */
  idleTimeoutMs: number;
  /** Deadline for opening an outbound stream connection. */
  connectTimeoutMs: number;
}

export interface TlsOptions {
  cert: string;
  key: string;
  /** Verify the peer's certificate on outbound connections (carriers); phones present none inbound. */
  verifyOutbound?: boolean;
  /** Extra CA certificates for outbound verification. */
  ca?: string[];
}
