// The Kamailio reference of the SIP bench: kamailio.cfg filled in, a db_text subscriber table with the same
// phones and passwords the box has, and the daemon in the foreground until stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchPhone } from './phones.ts';
import { waitBound } from '../../integration/sipp/calls/kit.ts';

export const KAMAILIO = '/usr/sbin/kamailio';
const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface KamailioRef {
  pid: number;
  stop(): Promise<void>;
  output(): string;
}

/** db_text escapes ':' and '\' in values (a bench password has neither, but stay correct). */
const cell = (s: string): string => s.replace(/[\\:]/g, (c) => `\\${c}`);

export async function startKamailio(o: { ip: string; port: number; phones: BenchPhone[]; children: number; shmMb?: number }): Promise<KamailioRef> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-kamailio-'));
  const db = path.join(dir, 'db');
  mkdirSync(db);
  mkdirSync(path.join(dir, 'run'));
  writeFileSync(path.join(db, 'version'), 'id(int,auto) table_name(string) table_version(int) \n1:subscriber:7\n');
  writeFileSync(path.join(db, 'subscriber'), ['id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null) ',
    ...o.phones.map((p, i) => `${i + 1}:${cell(p.extension)}:${o.ip}:${cell(p.password)}::`)].join('\n') + '\n');
  const cfg = readFileSync(path.join(HERE, 'kamailio.cfg'), 'utf8')
    .replaceAll('@@IP@@', o.ip).replaceAll('@@PORT@@', String(o.port)).replaceAll('@@DBDIR@@', db).replaceAll('@@CHILDREN@@', String(o.children));
  writeFileSync(path.join(dir, 'kamailio.cfg'), cfg);
  const child: ChildProcess = spawn(KAMAILIO, [
    '-f', path.join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', String(o.shmMb ?? 256), '-M', '16',
    '-Y', path.join(dir, 'run'), '-P', path.join(dir, 'run', 'k.pid'), '-w', dir,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitBound(o.port, 'udp', o.ip, 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Kamailio did not start: ${(err as Error).message}\n${out}`);
  }
  return {
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
