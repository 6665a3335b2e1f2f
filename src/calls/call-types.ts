// Shapes of calls: the in-memory record (start, answer, end, cause, legs) that the call-records part
// will persist, the typed events, and the hook inbound trunk calls are routed through (IVR and ACD
// plug in there).
import type { CallMedia } from '../media/core/index.ts';
import type { CallOrigin, EndCause } from '../sip/b2bua/index.ts';

export type CallDirection = 'internal' | 'inbound' | 'outbound';
export type CallState = 'setup' | 'ringing' | 'answered' | 'ended';

export interface LegRecord {
  /** The media leg id (unique within the call). */
  id: string;
  role: 'caller' | 'callee';
  kind: 'phone' | 'trunk';
  /** Extension, or the outside number. */
  party: string;
  /** Call-ID of the leg's SIP dialog. */
  sipCallId: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  cause: EndCause | null;
}

export interface TransferRecord {
  at: number;
  /** Extension of the phone that transferred. */
  by: string;
  to: string;
  result: 'answered' | 'failed';
}

export interface CallRecord {
  /** UUID: the record's idempotency key later on. */
  id: string;
  direction: CallDirection;
  origin: CallOrigin;
  caller: string;
  callerName: string | null;
  /** What was dialled (an extension or a number). */
  callee: string;
  /** Our number: the one called (inbound) or shown as caller ID (outbound). */
  number: string | null;
  channelId: number | null;
  channelName: string | null;
  state: CallState;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endCause: EndCause | null;
  hangupSide: 'caller' | 'callee' | 'system' | null;
  legs: LegRecord[];
  transfers: TransferRecord[];
}

export interface CallEvents {
  'call-started': [{ call: CallRecord }];
  'leg-answered': [{ call: CallRecord; leg: LegRecord }];
  /** A party put the other on hold (re-INVITE/UPDATE sendonly/inactive) or took the hold off. */
  'call-held': [{ call: CallRecord; legId: string; held: boolean }];
  'call-ended': [{ call: CallRecord }];
  /** The call's record and its outbox row were committed (after call-ended; src/records). */
  'record-written': [{ call: CallRecord }];
}

/** What the routing hook is told about an inbound trunk call. */
export interface InboundCallInfo {
  callId: string;
  channelId: number;
  channelName: string;
  /** Our number that was called, as stored (e.g. 02088880000). */
  number: string;
  /** The calling number. */
  caller: string;
  callerName: string | null;
}

/** Outcome of ringing an extension or a number and connecting it to the call. */
export type BridgeOutcome =
  | { result: 'answered'; legId: string }
  | { result: 'failed'; cause: EndCause };

export type OutsideOutcome =
  | { result: 'answered'; legId: string; hungUp: Promise<void> }
  | { result: 'failed'; cause: EndCause };

/** An answered inbound call handed to the IVR or the ACD (they build their CallControl on it). */
export interface ActiveCall {
  readonly id: string;
  readonly record: CallRecord;
  readonly media: CallMedia;
  /** The caller's media leg (play, collect digits, record on it). */
  readonly callerLegId: string;
  /** Aborted when the call ends. */
  readonly signal: AbortSignal;
  /** Rings the extension's phones; on answer its leg is connected to the caller. Resolves at answer or failure. */
  ringExtension(extension: string, opts?: { ringTimeoutMs?: number }): Promise<BridgeOutcome>;
  /**
   * 转外线 (IVR): dials `callee` through a channel that carries `callerId` (one of the box's outbound-capable
   * numbers, else it fails as forbidden) and connects it to the caller on answer. The outside leg's hang-up
   * does not end the call: `hungUp` resolves then, with the leg gone from the call.
   */
  dialOutside?(req: { callerId: string; callee: string; ringTimeoutMs: number }): Promise<OutsideOutcome>;
  /** Ends the call (BYE to every leg). */
  hangup(cause?: EndCause): void;
  /** Resolves when the call has ended. */
  readonly ended: Promise<CallRecord>;
}

/**
 * How an inbound trunk call is routed. `null` (or no router) falls back to the channel's default
 * extension. The IVR part returns `handle` for numbers bound to a flow; the ACD is reached from there.
 */
export type InboundRoute =
  | { kind: 'extension'; extension: string }
  | { kind: 'reject'; status: number; reason?: string }
  | { kind: 'handle'; run(call: ActiveCall): Promise<void> };

export type InboundRouter = (info: InboundCallInfo) => Promise<InboundRoute | null> | InboundRoute | null;

/**
 * Feature codes dialled from a phone (*78 免打扰 on, *79 off …): `handle` answers the phone and runs the code,
 * `reject` refuses it with a status; null is no feature code (the dialled string is routed as usual).
 */
export type FeatureCodeRouter = (req: { callId: string; extension: string; dialled: string }) =>
  | Promise<Exclude<InboundRoute, { kind: 'extension' }> | null>
  | Exclude<InboundRoute, { kind: 'extension' }>
  | null;

/**
 * Persists a finished call's record (with its outbox row, in one transaction). Calls awaits it before
 * emitting record-written; a failure is logged, the call is over either way.
 */
export type CallRecordSink = (record: CallRecord) => Promise<void>;

/**
 * 外呼外显规则: the number an outbound call shows, chosen among `candidates` (the numbers that can carry a call
 * now); null leaves the default (the first channel's first number).
 */
export type CallerIdPolicy = (req: { call: CallRecord; extension: string | null; dialled: string; candidates: string[] }) => Promise<string | null>;

export interface CallsSettings {
  /** How long an extension or number rings before the call gives up (no answer). */
  ringTimeoutMs: number;
  /** How long a finished call's record waits for its handler (the IVR run) before it is written anyway. */
  recordWaitMs: number;
}

export const DEFAULT_CALLS_SETTINGS: CallsSettings = { ringTimeoutMs: 60_000, recordWaitMs: 15_000 };
