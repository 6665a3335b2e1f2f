// INVITE client transaction: RFC 3261 17.1.1 (timers A, B, D) as updated by RFC 6026
// (Accepted state, timer M).
import type { SipRequest, SipResponse } from '../message-types.ts';
import { buildAckForNon2xx } from '../response.ts';
import { TransactionBase } from './transaction-base.ts';
import type { ClientTransactionUser, Peer, TransactionEnv } from './transaction-types.ts';

export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export class InviteClientTransaction extends TransactionBase<InviteClientState> {
  readonly kind = 'ict' as const;
  readonly user: ClientTransactionUser;
  #intervalA: number;
  #ack?: SipRequest;
  #started = false;

  constructor(id: string, request: SipRequest, peer: Peer, env: TransactionEnv, user: ClientTransactionUser) {
    super(id, request, peer, env, 'calling');
    this.user = user;
    this.#intervalA = env.config.t1;
  }

  /**
   * RFC 3261 17.1.1.2: "The client transaction MUST pass the request to the transport layer
   * for transmission. If an unreliable transport is being used, the client transaction MUST
   * start timer A with a value of T1 ... For any transport, the client transaction MUST start
   * timer B with a value of 64*T1 seconds."
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (!this.reliable) this.arm('A', this.#intervalA, () => this.#timerA());
    this.arm('B', 64 * this.env.config.t1, () => this.#timerB());
    this.transmit(this.request);
  }

  transition(to: InviteClientState): void {
    const { t1, timerD } = this.env.config;
    switch (to) {
      case 'proceeding':
        // 17.1.1.2: "the client transaction SHOULD NOT retransmit the request any longer"
        this.enter(['calling', 'proceeding'], to);
        this.disarm('A', 'B');
        break;
      case 'accepted':
        // RFC 6026 8.4: "the client transaction MUST ... transition to the Accepted state,
        // and Timer M MUST be started with a value of 64*T1."
        this.enter(['calling', 'proceeding'], to);
        this.disarm('A', 'B');
        this.arm('M', 64 * t1, () => this.transition('terminated'));
        break;
      case 'completed':
        // 17.1.1.2: "The client transaction SHOULD start timer D when it enters the
        // "Completed" state, with a value of at least 32 seconds for unreliable transports,
        // and a value of zero seconds for reliable transports."
        this.enter(['calling', 'proceeding'], to);
        this.disarm('A', 'B');
        if (!this.reliable) this.arm('D', timerD, () => this.transition('terminated'));
        break;
      case 'terminated':
        this.enter(['calling', 'proceeding', 'accepted', 'completed'], to);
        this.user.onTerminated?.();
        break;
      default:
        this.enter([], to);
    }
  }

  receiveResponse(res: SipResponse): void {
    if (res.status < 200) return this.#provisional(res);
    if (res.status < 300) return this.#success(res);
    return this.#failure(res);
  }

  #provisional(res: SipResponse): void {
    // 17.1.1.2: "If the client transaction receives a provisional response while in the
    // "Calling" state, it transitions to the "Proceeding" state ... Furthermore, the
    // provisional response MUST be passed to the TU."
    if (this.state !== 'calling' && this.state !== 'proceeding') return;
    if (this.state === 'calling') this.transition('proceeding');
    this.user.onResponse(res);
  }

  #success(res: SipResponse): void {
    if (this.state === 'calling' || this.state === 'proceeding') {
      // RFC 6026 8.4: "a 2xx response MUST be passed up to the TU ... and the client
      // transaction MUST transition to the Accepted state".
      this.transition('accepted');
      this.user.onResponse(res);
    } else if (this.state === 'accepted') {
      // RFC 6026 8.4: "Any 2xx responses that match this client transaction and that are
      // received while in the Accepted state MUST be passed up to the TU."
      this.user.onResponse(res);
    }
  }

  #failure(res: SipResponse): void {
    if (this.state === 'calling' || this.state === 'proceeding') {
      // 17.1.1.2: "When in either the "Calling" or "Proceeding" states, reception of a
      // response with status code from 300-699 MUST cause the client transaction to transition
      // to "Completed". The client transaction MUST pass the received response up to the TU,
      // and the client transaction MUST generate an ACK request".
      this.#ack = buildAckForNon2xx(this.request, res);
      this.transition('completed');
      this.user.onResponse(res);
      if (this.transmit(this.#ack) && this.reliable && this.is('completed')) this.transition('terminated');
    } else if (this.state === 'completed' && this.#ack) {
      // "Any retransmissions of the final response that are received while in the
      // "Completed" state MUST cause the ACK to be re-passed to the transport layer".
      this.transmit(this.#ack);
    }
  }

  #timerA(): void {
    // 17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request by
    // passing it to the transport layer, and MUST reset the timer with a value of 2*T1."
    if (this.state !== 'calling') return;
    this.#intervalA *= 2;
    this.arm('A', this.#intervalA, () => this.#timerA());
    this.transmit(this.request);
  }

  #timerB(): void {
    // "If the client transaction is still in the "Calling" state when timer B fires, the
    // client transaction SHOULD inform the TU that a timeout has occurred."
    if (this.state !== 'calling') return;
    this.user.onTimeout?.();
    this.transition('terminated');
  }

  protected transportFailed(error: unknown): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    if (!this.is('terminated')) this.transition('terminated');
  }
}
