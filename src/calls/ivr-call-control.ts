// The IVR's CallControl on a real call: prompts (TTS or prompt files) through the media core's player on the
// caller's leg, keys from the caller's DTMF events, 转人工 through the ACD (QueueBridge), 转分机 by ringing an
// extension, voicemail recorded from the caller's leg, speech menus heard through an audio tap on the caller's
// leg (decoded G.711 to the box's recognizer); a hang-up aborts everything (CallerHangupError).
import type { ExtensionOutcome } from '../ivr/index.ts';
import {
  CallerHangupError, type CallControl, type CollectDigitsOptions, type CollectDigitsResult, type Digit, type DialOutcome, type DialRequest,
  type HangupCause, type PlayOptions, type PlayResult, type PromptRef, type QueueOutcome, type QueueRequest, type VoicemailOptions, type VoicemailResult,
  type RecognizeOptions, type RecognizeResult,
} from '../ivr/index.ts';
import type { SpeechRecognizer } from '../ivr/speech/index.ts';
import { decodeG711, encodeG711, type G711Law } from '../media/codec/index.ts';
import type { PromptSource, TtsVoice } from '../media/index.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { CallNotes } from './call-notes.ts';
import type { ActiveCall } from './call-types.ts';
import { DigitInput } from './digit-input.ts';

export interface LiveCallControlOptions {
  call: ActiveCall;
  clock: Clock;
  log: Logger;
  notes: CallNotes;
  /** 转人工: the ACD's side (src/calls/queue-bridge.ts). */
  transferToQueue: (req: QueueRequest, control: LiveCallControl) => Promise<QueueOutcome>;
  /** Where an uploaded prompt file lives (8 kHz mono WAV). */
  promptPath: (promptId: string) => string;
  /** Renders TTS to frames ahead of playing, so a key pressed while it renders still barges in. */
  renderTts?: (text: string, voice: TtsVoice | undefined, law: G711Law) => Promise<{ frames: Uint8Array[]; law: G711Law }>;
  /** System variables (caller, callee, session) and flow defaults. */
  variables: Record<string, string>;
  /** 语音识别导航: the box's recognizer; without it speech menus take keys only. */
  speech?: SpeechRecognizer;
}

const VOICES: readonly string[] = ['cmn', 'en'];

/** 250 ms of 1 kHz: the beep before a voicemail. */
function beepFrames(law: G711Law): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let f = 0; f < 12; f++) {
    const pcm = new Int16Array(160);
    for (let i = 0; i < 160; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (f * 160 + i)) / 8000));
    frames.push(encodeG711(law, pcm));
  }
  return frames;
}

export class LiveCallControl implements CallControl {
  readonly sessionId: string;
  readonly digits: DigitInput;
  private readonly vars = new Map<string, string>();
  readonly recognizeSpeech?: (opts: RecognizeOptions) => Promise<RecognizeResult>;

  constructor(private readonly o: LiveCallControlOptions) {
    this.sessionId = o.call.id;
    this.digits = new DigitInput(o.call.media, o.call.callerLegId, o.clock);
    for (const [k, v] of Object.entries(o.variables)) this.vars.set(k, v);
    const speech = o.speech;
    if (speech) this.recognizeSpeech = (opts) => this.recognize(speech, opts);
  }

  /** Listens to the caller (audio tap → recognizer) until a keyword, nomatch, timeout or a key. */
  private async recognize(speech: SpeechRecognizer, opts: RecognizeOptions): Promise<RecognizeResult> {
    this.alive();
    const typed = this.digits.take();
    if (typed) return { kind: 'dtmf', digit: typed as Digit };
    const { media, callerLegId } = this.o.call;
    const listener = await speech.listen({ ...opts, sessionId: this.sessionId, clock: this.o.clock });
    this.alive();
    const stop = new AbortController();
    const onHangup = (): void => stop.abort();
    this.signal.addEventListener('abort', onHangup, { once: true });
    // A key ends the turn at once; without a recognizer keys are all there is.
    const key = this.digits.next(listener ? opts.timeoutMs + 60_000 : opts.timeoutMs, stop.signal).then((d): RecognizeResult | null => (d ? { kind: 'dtmf', digit: d as Digit } : null));
    if (!listener) {
      const r = await key;
      this.signal.removeEventListener('abort', onHangup);
      this.alive();
      return r ?? { kind: 'timeout' };
    }
    let tap;
    try {
      tap = await media.tapAudio(callerLegId, (payload, law) => listener.write(decodeG711(law, payload)));
      listener.opened();
      const hangup = new Promise<never>((_, reject) => this.signal.addEventListener('abort', () => reject(new CallerHangupError()), { once: true }));
      hangup.catch(() => undefined);
      const r = await Promise.race([listener.result, key.then((k) => k ?? listener.result), hangup]);
      this.alive();
      return r;
    } finally {
      tap?.close();
      listener.cancel();
      stop.abort();
      this.signal.removeEventListener('abort', onHangup);
    }
  }

