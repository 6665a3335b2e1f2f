// Common machinery of the four transaction state machines: state, named RFC timers on the
// injected TimerHost, transport errors, and termination listeners.
import type { SipMessage, SipRequest } from '../message-types.ts';
import { isReliable, type Peer, type TransactionEnv, type TransactionKind } from './transaction-types.ts';

export class InvalidTransitionError extends Error {
  readonly code = 'CCBOX_ERR_SIP_TRANSITION';
  constructor(kind: TransactionKind, from: string, to: string) {
    super(`${kind}: invalid transition ${from} -> ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export abstract class TransactionBase<S extends string> {
  abstract readonly kind: TransactionKind;
  readonly id: string;
  readonly request: SipRequest;
  /** Destination of our messages: the next hop (client) or where responses go (server). */
  readonly peer: Peer;
  readonly reliable: boolean;
  protected readonly env: TransactionEnv;
  #state: S;
  readonly #timers = new Map<string, unknown>();
  readonly #onTerminated: Array<() => void> = [];

  protected constructor(id: string, request: SipRequest, peer: Peer, env: TransactionEnv, initial: S) {
    this.id = id;
    this.request = request;
    this.peer = peer;
    this.env = env;
    this.reliable = isReliable(peer);
    this.#state = initial;
  }

  get state(): S {
    return this.#state;
  }

  /** State test that TypeScript does not narrow away (callbacks may have moved the state). */
  is(state: S): boolean {
    return this.#state === state;
  }

  /** Called once when the transaction reaches Terminated (the layer forgets it then). */
  onTerminated(listener: () => void): void {
    this.#onTerminated.push(listener);
  }

  /** Every state machine guards its moves and then records the new state here. */
  protected enter(from: readonly S[], to: S): void {
    if (!from.includes(this.#state)) throw new InvalidTransitionError(this.kind, this.#state, to);
    this.#state = to;
    if (to === 'terminated') {
      for (const handle of this.#timers.values()) this.env.timers.clearTimeout(handle);
      this.#timers.clear();
      for (const listener of this.#onTerminated.splice(0)) listener();
    }
  }

  protected arm(name: string, ms: number, fire: () => void): void {
    this.disarm(name);
    this.#timers.set(name, this.env.timers.setTimeout(() => {
      this.#timers.delete(name);
      fire();
    }, ms));
  }

  protected disarm(...names: string[]): void {
    for (const name of names) {
      const handle = this.#timers.get(name);
      if (handle !== undefined) {
        this.env.timers.clearTimeout(handle);
        this.#timers.delete(name);
      }
    }
  }

  /** Names of the running timers (for tests and diagnostics). */
  get runningTimers(): string[] {
    return [...this.#timers.keys()].sort();
  }

  /**
   * Hands a message to the transport. RFC 3261 17.1.4 / 17.2.4: on a transport failure the
   * transaction informs its TU and goes to Terminated. Returns false on failure.
   */
  protected transmit(message: SipMessage): boolean {
    try {
      this.env.send(message, this.peer);
      return true;
    } catch (err) {
      this.transportFailed(err);
      return false;
    }
  }

  protected abstract transportFailed(error: unknown): void;
}
