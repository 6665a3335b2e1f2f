// npm run bench:ivr — IVR key → prompt latency under load. A real box (src/main.ts, demo profile, its own process)
// answers BENCH_CALLS (100) concurrent calls from demo-trunk's address (127.0.0.2) on a flow that loops
// menu → key → prompt → menu; each caller (test/bench/ivr-ua.ts, all in this process) waits for the menu prompt
// to end, presses a key as RFC 4733 telephone-events and measures from the first END packet it sent (the E bit:
// the box reports a key when its end arrives, RFC 4733 2.5.1.4) to the first RTP packet of the next prompt it
// receives — the box sends no RTP between prompts, so that packet is the prompt's first (matched by its tone). Keys
// go as a burst (start + end packets) unless BENCH_KEY_PACED=1. BENCH_ROUNDS (5) keys per
// call. Prompts are uploaded tone files (converted once, as site IT's prompts are). Runs inside a loopback-only
// network namespace it creates when root (else on the host loopback). Prints
// RESULT ivr dtmf_to_prompt_ms_p50=<x> dtmf_to_prompt_ms_p99=<x> (plus the same from the key's first packet).
// Env: BENCH_CALLS, BENCH_ROUNDS, BENCH_SEND_AUDIO (1: callers send 20 ms frames like phones), BENCH_KEY_PACED,
// BENCH_BOX_LOG_LEVEL. Run it under `nice -n -5` on a shared machine (children inherit it).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeNodeId } from '../../src/ivr/index.ts';
import { ApiClient } from '../helpers/box.ts';
import { hrNow, IvrCaller, type RxPacket } from './ivr-ua.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (s: string): void => console.log(`[bench:ivr] ${s}`);
const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);
const CALLS = num('BENCH_CALLS', 100);
const ROUNDS = num('BENCH_ROUNDS', 5);
const SEND_AUDIO = process.env.BENCH_SEND_AUDIO !== '0';
/**
 * Keys as one burst (start packet, then the end packet ×3 carrying the 60 ms duration) unless BENCH_KEY_PACED=1 (a
 * packet every 20 ms, as a phone sends). Paced keys depend on this process's timers: a stalled generator can let the
 * box's 400 ms end timeout report the key before its end packet is even sent.
 */
