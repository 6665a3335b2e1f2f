// Test peers for the ACD: a scripted in-memory dialer (answers, rejects or lets ring per device), a static
// directory, and an ACD on a FakeClock with the memory store.
import { Writable } from 'node:stream';
import {
  Acd, buildDirectory, MemoryAcdStore, DEFAULT_ACD_SETTINGS,
  type AcdDirectoryInput, type AcdSettings, type AgentDeviceDialer, type OfferCallInfo, type OfferCancelReason, type OfferOptions,
  type OfferResult, type OfferTarget, type QueueCallbackDialer,
} from '../../../src/acd/index.ts';
import { createLogger, FakeClock } from '../../../src/platform/index.ts';

export type Action = { result: OfferResult; afterMs: number } | 'ring';

export interface OfferRecord {
  target: OfferTarget;
  key: string;
  call: OfferCallInfo;
  opts: OfferOptions;
  settled: OfferResult | null;
  cancelled: OfferCancelReason | null;
}

export const keyOf = (t: OfferTarget): string => (t.kind === 'agent' ? `agent:${t.agentId}` : `phone:${t.phoneId}`);

/**
 * Rings devices on the fake clock. Each device follows its script in turn (one action per offer); without one
 * it rings until timeoutMs and answers 'timeout', as a real leg would.
 */
export class ScriptedDialer implements AgentDeviceDialer {
  readonly offers: OfferRecord[] = [];
  private readonly scripts = new Map<string, Action[]>();
  private readonly pending = new Map<string, { rec: OfferRecord; resolve: (r: OfferResult) => void; timer: { id: number } }>();

  constructor(private readonly clock: FakeClock) {}

  script(key: string, ...actions: Action[]): this {
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...actions]);
    return this;
  }

  offer(target: OfferTarget, call: OfferCallInfo, opts: OfferOptions): Promise<OfferResult> {
    const key = keyOf(target);
    const rec: OfferRecord = { target, key, call, opts, settled: null, cancelled: null };
    this.offers.push(rec);
    const action = this.scripts.get(key)?.shift() ?? 'ring';
    return new Promise((resolve) => {
      const done = (r: OfferResult): void => {
        if (rec.settled) return;
        rec.settled = r;
        this.pending.delete(call.offerId);
        resolve(r);
      };
      const timer = action === 'ring' ? this.clock.setTimeout(() => done('timeout'), opts.timeoutMs) : this.clock.setTimeout(() => done(action.result), action.afterMs);
      this.pending.set(call.offerId, { rec, resolve: done, timer });
    });
  }

  cancel(offerId: string, reason: OfferCancelReason): void {
    const rec = this.offers.find((o) => o.call.offerId === offerId);
    if (rec && !rec.cancelled) rec.cancelled = reason;
    const p = this.pending.get(offerId);
    if (p) {
      this.clock.clearTimeout(p.timer);
      p.resolve('rejected');
    }
  }

  ringing(): string[] {
    return this.offers.filter((o) => !o.settled).map((o) => o.key);
  }
}

export class ScriptedCallbackDialer implements QueueCallbackDialer {
  readonly calls: { number: string; agentId: number | null }[] = [];
  constructor(private readonly results: ('connected' | 'no-answer' | 'failed')[]) {}
  async dialBack(req: { number: string; agentId: number | null }): Promise<'connected' | 'no-answer' | 'failed'> {
    this.calls.push({ number: req.number, agentId: req.agentId });
    return this.results.shift() ?? 'failed';
  }
}

/** Lets queued microtasks and promise chains run (no real timers are involved). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** 售前 (id 1): agents 11 (priority 1), 12 (2), 13 (3); 售后 (id 2): 21, 22; break reasons 1 休息, 2 会议 (disabled). */
export const baseDirectory = (): AcdDirectoryInput => ({
  agents: [
    { id: 11, name: 'A11', staffNo: '1011', email: 'a11@t.local' },
    { id: 12, name: 'A12', staffNo: '1012', email: 'a12@t.local' },
    { id: 13, name: 'A13', staffNo: '1013', email: 'a13@t.local' },
    { id: 21, name: 'A21', staffNo: '1021', email: 'a21@t.local' },
    { id: 22, name: 'A22', staffNo: '1022', email: 'a22@t.local' },
  ],
  groups: [
    { id: 1, name: '售前', ringMode: 'sequential', receptionLimit: 10 },
    { id: 2, name: '售后', ringMode: 'sequential', receptionLimit: 10 },
  ],
  members: [
    { groupId: 1, agentId: 11, priority: 1 },
    { groupId: 1, agentId: 12, priority: 2 },
    { groupId: 1, agentId: 13, priority: 3 },
    { groupId: 2, agentId: 21, priority: 3 },
    { groupId: 2, agentId: 22, priority: 3 },
  ],
  phones: [
    { id: 101, extension: '1011', agentId: 11 },
    { id: 201, extension: '2001', groupId: 2 },
  ],
  breakReasons: [
    { id: 1, name: '休息', enabled: true },
    { id: 2, name: '会议', enabled: false },
  ],
  defaultStatus: 'idle',
});

export function settingsWith(patch: { answer?: Partial<AcdSettings['answer']>; routing?: Partial<AcdSettings['routing']>; queue?: Partial<AcdSettings['queue']> }): AcdSettings {
  return {
    answer: { ...DEFAULT_ACD_SETTINGS.answer, ...patch.answer },
    routing: { ...DEFAULT_ACD_SETTINGS.routing, ...patch.routing },
    queue: { ...DEFAULT_ACD_SETTINGS.queue, ...patch.queue },
  };
}

export interface Harness {
  acd: Acd;
  clock: FakeClock;
  store: MemoryAcdStore;
  dialer: ScriptedDialer;
  dir: AcdDirectoryInput;
  /** Logs in these agents through the workbench (they land in the default status, 示闲). */
  login(...ids: number[]): Promise<void>;
  /** Advances the fake clock and lets the promise chains run. */
  tick(ms: number): Promise<void>;
}

export async function harness(opts: { dir?: AcdDirectoryInput; settings?: AcdSettings; store?: MemoryAcdStore; random?: () => number; callbackDialer?: QueueCallbackDialer; noDialer?: boolean } = {}): Promise<Harness> {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 2, 0, 0));
  const store = opts.store ?? new MemoryAcdStore();
  if (opts.settings) store.global = opts.settings;
  const dir = opts.dir ?? baseDirectory();
  const dialer = new ScriptedDialer(clock);
  const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const acd = await Acd.start({
    store,
    directory: { load: async () => buildDirectory(dir) },
    clock,
    log,
    dialer: opts.noDialer ? null : dialer,
    callbackDialer: opts.callbackDialer ?? null,
    random: opts.random ?? (() => 0),
    tuning: { retryDelayMs: 1000, offerGraceMs: 500, callbackDialTimeoutMs: 5000, maxRingMs: 60_000, callbackRetryMs: 30_000 },
  });
  const h: Harness = {
    acd,
    clock,
    store,
    dialer,
    dir,
    async login(...ids) {
      for (const id of ids) await acd.webLogin(id);
      await settle();
    },
    async tick(ms) {
      // Step in small slices so promise chains between timers run in order.
      const step = 100;
      for (let t = 0; t < ms; t += step) {
        clock.tick(Math.min(step, ms - t));
        await settle();
      }
    },
  };
  await settle();
  return h;
}
