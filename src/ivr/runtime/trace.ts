// IvrTrace: what a call did in the IVR — path, keys, survey answers, HTTP calls, how it left — for the
// call record and the simulator.

export interface TraceStep {
  nodeId: string;
  type: string;
  label: string;
  at: number;
  /** The outlet the node left through (absent for the last node). */
  outlet?: string;
}

export interface TraceKeys {
  nodeId: string;
  digits: string;
  at: number;
  /** Whether the input matched (a menu key, valid collected digits). */
  accepted: boolean;
}

export interface TraceSurvey {
  nodeId: string;
  key: string | null;
  label: string | null;
  at: number;
}

export interface TraceHttp {
  nodeId: string;
  url: string;
  ok: boolean;
  tries: { status?: number; error?: string; ms: number }[];
}

export interface TraceEvent {
  nodeId: string;
  at: number;
  event: string;
  detail?: Record<string, unknown>;
}

export type TraceEnd =
  | { reason: 'hangup'; cause: string; nodeId: string | null }
  | { reason: 'callerHangup'; nodeId: string | null }
  | { reason: 'transferred'; nodeId: string; to: string }
  /** A self-service flow ended: the caller goes back to the agent. */
  | { reason: 'returned'; nodeId: string }
  | { reason: 'error'; nodeId: string | null; message: string };

export interface IvrTrace {
  sessionId: string;
  flowId: number;
  flowName: string;
  version: string;
  revision: number;
  startedAt: number;
  endedAt: number | null;
  path: TraceStep[];
  keys: TraceKeys[];
  survey: TraceSurvey[];
  http: TraceHttp[];
  events: TraceEvent[];
  voicemail: { nodeId: string; recordingId: string; seconds: number } | null;
  end: TraceEnd | null;
}

/** The keys the record's "IVR keys" column shows: every accepted input, in order. */
export const keysPressed = (trace: Pick<IvrTrace, 'keys'>): string =>
  trace.keys
    .filter((k) => k.accepted)
    .map((k) => k.digits)
    .join('');

export class TraceRecorder {
  readonly trace: IvrTrace;
  constructor(
    private readonly now: () => number,
    init: Pick<IvrTrace, 'sessionId' | 'flowId' | 'flowName' | 'version' | 'revision'>,
  ) {
    this.trace = { ...init, startedAt: now(), endedAt: null, path: [], keys: [], survey: [], http: [], events: [], voicemail: null, end: null };
  }
  enter(nodeId: string, type: string, label: string): void {
    this.trace.path.push({ nodeId, type, label, at: this.now() });
  }
  leave(outlet: string): void {
    const last = this.trace.path[this.trace.path.length - 1];
    if (last) last.outlet = outlet;
  }
  keys(nodeId: string, digits: string, accepted: boolean): void {
    this.trace.keys.push({ nodeId, digits, at: this.now(), accepted });
  }
  survey(nodeId: string, key: string | null, label: string | null): void {
    this.trace.survey.push({ nodeId, key, label, at: this.now() });
  }
  http(entry: TraceHttp): void {
    this.trace.http.push(entry);
  }
  event(nodeId: string, event: string, detail?: Record<string, unknown>): void {
    this.trace.events.push({ nodeId, at: this.now(), event, ...(detail ? { detail } : {}) });
  }
  voicemail(nodeId: string, recordingId: string, seconds: number): void {
    this.trace.voicemail = { nodeId, recordingId, seconds };
  }
  finish(end: TraceEnd): IvrTrace {
    if (!this.trace.end) {
      this.trace.end = end;
      this.trace.endedAt = this.now();
    }
    return this.trace;
  }
}
