// npm run bench:sip — the highest REGISTER-with-digest rate and call rate (INVITE with digest → 180 → 200 →
// ACK → BYE, uac → server → uas) each sustained for CCBOX_BENCH_SECONDS (30) with 0 failures, found with sipp
// at doubling then bisected rates, against a real box process (demo profile plus 1,500 phones by default created through
// the API; calls through the B2BUA with media anchored in the media core) and, in the same run on the same
// machine, against Kamailio (registrar with auth_db on db_text, stateful proxy with tm/rr/usrloc). Runs
// inside a loopback-only network namespace it creates when root. Env: CCBOX_BENCH_SECONDS (or BENCH_SECONDS, 30),
// BENCH_SIP_TARGETS (box,kamailio), BENCH_SIP_REG_START (100), BENCH_SIP_CALL_START (25), BENCH_SIP_HOLD_MS
// (1000), BENCH_SIP_PRECISION (0.1), BENCH_SIP_MAX_RATE (50000; = the start rate for a single run), BENCH_SIP_SERIES (register,call), BENCH_KAMAILIO_CHILDREN (cores),
// BENCH_SIP_USERS (1000 registering phones), BENCH_SIP_PAIRS (250 callers and 250 callees), BENCH_BOX_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeMediaPort, freeSipPort, SIPP, waitBound } from '../integration/sipp/calls/kit.ts';
import { startBenchBox } from './sip/box.ts';
import { startKamailio } from './sip/kamailio.ts';
import { runLoad, searchRate, type LoadRun, type SearchResult } from './sip/load.ts';
import { benchPhones, writeCallInf, writeRegisterInf, type BenchPhone } from './sip/phones.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HERE = path.join(ROOT, 'test', 'bench', 'sip');
const SECONDS = Number(process.env.CCBOX_BENCH_SECONDS ?? process.env.BENCH_SECONDS ?? 30);
const TARGETS = (process.env.BENCH_SIP_TARGETS ?? 'box,kamailio').split(',');
const SERIES = (process.env.BENCH_SIP_SERIES ?? 'register,call').split(',');
const REG_START = Number(process.env.BENCH_SIP_REG_START ?? 100);
const CALL_START = Number(process.env.BENCH_SIP_CALL_START ?? 25);
const HOLD_MS = Number(process.env.BENCH_SIP_HOLD_MS ?? 1000);
const PRECISION = Number(process.env.BENCH_SIP_PRECISION ?? 0.1);
const MAX_RATE = Number(process.env.BENCH_SIP_MAX_RATE ?? 50_000);
const KAM_CHILDREN = Number(process.env.BENCH_KAMAILIO_CHILDREN ?? os.availableParallelism());
const USERS = Number(process.env.BENCH_SIP_USERS ?? 1000);
const PAIRS = Number(process.env.BENCH_SIP_PAIRS ?? 250);
const IP = '127.0.0.1';
const log = (s: string): void => console.log(`[bench:sip] ${s}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Server {
  name: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

interface Figures {
  register?: SearchResult;
  call?: SearchResult;
}

/** Registers every callee from `port` (where their answering sipp then listens); must all pass. */
async function registerCallees(server: Server, callees: BenchPhone[], port: number, inf: string): Promise<void> {
  writeRegisterInf(inf, callees);
  const r = await runLoad({ scenario: path.join(HERE, 'register.xml'), target: `${IP}:${server.port}`, inf, rate: 50, seconds: callees.length / 50, ip: IP, port });
  // Set-up, not a measurement: every callee registered is all that counts, however long it took.
  if (r.failed !== 0 || r.successful !== r.calls) throw new Error(`${server.name}: registering the callees failed: ${r.why}`);
}

function startCallees(port: number, mediaPort: number): { child: ChildProcess; stop(): Promise<void> } {
  const child = spawn(SIPP, ['-sf', path.join(HERE, 'uas.xml'), '-t', 'u1', '-i', IP, '-p', String(port), '-mp', String(mediaPort), '-nostdin',
    '-buff_size', '4194304', '-recv_timeout', '40000'], { stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, stop: async () => void (child.exitCode === null && child.kill('SIGTERM'), await exited) };
}

async function measure(server: Server, tmp: string): Promise<Figures> {
  const phones = benchPhones(USERS, PAIRS);
  const out: Figures = {};
  const settle = async (failed: boolean): Promise<void> => sleep(failed ? 20_000 : 2000);
  if (SERIES.includes('register')) {
    const inf = path.join(tmp, `${server.name}-register.csv`);
    writeRegisterInf(inf, phones.registering);
    const port = await freeSipPort();
    out.register = await searchRate({
      name: `${server.name} REGISTER`, start: REG_START, max: MAX_RATE, precision: PRECISION, log, settle,
      run: (rate) => runLoad({ scenario: path.join(HERE, 'register.xml'), target: `${IP}:${server.port}`, inf, rate, seconds: SECONDS, ip: IP, port, serverPid: server.pid }),
    });
    log(`${server.name}: REGISTER with digest sustained ${out.register.rate}/s`);
    if (out.register.diedAt !== undefined) {
      log(`${server.name}: died at ${out.register.diedAt} REGISTER/s; no call series against it`);
      return out;
    }
  }
  if (SERIES.includes('call')) {
    const uasPort = await freeSipPort();
    await registerCallees(server, phones.callees, uasPort, path.join(tmp, `${server.name}-callees.csv`));
    const callees = startCallees(uasPort, await freeMediaPort());
    try {
      await waitBound(uasPort, 'udp', IP);
      const inf = path.join(tmp, `${server.name}-calls.csv`);
      writeCallInf(inf, phones.callers, phones.callees);
      const port = await freeSipPort();
      const mediaPort = await freeMediaPort();
      out.call = await searchRate({
        name: `${server.name} call`, start: CALL_START, max: MAX_RATE, precision: PRECISION, log, settle,
        run: (rate) => runLoad({ scenario: path.join(HERE, 'uac.xml'), target: `${IP}:${server.port}`, inf, rate, seconds: SECONDS, ip: IP, port, mediaPort, holdMs: HOLD_MS, serverPid: server.pid }),
      });
      log(`${server.name}: calls sustained ${out.call.rate}/s (hold ${HOLD_MS} ms)`);
    } finally {
      await callees.stop();
    }
  }
  return out;
}

async function benchBox(tmp: string): Promise<Figures> {
  const port = await freeSipPort();
  const nodeArgs = (process.env.BENCH_BOX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const phones = benchPhones(USERS, PAIRS);
  const box = await startBenchBox({ sipPort: port, phones: phones.all, nodeArgs, log });
  log(`box: pid ${box.pid}, SIP ${IP}:${port}/udp`);
  try {
    return await measure({ name: 'box', pid: box.pid, port, stop: box.stop }, tmp);
  } finally {
    await box.stop();
  }
}

async function benchKamailio(tmp: string): Promise<Figures> {
  const port = await freeSipPort();
  const kam = await startKamailio({ ip: IP, port, phones: benchPhones(USERS, PAIRS).all, children: KAM_CHILDREN });
  log(`kamailio: pid ${kam.pid}, SIP ${IP}:${port}/udp, ${KAM_CHILDREN} UDP children`);
  try {
    return await measure({ name: 'kamailio', pid: kam.pid, port, stop: kam.stop }, tmp);
  } catch (err) {
    log(`kamailio output:\n${kam.output()}`);
    throw err;
  } finally {
    await kam.stop();
  }
}

const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b ? (a / b).toFixed(2) : 'n/a');
/** Per core second of the server's CPU at its best passing run: a figure less at the mercy of what else loads the machine. */
const perCore = (r: LoadRun | undefined): number | undefined => (r && r.serverCpu > 0 ? r.rate / r.serverCpu : undefined);
const describe = (r: LoadRun | undefined, died?: number): string => (died !== undefined ? `died at ${died}/s; ` : '') + (r
  ? `cpu ${(r.serverCpu * 100).toFixed(0)}% (${r.serverCpuBy}), ≈${perCore(r)?.toFixed(0) ?? '?'}/s per busy core, rtd ${r.rtdMs.toFixed(1)} ms, ${r.retransmissions} retrans`
  : 'no passing run');

async function inner(): Promise<void> {
  log(`${SECONDS} s per rate, 0 failures; targets ${TARGETS.join(', ')}; series ${SERIES.join(', ')}; ${os.availableParallelism()} cores; sipp ${spawnSync(SIPP, ['-v']).stdout.toString().match(/v[\d.]+/)?.[0] ?? '?'}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-sip-run-'));
  try {
    const box = TARGETS.includes('box') ? await benchBox(tmp) : {};
    const kam = TARGETS.includes('kamailio') ? await benchKamailio(tmp) : {};
    if (box.register) log(`box REGISTER ${box.register.rate}/s (${describe(box.register.best, box.register.diedAt)})`);
    if (kam.register) log(`kamailio REGISTER ${kam.register.rate}/s (${describe(kam.register.best, kam.register.diedAt)})`);
    if (box.call) log(`box calls ${box.call.rate}/s (${describe(box.call.best, box.call.diedAt)})`);
    if (kam.call) log(`kamailio calls ${kam.call.rate}/s (${describe(kam.call.best, kam.call.diedAt)})`);
    log(`per busy core: REGISTER ratio ${ratio(perCore(box.register?.best), perCore(kam.register?.best))}, call ratio ${ratio(perCore(box.call?.best), perCore(kam.call?.best))} (box vs Kamailio)`);
    console.log(`RESULT sip register_per_s=${box.register?.rate ?? 'n/a'} register_ratio_vs_kamailio=${ratio(box.register?.rate, kam.register?.rate)} `
      + `call_cps=${box.call?.rate ?? 'n/a'} call_ratio_vs_kamailio=${ratio(box.call?.rate, kam.call?.rate)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.CCBOX_BENCH_IN_NETNS === '1') return inner();
  const canNetns = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  if (!canNetns) {
    log('not root or no ip netns: running on the host loopback instead of a namespace');
    return inner();
  }
  const ns = `ccbox-bench-sip-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, CCBOX_BENCH_IN_NETNS: '1' },
    });
    const stop = (): void => void child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) process.exitCode = code ?? 1;
  } finally {
    if (existsSync(`/run/netns/${ns}`)) execFileSync('ip', ['netns', 'del', ns]);
  }
}

await main();
