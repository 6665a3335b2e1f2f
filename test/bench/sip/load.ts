// Driving sipp at a fixed rate for a fixed time and judging the run (every call passed, none failed, and the
// run ended on time, i.e. the rate was sustained), plus the doubling-then-bisecting search for the highest
// such rate.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SIPP } from '../../integration/sipp/calls/kit.ts';

export interface LoadOptions {
  scenario: string;
  /** ip:port of the server under test. */
  target: string;
  inf: string;
  rate: number;
  seconds: number;
  ip: string;
  port: number;
  mediaPort?: number;
  /** -d: how long a bare <pause/> lasts (call hold time). */
  holdMs?: number;
  /** A process whose CPU (with its children) is read from /proc around the run. */
  serverPid?: number;
}

export interface LoadRun {
  rate: number;
  calls: number;
  ok: boolean;
  /** The server process was gone after the run (crashed or killed). */
  serverGone: boolean;
  successful: number;
  failed: number;
  retransmissions: number;
  elapsedS: number;
  /** Server CPU over the run, in cores (1 = one core busy). */
  serverCpu: number;
  /** Server CPU by thread or child process. */
  serverCpuBy: string;
  /** Mean response time of the measured exchange (rtd), ms. */
  rtdMs: number;
  why: string;
}

const CLK_TCK = 100;

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

function childrenMap(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone
    }
  }
  return kids;
}

const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

/**
 * utime+stime of a process and all its descendants (the box's media workers, Kamailio's children), by
 * name: the root's threads by thread name, each descendant by its command.
 */
