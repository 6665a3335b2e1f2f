// npm run bench:media — N concurrent two-leg G.711 calls on loopback, each recorded, relayed first
// by ccbox's media (RTP edge + a mediasoup router per call, in its own process) and then by
// rtpengine (user-space forwarding, pcap recording, driven over its ng protocol) as the reference.
// Measures loss, the jitter the relay adds (p99) and CPU per call from /proc (the process and its
// children). Runs inside a loopback-only network namespace it creates (root), installing Debian's
// rtpengine-daemon first when missing. Env: BENCH_CALLS (200), BENCH_SECONDS (60), BENCH_WARMUP_S (3),
// BENCH_SKIP_RTPENGINE=1, BENCH_RECORD=0, BENCH_NICE (e.g. -10: the bench above background load),
// BENCH_RELAY_NICE_OFFSET (relays that much below the generator),
// BENCH_BOX_NODE_ARGS, CCBOX_MEDIA_* (the box's media settings, e.g. CCBOX_MEDIA_EDGE_WORKERS).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NgClient } from './rtpengine-ng.ts';
import { RtpLoad, type Endpoint, type LoadResult } from './rtp-load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
/** Measured slices per relay (the relays alternate, slice by slice). */
const SLICES = Math.max(1, Number(process.env.BENCH_SLICES ?? 6));
const CLK_TCK = 100;
/**
 * Both relays may run this much below the generator's priority (BENCH_RELAY_NICE_OFFSET, default
 * 0), so that on a shared machine the generator is not what falls behind.
 */
const RELAY_NICE_OFFSET = Number(process.env.BENCH_RELAY_NICE_OFFSET ?? 0);
const PT_PCMA = 8;
const log = (s: string): void => console.log(`[bench:media] ${s}`);

function offerSdp(port: number): string {
  return ['v=0', `o=- ${port} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8 101`,
    'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'a=sendrecv', ''].join('\r\n');
}

function remoteOf(sdp: string): { address: string; port: number } {
  const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1]);
  const address = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  if (!port || !address) throw new Error(`no audio address in:\n${sdp}`);
  return { address, port };
}

// ---- CPU from /proc ----

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
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
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const k of kids.get(p) ?? []) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** The process and its media children (mediasoup workers); tsx's esbuild helper is not the box's. */
const mediaTree = (pid: number): number[] => [pid, ...descendants(pid).filter((p) => commOf(p) !== 'esbuild')];
const treeTicks = (pid: number): number => mediaTree(pid).reduce((n, p) => n + ticksOf(p), 0);

/**
 * CPU ticks per thread (keyed `name#tid`; the process's main thread is `main`), then each child's
 * threads under its name. Node names every JavaScript thread "node", so the edge threads show as
 * `node#<tid>`; libuv's pool as `libuv-worker#…`.
 */
function breakdown(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of mediaTree(pid)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${p}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = p === pid ? (tid === String(pid) ? 'main' : `${name}#${tid}`) : `${commOf(p)}[${p}]:${name}#${tid}`;
        out.set(key, Number(f[11]) + Number(f[12]));
      } catch {
        // thread ended
      }
    }
  }
  return out;
}

function diffBreakdown(a: Map<string, number>, b: Map<string, number>, wall: number): string {
  return [...b.entries()].map(([k, v]) => [k, (v - (a.get(k) ?? 0)) / CLK_TCK / wall] as const).filter(([, c]) => c >= 0.01)
    .sort((x, y) => y[1] - x[1]).map(([k, c]) => `${k} ${(c * 100).toFixed(1)}%`).join(', ');
}

// ---- one measured run ----

interface RunResult extends LoadResult {
  name: string;
  cpuCores: number;
  /** CPU (in cores) per call at the nominal rate: two 50 packet/s streams per call. */
  cpuPerCall: number;
}

/**
 * CPU per call normalized to the packets the generator really sent in the window: on a busy
 * machine the generator itself may fall behind (it skips late packets rather than bursting),
 * and a relay that got fewer packets must not look cheaper for it.
 */
function cpuPerNominalCall(cpuCores: number, sent: number): number {
  const nominal = CALLS * 2 * 50 * SECONDS;
  return sent > 0 ? (cpuCores / CALLS) * (nominal / sent) : NaN;
}

