// One call: its record, its media (one router in the media core), and its SIP legs. Every SDP a leg's
// peer sends goes to that leg's own media leg and every SDP we send comes from it; a hold from one side
// holds the media of the other; when an essential leg ends the others are released and the call ends.
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { CallMedia, MediaCore } from '../media/core/index.ts';
import { InboundLeg, LOCAL_CAUSES, statusForCaller, type EndCause, type OutboundLeg } from '../sip/b2bua/index.ts';
import type { CallRecord, LegRecord } from './call-types.ts';

/** Why a call's signal aborts: one shared reason (an AbortController's default DOMException is costly per call). */
const CALL_ENDED = new Error('the call ended');

export interface CallLeg {
  /** The media leg id. */
  id: string;
  sip: InboundLeg | OutboundLeg;
  record: LegRecord;
  /** When it ends, the call ends (the caller; the callee once answered). Ringing forks are not. */
  essential: boolean;
  /** Its peer holds the call (its last SDP was sendonly/inactive). */
  peerHeld: boolean;
  /** A caller leg's SDP from us (the answer to its offer, or our offer), sent in 183 and 200. */
  ourSdp: string | null;
}

export interface CallDeps {
  clock: Clock;
  log: Logger;
  media: MediaCore;
  onAnswered(call: Call, leg: CallLeg): void;
  /** A leg joined the call (the call side wires transfers of phone legs here). */
  onAttach?(call: Call, leg: CallLeg): void;
  onHeld(call: Call, leg: CallLeg, held: boolean): void;
  onEnded(call: Call): void;
}

export class Call {
  media: CallMedia | null = null;
  readonly legs = new Map<string, CallLeg>();
  private readonly abort = new AbortController();
  private readonly releases: (() => void)[] = [];
  /** Work whose results go into the call record (the IVR run): the record waits for it. */
  private readonly recordWork: Promise<unknown>[] = [];
  private finished = false;
  private resolveEnded!: (r: CallRecord) => void;
  readonly ended: Promise<CallRecord>;

