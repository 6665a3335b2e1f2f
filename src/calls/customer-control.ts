// The IVR's call control on one customer leg of a call that is not (or no longer) in an inbound flow: the
// survey after an outbound call, a self-service flow or a digit collection started by the agent. Queue and
// transfer requests are refused here: the agent is still on the call.
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { CallNotes } from './call-notes.ts';
import type { Call } from './call.ts';
import type { ActiveCall } from './call-types.ts';
import { LiveCallControl, type LiveCallControlOptions } from './ivr-call-control.ts';

export interface CustomerControlOptions {
  clock: Clock;
  log: Logger;
  promptPath: (promptId: string) => string;
  renderTts?: LiveCallControlOptions['renderTts'];
}

/** A LiveCallControl whose "caller" is `legId` of `call`. Dispose it when done. */
export function customerControl(call: Call, legId: string, notes: CallNotes, o: CustomerControlOptions, variables: Record<string, string> = {}): LiveCallControl {
  const active: ActiveCall = {
    id: call.id, record: call.record, media: call.requireMedia(), callerLegId: legId, signal: call.signal, ended: call.ended,
    ringExtension: async () => ({ result: 'failed', cause: LOCAL_CAUSES.forbidden('not from here') }),
    hangup: (cause) => call.hangup(cause ?? LOCAL_CAUSES.normal(), 'system'),
  };
  return new LiveCallControl({
    call: active, clock: o.clock, log: o.log, notes, promptPath: o.promptPath,
    ...(o.renderTts ? { renderTts: o.renderTts } : {}),
    transferToQueue: async () => ({ result: 'rejected', skillGroupId: null, reason: 'the agent is on the call' }),
    variables: { SystemCallerNumber: call.record.caller, SystemCalleeNumber: call.record.callee, SystemSessionId: call.id, WaitNo: '', StaffNo: '', ...variables },
  });
}
