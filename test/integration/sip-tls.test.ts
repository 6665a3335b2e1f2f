// Kamailio (uac module) registers extension 1004 to the box over TLS with certificate verification on,
// trusting only the box's self-signed certificate; with another CA it must refuse the box.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import selfsigned from 'selfsigned';
import type { Binding } from '../../src/sip/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const KAMAILIO = '/usr/sbin/kamailio';
const ADMIN_PW = 'Admin-tls-1';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A Kamailio that registers `uuid` as 1004 to the box's TLS port, verifying the box against `caFile`. */
async function startKamailio(dir: string, o: { boxTlsPort: number; caFile: string; certFile: string; keyFile: string; uuid: string }): Promise<ChildProcess> {
  const [udp, tls] = [await freePort(), await freePort()];
  mkdirSync(path.join(dir, 'db'), { recursive: true });
  mkdirSync(path.join(dir, 'run'), { recursive: true });
  writeFileSync(path.join(dir, 'db', 'version'), 'table_name(string) table_version(int) \nuacreg:5\n');
  writeFileSync(
    path.join(dir, 'db', 'uacreg'),
    'id(int,auto) l_uuid(string) l_username(string) l_domain(string) r_username(string) r_domain(string) realm(string,null) auth_username(string) ' +
      'auth_password(string) auth_ha1(string,null) auth_proxy(string,null) expires(int) flags(int) reg_delay(int) contact_addr(string,null) socket(string,null) \n' +
      `1:${o.uuid}:1004:127.0.0.1:1004:127.0.0.1:ccbox:1004:Ext1004-demo::sip\\:127.0.0.1\\:${o.boxTlsPort};transport=tls:120:0:0::\n`,
  );
  writeFileSync(
    path.join(dir, 'tls.cfg'),
    `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = ${o.keyFile}\ncertificate = ${o.certFile}\n\n` +
      `[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nrequire_certificate = yes\nca_list = ${o.caFile}\n`,
  );
  writeFileSync(
    path.join(dir, 'kamailio.cfg'),
    `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:127.0.0.1:${udp}
listen=tls:127.0.0.1:${tls}
enable_tls=yes
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tls.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "rr.so"
loadmodule "xlog.so"
loadmodule "db_text.so"
loadmodule "uac.so"
loadmodule "kex.so"
modparam("tls", "config", "${path.join(dir, 'tls.cfg')}")
modparam("uac", "reg_db_url", "text://${path.join(dir, 'db')}")
modparam("uac", "reg_contact_addr", "127.0.0.1:${tls}")
modparam("uac", "reg_timer_interval", 1)
modparam("uac", "auth_username_avp", "$avp(auser)")
modparam("uac", "auth_password_avp", "$avp(apass)")
modparam("uac", "auth_realm_avp", "$avp(arealm)")
request_route {
  sl_send_reply("404", "Not here");
}
`,
  );
  const child = spawn(KAMAILIO, ['-f', path.join(dir, 'kamailio.cfg'), '-DD', '-E', '-Y', path.join(dir, 'run'), '-P', path.join(dir, 'run', 'k.pid'), '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('TLS registration with certificate verification (Kamailio as the phone)', () => {
  let tb: TestBox;
  let admin: ApiClient;
  let kam: ChildProcess | undefined;
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'ccbox-kam-'));
    dirs.push(d);
    return d;
  };
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(async () => {
    await stop(kam);
    await tb?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const boxTls = () => ({
    boxTlsPort: tb.box.sip.transport.portOf('tls')!,
    certFile: path.join(tb.dataDir, 'tls', 'cert.pem'),
    keyFile: path.join(tb.dataDir, 'tls', 'key.pem'),
  });

  it('registers when the box certificate is the trusted CA, and the console shows it', async () => {
    const registered = new Promise<Binding>((resolve) => {
      const on = (b: Binding): void => {
        if (b.extension === '1004' && b.contactUri.includes('kam-ok')) {
          tb.box.sip.location.off('registered', on);
          resolve(b);
        }
      };
      tb.box.sip.location.on('registered', on);
    });
    kam = await startKamailio(tmp(), { ...boxTls(), caFile: boxTls().certFile, uuid: 'kam-ok' });
    const b = await registered;
    assert.equal(b.source.transport, 'tls');
    const phone = (await admin.get('/phones')).body.find((p: { extension: string }) => p.extension === '1004');
    assert.equal(phone.registration.state, 'registered');
    assert.equal(phone.registration.contacts[0].transport, 'tls');
    assert.match(phone.registration.contacts[0].userAgent, /^kamailio/);
    await stop(kam);
  });

  it('refuses the box when verification is against another CA (verification is really on)', async () => {
    const other = selfsigned.generate([{ name: 'commonName', value: 'not the box' }], { days: 1, keySize: 2048, algorithm: 'sha256' });
    const dir = tmp();
    writeFileSync(path.join(dir, 'other-ca.pem'), other.cert);
    const failure = new Promise<string>((resolve) => tb.box.sip.transport.once('tlsFailure', (_ip, reason) => resolve(reason)));
    let registered = false;
    const on = (b: Binding): void => {
      if (b.contactUri.includes('kam-bad')) registered = true;
    };
    tb.box.sip.location.on('registered', on);
    kam = await startKamailio(dir, { ...boxTls(), caFile: path.join(dir, 'other-ca.pem'), uuid: 'kam-bad' });
    assert.match(await failure, /alert|certificate|unknown ca/i);
    await stop(kam);
    tb.box.sip.location.off('registered', on);
    assert.equal(registered, false);
  });
});
