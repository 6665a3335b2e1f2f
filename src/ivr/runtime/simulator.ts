// The console's simulator: IVR sessions over HTTP on a SimulatedCall. Start → transcript and what the
// flow waits for; send keys, speech, a timeout or a transfer's outcome → the next transcript … Sessions
// live in memory, expire when idle, and every wait is bounded by that idle time.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { CcboxError, notFound } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { IvrInterpreter } from './interpreter.ts';
import type { FlowSnapshot } from './runtime-types.ts';
import { SimulatedCall, type SimLine, type SimWaiting } from './simulated-call.ts';
import type { IvrTrace, TraceEnd } from './trace.ts';

export interface SimulationStart {
  callerNumber?: string;
  calleeNumber?: string;
  variables?: Record<string, string>;
  speech?: boolean;
}

export interface SimulationInput {
  digits?: string;
  speech?: string;
  timeout?: boolean;
  outcome?: string;
  /** For outcomes: the answering agent's staff number, the recorded seconds, the transfer target. */
  staffNo?: string;
  seconds?: number;
  to?: string;
  hangup?: boolean;
}

export interface SimulationView {
  sessionId: string;
  flowId: number;
  flowName: string;
  version: string;
  /** Lines since the previous answer. */
  lines: SimLine[];
  waitingFor: SimWaiting | null;
  ended: boolean;
  end: TraceEnd | null;
  variables: Record<string, string>;
  trace: IvrTrace;
}

interface Session {
  id: string;
  snapshot: FlowSnapshot;
  call: SimulatedCall;
  interp: IvrInterpreter;
  done: Promise<IvrTrace>;
  finished: boolean;
  seen: number;
  lastUsed: number;
}

export interface SimulatorOptions {
  clock: Clock;
  timeZone?: string;
  log?: Logger;
  idleMs?: number;
  maxSessions?: number;
  /** Longest an answer waits for the flow to settle (HTTP nodes may be slow). */
  settleMs?: number;
}

export class Simulator {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;

  constructor(private readonly opts: SimulatorOptions) {
    this.idleMs = opts.idleMs ?? 15 * 60_000;
  }

  async start(snapshot: FlowSnapshot, start: SimulationStart = {}): Promise<SimulationView> {
    this.prune();
    if (this.sessions.size >= (this.opts.maxSessions ?? 50)) throw new CcboxError('CCBOX_ERR_RATE_LIMITED', '模拟会话过多，请稍后再试 (too many simulator sessions)');
    const id = randomUUID();
    const call = new SimulatedCall({
      clock: this.opts.clock,
      sessionId: id,
      autoTimeouts: false,
      promptNames: snapshot.promptNames,
      ...(start.callerNumber ? { callerNumber: start.callerNumber } : {}),
      ...(start.calleeNumber ? { calleeNumber: start.calleeNumber } : {}),
      ...(start.variables ? { variables: start.variables } : {}),
      speech: start.speech !== false,
    });
    // Waits end on the user's request only, so the deadline of a wait is the session's idle time.
    const interp = new IvrInterpreter(snapshot, call, { clock: this.opts.clock, timeZone: this.opts.timeZone, log: this.opts.log, limits: { inputGraceMs: this.idleMs } });
    const s: Session = { id, snapshot, call, interp, done: interp.run(), finished: false, seen: 0, lastUsed: this.opts.clock.monotonic() };
    void s.done.then(() => (s.finished = true));
    this.sessions.set(id, s);
    return this.answer(s);
  }

  async step(id: string, input: SimulationInput): Promise<SimulationView> {
    const s = this.session(id);
    const c = s.call;
    if (input.hangup) c.callerHangup();
    else if (input.digits) c.pressDigits(input.digits);
    else if (input.speech !== undefined) c.say(input.speech);
    else if (input.timeout) c.timeout();
    else if (input.outcome) c.choose(input.outcome, { staffNo: input.staffNo, seconds: input.seconds, to: input.to });
    return this.answer(s);
  }

  async view(id: string): Promise<SimulationView> {
    const s = this.session(id);
    return this.render(s, false);
  }

  close(id: string): void {
    const s = this.session(id);
    s.call.callerHangup();
    this.sessions.delete(id);
  }

  private session(id: string): Session {
    this.prune();
    const s = this.sessions.get(id);
    if (!s) throw notFound('simulator session');
    s.lastUsed = this.opts.clock.monotonic();
    return s;
  }

  private prune(): void {
    const now = this.opts.clock.monotonic();
    for (const [id, s] of this.sessions) {
      if (now - s.lastUsed > this.idleMs) {
        s.call.callerHangup();
        this.sessions.delete(id);
      }
    }
  }

  private async answer(s: Session): Promise<SimulationView> {
    const settleMs = this.opts.settleMs ?? 30_000;
    const clock = this.opts.clock;
    const bounded = async (p: Promise<unknown>, ms: number): Promise<void> => {
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      await Promise.race([p, new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, ms)))]);
      clock.clearTimeout(timer);
    };
    await bounded(Promise.race([s.call.settled(), s.done]), settleMs);
    // A flow that hung up finishes its trace right after.
    if (s.call.ended) await bounded(s.done, 1000);
    return this.render(s, true);
  }

  private render(s: Session, advance: boolean): SimulationView {
    const lines = s.call.transcript.slice(s.seen);
    if (advance) s.seen = s.call.transcript.length;
    const trace = s.interp.trace;
    return {
      sessionId: s.id,
      flowId: s.snapshot.flowId,
      flowName: s.snapshot.flowName,
      version: s.snapshot.version,
      lines,
      waitingFor: s.call.waiting,
      ended: s.finished || s.call.ended !== null,
      end: trace.end,
      variables: Object.fromEntries(Object.entries(s.call.variables()).filter(([k]) => !k.startsWith('__'))),
      trace,
    };
  }
}
