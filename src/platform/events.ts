// Typed event emitter whose emit never lets a listener's exception break the emitter (mediasoup's safeEmit).
import { EventEmitter } from 'node:events';

type Listener<A extends unknown[]> = (...args: A) => void;

export class TypedEmitter<M extends { [K in keyof M]: unknown[] }> {
  private readonly ee = new EventEmitter();
  private onError: (event: string, err: unknown) => void = (event, err) => {
    // Replaced by setErrorHandler at boot so the error reaches the log.
    process.emitWarning(`listener of ${event} threw: ${String(err)}`);
  };
  constructor() {
    this.ee.setMaxListeners(100);
  }
  setErrorHandler(fn: (event: string, err: unknown) => void): void {
    this.onError = fn;
  }
  on<K extends keyof M & string>(event: K, fn: Listener<M[K]>): this {
    this.ee.on(event, fn as (...a: unknown[]) => void);
    return this;
  }
  once<K extends keyof M & string>(event: K, fn: Listener<M[K]>): this {
    this.ee.once(event, fn as (...a: unknown[]) => void);
    return this;
  }
  off<K extends keyof M & string>(event: K, fn: Listener<M[K]>): this {
    this.ee.off(event, fn as (...a: unknown[]) => void);
    return this;
  }
  removeAllListeners(): void {
    this.ee.removeAllListeners();
  }
  listenerCount<K extends keyof M & string>(event: K): number {
    return this.ee.listenerCount(event);
  }
  /** Emits to every listener; a throwing listener is reported and the others still run. */
  safeEmit<K extends keyof M & string>(event: K, ...args: M[K]): boolean {
    const listeners = this.ee.listeners(event) as Listener<M[K]>[];
    for (const fn of listeners) {
      try {
        fn(...args);
      } catch (err) {
        this.onError(event, err);
      }
    }
    return listeners.length > 0;
  }
  /** Resolves with the arguments of the next emission of `event`. */
  waitFor<K extends keyof M & string>(event: K, timeoutMs = 10_000): Promise<M[K]> {
    return new Promise((resolve, reject) => {
      const fn = (...args: M[K]): void => {
        clearTimeout(t);
        resolve(args);
      };
      const t = setTimeout(() => {
        this.off(event, fn);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      this.once(event, fn);
    });
  }
}