export function treeTicks(root: number): Map<string, number> {
  const kids = childrenMap();
  const out = new Map<string, number>();
  const add = (k: string, v: number): void => void out.set(k, (out.get(k) ?? 0) + v);
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${root}/task`);
  } catch {
    // gone
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${root}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      add(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), Number(f[11]) + Number(f[12]));
    } catch {
      // thread ended
    }
  }
  const walk = (p: number): void => {
    for (const k of kids.get(p) ?? []) {
      add(commOf(k), ticksOf(k));
      walk(k);
    }
  };
  walk(root);
  return out;
}

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** "main 45%, mediasoup-worker 20%, …" from two treeTicks readings over `wallS`. */
function cpuBreakdown(a: Map<string, number>, b: Map<string, number>, wallS: number): string {
  return [...b.entries()].map(([k, v]) => [k, (v - (a.get(k) ?? 0)) / CLK_TCK / wallS] as const).filter(([, c]) => c >= 0.01)
    .sort((x, y) => y[1] - x[1]).map(([k, c]) => `${k} ${(c * 100).toFixed(0)}%`).join(', ');
}

/** The last row of sipp's -trace_stat CSV as name → value. */
function lastStats(file: string): Map<string, string> {
  const rows = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  const m = new Map<string, string>();
  if (rows.length < 2) return m;
  const names = rows[0]!.split(';');
  const vals = rows[rows.length - 1]!.split(';');
  names.forEach((n, i) => m.set(n.trim(), (vals[i] ?? '').trim()));
  return m;
}

/** "00:00:00:012000" (sipp's rtd format) or a plain number of ms → ms. */
function rtdMs(v: string | undefined): number {
  if (!v) return NaN;
  const p = v.split(':').map(Number);
  if (p.length === 4) return ((p[0]! * 60 + p[1]!) * 60 + p[2]!) * 1000 + p[3]! / 1000;
  return Number(v);
}

export async function runLoad(o: LoadOptions): Promise<LoadRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-sipp-'));
  const calls = Math.max(1, Math.round(o.rate * o.seconds));
  const holdS = (o.holdMs ?? 0) / 1000;
  // Sustained: the last call started on schedule and finished (hold time plus a setup) soon after.
  const allowedS = o.seconds + holdS + Math.max(3, o.seconds * 0.1);
  const args = [
    o.target, '-sf', o.scenario, '-inf', o.inf, '-r', String(o.rate), '-rp', '1000', '-m', String(calls),
    '-t', 'u1', '-i', o.ip, '-p', String(o.port), '-nostdin', '-buff_size', '4194304',
    '-timeout', `${Math.ceil(allowedS + 60)}s`, '-timeout_error', '-recv_timeout', '16000',
    '-trace_stat', '-stf', path.join(dir, 'stat.csv'), '-fd', '1', '-trace_err', '-error_file', path.join(dir, 'err.log'),
  ];
  if (o.mediaPort) args.push('-mp', String(o.mediaPort));
  if (o.holdMs !== undefined) args.push('-d', String(o.holdMs));
  const t0 = Date.now();
  const c0 = o.serverPid ? treeTicks(o.serverPid) : new Map<string, number>();
  const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const elapsedS = (Date.now() - t0) / 1000;
  const serverGone = o.serverPid !== undefined && !alive(o.serverPid);
  const c1 = o.serverPid && !serverGone ? treeTicks(o.serverPid) : new Map<string, number>();
  const serverCpu = serverGone ? NaN : (sum(c1) - sum(c0)) / CLK_TCK / elapsedS;
  const s = lastStats(path.join(dir, 'stat.csv'));
  const num = (k: string): number => Number(s.get(k) ?? NaN);
  const successful = num('SuccessfulCall(C)');
  const failed = num('FailedCall(C)');
  const retransmissions = num('Retransmissions(C)');
  const rtdKey = [...s.keys()].find((k) => /^ResponseTime\w*\(C\)$/.test(k));
  const errors = existsSync(path.join(dir, 'err.log')) ? readFileSync(path.join(dir, 'err.log'), 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  let why = '';
  if (serverGone) why = 'the server process died during the run';
  else if (code !== 0) why = `sipp exit ${code}`;
  else if (failed !== 0) why = `${failed} failed`;
  else if (successful !== calls) why = `${successful}/${calls} successful`;
  else if (elapsedS > allowedS) why = `took ${elapsedS.toFixed(1)} s (rate not sustained)`;
  if (why && errors) why += `; first error: ${errors.trim().split('\n').find((l) => l.trim() && !l.startsWith('The following events')) ?? ''}`.slice(0, 300);
  if (why && !Number.isFinite(successful)) why += `; sipp: ${output.trim().split('\n').slice(-3).join(' | ')}`;
  return { rate: o.rate, calls, ok: why === '', serverGone, successful, failed, retransmissions, elapsedS, serverCpu, serverCpuBy: cpuBreakdown(c0, c1, elapsedS), rtdMs: rtdMs(s.get(rtdKey ?? '')), why };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SearchOptions {
  name: string;
  start: number;
  max: number;
  /** Bisect until the bracket is narrower than this fraction of the passing rate. */
  precision: number;
  run: (rate: number) => Promise<LoadRun>;
  log: (s: string) => void;
  /** Between runs: let the server drain what a failed run left behind. */
  settle: (afterFailure: boolean) => Promise<void>;
}

export interface SearchResult {
  rate: number;
  best?: LoadRun;
  runs: LoadRun[];
  /** The rate at which the server process died, if it did (the search stopped there). */
  diedAt?: number;
}

/**
 * Doubling from `start` until a run fails (or `max`), then bisecting between the last pass and the first failure.
 * A server that dies ends the search: the highest rate passed before is the result (`diedAt` says where).
 */
export async function searchRate(o: SearchOptions): Promise<SearchResult> {
  const runs: LoadRun[] = [];
  let lo = 0;
  let best: LoadRun | undefined;
  let hi = Infinity;
  let diedAt: number | undefined;
  const attempt = async (rate: number): Promise<boolean> => {
    const r = await o.run(rate);
    runs.push(r);
    const cpu = Number.isFinite(r.serverCpu) ? `${(r.serverCpu * 100).toFixed(0)}% (${r.serverCpuBy})` : '?';
    o.log(`${o.name} ${rate}/s: ${r.ok ? 'PASS' : 'FAIL'} ${r.successful}/${r.calls} ok, ${r.failed} failed, ${r.retransmissions} retrans, `
      + `${r.elapsedS.toFixed(1)} s, server cpu ${cpu}, rtd ${Number.isFinite(r.rtdMs) ? r.rtdMs.toFixed(1) : '?'} ms${r.ok ? '' : ` — ${r.why}`}`);
    if (r.ok) best = r;
    if (r.serverGone) {
      diedAt = rate;
      o.log(`${o.name}: the server process died during the ${rate}/s run; the search stops at the last passing rate`);
      return false;
    }
    await o.settle(!r.ok);
    return r.ok;
  };
  const result = (): SearchResult => ({ rate: lo, best, runs, ...(diedAt !== undefined ? { diedAt } : {}) });
  for (let rate = o.start; rate <= o.max; rate *= 2) {
    if (await attempt(rate)) lo = rate;
    else {
      hi = rate;
      break;
    }
  }
  if (hi === Infinity || diedAt !== undefined) return result();
  while (hi - lo > Math.max(1, lo * o.precision)) {
    const mid = Math.round((lo + hi) / 2);
    if (await attempt(mid)) lo = mid;
    else hi = mid;
    if (diedAt !== undefined) break;
  }
  return result();
}
