// Types of the RTP edge: options of the edge and its legs, remote media from SDP, events, stats.
import type { G711Law } from '../codec/index.ts';
import type { DtmfDigit, DtmfEvent } from '../dtmf/index.ts';
import type { PlayOptions } from '../player/index.ts';
import type { RecordingResult } from '../recorder/index.ts';

export interface PortRange {
  min: number;
  max: number;
}

export interface RtpEdgeOptions {
  /** Worker threads owning the sockets (default: cores − 1, at least 1, at most 4). */
  workers?: number;
  /** UDP range for SIP legs: RTP on even ports, RTCP on the next (DESIGN.md: 40000–47999). */
  portRange?: PortRange;
  /** Address the phone-side sockets bind to (default 0.0.0.0). */
  bindAddress?: string;
  /** Loopback address of the relay sockets facing mediasoup (default 127.0.0.1). */
  relayAddress?: string;
  /** Deadline of each request to a worker (ms). */
  requestTimeoutMs?: number;
}

/** What the loopback PlainTransport (the router side) speaks. */
export interface RouterCodec {
  law: G711Law;
  /** 8 for PCMA, 0 for PCMU unless the router maps them otherwise. */
  payloadType: number;
}

/** What the SIP peer negotiated in SDP. */
export interface LegMedia {
  law: G711Law;
  audioPt: number;
  /** telephone-event payload type (96, 100, 101 …) or null when not negotiated. */
  telephoneEventPt: number | null;
}

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The peer's media address and codec from an offer/answer. */
export interface RemoteMedia extends Partial<LegMedia> {
  address: string;
  port: number;
  /** Peer behind NAT: latch on the first packets within the latch window after this update. */
  latch?: boolean;
  /** Direction as the peer declared it; 'sendonly'/'inactive' is hold (no dead-media alarm). */
  direction?: SdpDirection;
}

export interface RelayTarget {
  address: string;
  port: number;
}

export interface CreateLegOptions {
  id?: string;
  /**
   * Legs of one group (a call) are placed on the same worker thread, so the edge can relay
   * between them directly (`RtpEdgeLeg.setDirect`).
   */
  group?: string;
  router: RouterCodec;
  media: LegMedia;
  remote?: RemoteMedia;
  relay?: RelayTarget;
  /** Fixed SSRC of the mediasoup Producer this leg feeds. */
  producerSsrc: number;
  /** SSRC of the stream towards the phone (random when omitted). */
  phoneSsrc?: number;
  /** How long after an update a NAT-ed peer may be latched (ms, default 2000). */
  latchWindowMs?: number;
  /** No RTP for this long raises 'dead' (ms, default 30000; 0 disables). */
  deadMediaMs?: number;
  /** Period of 'stats' events (ms, default 0 = only on request). */
  statsIntervalMs?: number;
  /** Detect DTMF tones in the audio (default: when telephone-event is not negotiated). */
  inbandDtmf?: boolean;
}

/** Options of the worker side of a leg: everything resolved, all serializable. */
export interface WorkerLegOptions extends Required<Omit<CreateLegOptions, 'remote' | 'relay' | 'inbandDtmf' | 'id' | 'group'>> {
  id: string;
  remote: RemoteMedia | null;
  relay: RelayTarget | null;
  inbandDtmf: boolean | null;
  bindAddress: string;
  relayAddress: string;
  rtpPort: number;
  /** Random starting points of the rewritten streams (RFC 3550 5.1: initial values SHOULD be random). */
  initialSeq: number;
  initialTs: number;
  phoneInitialSeq: number;
  phoneInitialTs: number;
}

export interface LegPlayOptions extends PlayOptions {
  /** Law of the frames (default: the router's). */
  law?: G711Law;
}

export interface PlayResult {
  reason: 'finished' | 'interrupted' | 'stopped';
  frames: number;
  digit?: DtmfDigit;
}

export interface SendDtmfOptions {
  durationMs?: number;
  gapMs?: number;
  volume?: number;
}

export interface LegRecordingOptions {
  path: string;
  /** 2 = stereo call recording; 1 = mono (voicemail: what the peer sends). */
  channels?: 1 | 2;
  /** Channel of the audio from the peer (0 left for a customer leg, 1 for an agent leg). */
  inboundChannel?: 0 | 1;
}

export interface LegStats {
  rtpIn: number;
  rtpBytesIn: number;
  rtpToRouter: number;
  /** Packets from the peer handed straight to another leg of the call (direct relay, no router hop). */
  rtpToPeer: number;
  /** Packets towards the peer from the call side: from mediasoup or, relayed directly, from another leg. */
  rtpFromRouter: number;
  rtpToPhone: number;
  rtcpIn: number;
  dtmfPacketsIn: number;
  droppedForeign: number;
  droppedMalformed: number;
  droppedUnknownPt: number;
  droppedNoRelay: number;
  /** Packets not sent to the router because nothing there consumes this leg (alone in an IVR, queue). */
  droppedUnconsumed: number;
  droppedNoRemote: number;
  droppedFromRouter: number;
  ssrcChanges: number;
  remoteSsrc: number | null;
  latched: RelayTarget | null;
}

export interface RtpEdgeLegEvents {
  dtmf: [DtmfEvent];
  /** A key press began (RFC 4733 first packet or confirmed tone): for early barge-in. */
  'dtmf-begin': [{ digit: DtmfDigit; source: DtmfEvent['source'] }];
  dead: [{ silentMs: number }];
  /** RTP flows again after 'dead'. */
  alive: [];
  latched: [{ address: string; port: number }];
  'ssrc-change': [{ from: number; to: number }];
  stats: [LegStats];
  /** A background recording write failed. */
  'recording-error': [{ message: string }];
  closed: [];
}

export type { RecordingResult };