  constructor(readonly record: CallRecord, private readonly deps: CallDeps) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  get id(): string {
    return this.record.id;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isEnded(): boolean {
    return this.finished;
  }

  /** Something to undo when the call ends (a channel slot). */
  onRelease(fn: () => void): void {
    if (this.finished) fn();
    else this.releases.push(fn);
  }

  /** The record is written only once `work` settled (e.g. the IVR run that holds the trace). */
  keepRecordOpen(work: Promise<unknown>): void {
    this.recordWork.push(work.catch(() => undefined));
  }

  /** Resolves when the record's work settled, or after `limitMs` (a stuck handler must not lose the record). */
  async recordReady(limitMs: number): Promise<void> {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const limit = new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, limitMs)));
    await Promise.race([Promise.allSettled(this.recordWork), limit]);
    this.deps.clock.clearTimeout(timer);
  }

  async openMedia(): Promise<CallMedia> {
    const media = await this.deps.media.createCall(this.id);
    if (this.finished) {
      await media.close('ended');
      throw new Error(`call ${this.id} ended while its media was being set up`);
    }
    this.media = media;
    media.on('failed', ({ cause }) => this.hangup(LOCAL_CAUSES.mediaFailure(cause), 'system'));
    return media;
  }

  requireMedia(): CallMedia {
    if (!this.media) throw new Error(`call ${this.id} has no media`);
    return this.media;
  }

  /**
   * Takes a SIP leg into the call with its media leg `id`: the leg's SDP goes only to its media leg, a
   * peer's hold holds the legs it is connected to, and its end is judged by the call.
   */
  attach(sip: InboundLeg | OutboundLeg, id: string, record: Omit<LegRecord, 'id' | 'startedAt' | 'answeredAt' | 'endedAt' | 'cause'>, essential: boolean): CallLeg {
    const leg: CallLeg = {
      id, sip, essential, peerHeld: false, ourSdp: null,
      record: { ...record, id, startedAt: this.deps.clock.now(), answeredAt: null, endedAt: null, cause: null },
    };
    this.legs.set(id, leg);
    this.record.legs.push(leg.record);
    // The media is looked up when used: the caller's leg joins before the call's media exists.
    const media = (): CallMedia => this.requireMedia();
    sip.media = {
      offer: async (sdp) => {
        const r = await media().updateSipLeg(id, sdp);
        if (r.held !== leg.peerHeld) await this.setPeerHeld(leg, r.held);
        return r.answer ?? (await media().reofferSipLeg(id));
      },
      answer: async (sdp) => {
        await media().updateSipLeg(id, sdp);
      },
      makeOffer: (hold) => media().reofferSipLeg(id, { hold: hold ?? false }),
    };
    sip.common.on('dtmf', ({ digit, durationMs }) => {
      try {
        media().injectSipInfoDtmf(id, digit, durationMs);
      } catch (err) {
        this.deps.log.debug({ err, callId: this.id }, 'INFO digit dropped');
      }
    });
    sip.common.on('ended', ({ cause, by }) => this.legEnded(leg, cause, by));
    this.deps.onAttach?.(this, leg);
    return leg;
  }

  /** RFC 3264 8.4 hold seen on `leg`: the legs it hears are held (they hear nothing and are not heard). */
  private async setPeerHeld(leg: CallLeg, held: boolean): Promise<void> {
    leg.peerHeld = held;
    const media = this.requireMedia();
    for (const other of this.legs.values()) {
      if (other === leg || other.sip.ended || !other.record.answeredAt) continue;
      await media.hold(other.id, held).catch((err: unknown) => this.deps.log.warn({ err, callId: this.id }, 'media hold failed'));
    }
    this.deps.onHeld(this, leg, held);
  }

  markAnswered(leg: CallLeg): void {
    const now = this.deps.clock.now();
    leg.record.answeredAt ??= now;
    if (this.record.answeredAt === null) {
      this.record.answeredAt = now;
      this.record.state = 'answered';
    }
    this.deps.onAnswered(this, leg);
  }

  private legEnded(leg: CallLeg, cause: EndCause, by: 'remote' | 'local'): void {
    leg.record.endedAt = this.deps.clock.now();
    leg.record.cause = cause;
    if (!leg.essential || this.finished) return;
    const side = by === 'local' ? 'system' : leg.record.role;
    this.hangup(cause, side);
  }

  /** Ends the call: every leg still up is released with `cause`, the media closed, the record final. */
  hangup(cause: EndCause = LOCAL_CAUSES.normal(), side: CallRecord['hangupSide'] = 'system'): void {
    if (this.finished) return;
    this.finished = true;
    this.record.state = 'ended';
    this.record.endCause = cause;
    this.record.hangupSide = side;
    this.record.endedAt = this.deps.clock.now();
    this.abort.abort(CALL_ENDED);
    for (const leg of this.legs.values()) {
      if (leg.sip.ended) continue;
      if (leg.sip instanceof InboundLeg) leg.sip.hangup(cause, statusForCaller(cause));
      else leg.sip.hangup(cause);
    }
    for (const fn of this.releases.splice(0)) fn();
    const media = this.media;
    void (media ? media.close(cause.category).catch((err: unknown) => this.deps.log.warn({ err, callId: this.id }, 'media close failed')) : Promise.resolve()).finally(() => {
      this.deps.onEnded(this);
      this.resolveEnded(this.record);
    });
  }

  /** Removes a leg that lost (a fork that did not answer): its media leg goes. */
  async drop(leg: CallLeg, cause: EndCause): Promise<void> {
    leg.essential = false;
    if (!leg.sip.ended) leg.sip.hangup(cause);
    this.legs.delete(leg.id);
    if (this.media && !this.media.closed) await this.media.removeLeg(leg.id).catch(() => undefined);
  }
}
