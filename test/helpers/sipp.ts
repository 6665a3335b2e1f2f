// Runs sipp (Debian sip-tester) against a box on loopback, asynchronously so the in-process box keeps
// answering; returns its exit code (0: every call passed) and the messages it exchanged.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './process.ts';

export const SIPP = '/usr/bin/sipp';
export const scenario = (name: string): string => path.join(ROOT, 'test', 'integration', 'sipp', name);

export interface SippOptions {
  /** File under test/integration/sipp/. */
  scenario: string;
  /** Box address, e.g. 127.0.0.1:5060. */
  target: string;
  transport?: 'udp' | 'tcp';
  /** Local address to send from (any 127.x address on loopback, to act as another source). */
  localIp?: string;
  /** [service] (the extension in the Request-URI/To). */
  service?: string;
  user?: string;
  password?: string;
  /** -key name value pairs, used as [name] in the scenario. */
  keys?: Record<string, string>;
  calls?: number;
  /** Calls per second. */
  rate?: number;
  /** Hard limit for the whole run. */
  timeoutMs?: number;
}

export interface SippResult {
  code: number | null;
  /** Every message sent and received (-trace_msg). */
  messages: string;
  /** Lines written by <log> actions. */
  logs: string;
  errors: string;
  output: string;
}

export async function runSipp(o: SippOptions): Promise<SippResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-sipp-'));
  const file = (n: string) => path.join(dir, n);
  const args = [
    o.target, '-sf', scenario(o.scenario), '-m', String(o.calls ?? 1), '-r', String(o.rate ?? 10),
    '-t', o.transport === 'tcp' ? 't1' : 'u1', '-i', o.localIp ?? '127.0.0.1', '-nostdin', '-timeout', `${Math.ceil((o.timeoutMs ?? 20_000) / 1000)}s`,
    '-trace_msg', '-message_file', file('msg.log'), '-trace_logs', '-log_file', file('log.log'), '-trace_err', '-error_file', file('err.log'),
  ];
  if (o.service) args.push('-s', o.service);
  if (o.user) args.push('-au', o.user);
  if (o.password !== undefined) args.push('-ap', o.password);
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (o.timeoutMs ?? 20_000) + 5000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(killer);
  const read = (n: string) => (existsSync(file(n)) ? readFileSync(file(n), 'utf8') : '');
  const result = { code, messages: read('msg.log'), logs: read('log.log'), errors: read('err.log'), output };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** The SIP messages of a -trace_msg file that were received, as text. */
export function receivedMessages(trace: string): string[] {
  return trace
    .split(/^-{20,} .*\n/m)
    .filter((block) => /^\s*UDP message received|^\s*TCP message received/m.test(block))
    .map((block) => block.replace(/^[\s\S]*?message received \[\d+\] bytes :\s*\n+/m, '').trim());
}
