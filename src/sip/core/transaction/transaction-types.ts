// Types shared by the four RFC 3261 transaction machines and the transaction layer.
import type { SipMessage, SipRequest, SipResponse } from '../message-types.ts';

/** Injected timers (a fake clock in tests, node's timers in production). */
export interface TimerHost {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where a message goes or came from; opaque to the core beyond reliability. */
export interface Peer {
  /** udp, tcp, tls, ws, wss (lower case). */
  transport: string;
  address: string;
  port: number;
  /** Connection the request arrived on, for answering over the same flow (RFC 3261 18.2.2). */
  flowId?: string;
}

/** Hands a message to the transport; throwing means a transport error (RFC 3261 17.1.4, 17.2.4). */
export type SendFn = (message: SipMessage, peer: Peer) => void;

/** RFC 3261 17.1.1.1 and table 4; durations in milliseconds. */
export interface TimerConfig {
  /** RTT estimate, 500 ms. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  t2: number;
  /** Maximum duration a message will remain in the network, 5 s. */
  t4: number;
  /** Timer D over unreliable transports, at least 32 s. */
  timerD: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000, timerD: 32000 };

/** RFC 3261 17: reliable transports need no retransmissions and zero wait timers. */
export function isReliable(peer: Peer): boolean {
  return peer.transport.toLowerCase() !== 'udp';
}

export interface TransactionEnv {
  timers: TimerHost;
  send: SendFn;
  config: TimerConfig;
}

export type TransactionKind = 'ict' | 'nict' | 'ist' | 'nist';

/** What a client transaction tells the UAC core (its transaction user). */
export interface ClientTransactionUser {
  /** Provisional and final responses, each once (retransmissions absorbed), plus 2xx
   * retransmissions in the Accepted state so the core can re-send its ACK (RFC 6026 8.4). */
  onResponse(response: SipResponse): void;
  /** Timer B or F fired (RFC 3261 17.1.1.2, 17.1.2.2): treat as 408. */
  onTimeout?(): void;
  onTransportError?(error: unknown): void;
  onTerminated?(): void;
}

/** What a server transaction tells the UAS core. */
export interface ServerTransactionUser {
  /** Timer H fired: no ACK arrived for a non-2xx final (RFC 3261 17.2.1). */
  onTimeout?(): void;
  onTransportError?(error: unknown): void;
  onTerminated?(): void;
  /** RFC 6026 8.7: an ACK matched the INVITE transaction in the Accepted state. */
  onAck?(ack: SipRequest): void;
}
