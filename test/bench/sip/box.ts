// The box under test: `src/main.ts` as a real process with the demo profile, plus the bench's phones created
// through the console API (sealed passwords, announced to the registrar) before any load starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../helpers/process.ts';
import type { BenchPhone } from './phones.ts';

const ADMIN_PASSWORD = 'Bench-admin-1';

export interface BenchBox {
  pid: number;
  sipPort: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startBenchBox(o: { sipPort: number; phones: BenchPhone[]; nodeArgs?: string[]; log: (s: string) => void }): Promise<BenchBox> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-sip-'));
  const env = {
    ...process.env,
    CCBOX_DATA_DIR: dataDir, CCBOX_PROFILE: 'demo', CCBOX_ADMIN_PASSWORD: ADMIN_PASSWORD, CCBOX_LOG_LEVEL: process.env.BENCH_BOX_LOG_LEVEL ?? 'info',
    CCBOX_BIND_HOST: '127.0.0.1', CCBOX_HTTP_PORT: '0', CCBOX_HTTPS_PORT: '0', CCBOX_SIP_PORT: String(o.sipPort), CCBOX_SIP_TLS_PORT: '0', CCBOX_WEBRTC_PORT: '0',
    // The per-IP request limit (16 in 2 s) would ban the one load generator at once; everything else is as shipped.
    CCBOX_SIP_RATE_MAX: '1000000000',
    CCBOX_MEDIA_BIND_ADDRESS: '127.0.0.1', CCBOX_MEDIA_ANNOUNCED_ADDRESS: '127.0.0.1',
    CCBOX_MEDIA_EDGE_PORT_MIN: '40000', CCBOX_MEDIA_EDGE_PORT_MAX: '49999', CCBOX_MEDIA_RTC_PORT_MIN: '50000', CCBOX_MEDIA_RTC_PORT_MAX: '59999',
  };
  const child: ChildProcess = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let head = '';
  const onData = (d: Buffer): void => {
    if (head.length < 100_000) head += d.toString();
    out = (out + d.toString()).slice(-50_000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const http = await new Promise<number>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /"http":(\d+).*ccbox is up/.exec(head);
        if (m) return (clearInterval(t), resolve(Number(m[1])));
        if (child.exitCode !== null) return (clearInterval(t), reject(new Error(`the box exited:\n${out}`)));
      }, 100);
    });
    const t0 = Date.now();
    await createPhones(`http://127.0.0.1:${http}/api/v1`, o.phones);
    o.log(`box: ${o.phones.length} phones created through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid!, sipPort: o.sipPort, output: () => out, stop };
}

async function createPhones(api: string, phones: BenchPhone[]): Promise<void> {
  const login = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const cookie = /ccbox_session=[^;]*/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < phones.length) {
      const p = phones[next++]!;
      const r = await fetch(`${api}/phones`, { method: 'POST', headers, body: JSON.stringify({ extension: p.extension, name: `话机 ${p.extension}`, password: p.password }) });
      if (r.status !== 201 && r.status !== 200) throw new Error(`creating phone ${p.extension}: ${r.status} ${await r.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