/** A relay under test with its calls set up and its own endpoints. */
interface Relay {
  name: string;
  pid: number;
  load: RtpLoad;
  /** Accumulated over its slices. */
  ticks: number;
  wall: number;
  genMicros: number;
  threads: Map<string, number>;
  /** Tears the calls down (after the last slice) and stops the relay. */
  close: () => Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One slice of a relay's measurement: its endpoints send, the first `warmMs` are not counted,
 * then `SECONDS / SLICES` are (packets sent in the window; CPU of the relay's process tree).
 */
async function slice(relay: Relay, warmMs: number, sliceMs: number): Promise<void> {
  relay.load.start();
  relay.load.measure(warmMs, sliceMs);
  await sleep(warmMs);
  const t0 = treeTicks(relay.pid);
  const g0 = process.cpuUsage();
  const b0 = breakdown(relay.pid);
  const w0 = Date.now();
  await sleep(sliceMs);
  const t1 = treeTicks(relay.pid);
  const b1 = breakdown(relay.pid);
  const g = process.cpuUsage(g0);
  relay.load.stop();
  relay.wall += (Date.now() - w0) / 1000;
  relay.ticks += t1 - t0;
  relay.genMicros += g.user + g.system;
  for (const [k, v] of b1) relay.threads.set(k, (relay.threads.get(k) ?? 0) + v - (b0.get(k) ?? 0));
}

function report(relay: Relay): RunResult {
  const cpuCores = relay.ticks / CLK_TCK / relay.wall;
  const res = relay.load.result();
  const r = { name: relay.name, ...res, cpuCores, cpuPerCall: cpuPerNominalCall(cpuCores, res.sent) };
  const nominal = CALLS * 2 * 50 * SECONDS;
  log(`${r.name}: generator clock stalls > 50 ms: ${relay.load.stalls}, ${(relay.load.stalledMs / 1000).toFixed(1)} s in all`);
  log(`${r.name}: CPU by thread: ${diffBreakdown(new Map(), relay.threads, relay.wall)}; load generator ${(relay.genMicros / 1e4 / relay.wall).toFixed(1)}%`);
  log(`${r.name}: sent=${r.sent} (${((100 * r.sent) / nominal).toFixed(1)}% of nominal) received=${r.received} loss=${r.lossPct.toFixed(4)}% `
    + `jitter_p99=${r.jitterP99Ms.toFixed(3)} ms delay_p50=${r.delayP50Ms.toFixed(3)} ms cpu=${(cpuCores * 100).toFixed(1)}% of a core `
    + `(${((cpuCores / CALLS) * 100).toFixed(3)}% per call; ${(r.cpuPerCall * 100).toFixed(3)}% per call at the nominal packet rate)`);
  return r;
}

/** A child driven by JSON lines ("@@" prefix), as the test fixtures are. */
function driver(child: ChildProcess): { ready: Promise<any>; call: (cmd: string, args?: object, timeoutMs?: number) => Promise<any> } {
  let n = 1;
  const pending = new Map<number, (m: any) => void>();
  let onReady!: (v: any) => void;
  const ready = new Promise((r) => (onReady = r));
  let out = '';
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    if (!l.startsWith('@@')) return void (out += l + '\n');
    const m = JSON.parse(l.slice(2));
    if (m.ready) return onReady(m);
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  child.stderr!.on('data', (d) => (out += String(d)));
  return {
    ready,
    call: (cmd, args = {}, timeoutMs = 120_000) => new Promise((resolve, reject) => {
      const id = n++;
      const t = setTimeout(() => reject(new Error(`${cmd} timed out\n${out}`)), timeoutMs);
      pending.set(id, (m) => (clearTimeout(t), m.ok ? resolve(m.data) : reject(new Error(m.error))));
      child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    }),
  };
}

async function openCcbox(): Promise<Relay> {
  // BENCH_BOX_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the box's threads go.
  const extra = (process.env.BENCH_BOX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('nice', ['-n', String(RELAY_NICE_OFFSET), process.execPath, ...extra, '--import', 'tsx', path.join(ROOT, 'test/bench/media-box.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const box = driver(child);
  const { pid } = await box.ready;
  const load = new RtpLoad((SECONDS + 5) * 50);
  const stop = async (): Promise<void> => {
    load.close();
    await box.call('stop', {}, 30_000).catch(() => child.kill('SIGKILL'));
  };
  try {
    const eps = await load.open(CALLS * 2, PT_PCMA);
    const pairs = Array.from({ length: CALLS }, (_, i) => [offerSdp(eps[2 * i]!.port), offerSdp(eps[2 * i + 1]!.port)]);
    const t = Date.now();
    const { answers } = await box.call('setup', { pairs }, 300_000);
    const { edgeWorkers, mediasoupWorkers } = await box.call('info');
    log(`ccbox: ${CALLS} calls set up in ${Date.now() - t} ms (pid ${pid}, ${edgeWorkers} edge threads, ${mediasoupWorkers} mediasoup workers: ${mediaTree(pid).slice(1).map(commOf).join(', ')})`);
    answers.forEach(([a, b]: [string, string], i: number) => {
      eps[2 * i]!.remote = remoteOf(a);
      eps[2 * i + 1]!.remote = remoteOf(b);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: 'ccbox', pid, load, ticks: 0, wall: 0, genMicros: 0, threads: new Map(),
    close: async () => {
      try {
        const rec = await box.call('teardown');
        log(`ccbox: ${rec.recordings} recordings, ${(rec.bytes / 1e6).toFixed(1)} MB`);
      } finally {
        await stop();
      }
    },
  };
}

async function openRtpengine(): Promise<Relay> {
  const recDir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-rtpengine-'));
  const ngPort = 22222;
  const child = spawn('nice', ['-n', String(RELAY_NICE_OFFSET), 'rtpengine',
    '--foreground', '--log-stderr', '--log-level=3', '--table=-1', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${ngPort}`,
    '--port-min=30000', '--port-max=39999', `--recording-dir=${recDir}`, '--recording-method=pcap', `--num-threads=${os.availableParallelism()}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errOut = '';
  child.stderr!.on('data', (d) => (errOut += String(d)));
  const ng = new NgClient('127.0.0.1', ngPort);
  const load = new RtpLoad((SECONDS + 5) * 50);
  const stop = (): void => {
    load.close();
    ng.close();
    child.kill('SIGTERM');
    rmSync(recDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await ng.request({ command: 'ping' }, 500);
        break;
      } catch (err) {
        if (i > 20 || child.exitCode !== null) throw new Error(`rtpengine did not start: ${String(err)}\n${errOut}`);
      }
    }
    const eps = await load.open(CALLS * 2, PT_PCMA);
    const t = Date.now();
    for (let i = 0; i < CALLS; i++) await setupRtpengineCall(ng, i, eps[2 * i]!, eps[2 * i + 1]!);
    log(`rtpengine: ${CALLS} calls set up in ${Date.now() - t} ms (pid ${child.pid})`);
  } catch (err) {
    stop();
    throw err;
  }
  return {
    name: 'rtpengine', pid: child.pid!, load, ticks: 0, wall: 0, genMicros: 0, threads: new Map(),
    close: async () => {
      try {
        for (let i = 0; i < CALLS; i++) await ng.request({ command: 'delete', 'call-id': `bench-${i}` }).catch(() => undefined);
        await sleep(500);
        // The reference must have recorded too (pcap files of every call), or the comparison is unfair.
        const pcaps = filesUnder(recDir).filter((f) => f.endsWith('.pcap'));
        const bytes = pcaps.reduce((n, f) => n + statSync(f).size, 0);
        log(`rtpengine: ${pcaps.length} pcap recordings, ${(bytes / 1e6).toFixed(1)} MB`);
        if (pcaps.length < CALLS || bytes === 0) log('rtpengine: WARNING — it did not record every call; its CPU is understated');
      } finally {
        stop();
      }
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function setupRtpengineCall(ng: NgClient, i: number, a: Endpoint, b: Endpoint): Promise<void> {
  const common = { 'call-id': `bench-${i}`, 'from-tag': `a${i}`, replace: ['origin', 'session-connection'], ICE: 'remove' };
  const offer = await ng.request({ command: 'offer', ...common, sdp: offerSdp(a.port), 'record call': 'yes' });
  b.remote = remoteOf(String(offer.sdp));
  const answer = await ng.request({ command: 'answer', ...common, 'to-tag': `b${i}`, sdp: offerSdp(b.port) });
  a.remote = remoteOf(String(answer.sdp));
}

// ---- entry: enter a loopback-only namespace, then run both ----

function ensureRtpengine(): boolean {
  if (spawnSync('which', ['rtpengine']).status === 0) return true;
  if (process.getuid?.() !== 0) return false;
  log('installing rtpengine-daemon (Debian) …');
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'rtpengine-daemon'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return spawnSync('which', ['rtpengine']).status === 0;
}

async function inner(): Promise<void> {
  const withRef = process.env.BENCH_SKIP_RTPENGINE !== '1' && spawnSync('which', ['rtpengine']).status === 0;
  log(`${CALLS} calls × 2 legs, PCMA 20 ms, ${SECONDS} s measured per relay in ${SLICES} slices${withRef ? ' alternating ccbox / rtpengine' : ''}, ${os.availableParallelism()} cores`);
  const relays: Relay[] = [await openCcbox()];
  try {
    if (withRef) relays.push(await openRtpengine());
    // Both relays have their calls up; they take turns, so that load from outside the bench
    // (a shared machine) falls on both alike instead of on whichever ran first.
    for (let i = 0; i < SLICES; i++) {
      for (const relay of relays) await slice(relay, i === 0 ? WARMUP_S * 1000 : 1000, (SECONDS * 1000) / SLICES);
    }
    await sleep(500); // in-flight packets of the last window arrive
  } finally {
    for (const relay of relays) await relay.close().catch((err) => log(`${relay.name}: close failed: ${String(err)}`));
  }
  const [ccbox, ref] = relays.map(report);
  const ratio = ref ? ccbox.cpuPerCall / ref.cpuPerCall : NaN;
  for (const r of [ccbox, ref]) {
    if (r && r.sent < CALLS * 2 * 50 * SECONDS * 0.9) log(`WARNING: the generator sent only ${((100 * r.sent) / (CALLS * 2 * 50 * SECONDS)).toFixed(0)}% of the packets in the ${r.name} run (machine too busy): its figures are unreliable`);
  }
  if (ref) log(`CPU per call ratio: ${ratio.toFixed(2)} at the nominal packet rate (raw, per configured call: ${(ccbox.cpuCores / ref.cpuCores).toFixed(2)})`);
  if (ref) log(`rtpengine reference: loss=${ref.lossPct.toFixed(4)}% jitter_p99=${ref.jitterP99Ms.toFixed(3)} ms`);
  console.log(`RESULT media calls=${CALLS} loss_pct=${ccbox.lossPct.toFixed(4)} jitter_ms_p99=${ccbox.jitterP99Ms.toFixed(3)} cpu_per_call_ratio_vs_rtpengine=${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}`);
}

async function main(): Promise<void> {
  // BENCH_NICE (e.g. -5, root only): the whole bench — generator, ccbox and rtpengine alike — runs
  // at that priority, so background load on a shared machine disturbs both relays less.
  // With autogroup scheduling (Linux desktops and shared build hosts), a thread's nice only counts
  // inside its session's group; the group's own nice is what weighs against other sessions.
  const nice = Number(process.env.BENCH_NICE ?? 0);
  if (nice !== 0 && process.env.CCBOX_BENCH_IN_NETNS !== '1') {
    os.setPriority(nice);
    try {
      writeFileSync('/proc/self/autogroup', String(nice));
    } catch {
      // no autogroup scheduling here: the process nice is what counts
    }
    log(`running at nice ${os.getPriority()} (autogroup: ${existsSync('/proc/self/autogroup') ? readFileSync('/proc/self/autogroup', 'utf8').trim() : 'none'})`);
  }
  if (process.env.CCBOX_BENCH_IN_NETNS === '1') return inner();
  if (process.env.BENCH_SKIP_RTPENGINE !== '1' && !ensureRtpengine()) log('rtpengine is not available: the reference run is skipped');
  const canNetns = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  if (!canNetns) {
    log('not root or no ip netns: running on the host loopback instead of a namespace');
    return inner();
  }
  const ns = `ccbox-bench-${process.pid}`;
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
