// SimulatedCall: a real in-memory CallControl. "Playing" writes text lines (TTS after substitution, or
// the prompt file's name); digits, speech and the outcome of transfers are supplied step by step — by
// unit tests (timeouts from the injected clock) and by the console's simulator (timeouts on request).
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { CcboxError } from '../../platform/errors.ts';
import { DIGITS, type Digit, type PromptRef } from '../flow/index.ts';
import {
  CallerHangupError, type CallControl, type CollectDigitsOptions, type CollectDigitsResult, type DialOutcome, type DialRequest,
  type ExtensionOutcome, type HangupCause, type PlayOptions, type PlayResult, type RecognizeOptions, type RecognizeResult,
  type VoicemailOptions, type VoicemailResult,
} from './call-control.ts';
import type { QueueOutcome, QueueRequest } from './queue-types.ts';

export type OutcomeOp = 'transferToQueue' | 'transferToExtension' | 'dialExternal' | 'recordVoicemail';

export const OUTCOME_CHOICES: Record<OutcomeOp, readonly string[]> = {
  transferToQueue: ['agentHungUp', 'noAgentOnline', 'timeout', 'transferred'],
  transferToExtension: ['answered', 'notFound', 'busy', 'noAnswer'],
  dialExternal: ['answered', 'busy', 'noAnswer', 'failed'],
  recordVoicemail: ['finished'],
};

export type SimWaiting =
  | { kind: 'digits'; maxDigits: number; terminator: '#' | null; timeoutMs: number; interDigitTimeoutMs: number; typed: string }
  | { kind: 'speech'; keywords: string[]; timeoutMs: number }
  | { kind: 'outcome'; op: OutcomeOp; request: unknown; choices: readonly string[] };

export interface SimLine {
  at: number;
  kind: 'play' | 'input' | 'action' | 'timeout' | 'hangup';
  text: string;
}

export interface SimulatedCallOptions {
  clock: Clock;
  sessionId?: string;
  callerNumber?: string;
  calleeNumber?: string;
  variables?: Record<string, string>;
  /** Names of prompt files, for the transcript. */
  promptNames?: Readonly<Record<string, string>>;
  /** Whether the call offers speech recognition (default true). */
  speech?: boolean;
  /** true (default): waits time out on the clock; false: only timeout() ends a wait. */
  autoTimeouts?: boolean;
  /** Answers given at once; when absent, the call waits for choose(). */
  outcomes?: {
    transferToQueue?: (req: QueueRequest) => QueueOutcome | Promise<QueueOutcome>;
    transferToExtension?: (ext: string) => ExtensionOutcome | Promise<ExtensionOutcome>;
    dialExternal?: (req: DialRequest) => DialOutcome | Promise<DialOutcome>;
    recordVoicemail?: (opts: VoicemailOptions) => VoicemailResult | Promise<VoicemailResult>;
  };
}

interface Pending {
  waiting: SimWaiting;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  startedAt: number;
}

const isDigit = (d: string): d is Digit => (DIGITS as readonly string[]).includes(d);

export class SimulatedCall implements CallControl {
  readonly sessionId: string;
  readonly transcript: SimLine[] = [];
  private readonly ac = new AbortController();
  private readonly vars = new Map<string, string>();
  private buffer = '';
  private pending: Pending | null = null;
  private timer: TimerHandle | undefined;
  private endedBy: { by: 'caller' | 'flow'; cause: string } | null = null;
  private waiters: (() => void)[] = [];
  readonly recognizeSpeech?: (opts: RecognizeOptions) => Promise<RecognizeResult>;

  constructor(private readonly opts: SimulatedCallOptions) {
    this.sessionId = opts.sessionId ?? randomUUID();
    const system: Record<string, string> = {
      SystemCallerNumber: opts.callerNumber ?? '13800000000',
      SystemCalleeNumber: opts.calleeNumber ?? '02088880000',
      SystemSessionId: this.sessionId,
      SystemCallRingDuration: '0',
      SystemCallAcceptDuration: '0',
      WaitNo: '',
      StaffNo: '',
    };
    for (const [k, v] of Object.entries({ ...system, ...opts.variables })) this.vars.set(k, v);
    if (opts.speech !== false) this.recognizeSpeech = (o) => this.recognize(o);
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }
  /** What the flow waits for now, or null (running, or ended). */
  get waiting(): SimWaiting | null {
    return this.pending?.waiting ?? null;
  }
  get ended(): { by: 'caller' | 'flow'; cause: string } | null {
    return this.endedBy;
  }
  variables(): Record<string, string> {
    return Object.fromEntries(this.vars);
  }
  now(): number {
    return this.opts.clock.now();
  }
  getVariable(name: string): string | undefined {
    return this.vars.get(name);
  }
  setVariable(name: string, value: string): void {
    this.vars.set(name, value);
  }

