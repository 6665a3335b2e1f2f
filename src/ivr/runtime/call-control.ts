// The call-control interface IVR nodes act through (DESIGN.md): `calls` implements it with real legs,
// SimulatedCall in memory. Nodes never import calls, sip or media.
import type { Digit, PromptRef } from '../flow/index.ts';
import type { QueueOutcome, QueueRequest } from './queue-types.ts';

export type { Digit, PromptRef };

export interface PlayOptions {
  /** A key press stops the prompt (barge-in); the digit is returned and counts as input. */
  interruptible: boolean;
  /** How many times to play it (≥ 1). */
  repeat: number;
}

export interface PlayResult {
  /** The key that stopped the prompt. It is consumed here: the next collectDigits must not deliver it again. */
  interruptedBy?: Digit;
}

export interface CollectDigitsOptions {
  maxDigits: number;
  /** Ends the input early (not included in the digits). */
  terminator?: '#';
  /** Wait for the first digit. */
  timeoutMs: number;
  /** Wait between digits; when it runs out after at least one digit, the digits so far are returned. */
  interDigitTimeoutMs: number;
}

export type CollectDigitsResult =
  | { kind: 'digits'; digits: string; terminated: boolean }
  | { kind: 'timeout' };

export interface HotWord {
  word: string;
  /** 1–10 */
  weight: number;
}

export interface RecognizeOptions {
  keywords: string[];
  hotWords: HotWord[];
  timeoutMs: number;
}

export type RecognizeResult =
  | { kind: 'keyword'; keyword: string; text?: string }
  | { kind: 'nomatch'; text?: string }
  | { kind: 'timeout' }
  /** The caller pressed a key instead of speaking. */
  | { kind: 'dtmf'; digit: Digit };

export type ExtensionOutcome =
  /** The extension answered; resolved when it hung up (the caller is still on the line). */
  | { result: 'answered'; talkMs: number }
  | { result: 'notFound' | 'busy' | 'noAnswer' | 'failed'; cause?: string };

export interface DialRequest {
  /** 外显号码 */
  callerId: string;
  callee: string;
  ringTimeoutMs: number;
  /** Played to the caller while the external leg rings. */
  connectingPrompt?: PromptRef;
}

export type DialOutcome =
  /** The callee answered; resolved when the callee hung up (the caller is still on the line). */
  | { result: 'answered'; talkMs: number }
  | { result: 'busy' | 'noAnswer' | 'rejected' | 'unreachable' | 'failed'; cause?: string };

export interface VoicemailOptions {
  maxSeconds: number;
  beep: boolean;
  /** Recording stops at this key or at maxSeconds. */
  finishOnKey: '#';
}

export interface VoicemailResult {
  recordingId: string;
  seconds: number;
}

export type HangupCause = 'normal' | 'maxErrors' | 'flowError' | 'deadline';

/**
 * One call as the IVR sees it. Every method rejects with CallerHangupError once the caller is gone
 * (and `signal` is aborted then, so HTTP requests made for the call stop too).
 */
export interface CallControl {
  readonly sessionId: string;
  readonly signal: AbortSignal;
  play(prompt: PromptRef, opts: PlayOptions): Promise<PlayResult>;
  collectDigits(opts: CollectDigitsOptions): Promise<CollectDigitsResult>;
  /** Optional capability: absent when the box has no recognizer for this call. */
  recognizeSpeech?(opts: RecognizeOptions): Promise<RecognizeResult>;
  /** The ACD's entry point; resolves when the call leaves the queue and, if answered, the agent. */
  transferToQueue(req: QueueRequest): Promise<QueueOutcome>;
  transferToExtension(extension: string, opts: { ringTimeoutMs: number }): Promise<ExtensionOutcome>;
  dialExternal(req: DialRequest): Promise<DialOutcome>;
  recordVoicemail(opts: VoicemailOptions): Promise<VoicemailResult>;
  hangup(cause: HangupCause): Promise<void>;
  setVariable(name: string, value: string): void;
  getVariable(name: string): string | undefined;
  /** Wall-clock ms (the injected clock). */
  now(): number;
}

/** The caller hung up: thrown by any CallControl method, ends the interpreter quietly. */
export class CallerHangupError extends Error {
  readonly code = 'CCBOX_ERR_CALLER_HANGUP';
  constructor(message = 'caller hung up') {
    super(message);
    this.name = 'CallerHangupError';
  }
}
