// Wraps a CallControl so that every request has a deadline derived from its own timeouts plus the limits.
import type { Clock } from '../../platform/clock.ts';
import type { CallControl } from './call-control.ts';
import { withDeadline } from './deadline.ts';
import type { RuntimeLimits } from './runtime-types.ts';

export function guardCall(call: CallControl, clock: Clock, l: RuntimeLimits): CallControl {
  const d = <T>(ms: number, what: string, p: Promise<T>): Promise<T> => withDeadline(clock, ms, what, p);
  const guarded: CallControl = {
    sessionId: call.sessionId,
    signal: call.signal,
    play: (prompt, opts) => d(l.promptMs * Math.max(1, opts.repeat), 'play', call.play(prompt, opts)),
    collectDigits: (opts) =>
      d(opts.timeoutMs + opts.maxDigits * opts.interDigitTimeoutMs + l.inputGraceMs, 'collectDigits', call.collectDigits(opts)),
    transferToQueue: (req) => d(req.maxWaitMs + l.talkMs + l.inputGraceMs, 'transferToQueue', call.transferToQueue(req)),
    transferToExtension: (ext, opts) => d(opts.ringTimeoutMs + l.talkMs + l.inputGraceMs, 'transferToExtension', call.transferToExtension(ext, opts)),
    dialExternal: (req) => d(req.ringTimeoutMs + l.talkMs + l.inputGraceMs, 'dialExternal', call.dialExternal(req)),
    recordVoicemail: (opts) => d(opts.maxSeconds * 1000 + l.promptMs + l.inputGraceMs, 'recordVoicemail', call.recordVoicemail(opts)),
    hangup: (cause) => d(l.controlMs, 'hangup', call.hangup(cause)),
    setVariable: (name, value) => call.setVariable(name, value),
    getVariable: (name) => call.getVariable(name),
    now: () => call.now(),
  };
  const recognize = call.recognizeSpeech?.bind(call);
  // An utterance may run on after the start-of-speech timeout: allow a minute for it.
  if (recognize) guarded.recognizeSpeech = (opts) => d(opts.timeoutMs + 60_000 + l.inputGraceMs, 'recognizeSpeech', recognize(opts));
  return guarded;
}
