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

const SPECIAL = [...'\r\n\t :;,"<>%@[]\\=/?'].map((c) => c.charCodeAt(0)).concat([0x00, 0xff, 0xe5, 0x7f]);

/** A seeded mutation of a message: flipped and special bytes, truncation, repeated and dropped lines. */
export function mutate(input: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  let b = Buffer.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    switch (pick(6)) {
      case 0: if (b.length) b[pick(b.length)] = pick(256); break;
      case 1: if (b.length) b[pick(b.length)] = SPECIAL[pick(SPECIAL.length)]; break;
      case 2: b = b.subarray(0, pick(b.length + 1)); break;
      case 3: {
        const lines = b.toString('latin1').split('\r\n');
        const i = pick(lines.length);
        lines.splice(i, 0, lines[i] ?? '');
        b = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 4: {
        const lines = b.toString('latin1').split('\r\n');
        lines.splice(pick(lines.length), 1);
        b = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      default: {
        const at = pick(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), Buffer.from([SPECIAL[pick(SPECIAL.length)]]), b.subarray(at)]);
      }
    }
  }
  return b;
}
