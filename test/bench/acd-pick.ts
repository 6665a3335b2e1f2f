// ACD agent selection under load: 1,000 idle agents and 10,000 waiting calls in the real Acd (memory store,
// fake clock, no timers firing), then the dispatcher's pick() — candidates of the call's group, the free ones,
// the strategy (顺序振铃, 按技能组客服优先级, 按客服空闲时长, 按客服接入电话数量, 同时振铃) and 上次接入人优先 on top —
// timed one selection at a time; and one box-wide pump that matches all free agents to the oldest calls.
import { Writable } from 'node:stream';
import {
  Acd, buildDirectory, DEFAULT_ACD_SETTINGS, MemoryAcdStore, type AcdDirectoryInput, type AcdSettings, type AgentDeviceDialer, type Distribution,
} from '../../src/acd/index.ts';
import { createLogger, FakeClock } from '../../src/platform/index.ts';

export interface PickResult {
  /** p50/p99/max of single selections over every strategy, µs of the process's CPU time (what the pick costs
   * the event loop, without the time the OS gave the core to other processes). */
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** The same by the wall clock (includes preemption on a shared machine). */
  wallP99Us: number;
  picks: number;
  perStrategy: { name: string; p99Us: number; wallP99Us: number }[];
  /** One pump: free agents matched to waiting calls, box-wide by priority then arrival. */
  pump: { ms: number; offers: number };
}

const AGENTS = 1000;
const CALLS = 10_000;
const GROUPS = 10;

/** Agents 1…1000; group 1 holds all of them (the worst case for a strategy), groups 2…10 a hundred each. */
function directory(): AcdDirectoryInput {
  const agents = Array.from({ length: AGENTS }, (_, i) => ({ id: i + 1, name: `A${i + 1}`, staffNo: String(10_000 + i), email: `a${i + 1}@bench.local` }));
  const groups = Array.from({ length: GROUPS }, (_, g) => ({ id: g + 1, name: `G${g + 1}`, ringMode: 'sequential' as const, receptionLimit: 10 }));
  const members = agents.map((a) => ({ groupId: 1, agentId: a.id, priority: 1 + (a.id % 5) }));
  for (const a of agents) members.push({ groupId: 2 + ((a.id - 1) % (GROUPS - 1)), agentId: a.id, priority: 1 + (a.id % 3) });
  return { agents, groups, members, breakReasons: [{ id: 1, name: '休息', enabled: true }], defaultStatus: 'idle' };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const settings = (distribution: Distribution, lastAgentFirst: boolean): AcdSettings => ({
  ...DEFAULT_ACD_SETTINGS,
  routing: { distribution, lastAgentFirst },
});

// The Acd keeps its dispatcher and queues private; the bench reaches them the way a debugger would.
interface Inner {
  dispatcher: { pick(entry: unknown, members: null): readonly unknown[] };
  queues: { queues: Map<number | null, { entries: unknown[] }> };
}

export async function benchPick(log: (s: string) => void, rounds = 3, skip = false): Promise<PickResult> {
  if (skip) return { p50Us: NaN, p99Us: NaN, maxUs: NaN, wallP99Us: NaN, picks: 0, perStrategy: [], pump: { ms: NaN, offers: 0 } };
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 2, 0, 0));
  const store = new MemoryAcdStore();
  const quiet = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  let seed = 42;
  const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const dir = directory();
  const acd = await Acd.start({ store, directory: { load: async () => buildDirectory(dir) }, clock, log: quiet, dialer: null, random });
  // Sign-ins 10 ms apart, so 按客服空闲时长 has a real order to find.
  for (const a of dir.agents) {
    await acd.webLogin(a.id);
    clock.tick(10);
  }
  const inner = acd as unknown as Inner;
  for (let i = 0; i < CALLS; i++) {
    // Half the calls in the 1,000-member group, the rest over the others; the promises stay pending (no dialer).
    void acd.enqueue({ callId: `c${i}`, callerNumber: `1380000${String(i).padStart(4, '0')}`, skillGroupId: i % 2 === 0 ? 1 : 2 + (i % (GROUPS - 1)), priority: 1 + (i % 5), maxWaitMs: 3_600_000, announce: null });
  }
  await new Promise((r) => setImmediate(r));
  const entries = [...inner.queues.queues.values()].flatMap((q) => q.entries);
  if (entries.length !== CALLS) throw new Error(`expected ${CALLS} waiting calls, found ${entries.length}`);
  log(`${AGENTS} agents idle, ${entries.length} calls waiting in ${inner.queues.queues.size} queues`);

  const all: number[] = [];
  const allWall: number[] = [];
  const perStrategy: { name: string; p99Us: number; wallP99Us: number }[] = [];
  const cases: { name: string; s: AcdSettings }[] = [
    { name: 'sequential', s: settings('sequential', false) },
    { name: 'groupPriority', s: settings('groupPriority', false) },
    { name: 'longestIdle', s: settings('longestIdle', false) },
    { name: 'fewestCalls', s: settings('fewestCalls', false) },
    { name: 'sequential+lastAgentFirst', s: settings('sequential', true) },
  ];
  for (const c of cases) {
    await acd.saveSettings(null, c.s);
    const times: number[] = [];
    const wall: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const e of entries) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const step = inner.dispatcher.pick(e, null);
        const w = Number(process.hrtime.bigint() - t0) / 1000;
        const cpu = process.cpuUsage(c0);
        if (!step.length) throw new Error(`${c.name}: nobody picked`);
        wall.push(w);
        times.push(Math.min(w, cpu.user + cpu.system));
      }
    }
    times.sort((a, b) => a - b);
    wall.sort((a, b) => a - b);
    perStrategy.push({ name: c.name, p99Us: quantile(times, 0.99), wallP99Us: quantile(wall, 0.99) });
    log(`pick ${c.name}: ${times.length} selections, CPU p50 ${quantile(times, 0.5).toFixed(1)} µs, p99 ${quantile(times, 0.99).toFixed(1)} µs, max ${times.at(-1)!.toFixed(0)} µs; wall p99 ${quantile(wall, 0.99).toFixed(1)} µs`);
    all.push(...times);
    allWall.push(...wall);
  }

  // One pump: a dialer that keeps every device ringing; each free agent gets the oldest call it can take.
  let offers = 0;
  const ringing: AgentDeviceDialer = { offer: () => (offers++, new Promise(() => undefined)), cancel: () => undefined };
  await acd.saveSettings(null, settings('longestIdle', true));
  const t0 = process.hrtime.bigint();
  acd.attachDialer(ringing);
  await new Promise((r) => setImmediate(r));
  const pumpMs = Number(process.hrtime.bigint() - t0) / 1e6;
  log(`pump: ${offers} offers made in ${pumpMs.toFixed(1)} ms (${((pumpMs * 1000) / Math.max(1, offers)).toFixed(1)} µs per selection, ${entries.length} calls waiting)`);
  all.sort((a, b) => a - b);
  allWall.sort((a, b) => a - b);
  await acd.stop().catch(() => undefined);
  return { p50Us: quantile(all, 0.5), p99Us: quantile(all, 0.99), maxUs: all.at(-1)!, wallP99Us: quantile(allWall, 0.99), picks: all.length, perStrategy, pump: { ms: pumpMs, offers } };
}
