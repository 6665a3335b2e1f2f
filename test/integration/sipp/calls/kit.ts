// Test kit for calls through the box with sipp as the desk phones, the carrier and the gateway: free
// ports, registering a phone from the port its answering sipp will listen on, running sipp in the
// background, waiting for a listener to bind, and reading the media core's edge counters of a leg.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Box } from '../../../../src/box.ts';
import type { SipLeg } from '../../../../src/media/core/index.ts';
import type { LegStats } from '../../../../src/media/edge/index.ts';
import { ROOT } from '../../../helpers/process.ts';

export const SIPP = '/usr/bin/sipp';
export const callScenario = (name: string): string => path.join(ROOT, 'test', 'integration', 'sipp', 'calls', name);
export const sharedScenario = (name: string): string => path.join(ROOT, 'test', 'integration', 'sipp', name);

/** Box overrides for call tests: one media worker and edge thread on loopback, SDP with 127.0.0.1. */
export const CALL_BOX = {
  mediaWorkers: 1, mediaEdgeWorkers: 1, mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1',
  mediaEdgePortMin: 44000, mediaEdgePortMax: 44999, mediaRtcPortMin: 49000, mediaRtcPortMax: 49999, sipRateMax: 10_000,
};

async function udpFree(port: number, ip: string): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.bind({ port, address: ip, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function tcpFree(port: number, ip: string): Promise<boolean> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, ip, () => s.close(() => resolve(true)));
  });
}

/** A port free on UDP and TCP (a sipp phone's SIP port). */
export async function freeSipPort(ip = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 9000);
    if ((await udpFree(port, ip)) && (await tcpFree(port, ip))) return port;
  }
  throw new Error('no free SIP port');
}

/** An even port with the next three free (sipp binds media_port … +3). */
export async function freeMediaPort(ip = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const base = 30000 + 2 * Math.floor(Math.random() * 4500);
    let ok = true;
    for (let p = base; p < base + 4 && ok; p++) ok = await udpFree(p, ip);
    if (ok) return base;
  }
  throw new Error('no free media port');
}

export interface SippOpts {
  scenario: string;
  target: string;
  transport?: 'udp' | 'tcp';
  localIp?: string;
  port?: number;
  mediaPort?: number;
  service?: string;
  user?: string;
  password?: string;
  keys?: Record<string, string>;
  rtpEcho?: boolean;
  calls?: number;
  rate?: number;
  /** -d: the length of a bare <pause/> (how long a phone talks). */
  durationMs?: number;
  /** -lost: percentage of SIP messages sipp drops (sent and received). */
  lost?: number;
  timeoutS?: number;
}

export interface SippProc {
  child: ChildProcess;
  done: Promise<{ code: number | null; output: string; errors: string; messages: string }>;
  kill(): void;
}

