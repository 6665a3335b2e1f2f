// One listening turn of a speech menu: feeds the call's audio to an ASR session in real time (gaps in the
// RTP become silence, so the engine's end-of-utterance detection still fires when a phone stops sending),
// waits up to the node's timeout for speech — longer while the caller is still talking — and turns the
// first final text into a branch keyword (or nomatch with the text).
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RecognizeResult } from '../runtime/call-control.ts';
import type { AsrEvent, AsrSession } from './speech-types.ts';

const RATE = 8; // samples per ms
const TICK_MS = 100;
/** Loudness (mean absolute sample) above which a 20 ms frame counts as speech. */
const SPEECH_LEVEL = 400;

export interface ListenerOptions {
  clock: Clock;
  keywords: string[];
  timeoutMs: number;
  /** How long past the timeout a caller who is talking (or whose words are being decoded) is waited for. */
  talkGraceMs: number;
  log?: Logger;
  provider: string;
}

/** Lower case, without spaces and punctuation, so "Sales." matches "sales" and "我要 查话费。" contains "查话费". */
export function normalizeSpeech(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The keyword the text contains (the longest, when several do), or undefined. */
export function matchKeyword(text: string, keywords: readonly string[]): string | undefined {
  const t = normalizeSpeech(text);
  if (!t) return undefined;
  const hits = keywords.filter((k) => normalizeSpeech(k) && t.includes(normalizeSpeech(k)));
  return hits.sort((a, b) => normalizeSpeech(b).length - normalizeSpeech(a).length)[0];
}

export class SpeechListener {
  readonly result: Promise<RecognizeResult>;
  private resolve!: (r: RecognizeResult) => void;
  private session: AsrSession | null = null;
  private readonly started: number;
  private lastAudioAt: number;
  private lastSpeechAt = -Infinity;
  private partialText = '';
  private ticker: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private done = false;
  private readonly pending: Int16Array[] = [];

  constructor(private readonly o: ListenerOptions) {
    this.started = o.clock.monotonic();
    this.lastAudioAt = this.started;
    this.result = new Promise((r) => (this.resolve = r));
    this.ticker = o.clock.setInterval(() => this.pad(), TICK_MS);
    this.deadline = o.clock.setTimeout(() => this.onDeadline(), o.timeoutMs);
  }

  /** The ASR session is up; audio written before it was ready is delivered now. */
  attach(session: AsrSession): void {
    if (this.done) {
      session.abort();
      return;
    }
    this.session = session;
    for (const pcm of this.pending.splice(0)) session.write(pcm);
  }

  readonly onEvent = (e: AsrEvent): void => {
    if (this.done) return;
    if (e.kind === 'partial') {
      this.partialText = e.text;
      return;
    }
    if (e.kind === 'error') {
      this.o.log?.warn({ provider: this.o.provider, err: e.message }, 'speech recognition failed');
      this.finish({ kind: 'nomatch' });
      return;
    }
    const text = e.text.trim();
    if (!text) return; // noise
    const keyword = matchKeyword(text, this.o.keywords);
    this.finish(keyword ? { kind: 'keyword', keyword, text } : { kind: 'nomatch', text });
  };

  /** 8 kHz PCM from the call (one RTP packet's worth). */
  write(pcm: Int16Array): void {
    if (this.done) return;
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) sum += Math.abs(pcm[i]!);
    this.lastAudioAt = this.o.clock.monotonic();
    if (pcm.length && sum / pcm.length > SPEECH_LEVEL) this.lastSpeechAt = this.lastAudioAt;
    this.send(pcm);
  }

  private send(pcm: Int16Array): void {
    if (this.session) this.session.write(pcm);
    else this.pending.push(pcm);
  }

  /**
   * Keeps the stream going when the phone sends nothing (no RTP in silence, or a pause before the caller
   * speaks): a tick without audio for two ticks is sent as a tick of silence. Late packets (jitter) are
   * never padded around, so words are not cut up.
   */
  private pad(): void {
    if (this.o.clock.monotonic() - this.lastAudioAt >= 2 * TICK_MS) this.send(new Int16Array(TICK_MS * RATE));
  }

  private onDeadline(): void {
    const now = this.o.clock.monotonic();
    // Talking, or heard and not yet decoded (an engine's end-of-utterance detection lags the words).
    const talking = this.lastSpeechAt > -Infinity || this.partialText !== '';
    const overtime = now - this.started - this.o.timeoutMs;
    if (talking && overtime < this.o.talkGraceMs) {
      this.deadline = this.o.clock.setTimeout(() => this.onDeadline(), 250);
      return;
    }
    if (this.partialText) {
      // The engine never closed the utterance: judge what it heard so far.
      const keyword = matchKeyword(this.partialText, this.o.keywords);
      this.finish(keyword ? { kind: 'keyword', keyword, text: this.partialText } : { kind: 'nomatch', text: this.partialText });
      return;
    }
    this.finish(this.lastSpeechAt > -Infinity ? { kind: 'nomatch' } : { kind: 'timeout' });
  }

  private finish(r: RecognizeResult): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    this.session?.abort();
    this.resolve(r);
  }

  private stopTimers(): void {
    this.o.clock.clearInterval(this.ticker);
    this.o.clock.clearTimeout(this.deadline);
  }

  /** The call moved on (a key, a hang-up): stop without a result of our own. */
  cancel(): void {
    this.finish({ kind: 'timeout' });
  }
}
