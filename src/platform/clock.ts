// Time behind an interface so every timer in the box can be driven by a fake clock in tests.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds, for durations and timers. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

let nextId = 1;

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  now(): number {
    return Date.now();
  }
  monotonic(): number {
    return performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    t.unref?.();
    this.timers.set(id, t);
    return { id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    const t = setInterval(fn, ms);
    t.unref?.();
    this.timers.set(id, t);
    return { id };
  }
  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }
}

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
  every?: number;
}

/** Deterministic clock for tests: time moves only through tick()/advance(). */
export class FakeClock implements Clock {
  private t: number;
  private mono = 0;
  private timers: FakeTimer[] = [];
  constructor(startEpochMs = Date.UTC(2026, 0, 1)) {
    this.t = startEpochMs;
  }
  now(): number {
    return this.t;
  }
  monotonic(): number {
    return this.mono;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: nextId++, at: this.mono + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers = this.timers.filter((x) => x.id !== handle.id);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const timer = { id: nextId++, at: this.mono + ms, fn, every: Math.max(1, ms) };
    this.timers.push(timer);
    return { id: timer.id };
  }
  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }
  /** Advance time by ms, firing due timers in order. */
  tick(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.t += due.at - this.mono;
      this.mono = due.at;
      if (due.every) due.at += due.every;
      else this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t += end - this.mono;
    this.mono = end;
  }
  pending(): number {
    return this.timers.length;
  }
}
