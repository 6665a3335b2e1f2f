// Mode (b): the carrier gives an account and the box registers to it. Kamailio (Debian) is the carrier: its
// registrar authenticates the account against a static password (auth module, pv_www_authenticate),
// relays calls for the account to the box's registered contact, and challenges and forwards the box's
// outbound calls to a "PSTN" sipp. The state shows as 已注册 / 异常 through the API; the password never.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX, callScenario, freeMediaPort, freeSipPort, registerPhone, sipp, waitBound } from './sipp/calls/kit.ts';

const KAMAILIO = '/usr/sbin/kamailio';
const ADMIN_PW = 'Admin-kam-12';
const CARRIER_IP = '127.0.0.4';
const PSTN_IP = '127.0.0.5';
const ACCOUNT = '02155550000';
const ACCOUNT_PW = 'Carrier-pass-1';

function kamailioConfig(port: number, pstnPort: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=2
auto_aliases=no
listen=udp:${CARRIER_IP}:${port}
alias="${CARRIER_IP}:${port}"
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 300)

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("REGISTER")) {
    if (!pv_www_authenticate("$td", "${ACCOUNT_PW}", "0")) { www_challenge("$td", "0"); exit; }
    if (!save("location")) sl_reply_error();
    exit;
  }
  if (is_method("OPTIONS") && uri == myself) { sl_send_reply("200", "OK"); exit; }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  if (has_totag()) {
    if (loose_route()) { t_relay(); exit; }
    if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
    t_relay();
    exit;
  }
  if (is_method("INVITE") && $si == "${PSTN_IP}") {
    # A call from the network for the account: to where the box registered.
    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
    record_route();
    t_relay();
    exit;
  }
  if (is_method("INVITE")) {
    # The box calls out: authenticate the account, then hand the call to the network.
    if (!pv_proxy_authenticate("$fd", "${ACCOUNT_PW}", "0")) { proxy_challenge("$fd", "0"); exit; }
    consume_credentials();
    record_route();
    $du = "sip:${PSTN_IP}:${pstnPort}";
    t_relay();
    exit;
  }
  sl_send_reply("404", "Not here");
}
`;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('the box registers to the carrier (mode b, Kamailio as the carrier)', { timeout: 240_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  let admin: ApiClient;
  let kam: ChildProcess | undefined;
  let kamLog = '';
  let dir = '';
  let kamPort = 0;
  let pstnPort = 0;
  let channelId = 0;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-kam-carrier-'));
    mkdirSync(path.join(dir, 'run'));
    kamPort = await freeSipPort(CARRIER_IP);
    pstnPort = await freeSipPort(PSTN_IP);
    writeFileSync(path.join(dir, 'kamailio.cfg'), kamailioConfig(kamPort, pstnPort));
    kam = spawn(KAMAILIO, ['-f', path.join(dir, 'kamailio.cfg'), '-DD', '-E', '-Y', path.join(dir, 'run'), '-P', path.join(dir, 'run', 'k.pid'), '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    kam.stdout!.on('data', (d: Buffer) => (kamLog += d.toString()));
    kam.stderr!.on('data', (d: Buffer) => (kamLog += d.toString()));
    await waitBound(kamPort, 'udp', CARRIER_IP);
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
    tel.trunks.configure({ pingIntervalMs: 0 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    const demo = (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    assert.equal((await admin.patch(`/channels/${demo.id}`, { enabled: false })).status, 200);
  });
  after(async () => {
    await tb?.close();
    await stop(kam);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const target = () => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;
  const nextEnded = () => new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));
  const registration = (id: number, state: string) => new Promise<void>((resolve) => {
    const on = (e: { channelId: number; state: string }) => {
      if (e.channelId === id && e.state === state) {
        tel.trunks.off('registration', on);
        resolve();
      }
    };
    tel.trunks.on('registration', on);
  });

  it('registers with the account and shows 已注册; the carrier password is never returned', async () => {
    const input = { name: 'carrier', deviceType: 'sipTrunk', capacity: 10, mode: 'registerOut', inboundExtension: '1002', registerOut: { username: ACCOUNT, password: ACCOUNT_PW, server: CARRIER_IP, port: kamPort, transport: 'udp', expires: 120 } };
    const pending = new Promise<number>((resolve) => tel.trunks.once('registration', (e) => resolve(e.channelId)));
    const created = await admin.post('/channels', input);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    channelId = created.body.id;
    assert.equal(await pending, channelId);
    if ((await admin.get(`/channels/${channelId}`)).body.status.registration.state !== 'registered') await registration(channelId, 'registered');
    const ch = (await admin.get(`/channels/${channelId}`)).body;
    assert.equal(ch.status.registration.state, 'registered', JSON.stringify(ch.status) + kamLog.slice(-2000));
    assert.equal(ch.status.registration.label, '已注册');
    assert.ok(ch.status.registration.expiresIn > 100 && ch.status.registration.expiresIn <= 120);
    assert.equal(ch.registerOut.passwordSet, true);
    assert.ok(!JSON.stringify(ch).includes(ACCOUNT_PW), 'the password is not in the response');
    assert.ok(!JSON.stringify((await admin.get('/channels')).body).includes(ACCOUNT_PW));
    assert.equal((await admin.post('/numbers', { number: ACCOUNT, channelId })).status, 201);
  });

  it('a wrong password shows 异常 with the carrier\'s answer', async () => {
    const failed = new Promise<{ detail: string | null }>((resolve) => {
      const on = (e: { channelId: number; state: string; detail: string | null }) => {
        if (e.channelId !== channelId && e.state === 'failed') {
          tel.trunks.off('registration', on);
          resolve(e);
        }
      };
      tel.trunks.on('registration', on);
    });
    const bad = await admin.post('/channels', { name: 'carrier-bad', deviceType: 'sipTrunk', capacity: 1, mode: 'registerOut', registerOut: { username: '02155550001', password: 'Not-the-pass-1', server: CARRIER_IP, port: kamPort } });
    assert.equal(bad.status, 201);
    const e = await failed;
    assert.match(e.detail ?? '', /^401/);
    const ch = (await admin.get(`/channels/${bad.body.id}`)).body;
    assert.equal(ch.status.registration.state, 'failed');
    assert.equal(ch.status.registration.label, '异常');
    assert.equal((await admin.del(`/channels/${bad.body.id}`)).status, 204);
  });

  it('a call from the network to the account reaches the box through Kamailio and is routed to 1002', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    const b = sipp({ scenario: callScenario('callee.xml'), target: target(), port, mediaPort: await freeMediaPort(), service: '1002', rtpEcho: true });
    await waitBound(port);
    const ended = nextEnded();
    const pstn = sipp({ scenario: callScenario('carrier-call.xml'), target: `${CARRIER_IP}:${kamPort}`, localIp: PSTN_IP, port: await freeSipPort(PSTN_IP), mediaPort: await freeMediaPort(PSTN_IP), service: ACCOUNT, keys: { caller: '13800138000', max_forwards: '70' }, durationMs: 800 });
    const [rp, rb] = await Promise.all([pstn.done, b.done]);
    assert.equal(rp.code, 0, rp.errors || rp.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const rec = await ended;
    assert.deepEqual(rec.origin, { kind: 'trunk', channelId, channelName: 'carrier' });
    assert.equal(rec.number, ACCOUNT);
  });

  it('an outbound call authenticates to the carrier (407 answered) and reaches the network with the account\'s number', async () => {
    const pstn = sipp({ scenario: callScenario('carrier-answer.xml'), target: `${CARRIER_IP}:${kamPort}`, localIp: PSTN_IP, port: pstnPort, mediaPort: await freeMediaPort(PSTN_IP), service: 'pstn' });
    await waitBound(pstnPort, 'udp', PSTN_IP);
    const a = sipp({ scenario: callScenario('caller.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '13912345678', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: 500 });
    const [ra, rp] = await Promise.all([a.done, pstn.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rp.code, 0, rp.errors || rp.output);
    const invite = rp.messages.split(/^-{20,} .*\n/m).find((m) => /message received/.test(m) && /INVITE sip:/.test(m))!;
    assert.match(invite, /^INVITE sip:13912345678@127\.0\.0\.4/m);
    assert.match(invite, new RegExp(`^From: <sip:${ACCOUNT}@127\\.0\\.0\\.4>;tag=`, 'm'));
    assert.match(invite, new RegExp(`^P-Asserted-Identity: <sip:${ACCOUNT}@127\\.0\\.0\\.4>`, 'm'));
  });

  it('deleting the channel unregisters from the carrier', async () => {
    assert.equal((await admin.del(`/numbers/${(await admin.get('/numbers')).body.find((n: { number: string }) => n.number === ACCOUNT).id}`)).status, 204);
    assert.equal((await admin.del(`/channels/${channelId}`)).status, 204);
    assert.equal((await admin.get(`/channels/${channelId}`)).status, 404);
  });
});
