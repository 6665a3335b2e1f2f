// Configuration precedence, the fake clock, safe events, secrets and passwords.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { BoxKey, FakeClock, TypedEmitter, createLogger, hashPassword, loadConfig, randomPassword, verifyPassword } from '../../../src/platform/index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-plat-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('takes env over the data dir file over defaults, and names bad values', () => {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ httpPort: 9000, sipPort: 5070 }));
    const c = loadConfig({ CCBOX_DATA_DIR: dir, CCBOX_SIP_PORT: '5090' });
    assert.equal(c.httpPort, 9000);
    assert.equal(c.sipPort, 5090);
    assert.equal(c.httpsPort, 8443);
    assert.throws(() => loadConfig({ CCBOX_DATA_DIR: dir, CCBOX_HTTPS_PORT: '-1' }), /CCBOX_HTTPS_PORT must be a non-negative integer/);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ adminPassword: 'x' }));
    assert.throws(() => loadConfig({ CCBOX_DATA_DIR: dir }), /belongs in CCBOX_ADMIN_PASSWORD/);
    writeFileSync(path.join(dir, 'config.json'), '{nope');
    assert.throws(() => loadConfig({ CCBOX_DATA_DIR: dir }), /config\.json/);
    rmSync(path.join(dir, 'config.json'));
  });
});

describe('FakeClock', () => {
  it('fires timers in order as time advances', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@500'), 500);
    clock.setTimeout(() => fired.push('a@100'), 100);
    const iv = clock.setInterval(() => fired.push(`i@${clock.monotonic()}`), 200);
    const gone = clock.setTimeout(() => fired.push('never'), 300);
    clock.clearTimeout(gone);
    clock.tick(450);
    assert.deepEqual(fired, ['a@100', 'i@200', 'i@400']);
    clock.clearInterval(iv);
    clock.tick(100);
    assert.deepEqual(fired, ['a@100', 'i@200', 'i@400', 'b@500']);
  });
});

describe('TypedEmitter', () => {
  it('keeps emitting to other listeners when one throws, and reports the error', () => {
    const e = new TypedEmitter<{ ping: [number] }>();
    const errors: string[] = [];
    e.setErrorHandler((ev, err) => errors.push(`${ev}:${(err as Error).message}`));
    const got: number[] = [];
    e.on('ping', () => {
      throw new Error('boom');
    });
    e.on('ping', (n) => got.push(n));
    e.safeEmit('ping', 7);
    assert.deepEqual(got, [7]);
    assert.deepEqual(errors, ['ping:boom']);
  });
});

describe('secrets', () => {
  it('seals and opens with the box key; another key cannot open it', async () => {
    const k = await BoxKey.load(dir);
    const sealed = k.encrypt('trunk-pass');
    assert.ok(!sealed.includes('trunk-pass'));
    assert.equal(k.decrypt(sealed), 'trunk-pass');
    const other = await BoxKey.load(mkdtempSync(path.join(os.tmpdir(), 'ccbox-k2-')));
    assert.throws(() => other.decrypt(sealed), /does not match the box key/);
  });

  it('hashes passwords with scrypt and verifies them', async () => {
    const h = await hashPassword('Secret-1');
    assert.match(h, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword('Secret-1', h), true);
    assert.equal(await verifyPassword('secret-1', h), false);
  });

  it('makes random passwords with upper, lower, digit and special characters', () => {
    for (let i = 0; i < 200; i++) {
      const p = randomPassword();
      assert.ok(p.length >= 8 && /[A-Z]/.test(p) && /[a-z]/.test(p) && /[0-9]/.test(p) && /[^A-Za-z0-9]/.test(p), p);
    }
  });

  it('redacts secrets in log lines', () => {
    let out = '';
    const log = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }) });
    log.info({ password: 'p4ss', body: { password: 'x1', token: 'tk-value-9' }, headers: { authorization: 'Bearer abc' } }, 'hello');
    log.flush?.();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        assert.ok(out.includes('hello'));
        for (const s of ['p4ss', '"x1"', 'tk-value-9', 'Bearer abc']) assert.ok(!out.includes(s), `${s} is redacted`);
        resolve();
      }),
    );
  });
});
