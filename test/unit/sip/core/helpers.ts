// Test helpers for the SIP core: wire text builder, seeded PRNG, fake timer host.
import type { TimerHost } from '../../../../src/sip/core/transaction/transaction-types.ts';

/** Joins lines with CRLF and ends the header section; body appended as given. */
export function wire(lines: string[], body = ''): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

/** mulberry32: small deterministic PRNG for tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that only moves when told; timers fire in order of due time. */
export class FakeTimers implements TimerHost {
  now = 0;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves the clock forward, firing due timers (including ones armed while advancing). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers.delete(due.id);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
  }
}