  /** Resolves once the flow waits for input or the call has ended. */
  settled(): Promise<void> {
    if (this.pending || this.endedBy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private line(kind: SimLine['kind'], text: string): void {
    this.transcript.push({ at: this.now(), kind, text });
  }
  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  private alive(): void {
    if (this.ac.signal.aborted) throw new CallerHangupError();
    if (this.endedBy) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'the call has been hung up');
  }
  private wait<T>(waiting: SimWaiting, timeoutMs?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending = { waiting, resolve: resolve as (v: unknown) => void, reject, startedAt: this.opts.clock.monotonic() };
      if (timeoutMs !== undefined) this.arm(timeoutMs);
      this.notify();
    });
  }
  private arm(ms: number): void {
    this.opts.clock.clearTimeout(this.timer);
    if (this.opts.autoTimeouts !== false) this.timer = this.opts.clock.setTimeout(() => this.timeout(), ms);
  }
  private finish(value: unknown): void {
    const p = this.pending;
    this.opts.clock.clearTimeout(this.timer);
    this.pending = null;
    p?.resolve(value);
  }

  promptText(prompt: PromptRef): string {
    return prompt.kind === 'tts' ? prompt.text : `[放音文件 ${this.opts.promptNames?.[prompt.promptId] ?? prompt.promptId}]`;
  }

  async play(prompt: PromptRef, opts: PlayOptions): Promise<PlayResult> {
    this.alive();
    this.line('play', this.promptText(prompt) + (opts.repeat > 1 ? ` (×${opts.repeat})` : ''));
    if (opts.interruptible && this.buffer) {
      const d = this.buffer[0] as Digit;
      this.buffer = this.buffer.slice(1);
      return { interruptedBy: d };
    }
    return {};
  }

  async collectDigits(o: CollectDigitsOptions): Promise<CollectDigitsResult> {
    this.alive();
    const waiting = { kind: 'digits', maxDigits: o.maxDigits, terminator: o.terminator ?? null, timeoutMs: o.timeoutMs, interDigitTimeoutMs: o.interDigitTimeoutMs, typed: '' } as const;
    const p = this.wait<CollectDigitsResult>({ ...waiting }, o.timeoutMs);
    const typed = this.buffer;
    this.buffer = '';
    for (const d of typed) this.feed(d);
    return p;
  }

  private recognize(o: RecognizeOptions): Promise<RecognizeResult> {
    this.alive();
    return this.wait<RecognizeResult>({ kind: 'speech', keywords: o.keywords, timeoutMs: o.timeoutMs }, o.timeoutMs);
  }

  private async outcome<T>(op: OutcomeOp, request: unknown, text: string, auto: (() => T | Promise<T>) | undefined): Promise<T> {
    this.alive();
    this.line('action', text);
    if (auto) return auto();
    return this.wait<T>({ kind: 'outcome', op, request, choices: OUTCOME_CHOICES[op] });
  }

  transferToQueue(req: QueueRequest): Promise<QueueOutcome> {
    const t = req.target;
    const where = t.kind === 'skillGroup' ? `技能组 ${t.skillGroupId}` : `指定座席 ${t.agentEmails.join(', ') || '-'}${t.skillGroupId ? ` / 技能组 ${t.skillGroupId}` : t.skillGroupName ? ` / 技能组 ${t.skillGroupName}` : ''}`;
    const auto = this.opts.outcomes?.transferToQueue;
    return this.outcome('transferToQueue', req, `转人工 → ${where}`, auto && (() => auto(req)));
  }
  transferToExtension(extension: string, opts: { ringTimeoutMs: number }): Promise<ExtensionOutcome> {
    const auto = this.opts.outcomes?.transferToExtension;
    return this.outcome('transferToExtension', { extension, ...opts }, `转分机 → ${extension}`, auto && (() => auto(extension)));
  }
  dialExternal(req: DialRequest): Promise<DialOutcome> {
    if (req.connectingPrompt) this.line('play', this.promptText(req.connectingPrompt));
    const auto = this.opts.outcomes?.dialExternal;
    return this.outcome('dialExternal', req, `转外线 → ${req.callee}（外显 ${req.callerId}）`, auto && (() => auto(req)));
  }
  recordVoicemail(opts: VoicemailOptions): Promise<VoicemailResult> {
    if (opts.beep) this.line('play', '[嘀]');
    const auto = this.opts.outcomes?.recordVoicemail;
    return this.outcome('recordVoicemail', opts, `录制留言（最长 ${opts.maxSeconds} 秒，# 结束）`, auto && (() => auto(opts)));
  }

  async hangup(cause: HangupCause): Promise<void> {
    if (this.endedBy) return;
    this.line('hangup', `挂机 (${cause})`);
    this.endedBy = { by: 'flow', cause };
    this.pending = null;
    this.opts.clock.clearTimeout(this.timer);
    this.notify();
  }

  // ---- the caller's side ----

  /** Keys pressed by the caller; kept for the next digit step when nothing is listening. */
  pressDigits(digits: string): void {
    for (const d of digits) if (!isDigit(d)) throw new CcboxError('CCBOX_ERR_VALIDATION', `not a key: ${d}`, { field: 'digits' });
    if (this.endedBy) return;
    this.line('input', `按键 ${digits}`);
    for (const d of digits) this.feed(d);
  }

  private feed(d: string): void {
    const p = this.pending;
    const w = p?.waiting;
    if (w?.kind === 'speech') return this.finish({ kind: 'dtmf', digit: d });
    if (w?.kind === 'outcome' && w.op === 'recordVoicemail' && d === '#') {
      const seconds = Math.max(0, Math.round((this.opts.clock.monotonic() - p!.startedAt) / 1000));
      return this.finish({ recordingId: `sim-${this.sessionId}`, seconds });
    }
    if (w?.kind !== 'digits') {
      this.buffer += d;
      return;
    }
    if (w.terminator && d === w.terminator) return this.finish({ kind: 'digits', digits: w.typed, terminated: true });
    w.typed += d;
    if (w.typed.length >= w.maxDigits) return this.finish({ kind: 'digits', digits: w.typed, terminated: false });
    this.arm(w.interDigitTimeoutMs);
  }

  /** The caller speaks: the first keyword contained in the text wins. */
  say(text: string): void {
    if (this.endedBy) return;
    this.line('input', `说 "${text}"`);
    const w = this.pending?.waiting;
    if (w?.kind !== 'speech') return;
    const lower = text.toLowerCase();
    const keyword = w.keywords.find((k) => lower.includes(k.toLowerCase()));
    this.finish(keyword ? { kind: 'keyword', keyword, text } : { kind: 'nomatch', text });
  }

  /** The current wait runs out now (a digit wait with keys typed returns them). */
  timeout(): void {
    const w = this.pending?.waiting;
    if (!w || w.kind === 'outcome') return;
    this.line('timeout', '超时');
    if (w.kind === 'digits' && w.typed) this.finish({ kind: 'digits', digits: w.typed, terminated: false });
    else this.finish({ kind: 'timeout' });
  }

  /** Answers a transfer, dial or recording the flow waits on with one of `waiting.choices`. */
  choose(choice: string, detail: { staffNo?: string; seconds?: number; to?: string } = {}): void {
    const w = this.pending?.waiting;
    if (w?.kind !== 'outcome' || !w.choices.includes(choice)) {
      throw new CcboxError('CCBOX_ERR_VALIDATION', `the flow is not waiting for ${choice}`, { field: 'outcome' });
    }
    this.line('input', `结果 ${choice}`);
    this.finish(buildOutcome(w.op, choice, w.request, detail, this.sessionId));
  }

  /** The caller hangs up. */
  callerHangup(): void {
    if (this.endedBy) return;
    this.line('hangup', '主叫挂机');
    this.endedBy = { by: 'caller', cause: 'caller' };
    this.ac.abort(new CallerHangupError());
    const p = this.pending;
    this.pending = null;
    this.opts.clock.clearTimeout(this.timer);
    p?.reject(new CallerHangupError());
    this.notify();
  }
}

function buildOutcome(op: OutcomeOp, choice: string, request: unknown, detail: { staffNo?: string; seconds?: number; to?: string }, sessionId: string): unknown {
  const agent = { staffNo: detail.staffNo ?? 'SIM', name: '模拟客服' };
  switch (op) {
    case 'transferToQueue': {
      const t = (request as QueueRequest).target;
      const skillGroupId = t.kind === 'skillGroup' ? t.skillGroupId : (t.skillGroupId ?? null);
      if (choice === 'agentHungUp') return { result: 'agentHungUp', agent, skillGroupId, waitMs: 0, talkMs: 0 };
      if (choice === 'transferred') return { result: 'transferred', agent, to: detail.to ?? 'elsewhere' };
      return { result: choice, skillGroupId };
    }
    case 'transferToExtension':
    case 'dialExternal':
      return choice === 'answered' ? { result: 'answered', talkMs: 0 } : { result: choice };
    case 'recordVoicemail':
      return { recordingId: `sim-${sessionId}`, seconds: detail.seconds ?? (request as VoicemailOptions).maxSeconds };
  }
}
