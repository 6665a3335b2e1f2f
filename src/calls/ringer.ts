// Rings one or more targets for a leg of a call (an extension's registered contacts in parallel, or a
// number through a channel), each fork with its own media leg and SDP offer. 180 and 183 early media
// are relayed to a caller not yet answered; the first 2xx wins, the other forks are cancelled, and the
// winner is connected to the leg. No answer within the ring time → CANCEL, 480.
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { InboundLeg, LOCAL_CAUSES, type B2bua, type EndCause, type OutboundLeg, type OutboundLegRequest } from '../sip/b2bua/index.ts';
import type { Call, CallLeg } from './call.ts';
import type { BridgeOutcome } from './call-types.ts';

export interface RingTarget {
  kind: 'phone' | 'trunk';
  /** Extension or number, for the record. */
  party: string;
  request: Omit<OutboundLegRequest, 'offer'>;
}

export interface RingOptions {
  ringTimeoutMs: number;
  /** `from` has not been answered yet: relay 180/183 to it and answer it with the winner. */
  relay: boolean;
  /** The answered fork's leg becomes essential (its hang-up ends the call). */
  essential?: boolean;
  /** Stops the ringing (an ACD offer withdrawn): the forks are cancelled, the outcome is `cancelled`. */
  signal?: AbortSignal;
  /** Extra headers for every fork's INVITE (e.g. auto-answer hints for desk phones). */
  headers?: ReadonlyArray<readonly [string, string]>;
}

interface Fork {
  target: RingTarget;
  out: OutboundLeg;
  leg: CallLeg;
  /** Its SDP answer has been applied to its media leg. */
  answered: boolean;
}

/**
 * RFC 3261 16.7 step 6 in spirit: a 6xx wins, then busy, then the other 4xx, then 5xx; a cancel or
 * timeout only when nothing better came.
 */
export function pickFailure(causes: readonly EndCause[]): EndCause {
  const rank = (c: EndCause): number => {
    const s = c.status ?? 0;
    if (s >= 600) return 0;
    if (c.category === 'busy') return 1;
    if (s >= 400 && s < 500 && s !== 408 && s !== 487 && s !== 480) return 2;
    if (s === 480) return 3;
    if (s >= 500 && s < 600) return 4;
    if (s >= 300 && s < 400) return 5;
    return 6;
  };
  return [...causes].sort((a, b) => rank(a) - rank(b))[0] ?? LOCAL_CAUSES.unavailable();
}

export class Ringer {
  constructor(private readonly b2bua: B2bua, private readonly clock: Clock, private readonly log: Logger) {}

