// Boot and stop of the real process: first-boot admin password, clean and unclean stops, corrupt and
// locked databases, the demo profile's boot time, and HTTP → HTTPS for LAN clients (in a network namespace).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnBox } from '../helpers/process.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ccbox-boot-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = (dataDir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  CCBOX_DATA_DIR: dataDir,
  CCBOX_BIND_HOST: '127.0.0.1',
  CCBOX_HTTP_PORT: '0',
  CCBOX_HTTPS_PORT: '0',
  ...extra,
});

describe('boot', () => {
  it('first boot writes a random admin password to a 0600 file and never logs it; SIGTERM stops cleanly', async () => {
    const dataDir = tmp();
    const p = spawnBox(env(dataDir));
    const up = await p.waitFor(/"http":(\d+),"https":(\d+).*ccbox is up/);
    const file = path.join(dataDir, 'initial-admin-password');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    assert.ok(password.length >= 12);
    assert.ok(p.output().includes(file), 'the log names the file');
    assert.ok(!p.output().includes(password), 'the log never holds the password');
    const base = `http://127.0.0.1:${up[1]}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(login.status, 200);
    assert.ok(!p.output().includes(password), 'login does not log the password either');
    assert.equal(statSync(path.join(dataDir, 'box.key')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o777, 0o600);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    assert.ok(!existsSync(path.join(dataDir, 'ccbox.running')));
  });

  it('after a crash, checks the database and starts', async () => {
    const dataDir = tmp();
    const p1 = spawnBox(env(dataDir, { CCBOX_ADMIN_PASSWORD: 'Crash-test-1' }));
    await p1.waitFor(/ccbox is up/);
    p1.child.kill('SIGKILL');
    await p1.exited;
    const p2 = spawnBox(env(dataDir));
    await p2.waitFor(/ccbox is up/);
    assert.match(p2.output(), /did not stop cleanly; running a bounded integrity check/);
    p2.child.kill('SIGTERM');
    assert.equal(await p2.exited, 0);
  });

  it('refuses a corrupt database with a clear error and a non-zero exit', async () => {
    const dataDir = tmp();
    writeFileSync(path.join(dataDir, 'ccbox.db'), Buffer.alloc(8192, 0x5a));
    const p = spawnBox(env(dataDir));
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /ccbox cannot start: CCBOX_ERR_DB_CORRUPT: database is corrupt or not a SQLite file/);
  });

  it('refuses a data dir another ccbox is running on', async () => {
    const dataDir = tmp();
    const p1 = spawnBox(env(dataDir, { CCBOX_ADMIN_PASSWORD: 'Lock-test-1' }));
    await p1.waitFor(/ccbox is up/);
    const p2 = spawnBox(env(dataDir));
    assert.equal(await p2.exited, 1);
    assert.match(p2.output(), /another ccbox \(pid \d+\) is running/);
    p1.child.kill('SIGTERM');
    assert.equal(await p1.exited, 0);
  });

  it('refuses a bad configuration value by name', async () => {
    const p = spawnBox(env(tmp(), { CCBOX_HTTP_PORT: 'eighty' }));
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /CCBOX_HTTP_PORT must be a non-negative integer, got "eighty"/);
  });

  it('boots the demo profile with its admin and agents', async () => {
    const dataDir = tmp();
    const t0 = Date.now();
    const p = spawnBox(env(dataDir, { CCBOX_PROFILE: 'demo' }));
    const up = await p.waitFor(/"http":(\d+).*ccbox is up/);
    const health = await fetch(`http://127.0.0.1:${up[1]}/healthz`);
    assert.equal(health.status, 200);
    const bootMs = Date.now() - t0;
    assert.ok(bootMs < 60_000, `demo boot took ${bootMs} ms`);
    console.log(`# demo profile: /healthz ok ${bootMs} ms after spawn`);
    for (const [u, pw] of [['admin', 'Admin-demo-1'], ['1001@demo.local', 'Agent1001-demo'], ['1004', 'Agent1004-demo']]) {
      const r = await fetch(`http://127.0.0.1:${up[1]}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: pw }) });
      assert.equal(r.status, 200, `${u} logs in`);
    }
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });
});

const haveNetns = (() => {
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe('HTTP and HTTPS', { skip: haveNetns ? false : 'needs root and iproute2 to create a network namespace' }, () => {
  it('serves loopback over HTTP and redirects LAN clients to HTTPS', async () => {
    // A namespace with lo and a veth pair as the "LAN": a client on 10.77.0.1 is not loopback, and
    // nothing can leave the machine.
    const ns = `ccbox-web-${process.pid}`;
    const ipx = (...a: string[]): void => void execFileSync('ip', ['netns', 'exec', ns, 'ip', ...a]);
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      ipx('link', 'set', 'lo', 'up');
      ipx('link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan1');
      ipx('addr', 'add', '10.77.0.1/24', 'dev', 'lan0');
      ipx('link', 'set', 'lan0', 'up');
      ipx('link', 'set', 'lan1', 'up');
      const dataDir = tmp();
      const p = spawnBox(env(dataDir, { CCBOX_BIND_HOST: '0.0.0.0', CCBOX_ADMIN_PASSWORD: 'Netns-test-1' }), { netns: ns });
      const up = await p.waitFor(/"http":(\d+),"https":(\d+).*ccbox is up/);
      const probe = (url: string): { status: number; location: string } => {
        const script = `const r = await fetch(${JSON.stringify(url)}, { redirect: 'manual' }); console.log(JSON.stringify({ status: r.status, location: r.headers.get('location') ?? '' }));`;
        const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, '--input-type=module', '-e', script], {
          env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' },
        });
        return JSON.parse(out.toString()) as { status: number; location: string };
      };
      assert.equal(probe(`http://127.0.0.1:${up[1]}/healthz`).status, 200);
      const lan = probe(`http://10.77.0.1:${up[1]}/api/v1/auth/me`);
      assert.equal(lan.status, 308);
      assert.equal(lan.location, `https://10.77.0.1:${up[2]}/api/v1/auth/me`);
      assert.equal(probe(`https://10.77.0.1:${up[2]}/healthz`).status, 200);
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});
