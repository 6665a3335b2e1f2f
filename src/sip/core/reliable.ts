// RFC 3262 reliable provisional responses (100rel): the UAS sender with RSeq numbering and
// T1-doubling retransmission until PRACK, and the UAC side's in-order check.
import { hasOptionTag, getCSeq, getRAck, getRSeq } from './message.ts';
import type { SipRequest, SipResponse } from './message-types.ts';
import type { RandomSource } from './ids.ts';
import type { TimerHost } from './transaction/transaction-types.ts';

/** RFC 3262 3: "The value of the header field for the first reliable provisional response in a
 * transaction MUST be between 1 and 2**31 - 1." */
export function initialRSeq(random: RandomSource): number {
  return 1 + Math.floor(random() * (2 ** 31 - 1));
}

/** A 101-199 response that requires a PRACK: Require: 100rel and an RSeq. */
export function isReliableProvisional(res: SipResponse): boolean {
  return res.status > 100 && res.status < 200 && hasOptionTag(res, 'Require', '100rel') && getRSeq(res) !== undefined;
}

export interface ReliableSenderOptions {
  timers: TimerHost;
  random: RandomSource;
  /** Passes the response to the INVITE server transaction. */
  send(res: SipResponse): void;
  /** No PRACK after 64*T1: "the UAS SHOULD reject the original request with a 5xx". */
  onTimeout?(res: SipResponse): void;
  t1?: number;
}

/** UAS side, one per INVITE server transaction. */
export class ReliableProvisionalSender {
  readonly #opts: ReliableSenderOptions;
  #rseq?: number;
  #outstanding?: SipResponse;
  readonly #queue: SipResponse[] = [];
  #timer?: unknown;
  #interval = 0;
  #elapsed = 0;

  constructor(opts: ReliableSenderOptions) {
    this.#opts = opts;
  }

  /** A reliable provisional response is waiting for its PRACK. */
  get pending(): boolean {
    return this.#outstanding !== undefined;
  }

  /**
   * Sends a provisional response reliably (adds Require: 100rel and RSeq). RFC 3262 3: "The
   * UAS MUST NOT send a second reliable provisional response until the first is
   * acknowledged" — later ones wait in order. Returns the RSeq given.
   */
  send(res: SipResponse): number {
    this.#rseq = this.#rseq === undefined ? initialRSeq(this.#opts.random) : this.#rseq + 1;
    if (!hasOptionTag(res, 'Require', '100rel')) res.headers.append('Require', '100rel');
    res.headers.set('RSeq', String(this.#rseq));
    if (this.#outstanding) this.#queue.push(res);
    else this.#transmit(res);
    return this.#rseq;
  }

  /**
   * RFC 3262 3: a PRACK acknowledges the outstanding response when its RAck has that RSeq and
   * the response's CSeq number and method. "If a PRACK request is received by the UA core that
   * does not match any unacknowledged reliable provisional response, the UAS MUST respond to
   * the PRACK with a 481 response." Returns whether it matched (false: answer 481).
   */
  prack(prack: SipRequest): boolean {
    const rack = getRAck(prack);
    const res = this.#outstanding;
    if (!rack || !res) return false;
    const cseq = getCSeq(res);
    if (rack.rseq !== Number(res.headers.get('RSeq')) || rack.cseq !== cseq.seq || rack.method !== cseq.method) return false;
    this.#clear();
    const next = this.#queue.shift();
    if (next) this.#transmit(next);
    return true;
  }

  /** The final response was sent: no more retransmissions (RFC 3262 3 ends them with it). */
  stop(): void {
    this.#clear();
    this.#queue.length = 0;
  }

  #transmit(res: SipResponse): void {
    // "The reliable provisional response is passed to the transaction layer periodically with
    // an interval that starts at T1 seconds and doubles for each retransmission."
    this.#outstanding = res;
    this.#interval = this.#opts.t1 ?? 500;
    this.#elapsed = 0;
    this.#opts.send(res);
    this.#arm();
  }

  #arm(): void {
    const limit = 64 * (this.#opts.t1 ?? 500);
    const delay = Math.min(this.#interval, limit - this.#elapsed);
    this.#timer = this.#opts.timers.setTimeout(() => {
      const res = this.#outstanding;
      if (!res) return;
      this.#elapsed += delay;
      // "If a reliable provisional response is retransmitted for 64*T1 seconds without
      // reception of a corresponding PRACK, the UAS SHOULD reject the original request".
      if (this.#elapsed >= limit) {
        this.stop();
        this.#opts.onTimeout?.(res);
        return;
      }
      this.#interval *= 2;
      this.#opts.send(res);
      this.#arm();
    }, delay);
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#opts.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#outstanding = undefined;
  }
}

export type ReliableVerdict = 'prack' | 'retransmission' | 'out-of-order' | 'unreliable';

/** UAC side, one per early dialog. */
export class ReliableProvisionalReceiver {
  #last?: number;

  /**
   * RFC 3262 4: "If the UAC receives another reliable provisional response to the same
   * request, and its RSeq value is not one higher than the value of the sequence number, that
   * response MUST NOT be acknowledged with a PRACK, and MUST NOT be processed further".
   */
  receive(res: SipResponse): ReliableVerdict {
    if (!isReliableProvisional(res)) return 'unreliable';
    const rseq = getRSeq(res)!;
    if (this.#last === undefined || rseq === this.#last + 1) {
      this.#last = rseq;
      return 'prack';
    }
    return rseq === this.#last ? 'retransmission' : 'out-of-order';
  }
}
