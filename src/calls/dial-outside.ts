// 转外线 from the IVR: the outside number is rung through a channel that carries the flow's caller number (it
// must be one of the box's outbound-capable numbers — checked again here, a channel may have lost it since the
// flow was saved), connected to the caller on answer; its hang-up hands the caller back to the flow.
import { LOCAL_CAUSES } from '../sip/b2bua/index.ts';
import type { SipStack } from '../sip/index.ts';
import type { Trunks } from '../sip/trunks/index.ts';
import type { Call, CallLeg } from './call.ts';
import type { OutsideOutcome } from './call-types.ts';
import type { Ringer } from './ringer.ts';
import { channelTarget } from './targets.ts';

export interface DialOutsideDeps {
  trunks: Trunks;
  stack: SipStack;
  ringer: Ringer;
  maxForwards: number;
}

/** The numbers an outbound call can show now: effective numbers of enabled channels. */
export function outboundCapableNumbers(trunks: Trunks): string[] {
  return [...new Set(trunks.list().filter((c) => c.config.enabled).flatMap((c) => c.effectiveNumbers.map((n) => n.number)))];
}

export async function dialOutside(d: DialOutsideDeps, call: Call, from: CallLeg, req: { callerId: string; callee: string; ringTimeoutMs: number }): Promise<OutsideOutcome> {
  if (!outboundCapableNumbers(d.trunks).includes(req.callerId)) {
    return { result: 'failed', cause: LOCAL_CAUSES.forbidden(`caller number ${req.callerId} is not an outbound number of this box`) };
  }
  const channels = d.trunks.outboundCandidates().filter((c) => c.effectiveNumbers.some((n) => n.number === req.callerId));
  for (const channel of channels) {
    const release = d.trunks.acquire(channel);
    if (!release) continue;
    const number = channel.effectiveNumbers.find((n) => n.number === req.callerId)!;
    const target = await channelTarget(d.stack, { channel, number }, req.callee, d.maxForwards).catch(() => null);
    if (!target) {
      release();
      continue;
    }
    call.onRelease(release);
    const outcome = await d.ringer.ring(call, from, [target], { relay: false, ringTimeoutMs: req.ringTimeoutMs, essential: false });
    if (outcome.result === 'failed') {
      release();
      return outcome;
    }
    const leg = call.legs.get(outcome.legId);
    const hungUp = new Promise<void>((resolve) => {
      if (!leg || leg.sip.ended || call.signal.aborted) return resolve();
      leg.sip.common.on('ended', () => resolve());
      call.signal.addEventListener('abort', () => resolve(), { once: true });
    }).then(async () => {
      release();
      if (leg && !call.isEnded) await call.drop(leg, LOCAL_CAUSES.normal());
    });
    return { result: 'answered', legId: outcome.legId, hungUp };
  }
  return { result: 'failed', cause: LOCAL_CAUSES.congestion() };
}
