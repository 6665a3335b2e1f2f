// Types of the WebRTC part: the service's options and events, the agent media's events (what the
// workbench WebSocket forwards to the browser), and the parameters exchanged with mediasoup-client.
import type { types as ms } from 'mediasoup';
import type { G711Law } from '../codec/index.ts';
import type { LegRole } from '../core/index.ts';

export type TransportDirection = 'send' | 'recv';

export interface WebRtcListenOptions {
  /** UDP and TCP port of the WebRtcServer (0: any free port of the mediasoup range, for tests). */
  port: number;
  /** Address to listen on; 0.0.0.0 without an announced address listens on each IPv4 of the host. */
  listenIp: string;
  /** The address browsers must reach (NAT, or one LAN address of several); null: the listen addresses. */
  announcedAddress: string | null;
}

export interface WebRtcServiceOptions {
  listen: WebRtcListenOptions;
  /** An agent's transports live this long after the workbench disconnected (reconnect window). */
  graceMs?: number;
  /** How long attaching a browser leg waits for the browser to produce in the call's law. */
  produceWaitMs?: number;
}

/** What a browser needs to create its side of a transport (mediasoup-client `createSendTransport`). */
export interface TransportParams {
  id: string;
  direction: TransportDirection;
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  dtlsParameters: ms.DtlsParameters;
}

export interface ConsumerParams {
  id: string;
  producerId: string;
  kind: ms.MediaKind;
  rtpParameters: ms.RtpParameters;
  /** The call this audio belongs to (null for the self-monitor consumer). */
  callId: string | null;
}

/** Events of one agent's media, forwarded to the agent's workbench connection. */
export interface AgentMediaEvents {
  /** A source the agent should hear: answer with a `consume` request for `producerId`. */
  newProducer: [{ producerId: string; callId: string; legId: string }];
  consumerClosed: [{ consumerId: string; producerId: string }];
  /** The box needs the microphone in this law (the call's); answer by producing with that codec. */
  produceRequest: [{ law: G711Law }];
  transportClosed: [{ transportId: string; direction: TransportDirection }];
  /** Everything is gone (logout, grace over, worker died): a connected browser starts over. */
  closed: [{ reason: string }];
}

export interface WebRtcServiceEvents {
  /** The WebRtcServer listens (at start, and again on the worker that replaced a dead one). */
  'server-up': [{ sockets: { protocol: 'udp' | 'tcp'; ip: string; port: number }[] }];
  /** The agent's media exists (first workbench connection or a reconnect after the grace period). */
  'agent-online': [{ agentId: number }];
  /** The agent's transports were closed (logout, or no workbench for the grace period). */
  'agent-offline': [{ agentId: number; reason: string }];
}

export interface BrowserLegOptions {
  /** Default `agent`; a supervisor listening from the browser is `supervisor`. */
  role?: LegRole;
  id?: string;
}
