// Types of the media core: the MediaCore / CallMedia interface that src/calls and src/ivr use,
// the leg contract every leg kind (SIP through the RTP edge, WebRTC) fulfils, options and events.
import type { types as ms } from 'mediasoup';
import type { G711Law } from '../codec/index.ts';
import type { DtmfDigit, DtmfSource } from '../dtmf/index.ts';
import type { LegPlayOptions, PlayResult, PortRange } from '../edge/index.ts';
import type { TypedEmitter } from '../../platform/events.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

export type { G711Law, DtmfDigit };

/** Who a leg is in the call; decides the recording channel (left customer, right agent side). */
export type LegRole = 'customer' | 'agent' | 'supervisor';

export type LegKind = 'sip' | 'webrtc';

/**
 * What the call needs from a leg of any kind. A leg has a Producer on the call's router (what
 * its peer says) and can make its peer hear any Producer of that router (`consume`). SIP legs
 * are an RTP edge leg plus a PlainTransport; a WebRTC leg (src/media/webrtc) pipes the agent's
 * producer into the call's router and the call's producers back to the agent's transport.
 */
export interface MediaLeg {
  readonly id: string;
  readonly kind: LegKind;
  readonly role: LegRole;
  /** The peer's audio on the call's router; null until the leg has media (or, SIP legs, until routed). */
  readonly producer: ms.Producer | null;
  /**
   * Legs that go on the call's router only when needed (SIP legs): puts the leg there and returns its
   * Producer. Flows between two such legs stay virtual while the edge relays them directly.
   */
  route?(): Promise<ms.Producer>;
  /** Lets the peer hear `producer` (a Producer on the call's router). */
  consume(producer: ms.Producer): Promise<LegConsumer>;
  /**
   * Called when the number of sources the peer hears changes. A SIP phone receives one RTP
   * stream, so the edge mixes when there are several; a browser mixes its tracks itself.
   */
  setMixing(on: boolean): Promise<void>;
  /** The box holds the peer (hold-aware dead-media detection, silence in the recording). */
  setHold(on: boolean): Promise<void>;
  /** Plays G.711 frames to the peer (SIP legs: the edge's player). Optional for other kinds. */
  play?(frames: readonly Uint8Array[], options: LegPlayOptions): Promise<PlayResult>;
  stopPlay?(): Promise<void>;
  /** Sends digits to the peer (SIP legs: RFC 4733 or in-band). */
  sendDtmf?(digits: string): Promise<void>;
  close(): Promise<void>;
  /** Resolves/fires once when the leg ends on its own (transport closed, peer gone). */
  onClosed(fn: () => void): void;
}

/** One source delivered to one leg; paused while on hold. */
export interface LegConsumer {
  readonly producerId: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): void;
}

/** A prompt to play: ready G.711 frames, a prompt file (8 kHz mono WAV), or text for TTS. */
export type PromptSource =
  | { kind: 'frames'; frames: readonly Uint8Array[]; law: G711Law }
  | { kind: 'file'; path: string }
  | { kind: 'tts'; text: string; voice?: TtsVoice; variables?: Readonly<Record<string, string | number>> };

export type TtsVoice = 'cmn' | 'en';

export interface MediaPlayOptions {
  repeat?: number;
  /** Until stopPlay (hold music, queue music). */
  loop?: boolean;
  /** A DTMF digit stops the prompt (default true); SIP INFO digits count too. */
  interruptible?: boolean;
  interruptDigits?: readonly DtmfDigit[];
  /** Mix the prompt over the conversation instead of muting the relay audio while it plays. */
  mixWithCall?: boolean;
}

export interface MediaPlayResult {
  reason: 'finished' | 'interrupted' | 'stopped';
  /** The digit that stopped the prompt (barge-in); it is also reported as a `dtmf` event. */
  interruptedBy?: DtmfDigit;
  frames: number;
}

export interface SipLegRequest {
  /** The peer's SDP offer (incoming INVITE), or null to build an offer (outgoing INVITE). */
  offer: string | null;
  /** Address for this leg's SDP when the SIP layer picks one per destination (NAT); default the announced media address. */
  address?: string;
  /** Default: the call's first leg is the customer, later ones agents. */
  role?: LegRole;
  id?: string;
  /** The peer is behind NAT: accept its media from the first source seen after each offer/answer. */
  latch?: boolean;
}

export interface SipLegResult {
  legId: string;
  /** Our answer to `offer`, or our offer when `offer` was null. */
  sdp: string;
  type: 'answer' | 'offer';
}

/** A running tap of one leg's audio (CallMedia.tapAudio); it also ends with the leg or the call. */
export interface AudioTap {
  close(): void;
}

export interface SdpUpdateResult {
  /** Our answer when `sdp` was an offer (re-INVITE, UPDATE); null when it answered our offer. */
  answer: string | null;
  /** The peer holds us (sendonly/inactive or c=0.0.0.0). */
  held: boolean;
}

export interface RecordingOptions {
  /** Final path (default `<dataDir>/recordings/<callId>.wav`). */
  path?: string;
  /** 1 = mono of what `legId` says (voicemail); 2 = the call, left customer, right agent side. */
  channels?: 1 | 2;
  /** Leg recorded (default: the customer leg, else the first SIP leg). */
  legId?: string;
}

export interface RecordingInfo {
  path: string;
  durationMs: number;
  channels: 1 | 2;
}

export interface SupervisionTargets {
  customer: string;
  agent: string;
}

export type SupervisionMode = 'listen' | 'whisper' | 'barge';

export interface CallDtmfEvent {
  legId: string;
  digit: DtmfDigit;
  durationMs: number;
  source: DtmfSource;
}