const BURST = process.env.BENCH_KEY_PACED !== '1';
const ADMIN_PW = 'Admin-bench-1';
const NUMBER = '02088880000';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startBox(dataDir: string): Promise<{ child: ChildProcess; http: number; sip: number; stop: () => Promise<void> }> {
  const http = await freePort();
  const sip = await freePort();
  const env = {
    ...process.env,
    CCBOX_DATA_DIR: dataDir, CCBOX_PROFILE: 'demo', CCBOX_ADMIN_PASSWORD: ADMIN_PW, CCBOX_LOG_LEVEL: process.env.BENCH_BOX_LOG_LEVEL ?? 'warn',
    CCBOX_BIND_HOST: '127.0.0.1', CCBOX_HTTP_PORT: String(http), CCBOX_HTTPS_PORT: '0', CCBOX_SIP_PORT: String(sip), CCBOX_SIP_TLS_PORT: '0', CCBOX_WEBRTC_PORT: '0',
    // Every caller comes from 127.0.0.2: the per-IP request limit would ban the carrier.
    CCBOX_SIP_RATE_MAX: '1000000000',
    CCBOX_MEDIA_BIND_ADDRESS: '127.0.0.1', CCBOX_MEDIA_ANNOUNCED_ADDRESS: '127.0.0.1',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const onData = (d: Buffer): void => void (tail = (tail + d.toString()).slice(-20_000));
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the box exited:\n${tail}`);
    if (await fetch(`http://127.0.0.1:${http}/healthz`).then(() => true, () => false)) break;
    await sleep(200);
  }
  return {
    child, http, sip,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

const TONES = { menu: 700, p1: 1100, p2: 1500, p3: 1900 } as const;

/** Tone prompts uploaded and the looping flow (menu → key n → prompt n → menu) bound to 02088880000. */
async function provision(api: ApiClient): Promise<void> {
  const must = (r: { status: number; body: unknown }, what: string): void => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const channel = (await api.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
  must(await api.patch(`/channels/${channel.id}`, { capacity: 10_000 }), 'trunk capacity');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-ivr-'));
  const ids: Record<string, string> = {};
  try {
    for (const [name, hz] of Object.entries(TONES)) {
      const f = path.join(dir, `${name}.wav`);
      execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', f, 'synth', name === 'menu' ? '0.6' : '0.4', 'sine', String(hz), 'vol', '0.5']);
      const r = await api.post(`/ivr/prompts?name=bench-${name}&fileName=${name}.wav`, readFileSync(f), { 'content-type': 'audio/wav' });
      must(r, `prompt ${name}`);
      ids[name] = r.body.id;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let n = 0;
  const id = (): string => makeNodeId(Date.UTC(2026, 0, 1), new Uint8Array(10).fill(++n));
  const start = id(), menu = id(), p1 = id(), p2 = id(), p3 = id(), end = id();
  const file = (k: string) => ({ kind: 'file', promptId: ids[k] });
  const definition = {
    variables: [],
    nodes: [
      { id: start, type: 'start', label: '开始', params: {}, outlets: { next: menu } },
      {
        id: menu, type: 'menu', label: '菜单', outlets: { 'key:1': p1, 'key:2': p2, 'key:3': p3, 'key:9': end },
        params: { prompt: file('menu'), timeoutSec: 30, maxErrors: 3, keys: [{ key: '1' }, { key: '2' }, { key: '3' }, { key: '9' }] },
      },
      { id: p1, type: 'play', label: '1', params: { prompt: file('p1') }, outlets: { next: menu } },
      { id: p2, type: 'play', label: '2', params: { prompt: file('p2') }, outlets: { next: menu } },
      { id: p3, type: 'play', label: '3', params: { prompt: file('p3') }, outlets: { next: menu } },
      { id: end, type: 'end', label: '结束', params: {}, outlets: {} },
    ],
  };
  const flow = await api.post('/ivr/flows', { name: 'bench-ivr', kind: 'inbound', definition });
  must(flow, 'flow');
  must(await api.post(`/ivr/flows/${flow.body.id}/versions/MAIN/publish`), 'publish');
  must(await api.put(`/ivr/bindings/${NUMBER}`, { flowId: flow.body.id, version: 'MAIN' }), 'bind');
}

interface Sample {
  fromEnd: number;
  fromStart: number;
  /** Another packet (a late menu frame) came before the prompt's first. */
  strays: number;
}

/** The tones heard, as name×packets runs (diagnostics). */
function tonesOf(caller: IvrCaller): string {
  const names = Object.entries(TONES);
  const runs: [string, number][] = [];
  for (const p of caller.rx) {
    const name = names.find(([, hz]) => isTone(p, hz))?.[0] ?? (p.rms >= 300 ? `${Math.round(p.hz)}Hz` : null);
    if (!name) continue;
    const last = runs.at(-1);
    if (last && last[0] === name) last[1]++;
    else runs.push([name, 1]);
  }
  return runs.map(([n, c]) => `${n}×${c}`).join(' ');
}

const isTone = (p: RxPacket, hz: number): boolean => p.rms >= 300 && Math.abs(p.hz - hz) <= 60;

/** Arrival of the `n`-th packet of tone `hz` after `from`. */
function tonePackets(caller: IvrCaller, hz: number, from: number, n: number, timeoutMs: number): Promise<number> {
  let c = 0;
  return caller.packetAfter(from, (p) => isTone(p, hz) && ++c >= n, timeoutMs).then((p) => p.at);
}

/**
 * One caller: answered, then ROUNDS times: the whole menu prompt heard (its tone, 30 frames) → a key → the first
 * packet of that key's prompt (its own tone) → that prompt heard whole. Tones, not silence gaps, mark the prompts:
 * a box stalled mid-prompt must not look like a prompt that ended.
 */
async function oneCall(sipPort: number, i: number, rounds: number, samples: Sample[], errors: string[]): Promise<void> {
  const caller = await IvrCaller.open({ box: { host: '127.0.0.1', port: sipPort }, caller: `138${String(10_000_000 + i).slice(-8)}`, callee: NUMBER, sendAudio: SEND_AUDIO });
  let stage = 'INVITE';
  try {
    await caller.call(30_000);
    let from = hrNow() - 1000;
    for (let r = 0; r < rounds; r++) {
      stage = `round ${r + 1}: menu prompt`;
      await tonePackets(caller, TONES.menu, from, 28, 30_000);
      // The menu's last frames pass; the box is then waiting for the key and sends nothing.
      await sleep(60);
      const key = String(1 + ((i + r) % 3)) as '1' | '2' | '3';
      const hz = TONES[`p${key}`];
      const k = await caller.pressKey(key, 60, BURST);
      stage = `round ${r + 1}: prompt after key ${key}`;
      const first = await caller.packetAfter(k.endAt, (p) => isTone(p, hz), 10_000);
      const anyFirst = await caller.packetAfter(k.endAt, () => true, 10_000);
      samples.push({ fromEnd: first.at - k.endAt, fromStart: first.at - k.startAt, strays: anyFirst.at < first.at ? 1 : 0 });
      await tonePackets(caller, hz, first.at - 0.001, 18, 10_000);
      from = hrNow();
    }
    stage = 'BYE';
    await caller.hangup();
  } catch (err) {
    errors.push(`call ${i} at ${stage}: ${(err as Error).message}; heard ${tonesOf(caller)}`);
    await caller.hangup().catch(() => undefined);
  } finally {
    caller.close();
  }
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function inner(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-ivr-box-'));
  const box = await startBox(dataDir);
  log(`box up (pid ${box.child.pid}, sip ${box.sip}); ${CALLS} concurrent calls × ${ROUNDS} keys, callers ${SEND_AUDIO ? 'send' : 'do not send'} audio`);
  try {
    const api = new ApiClient(`http://127.0.0.1:${box.http}`);
    const login = await api.login('admin', ADMIN_PW);
    if (login.status !== 200) throw new Error(`login ${login.status}`);
    await provision(api);
    // Warm-up: one call through the flow (prompt files read, code paths hot).
    await oneCall(box.sip, 0, 2, [], []);
    const samples: Sample[] = [];
    const errors: string[] = [];
    const runs: Promise<void>[] = [];
    const t0 = Date.now();
    for (let i = 1; i <= CALLS; i++) {
      runs.push(oneCall(box.sip, i, ROUNDS, samples, errors));
      // Calls arrive 20 per second, then all of them press keys concurrently.
      await sleep(50);
    }
    await Promise.all(runs);
    log(`${samples.length} keys measured in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${errors.length} calls failed${errors.length ? `: ${errors.slice(0, 3).join('; ')}` : ''}`);
    const end = samples.map((s) => s.fromEnd);
    const start = samples.map((s) => s.fromStart);
    log(`from the END packet: p50 ${pct(end, 50).toFixed(1)} ms, p90 ${pct(end, 90).toFixed(1)}, p99 ${pct(end, 99).toFixed(1)}, max ${pct(end, 100).toFixed(1)}`);
    log(`from the first packet of the key (60 ms key, ${BURST ? 'burst' : 'paced'}): p50 ${pct(start, 50).toFixed(1)} ms, p99 ${pct(start, 99).toFixed(1)}`);
    log(`late menu frames before the prompt: ${samples.filter((x) => x.strays).length} keys`);
    console.log(`RESULT ivr dtmf_to_prompt_ms_p50=${pct(end, 50).toFixed(1)} dtmf_to_prompt_ms_p99=${pct(end, 99).toFixed(1)} from_key_start_ms_p99=${pct(start, 99).toFixed(1)} calls=${CALLS} keys=${samples.length} failed_calls=${errors.length}`);
    if (errors.length) {
      process.exitCode = 1;
      // What the box saw on the failed calls (their records: keys and path).
      await sleep(1500);
      for (const e of errors.slice(0, 3)) {
        const n = Number(/call (\d+)/.exec(e)?.[1]);
        const list = await api.get(`/records?caller=138${String(10_000_000 + n).slice(-8)}`);
        for (const r of list.body.items ?? []) {
          const d = (await api.get(`/records/${r.id}`)).body;
          log(`call ${n} as the box recorded it: keys ${JSON.stringify(d.detail?.ivr?.keys?.map((k: any) => k.digits))}, path ${d.detail?.ivr?.path?.map((x: any) => x.label).join(' → ')}, end ${JSON.stringify(d.detail?.ivr?.end)}`);
        }
      }
    }
  } finally {
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.CCBOX_BENCH_IN_NETNS === '1') return inner();
  const canNetns = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  if (!canNetns) {
    log('not root or no ip netns: running on the host loopback instead of a namespace');
    return inner();
  }
  const ns = `ccbox-bench-ivr-${process.pid}`;
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