  /** Rings `targets` for `from`; resolves when one answered (and is connected) or all failed. */
  async ring(call: Call, from: CallLeg, targets: readonly RingTarget[], opts: RingOptions): Promise<BridgeOutcome> {
    if (targets.length === 0) return { result: 'failed', cause: LOCAL_CAUSES.unavailable() };
    const media = call.requireMedia();
    const forks: Fork[] = [];
    for (const target of targets) {
      const { legId, sdp } = await media.createSipLeg({ offer: null, role: target.kind === 'trunk' ? 'customer' : 'agent' });
      const headers = opts.headers ? [...(target.request.headers ?? []), ...opts.headers] : target.request.headers;
      const out = this.b2bua.dial({ ...target.request, ...(headers ? { headers } : {}), offer: sdp });
      const leg = call.attach(out, legId, { role: 'callee', kind: target.kind, party: target.party, sipCallId: out.callId }, false);
      forks.push({ target, out, leg, answered: false });
    }
    return new Promise<BridgeOutcome>((resolve) => {
      let done = false;
      let ringing = false;
      let early: Fork | null = null;
      const failures: EndCause[] = [];
      const settle = (outcome: BridgeOutcome): void => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        call.signal.removeEventListener('abort', onAbort);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const loseAll = (cause: EndCause, except?: Fork): void => {
        for (const f of forks) if (f !== except) void call.drop(f.leg, cause);
      };
      const timer = this.clock.setTimeout(() => {
        loseAll(LOCAL_CAUSES.noAnswer());
        settle({ result: 'failed', cause: LOCAL_CAUSES.noAnswer() });
      }, opts.ringTimeoutMs);
      const onAbort = (): void => {
        loseAll(LOCAL_CAUSES.cancelled());
        settle({ result: 'failed', cause: LOCAL_CAUSES.cancelled() });
      };
      call.signal.addEventListener('abort', onAbort);
      if (opts.signal?.aborted) queueMicrotask(onAbort);
      else opts.signal?.addEventListener('abort', onAbort);
      // The leg we ring for may end while ringing (a transferee hanging up).
      from.sip.common.on('ended', () => !done && onAbort());

      for (const fork of forks) {
        fork.out.on('provisional', ({ status, sdp }) => {
          if (done) return;
          void this.provisional(call, from, fork, status, sdp, opts, () => early, (f) => (early = f), () => ringing, () => (ringing = true)).catch((err: unknown) => {
            this.log.warn({ err, callId: call.id }, 'early media failed');
          });
        });
        fork.out.on('answered', ({ sdp }) => {
          if (done) return void call.drop(fork.leg, LOCAL_CAUSES.normal());
          done = true;
          this.clock.clearTimeout(timer);
          call.signal.removeEventListener('abort', onAbort);
          opts.signal?.removeEventListener('abort', onAbort);
          void this.answered(call, from, fork, sdp, early, opts, () => loseAll({ ...LOCAL_CAUSES.normal(), text: 'answered elsewhere' }, fork)).then(
            () => resolve({ result: 'answered', legId: fork.leg.id }),
            (err: unknown) => {
              this.log.error({ err, callId: call.id }, 'connecting the answered leg failed');
              void call.drop(fork.leg, LOCAL_CAUSES.mediaFailure('connect'));
              resolve({ result: 'failed', cause: LOCAL_CAUSES.mediaFailure('connect') });
            },
          );
        });
        fork.out.on('failed', ({ cause }) => {
          failures.push(cause);
          void call.drop(fork.leg, cause);
          if (!done && failures.length === forks.length) settle({ result: 'failed', cause: pickFailure(failures) });
        });
        fork.out.start();
      }
    });
  }

  private async provisional(
    call: Call, from: CallLeg, fork: Fork, status: number, sdp: string | null, opts: RingOptions,
    getEarly: () => Fork | null, setEarly: (f: Fork) => void, wasRinging: () => boolean, setRinging: () => void,
  ): Promise<void> {
    const media = call.requireMedia();
    if (sdp && !fork.answered) {
      fork.answered = true;
      await media.updateSipLeg(fork.leg.id, sdp);
      if (!getEarly()) {
        setEarly(fork);
        await media.connect(from.id, fork.leg.id);
        if (opts.relay && from.sip instanceof InboundLeg) {
          // 183 with our SDP: the callee's ringback or announcement reaches the caller through the media core.
          from.sip.progress(await this.callerSdp(call, from));
          call.record.state = 'ringing';
        }
        return;
      }
    }
    if (status === 180 && !wasRinging() && opts.relay && from.sip instanceof InboundLeg) {
      setRinging();
      call.record.state = 'ringing';
      from.sip.ringing();
    }
  }

  private async answered(call: Call, from: CallLeg, fork: Fork, sdp: string | null, early: Fork | null, opts: RingOptions, loseOthers: () => void): Promise<void> {
    const media = call.requireMedia();
    loseOthers();
    if (sdp && !fork.answered) {
      fork.answered = true;
      await media.updateSipLeg(fork.leg.id, sdp);
    }
    if (early !== fork) await media.connect(from.id, fork.leg.id);
    fork.leg.essential = opts.essential ?? true;
    call.markAnswered(fork.leg);
    if (opts.relay && from.sip instanceof InboundLeg && !from.sip.answered) {
      await from.sip.answer(await this.callerSdp(call, from));
      call.markAnswered(from);
    }
  }

  /** Our SDP for the caller: the answer (or offer) made when its media leg was created. */
  private async callerSdp(call: Call, from: CallLeg): Promise<string> {
    if (from.ourSdp) return from.ourSdp;
    throw new Error(`no SDP for caller leg ${from.id} of call ${call.id}`);
  }
}
