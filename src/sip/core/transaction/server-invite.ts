// INVITE server transaction: RFC 3261 17.2.1 (timers G, H, I) as updated by RFC 6026
// (Accepted state, timer L; 2xx retransmissions belong to the TU).
import { getTo } from '../message.ts';
import type { SipRequest, SipResponse } from '../message-types.ts';
import { TransactionBase } from './transaction-base.ts';
import type { Peer, ServerTransactionUser, TransactionEnv } from './transaction-types.ts';

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export class InviteServerTransaction extends TransactionBase<InviteServerState> {
  readonly kind = 'ist' as const;
  /** Set by the UAS core when it takes the request. */
  user: ServerTransactionUser = {};
  #lastProvisional?: SipResponse;
  #finalResponse?: SipResponse;
  #intervalG: number;

  constructor(id: string, request: SipRequest, peer: Peer, env: TransactionEnv) {
    super(id, request, peer, env, 'proceeding');
    this.#intervalG = env.config.t1;
  }

  /** The last response sent (for RFC 2543 ACK matching and the To tag of a 200 to CANCEL). */
  get lastResponse(): SipResponse | undefined {
    return this.#finalResponse ?? this.#lastProvisional;
  }

  /** To tag of the responses we sent, if any. */
  get toTag(): string | undefined {
    const res = this.lastResponse;
    if (!res) return undefined;
    try {
      return getTo(res).tag;
    } catch {
      return undefined;
    }
  }

  transition(to: InviteServerState): void {
    const { t1, t2, t4 } = this.env.config;
    switch (to) {
      case 'accepted':
        // RFC 6026 8.7: "If, while in the "Proceeding" state, the TU passes a 2xx response to
        // the server transaction, the server transaction MUST pass this response to the
        // transport layer for transmission ... and MUST enter the "Accepted" state.
        // Timer L [64*T1]".
        this.enter(['proceeding'], to);
        this.arm('L', 64 * t1, () => this.transition('terminated'));
        break;
      case 'completed':
        // 17.2.1: "When the "Completed" state is entered, timer H MUST be set to fire in 64*T1
        // seconds for all transports ... For unreliable transports, timer G is set to fire in
        // T1 seconds".
        this.enter(['proceeding'], to);
        this.arm('H', 64 * t1, () => this.#timerH());
        if (!this.reliable) this.arm('G', this.#intervalG, () => this.#timerG(t2));
        break;
      case 'confirmed':
        // 17.2.1: "The purpose of the "Confirmed" state is to absorb any additional ACK
        // messages ... When this state is entered, timer I is set to fire in T4 seconds for
        // unreliable transports, and zero seconds for reliable transports."
        this.enter(['completed'], to);
        this.disarm('G', 'H');
        if (this.reliable) this.transition('terminated');
        else this.arm('I', t4, () => this.transition('terminated'));
        break;
      case 'terminated':
        this.enter(['proceeding', 'accepted', 'completed', 'confirmed'], to);
        this.user.onTerminated?.();
        break;
      default:
        this.enter([], to);
    }
  }

  /** Sends a response from the TU. Throws InvalidTransitionError for one that is out of place. */
  respond(res: SipResponse): void {
    if (res.status < 200) {
      // 17.2.1: "The TU passes any number of provisional responses to the server transaction.
      // So long as the server transaction is in the "Proceeding" state, each of these MUST be
      // passed to the transport layer for transmission."
      if (this.state !== 'proceeding') throw new Error(`ist: provisional response in state ${this.state}`);
      this.#lastProvisional = res;
      this.transmit(res);
    } else if (res.status < 300) {
      // RFC 6026 8.7: "Any retransmission of the 2xx response passed from the TU to the
      // transaction while in the "Accepted" state MUST be passed to the transport layer".
      if (this.state === 'proceeding') this.transition('accepted');
      else if (this.state !== 'accepted') throw new Error(`ist: 2xx in state ${this.state}`);
      this.#finalResponse = res;
      this.transmit(res);
    } else {
      this.#finalResponse = res;
      this.transition('completed');
      this.transmit(res);
    }
  }

  /** A retransmitted INVITE. */
  receiveRequest(_req: SipRequest): void {
    // 17.2.1: "If a request retransmission is received while in the "Proceeding" state, the
    // most recent provisional response that was received from the TU MUST be passed to the
    // transport layer for retransmission." and in "Completed": "the server SHOULD pass the
    // response to the transport for retransmission". RFC 6026 8.7: in "Accepted", "Any
    // retransmissions of the INVITE received while in the Accepted state MUST NOT be passed
    // to the TU" (absorbed).
    if (this.state === 'proceeding' && this.#lastProvisional) this.transmit(this.#lastProvisional);
    else if (this.state === 'completed' && this.#finalResponse) this.transmit(this.#finalResponse);
  }

  /**
   * An ACK that matched this transaction. Returns false when it must go to the TU: RFC 6026
   * 8.7, an ACK in the "Accepted" state is passed to the TU (it acknowledges the 2xx).
   */
  receiveAck(_ack: SipRequest): boolean {
    // 17.2.1: "If an ACK is received while the server transaction is in the "Completed"
    // state, the server transaction MUST transition to the "Confirmed" state."
    if (this.state === 'completed') this.transition('confirmed');
    return this.state !== 'accepted';
  }

  #timerG(t2: number): void {
    // 17.2.1: "If timer G fires, the response is passed to the transport layer once more for
    // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
    if (this.state !== 'completed' || !this.#finalResponse) return;
    this.#intervalG = Math.min(2 * this.#intervalG, t2);
    this.arm('G', this.#intervalG, () => this.#timerG(t2));
    this.transmit(this.#finalResponse);
  }

  #timerH(): void {
    // 17.2.1: "If timer H fires while in the "Completed" state, it implies that the ACK was
    // never received. In this case, the server transaction MUST transition to the
    // "Terminated" state, and MUST indicate to the TU that a transaction failure has occurred."
    if (this.state !== 'completed') return;
    this.user.onTimeout?.();
    if (!this.is('terminated')) this.transition('terminated');
  }

  protected transportFailed(error: unknown): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    if (!this.is('terminated')) this.transition('terminated');
  }
}
