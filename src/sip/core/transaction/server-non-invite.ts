// Non-INVITE server transaction: RFC 3261 17.2.2 (timer J).
import type { SipRequest, SipResponse } from '../message-types.ts';
import { TransactionBase } from './transaction-base.ts';
import type { Peer, ServerTransactionUser, TransactionEnv } from './transaction-types.ts';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction extends TransactionBase<NonInviteServerState> {
  readonly kind = 'nist' as const;
  user: ServerTransactionUser = {};
  #lastResponse?: SipResponse;

  constructor(id: string, request: SipRequest, peer: Peer, env: TransactionEnv) {
    super(id, request, peer, env, 'trying');
  }

  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  transition(to: NonInviteServerState): void {
    switch (to) {
      case 'proceeding':
        // 17.2.2: "While in the "Trying" state, if the TU passes a provisional response to the
        // server transaction, the server transaction MUST enter the "Proceeding" state."
        this.enter(['trying'], to);
        break;
      case 'completed':
        // 17.2.2: "When the server transaction enters the "Completed" state, it MUST set
        // Timer J to fire in 64*T1 seconds for unreliable transports, and zero seconds for
        // reliable transports."
        this.enter(['trying', 'proceeding'], to);
        if (this.reliable) this.transition('terminated');
        else this.arm('J', 64 * this.env.config.t1, () => this.transition('terminated'));
        break;
      case 'terminated':
        this.enter(['trying', 'proceeding', 'completed'], to);
        this.user.onTerminated?.();
        break;
      default:
        this.enter([], to);
    }
  }

  respond(res: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') {
      // "Any other final responses passed by the TU to the server transaction MUST be
      // discarded while in the "Completed" state."
      return;
    }
    this.#lastResponse = res;
    if (res.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      this.transmit(res);
      return;
    }
    // "If the TU passes a final response (status codes 200-699) to the server while in the
    // "Proceeding" [or "Trying"] state, the transaction MUST enter the "Completed" state, and
    // the response MUST be passed to the transport layer for transmission."
    this.transition('completed');
    this.transmit(res);
  }

  /** A retransmitted request. */
  receiveRequest(_req: SipRequest): void {
    // 17.2.2: Trying: "any further request retransmissions are discarded"; Proceeding: "the
    // most recently sent provisional response MUST be passed to the transport layer";
    // Completed: "the server transaction MUST pass the final response to the transport layer".
    if ((this.state === 'proceeding' || this.state === 'completed') && this.#lastResponse) this.transmit(this.#lastResponse);
  }

  protected transportFailed(error: unknown): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    if (!this.is('terminated')) this.transition('terminated');
  }
}
