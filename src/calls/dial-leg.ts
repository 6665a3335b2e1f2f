// Dials one leg into a call the box placed (an agent's desk phone, then the customer through a channel):
// our offer from a new media leg, early media (183) connected to `peerLegId` when there is one, the answer
// connected and the leg made essential; no answer within the ring time → CANCEL (480), a signal aborts it.
import type { LegRole } from '../media/index.ts';
import type { Clock } from '../platform/clock.ts';
import { LOCAL_CAUSES, type B2bua, type EndCause } from '../sip/b2bua/index.ts';
import type { Call, CallLeg } from './call.ts';
import type { RingTarget } from './ringer.ts';

export interface DialLegOptions {
  /** The media role (recording channel): the agent's device, or the customer. */
  mediaRole: LegRole;
  /** The leg's role in the call record. */
  recordRole: 'caller' | 'callee';
  ringTimeoutMs: number;
  /** A leg already in the call that hears this one's early media and, on answer, talks with it. */
  peerLegId?: string | null;
  signal?: AbortSignal;
  headers?: ReadonlyArray<readonly [string, string]>;
}

export type DialLegOutcome = { result: 'answered'; leg: CallLeg } | { result: 'failed'; cause: EndCause };

export async function dialLeg(b2bua: B2bua, clock: Clock, call: Call, target: RingTarget, o: DialLegOptions): Promise<DialLegOutcome> {
  const media = call.requireMedia();
  const { legId, sdp } = await media.createSipLeg({ offer: null, role: o.mediaRole });
  const headers = o.headers ? [...(target.request.headers ?? []), ...o.headers] : target.request.headers;
  const out = b2bua.dial({ ...target.request, ...(headers ? { headers } : {}), offer: sdp });
  const leg = call.attach(out, legId, { role: o.recordRole, kind: target.kind, party: target.party, sipCallId: out.callId }, false);
  let answered = false;
  let connected = false;
  const apply = async (answer: string | null): Promise<void> => {
    if (answer && !answered) {
      answered = true;
      await media.updateSipLeg(legId, answer);
    }
    if (answered && o.peerLegId && !connected) {
      connected = true;
      await media.connect(o.peerLegId, legId);
    }
  };
  return new Promise<DialLegOutcome>((resolve) => {
    let done = false;
    const finish = (r: DialLegOutcome): void => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      call.signal.removeEventListener('abort', onAbort);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const lose = (cause: EndCause): void => {
      void call.drop(leg, cause);
      finish({ result: 'failed', cause });
    };
    const timer = clock.setTimeout(() => lose(LOCAL_CAUSES.noAnswer()), o.ringTimeoutMs);
    const onAbort = (): void => lose(LOCAL_CAUSES.cancelled());
    call.signal.addEventListener('abort', onAbort);
    o.signal?.addEventListener('abort', onAbort);
    out.on('provisional', ({ sdp: early }) => {
      if (done || !early) return;
      void apply(early).catch(() => undefined);
    });
    out.on('answered', ({ sdp: answer }) => {
      if (done) return void call.drop(leg, LOCAL_CAUSES.normal());
      clock.clearTimeout(timer);
      void apply(answer).then(
        () => {
          if (done) return;
          leg.essential = true;
          call.markAnswered(leg);
          finish({ result: 'answered', leg });
        },
        () => lose(LOCAL_CAUSES.mediaFailure('connect')),
      );
    });
    out.on('failed', ({ cause }) => {
      void call.drop(leg, cause);
      finish({ result: 'failed', cause });
    });
    out.start();
  });
}