/** Runs sipp in the background; `done` resolves with its exit code (0: every call passed). */
export function sipp(o: SippOpts): SippProc {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-sipp-call-'));
  const file = (n: string) => path.join(dir, n);
  const ip = o.localIp ?? '127.0.0.1';
  const args = [
    o.target, '-sf', o.scenario, '-m', String(o.calls ?? 1), '-r', String(o.rate ?? 10), '-t', o.transport === 'tcp' ? 't1' : 'u1',
    '-i', ip, '-mi', ip, '-nostdin', '-timeout', `${o.timeoutS ?? 30}s`, '-timeout_error',
    '-trace_err', '-error_file', file('err.log'), '-trace_msg', '-message_file', file('msg.log'),
  ];
  if (o.port !== undefined) args.push('-p', String(o.port));
  if (o.mediaPort !== undefined) args.push('-mp', String(o.mediaPort));
  if (o.service) args.push('-s', o.service);
  if (o.user) args.push('-au', o.user);
  if (o.password !== undefined) args.push('-ap', o.password);
  if (o.rtpEcho) args.push('-rtp_echo');
  if (o.lost) args.push('-lost', String(o.lost));
  if (o.durationMs !== undefined) args.push('-d', String(o.durationMs));
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string; errors: string; messages: string }>((resolve) => child.on('exit', (code) => {
    const read = (n: string) => (existsSync(file(n)) ? readFileSync(file(n), 'utf8') : '');
    const r = { code, output: output.slice(-4000), errors: read('err.log').slice(-4000), messages: read('msg.log') };
    rmSync(dir, { recursive: true, force: true });
    resolve(r);
  }));
  return { child, done, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

const PROC_ROWS = { udp: '/proc/net/udp', tcp: '/proc/net/tcp' } as const;

/** Whether something is bound to ip:port (UDP) or listening there (TCP), from the kernel's tables. */
function bound(port: number, proto: 'udp' | 'tcp', ip: string): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const hexIp = ip.split('.').reverse().map((o) => Number(o).toString(16).toUpperCase().padStart(2, '0')).join('');
  const rows = readFileSync(PROC_ROWS[proto], 'utf8').split('\n').slice(1);
  return rows.some((row) => {
    const f = row.trim().split(/\s+/);
    if (f.length < 4) return false;
    const [addr, p] = f[1]!.split(':');
    const listening = proto === 'udp' || f[3] === '0A';
    return p === hexPort && (addr === hexIp || addr === '00000000') && listening;
  });
}

/** Resolves once sipp (or anything) listens on the port; sipp binds before it can receive anything. */
export async function waitBound(port: number, proto: 'udp' | 'tcp' = 'udp', ip = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!bound(port, proto, ip)) {
    if (Date.now() > deadline) throw new Error(`nothing bound to ${ip}:${port}/${proto}`);
    await new Promise((r) => setTimeout(r, 20)); // polling the kernel table: there is no event for another process's bind
  }
}

/** Registers `ext` from `port` (the port its answering sipp will listen on) with the demo password. */
export async function registerPhone(box: Box, ext: string, port: number, transport: 'udp' | 'tcp' = 'udp', localIp = '127.0.0.1', password = `Ext${ext}-demo`): Promise<void> {
  const target = `127.0.0.1:${box.sip.transport.portOf(transport)}`;
  const r = await sipp({ scenario: sharedScenario('register.xml'), target, transport, port, localIp, service: ext, user: ext, password, keys: { expires: '300', ua: `sipp-${ext}` } }).done;
  if (r.code !== 0) throw new Error(`registering ${ext} failed (${r.code}): ${r.errors}\n${r.output}`);
}

/** The edge counters of a call's leg (packets from and to the phone), polled until `ok` or the deadline. */
export async function legStatsWhen(box: Box, callId: string, legId: string, ok: (s: LegStats) => boolean, limitMs = 15_000): Promise<LegStats> {
  const deadline = Date.now() + limitMs;
  let last: LegStats | null = null;
  for (;;) {
    const leg = box.media.call(callId)?.leg(legId) as SipLeg | undefined;
    if (leg) {
      last = await leg.edgeLeg.getStats();
      if (ok(last)) return last;
    }
    if (Date.now() > deadline) throw new Error(`stats of ${legId} never matched: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50)); // each poll is a round trip to the edge thread
  }
}

/** Received SIP messages of a -trace_msg file, first lines only (`SIP/2.0 200 OK`, `BYE sip:…`). */
export function receivedStartLines(trace: string): string[] {
  return trace
    .split(/^-{20,} .*\n/m)
    .filter((b) => /message received/.test(b))
    .map((b) => b.replace(/^[\s\S]*?message received \[\d+\] bytes :\s*\n+/m, '').split('\n')[0]!.trim());
}

/** The received messages of a trace, whole. */
export function receivedMessages(trace: string): string[] {
  return trace
    .split(/^-{20,} .*\n/m)
    .filter((b) => /message received/.test(b))
    .map((b) => b.replace(/^[\s\S]*?message received \[\d+\] bytes :\s*\n+/m, '').trim());
}