  get signal(): AbortSignal {
    return this.o.call.signal;
  }

  get call(): ActiveCall {
    return this.o.call;
  }

  now(): number {
    return this.o.clock.now();
  }
  getVariable(name: string): string | undefined {
    return this.vars.get(name);
  }
  setVariable(name: string, value: string): void {
    this.vars.set(name, value);
  }

  /** Throws once the caller is gone. */
  alive(): void {
    if (this.o.call.signal.aborted) throw new CallerHangupError();
  }

  private source(prompt: PromptRef): PromptSource {
    if (prompt.kind === 'file') return { kind: 'file', path: this.o.promptPath(prompt.promptId) };
    return { kind: 'tts', text: prompt.text, ...(prompt.voice && VOICES.includes(prompt.voice) ? { voice: prompt.voice as TtsVoice } : {}) };
  }

  /** Plays on the caller's leg; a media failure after the hang-up is the hang-up. */
  async playSource(source: PromptSource, interruptible: boolean): Promise<string | null> {
    this.alive();
    const { media, callerLegId } = this.o.call;
    const mark = this.digits.mark();
    let src = source;
    if (src.kind === 'tts' && this.o.renderTts) {
      const r = await this.o.renderTts(src.text, src.voice, media.law);
      this.alive();
      src = { kind: 'frames', frames: r.frames, law: r.law };
      if (interruptible && this.digits.pending > mark) return this.digits.takeAt(mark);
    }
    let r;
    // A key whose press began before the player started does not stop it at the edge: stop it here.
    if (interruptible) this.digits.onKey = () => void media.stopPlay(callerLegId).catch(() => undefined);
    try {
      r = await media.play(callerLegId, src, { interruptible });
    } catch (err) {
      this.alive();
      throw err;
    } finally {
      this.digits.onKey = null;
    }
    this.alive();
    if (r.reason === 'interrupted' && r.interruptedBy) {
      this.digits.consumed(r.interruptedBy, mark);
      return r.interruptedBy;
    }
    // A key that came while the prompt was being rendered (TTS) never reached the player: it still barges in.
    if (interruptible && this.digits.pending > mark) return this.digits.takeAt(mark);
    return null;
  }

  async play(prompt: PromptRef, opts: PlayOptions): Promise<PlayResult> {
    this.alive();
    // A key typed before the prompt began stops it at once (barge-in, consumed here).
    if (opts.interruptible) {
      const typed = this.digits.take();
      if (typed) return { interruptedBy: typed as Digit };
    }
    const src = this.source(prompt);
    for (let i = 0; i < Math.max(1, opts.repeat); i++) {
      const d = await this.playSource(src, opts.interruptible);
      if (d) return { interruptedBy: d as Digit };
    }
    return {};
  }

  async collectDigits(o: CollectDigitsOptions): Promise<CollectDigitsResult> {
    this.alive();
    let digits = '';
    for (;;) {
      const d = await this.digits.next(digits ? o.interDigitTimeoutMs : o.timeoutMs, this.signal);
      this.alive();
      if (d === null) return digits ? { kind: 'digits', digits, terminated: false } : { kind: 'timeout' };
      if (o.terminator && d === o.terminator) return { kind: 'digits', digits, terminated: true };
      digits += d;
      if (digits.length >= o.maxDigits) return { kind: 'digits', digits, terminated: false };
    }
  }

  async transferToQueue(req: QueueRequest): Promise<QueueOutcome> {
    this.alive();
    try {
      return await this.o.transferToQueue(req, this);
    } finally {
      // Keys pressed while waiting or talking are not answers to what comes next (the survey).
      this.digits.clear();
    }
  }

  async transferToExtension(extension: string, opts: { ringTimeoutMs: number }): Promise<ExtensionOutcome> {
    this.alive();
    const notes = this.o.notes;
    notes.phase = 'ringing';
    const r = await this.o.call.ringExtension(extension, { ringTimeoutMs: opts.ringTimeoutMs });
    this.alive();
    if (r.result === 'failed') {
      notes.phase = 'ivr';
      const c = r.cause.category;
      return { result: c === 'unallocated' ? 'notFound' : c === 'busy' || c === 'rejected' ? 'busy' : c === 'noAnswer' || c === 'timeout' ? 'noAnswer' : 'failed', cause: r.cause.text };
    }
    notes.phase = 'talking';
    const at = this.now();
    notes.transfers.push({ at, by: 'ivr', kind: 'extension', to: extension, result: 'answered' });
    // The extension's leg carries the call from here: its hang-up ends the call.
    await this.o.call.ended;
    // The call is over: the flow must not walk on as if the caller were still there.
    this.alive();
    return { result: 'answered', talkMs: this.now() - at };
  }