export interface CallMediaEvents {
  /** One key press from any leg: RFC 2833, in-band, or SIP INFO through `injectSipInfoDtmf`. */
  dtmf: [CallDtmfEvent];
  'dtmf-begin': [{ legId: string; digit: DtmfDigit }];
  /** No RTP from the leg for the configured time (not raised while held). */
  'leg-dead': [{ legId: string; silentMs: number }];
  'leg-alive': [{ legId: string }];
  'leg-closed': [{ legId: string }];
  /** The call's media is gone (worker died, router closed); the call must end. */
  failed: [{ cause: MediaFailureCause }];
  closed: [{ cause: string }];
}

export type MediaFailureCause = 'media-worker-died' | 'router-closed';

/** The media of one call: one router, its legs and the flows between them. */
export interface CallMedia extends TypedEmitter<CallMediaEvents> {
  readonly callId: string;
  /** The call's router, created on first use: a call of SIP legs relayed directly by the edge never needs one. */
  ensureRouter(): Promise<ms.Router>;
  /** The router if it exists yet. */
  readonly routerIfAny: ms.Router | null;
  /** The call's G.711 law on the router (the caller's, fixed by the first leg). */
  readonly law: G711Law;
  readonly closed: boolean;

  createSipLeg(request: SipLegRequest): Promise<SipLegResult>;
  /** Applies the peer's SDP: an answer to our offer, or a new offer (re-INVITE, hold). */
  updateSipLeg(legId: string, sdp: string, options?: { latch?: boolean }): Promise<SdpUpdateResult>;
  /** A new offer from us for an existing leg (re-INVITE, our hold/resume). */
  reofferSipLeg(legId: string, options?: { hold?: boolean }): Promise<string>;
  /** Adds a leg built elsewhere (a WebRTC leg) to the call. */
  addLeg(leg: MediaLeg): void;
  leg(legId: string): MediaLeg | undefined;
  removeLeg(legId: string): Promise<void>;

  connect(a: string, b: string): Promise<void>;
  disconnect(a: string, b: string): Promise<void>;
  /** Hold: the leg hears nothing (or `music`) and is not heard; off resumes. */
  hold(legId: string, on: boolean, options?: { music?: PromptSource }): Promise<void>;

  play(legId: string, prompt: PromptSource, options?: MediaPlayOptions): Promise<MediaPlayResult>;
  stopPlay(legId: string): Promise<void>;
  sendDtmf(legId: string, digits: string): Promise<void>;
  /** A digit the SIP layer received in an INFO request joins the same DTMF stream. */
  injectSipInfoDtmf(legId: string, digit: string, durationMs?: number): void;
  /** Mute: the leg is not heard (its Producer paused on the router); off un-mutes. */
  setMuted(legId: string, on: boolean): Promise<void>;
  /** What the leg says, as 20 ms G.711 payloads in the call's law (speech recognition); close() ends the tap. */
  tapAudio(legId: string, onAudio: (payload: Uint8Array, law: G711Law) => void): Promise<AudioTap>;

  startRecording(options?: RecordingOptions): Promise<{ path: string }>;
  pauseRecording(): Promise<void>;
  resumeRecording(): Promise<void>;
  stopRecording(): Promise<RecordingInfo | null>;

  /** Supervisor hears both; nobody hears the supervisor. */
  listen(supervisorLegId: string, targets: SupervisionTargets): Promise<void>;
  /** Supervisor hears both; only the agent hears the supervisor. */
  whisper(supervisorLegId: string, targets: SupervisionTargets): Promise<void>;
  /** Three-way: everyone hears everyone. */
  barge(supervisorLegId: string, targets: SupervisionTargets): Promise<void>;

  /** Ends the call's media: recording finalized, legs and router closed. Idempotent. */
  close(cause: string): Promise<RecordingInfo | null>;
}

export interface MediaCoreEvents {
  /** A call's media failed under it (e.g. its mediasoup worker died); the call must be ended. */
  'call-media-failed': [{ callId: string; cause: MediaFailureCause }];
  'worker-died': [{ index: number; pid: number; calls: string[] }];
}

/** The media part as `src/calls` and `src/ivr` see it. */
export interface MediaCore extends TypedEmitter<MediaCoreEvents> {
  createCall(callId: string): Promise<CallMedia>;
  call(callId: string): CallMedia | undefined;
  /** The mediasoup workers, for media parts that add their own routers (WebRTC agents). */
  readonly pool: MediaWorkerPool;
  readonly callCount: number;
  /** Renders text (with `${var}` substitution) to 8 kHz G.711 frames, cached. */
  renderTts(text: string, options?: { voice?: TtsVoice; variables?: Readonly<Record<string, string | number>>; law?: G711Law }): Promise<{ frames: Uint8Array[]; law: G711Law; path: string }>;
  /** Health: every worker alive and the edge running. */
  check(): void;
  stop(): Promise<void>;
}

export interface MediaWorkerPoolOptions {
  /** mediasoup workers (default: one per core). */
  workers?: number;
  /** Ports of the PlainTransports/WebRTC transports (DESIGN.md: 48000–49999). */
  rtcPortRange?: PortRange;
  /** Deadline of each request to a worker (ms). */
  requestTimeoutMs?: number;
  logLevel?: 'debug' | 'warn' | 'error' | 'none';
  /** Restart a worker that died (default true). */
  restart?: boolean;
}

export interface MediaWorkerPoolEvents {
  /** A worker died; its routers (and the calls on them) are gone; a replacement is starting. */
  'worker-died': [{ index: number; pid: number; calls: string[]; error: Error }];
  /** A replacement worker is up at `index` (the WebRTC part re-creates its server on it). */
  'worker-replaced': [{ index: number; worker: ms.Worker }];
}
