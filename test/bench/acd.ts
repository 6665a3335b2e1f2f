// npm run bench:acd — the ACD under load. 1) Agent selection: 1,000 idle agents, 10,000 waiting calls, the
// dispatcher's pick() timed per selection over every strategy (goal: p99 < 1000 µs). 2) Full inbound calls:
// sipp as the carrier at BENCH_CPS (50) for BENCH_SECONDS (300) through a real box — IVR menu, key 1, the 压测
// queue, BENCH_AGENTS (250) agents on desk phones (one sipp UAS answering them all) holding BENCH_HOLD_MS (3000)
// — judged by the box's own records (goal: 0 failed) and the agents' states afterwards (goal: 0 stuck).
// Runs inside a loopback-only network namespace it creates when root (else on the host loopback).
// BENCH_SKIP_CALLS=1 runs the selection part only. Prints
// RESULT acd pick_us_p99=<x> calls_ok=<n> calls_failed=<n> stuck_agents=<n> (plus the wall-clock p99 and CPS).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCalls, type CallsResult } from './acd-calls.ts';
import { benchPick } from './acd-pick.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (s: string): void => console.log(`[bench:acd] ${s}`);
const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);

async function inner(): Promise<void> {
  log('agent selection: 1,000 agents, 10,000 waiting calls');
  const pick = await benchPick(log, num('BENCH_PICK_ROUNDS', 2), process.env.BENCH_SKIP_PICK === '1');
  log(`pick: ${pick.picks} selections, CPU p50 ${pick.p50Us.toFixed(1)} µs, p99 ${pick.p99Us.toFixed(1)} µs, max ${pick.maxUs.toFixed(0)} µs; wall p99 ${pick.wallP99Us.toFixed(1)} µs`);

  let calls: CallsResult | null = null;
  const cps = num('BENCH_CPS', 50);
  if (process.env.BENCH_SKIP_CALLS !== '1') {
    calls = await benchCalls({ seconds: num('BENCH_SECONDS', 300), cps, agents: num('BENCH_AGENTS', 250), holdMs: num('BENCH_HOLD_MS', 3000), log });
    log(`calls: ${calls.sent} placed, ${calls.ok} ok (正常结束), ${calls.failed} failed; sipp ${calls.sipp.successful} completed / ${calls.sipp.failed} failed; ${calls.stuckAgents} agents stuck, ${calls.liveCallsAtEnd} calls left`);
  }
  const c = calls ? `calls_ok=${calls.ok} calls_failed=${calls.failed} stuck_agents=${calls.stuckAgents}` : 'calls_ok=n/a calls_failed=n/a stuck_agents=n/a';
  console.log(`RESULT acd pick_us_p99=${pick.p99Us.toFixed(0)} ${c} pick_wall_us_p99=${pick.wallP99Us.toFixed(0)} cps=${calls ? cps : 'n/a'}`);
  if (calls && (calls.failed > 0 || calls.stuckAgents > 0)) process.exitCode = 1;
}

async function main(): Promise<void> {
  if (process.env.CCBOX_BENCH_IN_NETNS === '1') return inner();
  const canNetns = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  if (!canNetns) {
    log('not root or no ip netns: running on the host loopback instead of a namespace');
    return inner();
  }
  const ns = `ccbox-bench-acd-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, CCBOX_BENCH_IN_NETNS: '1' },
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) process.exitCode = code ?? 1;
  } finally {
    if (existsSync(`/run/netns/${ns}`)) execFileSync('ip', ['netns', 'del', ns]);
  }
}

await main();