  async dialExternal(req: DialRequest): Promise<DialOutcome> {
    this.alive();
    const dial = this.o.call.dialOutside;
    const notes = this.o.notes;
    if (!dial) {
      this.o.log.warn({ callId: this.sessionId, callee: req.callee }, 'IVR 转外线 is not available on this call');
      notes.errors.push('转外线 not available');
      return { result: 'failed', cause: '转外线 is not available on this call' };
    }
    const { media, callerLegId } = this.o.call;
    // The caller hears the connecting prompt (looped) until the outside number answers or the dial fails.
    let connecting: Promise<unknown> | null = null;
    if (req.connectingPrompt) {
      let src = this.source(req.connectingPrompt);
      if (src.kind === 'tts' && this.o.renderTts) src = { kind: 'frames', ...(await this.o.renderTts(src.text, src.voice, media.law)) };
      this.alive();
      connecting = media.play(callerLegId, src, { loop: true, interruptible: false }).catch(() => undefined);
    }
    notes.phase = 'ringing';
    let r;
    try {
      r = await dial({ callerId: req.callerId, callee: req.callee, ringTimeoutMs: req.ringTimeoutMs });
    } finally {
      if (connecting) await this.stopLoop(connecting);
    }
    this.alive();
    const at = this.now();
    if (r.result === 'failed') {
      notes.phase = 'ivr';
      notes.transfers.push({ at, by: 'ivr', kind: 'external', to: req.callee, result: 'failed' });
      const c = r.cause.category;
      if (c === 'forbidden') notes.errors.push(`转外线: ${r.cause.text}`);
      const result = c === 'busy' ? 'busy' : c === 'noAnswer' || c === 'timeout' ? 'noAnswer' : c === 'rejected' || c === 'forbidden' ? 'rejected' : c === 'unallocated' || c === 'unavailable' || c === 'congestion' ? 'unreachable' : 'failed';
      return { result, cause: r.cause.text };
    }
    notes.phase = 'talking';
    notes.transfers.push({ at, by: 'ivr', kind: 'external', to: req.callee, result: 'answered' });
    await r.hungUp;
    this.alive();
    notes.phase = 'ivr';
    return { result: 'answered', talkMs: this.now() - at };
  }

  /**
   * Stops a looped prompt and waits for its play to end. A stop while the prompt is still loading cancels
   * it (CallMedia counts stops), so one stop is enough; the wait is bounded so a lost play cannot hold the call.
   */
  private async stopLoop(playing: Promise<unknown>): Promise<void> {
    await this.o.call.media.stopPlay(this.o.call.callerLegId).catch(() => undefined);
    let timer: TimerHandle | undefined;
    const settled = await Promise.race([
      playing.then(() => true, () => true),
      new Promise<boolean>((r) => (timer = this.o.clock.setTimeout(() => r(false), 2000))),
    ]);
    this.o.clock.clearTimeout(timer);
    if (!settled) this.o.log.warn({ callId: this.o.call.id }, 'IVR: a looped prompt did not end 2 s after its stop');
  }

  async recordVoicemail(opts: VoicemailOptions): Promise<VoicemailResult> {
    this.alive();
    const { media, callerLegId, signal } = this.o.call;
    if (opts.beep) await this.playSource({ kind: 'frames', frames: beepFrames(media.law), law: media.law }, false);
    const { path } = await media.startRecording({ channels: 1, legId: callerLegId });
    // Known before the wait: a caller who hangs up instead of pressing # still leaves a message.
    this.o.notes.voicemail = path;
    const started = this.o.clock.monotonic();
    const until = started + opts.maxSeconds * 1000;
    for (;;) {
      const left = until - this.o.clock.monotonic();
      if (left <= 0 || signal.aborted) break;
      const d = await this.digits.next(left, signal);
      if (d === null || d === opts.finishOnKey) break;
    }
    this.alive();
    const info = await media.stopRecording();
    return { recordingId: path, seconds: Math.round((info?.durationMs ?? this.o.clock.monotonic() - started) / 1000) };
  }

  async hangup(cause: HangupCause): Promise<void> {
    if (this.o.call.signal.aborted) return;
    if (cause === 'flowError' || cause === 'deadline') {
      this.o.notes.errors.push(`ivr: ${cause}`);
      this.o.call.hangup(LOCAL_CAUSES.error(`IVR ${cause}`));
    } else {
      this.o.call.hangup(LOCAL_CAUSES.normal());
    }
  }

  dispose(): void {
    this.digits.dispose();
  }
}
