// The legs of one edge worker share the worker's own message channel: each message carries the
// leg's key. A MessageChannel per leg (created, its port transferred, closed again for every leg of
// every call) cost the main thread more than everything else the edge asks of it at call set-up.
// Both ends see a LegPort — what they used of a MessagePort: post, receive, close.
import type { Transferable, Worker } from 'node:worker_threads';

export interface LegPort {
  postMessage(msg: unknown, transfer?: readonly Transferable[]): void;
  on(event: 'message', fn: (msg: never) => void): unknown;
  close(): void;
}

/** A message of one leg on the worker's channel. */
export interface LegEnvelope {
  type: 'leg';
  leg: number;
  msg: unknown;
}

/** The main thread asks the worker to drop a leg whose handle is gone. */
export interface LegCloseMessage {
  type: 'leg-close';
  leg: number;
}

const isEnvelope = (m: unknown): m is LegEnvelope => (m as LegEnvelope | null)?.type === 'leg';

/** Main-thread end: one per worker, handing out a LegPort per leg key. */
export class WorkerLegMux {
  private readonly handlers = new Map<number, (msg: unknown) => void>();
  private nextKey = 1;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: unknown) => {
      if (isEnvelope(m)) this.handlers.get(m.leg)?.(m.msg);
    });
  }

  newKey(): number {
    return this.nextKey++;
  }

  port(key: number): LegPort {
    const { worker, handlers } = this;
    let open = true;
    return {
      postMessage: (msg, transfer) => {
        if (open) worker.postMessage({ type: 'leg', leg: key, msg } satisfies LegEnvelope, transfer);
      },
      on: (_event, fn) => handlers.set(key, fn as (msg: unknown) => void),
      close: () => {
        if (!open) return;
        open = false;
        handlers.delete(key);
        worker.postMessage({ type: 'leg-close', leg: key } satisfies LegCloseMessage);
      },
    };
  }
}

interface ParentLike {
  postMessage(msg: unknown, transfer?: readonly Transferable[]): void;
}

/** Worker end of one leg: messages from the main thread are delivered by `deliver`, its close by `closed`. */
export class WorkerSideLegPort implements LegPort {
  private onMsg: ((msg: unknown) => void) | null = null;
  private onClose: (() => void) | null = null;
  private open = true;

  constructor(private readonly parent: ParentLike, readonly key: number) {}

  postMessage(msg: unknown, transfer?: readonly Transferable[]): void {
    if (this.open) this.parent.postMessage({ type: 'leg', leg: this.key, msg } satisfies LegEnvelope, transfer);
  }

  on(event: 'message' | 'close', fn: (msg: never) => void): this {
    if (event === 'message') this.onMsg = fn as (msg: unknown) => void;
    else this.onClose = fn as () => void;
    return this;
  }

  deliver(msg: unknown): void {
    this.onMsg?.(msg);
  }

  /** The main thread dropped the leg (or the worker is done with it). */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose?.();
  }
}
