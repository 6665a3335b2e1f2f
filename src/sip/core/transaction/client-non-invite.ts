// Non-INVITE client transaction: RFC 3261 17.1.2 (timers E, F, K).
import type { SipRequest, SipResponse } from '../message-types.ts';
import { TransactionBase } from './transaction-base.ts';
import type { ClientTransactionUser, Peer, TransactionEnv } from './transaction-types.ts';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction extends TransactionBase<NonInviteClientState> {
  readonly kind = 'nict' as const;
  readonly user: ClientTransactionUser;
  #intervalE: number;
  #started = false;

  constructor(id: string, request: SipRequest, peer: Peer, env: TransactionEnv, user: ClientTransactionUser) {
    super(id, request, peer, env, 'trying');
    this.user = user;
    this.#intervalE = env.config.t1;
  }

  /**
   * RFC 3261 17.1.2.2: "The "Trying" state is entered when the TU initiates a new client
   * transaction with a request. When entering this state, the client transaction SHOULD set
   * timer F to fire in 64*T1 seconds. The request MUST be passed to the transport layer for
   * transmission. If an unreliable transport is in use, the client transaction MUST set
   * timer E to fire in T1 seconds."
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.arm('F', 64 * this.env.config.t1, () => this.#timerF());
    if (!this.reliable) this.arm('E', this.#intervalE, () => this.#timerE());
    this.transmit(this.request);
  }

  transition(to: NonInviteClientState): void {
    switch (to) {
      case 'proceeding':
        this.enter(['trying', 'proceeding'], to);
        break;
      case 'completed':
        // 17.1.2.2: "Once the client transaction enters the "Completed" state, it MUST set
        // Timer K to fire in T4 seconds for unreliable transports, and zero seconds for
        // reliable transports."
        this.enter(['trying', 'proceeding'], to);
        this.disarm('E', 'F');
        if (this.reliable) this.transition('terminated');
        else this.arm('K', this.env.config.t4, () => this.transition('terminated'));
        break;
      case 'terminated':
        this.enter(['trying', 'proceeding', 'completed'], to);
        this.user.onTerminated?.();
        break;
      default:
        this.enter([], to);
    }
  }

  receiveResponse(res: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // Completed absorbs retransmissions
    if (res.status < 200) {
      // "If a provisional response is received while in the "Trying" state, the response
      // MUST be passed to the TU, and then the client transaction SHOULD move to the
      // "Proceeding" state."
      this.user.onResponse(res);
      if (this.state === 'trying') this.transition('proceeding');
      return;
    }
    // "If a final response (status codes 200-699) is received while in the "Trying" [or
    // "Proceeding"] state, the response MUST be passed to the TU, and the client transaction
    // MUST transition to the "Completed" state."
    this.user.onResponse(res);
    if (this.state === 'trying' || this.state === 'proceeding') this.transition('completed');
  }

  #timerE(): void {
    // "If timer E fires while still in this state, the timer is reset, but this time with a
    // value of MIN(2*T1, T2) ... If Timer E fires while in the "Proceeding" state, the request
    // MUST be passed to the transport layer for retransmission, and Timer E MUST be reset with
    // a value of T2 seconds."
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    const { t2 } = this.env.config;
    this.#intervalE = this.state === 'trying' ? Math.min(2 * this.#intervalE, t2) : t2;
    this.arm('E', this.#intervalE, () => this.#timerE());
    this.transmit(this.request);
  }

  #timerF(): void {
    // "If Timer F fires while the client transaction is still in the "Trying" [or
    // "Proceeding"] state, the client transaction SHOULD inform the TU about the timeout,
    // and then it SHOULD enter the "Terminated" state."
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.user.onTimeout?.();
    if (!this.is('terminated')) this.transition('terminated');
  }

  protected transportFailed(error: unknown): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    if (!this.is('terminated')) this.transition('terminated');
  }
}
