// Mode (c): the box gives an account to the customer's gateway (or IP-PBX), which registers in. Its state
// (未注册 → 已注册) shows in /api/v1/channels with the password site IT types into the gateway; the line's
// numbers turn effective; OPTIONS pings report its health; its calls are recognised by its registration
// and routed; outbound calls go to where it registered, with the channel's number as caller ID.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import {
  CALL_BOX, callScenario, freeMediaPort, freeSipPort, receivedStartLines, registerPhone, sharedScenario, sipp, waitBound,
} from './sipp/calls/kit.ts';

const ADMIN_PW = 'Admin-gw-123';
const GW_IP = '127.0.0.3';

describe('gateway registering in (mode c)', { timeout: 240_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  let admin: ApiClient;
  let channelId = 0;
  let password = '';
  let gwPort = 0;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
    tel.trunks.configure({ pingIntervalMs: 0 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    // Outbound calls must take the gateway, not the demo trunk.
    const demo = (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    assert.equal((await admin.patch(`/channels/${demo.id}`, { enabled: false })).status, 200);
    gwPort = await freeSipPort(GW_IP);
  });
  after(() => tb?.close());

  const target = () => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;
  const channel = async () => (await admin.get(`/channels/${channelId}`)).body;
  const nextEnded = () => new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));

  it('creates the account: a generated password shown to site IT, 未注册, its number pending', async () => {
    const created = await admin.post('/channels', { name: 'office-gw', deviceType: 'analog', capacity: 2, mode: 'registerIn', registerIn: { username: 'office-gw' }, inboundExtension: '1002' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    channelId = created.body.id;
    password = created.body.registerIn.password;
    assert.match(password, /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/);
    assert.equal(created.body.maxCalls, 2);
    assert.equal(created.body.status.registration.state, 'unregistered');
    assert.equal(created.body.status.registration.label, '未注册');
    const n = await admin.post('/numbers', { number: '02166660000', channelId });
    assert.equal(n.status, 201);
    assert.equal(n.body.state, 'pending');
    // The account is not an extension, and is unique.
    const dup = await admin.post('/channels', { name: 'gw2', deviceType: 'e1t1', capacity: 1, mode: 'registerIn', registerIn: { username: 'office-gw' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'registerIn.username');
    const ext = await admin.post('/channels', { name: 'gw3', deviceType: 'e1t1', capacity: 1, mode: 'registerIn', registerIn: { username: '1001' } });
    assert.equal(ext.status, 400);
    assert.equal(ext.body.error.field, 'registerIn.username');
  });

  it('a wrong password gets nothing: still 未注册', async () => {
    const r = await sipp({ scenario: sharedScenario('register-fail.xml'), target: target(), localIp: GW_IP, port: gwPort, service: 'office-gw', user: 'office-gw', password: 'Wrong-pass-1!', keys: { expires: '300', ua: 'gw' } }).done;
    assert.equal(r.code, 0, r.errors || r.output);
    assert.equal((await channel()).status.registration.state, 'unregistered');
  });

  it('the gateway registers: 已注册 with its contact, and its pending number becomes effective', async () => {
    const effective = new Promise((resolve) => tel.trunks.once('numbers-effective', resolve));
    await registerPhone(tb.box, 'office-gw', gwPort, 'udp', GW_IP, password);
    await effective;
    const ch = await channel();
    assert.equal(ch.status.registration.state, 'registered');
    assert.equal(ch.status.registration.label, '已注册');
    assert.equal(ch.status.registration.contacts[0].address, `${GW_IP}:${gwPort}`);
    assert.deepEqual(ch.numbers.map((n: { number: string; state: string }) => [n.number, n.state]), [['02166660000', 'effective']]);
    const listed = (await admin.get('/channels')).body.find((c: { id: number }) => c.id === channelId);
    assert.equal(listed.status.registration.label, '已注册');
    assert.equal(tb.box.sip.isTrustedPeer(GW_IP), true, 'a registered gateway is exempt from bans');
  });

  it('health by OPTIONS: the gateway answers the box\'s ping', async () => {
    const gw = sipp({ scenario: callScenario('options-answer.xml'), target: target(), localIp: GW_IP, port: gwPort });
    await waitBound(gwPort, 'udp', GW_IP);
    const r = await admin.post(`/channels/${channelId}/check`);
    assert.equal(r.status, 200);
    assert.equal(r.body.status.health.state, 'up');
    assert.match(r.body.status.health.detail, /^200/);
    assert.equal((await gw.done).code, 0);
  });

  it('editing the channel keeps the gateway registered; disabling it drops the registration', async () => {
    const edited = await admin.patch(`/channels/${channelId}`, { capacity: 3 });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.maxCalls, 3);
    assert.equal(edited.body.status.registration.state, 'registered');
    const disabled = await admin.patch(`/channels/${channelId}`, { enabled: false });
    assert.equal(disabled.body.status.registration.state, 'unregistered');
    assert.equal(tb.box.sip.isTrustedPeer(GW_IP), false);
    assert.equal((await admin.patch(`/channels/${channelId}`, { enabled: true })).status, 200);
    await registerPhone(tb.box, 'office-gw', gwPort, 'udp', GW_IP, password);
    assert.equal((await channel()).status.registration.label, '已注册');
  });

  it('a call from the gateway to its number is recognised by its registration and reaches 1002', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    const b = sipp({ scenario: callScenario('callee.xml'), target: target(), port, mediaPort: await freeMediaPort(), service: '1002', rtpEcho: true });
    await waitBound(port);
    const ended = nextEnded();
    const gw = sipp({ scenario: callScenario('carrier-call.xml'), target: target(), localIp: GW_IP, port: gwPort, mediaPort: await freeMediaPort(GW_IP), service: '02166660000', keys: { caller: '13800138000', max_forwards: '70' }, durationMs: 800 });
    const [rg, rb] = await Promise.all([gw.done, b.done]);
    assert.equal(rg.code, 0, rg.errors || rg.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const rec = await ended;
    assert.deepEqual(rec.origin, { kind: 'trunk', channelId, channelName: 'office-gw' });
    assert.equal(rec.number, '02166660000');
    // From another port of the same host it is not the gateway's flow: challenged.
    const other = await sipp({ scenario: callScenario('carrier-rejected.xml'), target: target(), localIp: GW_IP, port: await freeSipPort(GW_IP), mediaPort: await freeMediaPort(GW_IP), service: '02166660000', keys: { caller: '1', max_forwards: '70' } }).done;
    assert.ok(receivedStartLines(other.messages).includes('SIP/2.0 407 Proxy Authentication Required'));
  });

  it('a phone\'s outside call goes to the gateway where it registered, with 02166660000 as caller ID', async () => {
    const gw = sipp({ scenario: callScenario('carrier-answer.xml'), target: target(), localIp: GW_IP, port: gwPort, mediaPort: await freeMediaPort(GW_IP), service: 'gw' });
    await waitBound(gwPort, 'udp', GW_IP);
    const a = sipp({ scenario: callScenario('caller.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '13912345678', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: 500 });
    const [ra, rg] = await Promise.all([a.done, gw.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rg.code, 0, rg.errors || rg.output);
    const invite = rg.messages.split(/^-{20,} .*\n/m).find((m) => /message received/.test(m) && /INVITE sip:/.test(m))!;
    assert.match(invite, new RegExp(`^INVITE sip:13912345678@${GW_IP.replace(/\./g, '\\.')}:${gwPort} SIP/2\\.0`, 'm'));
    assert.match(invite, /^From: <sip:02166660000@127\.0\.0\.1>;tag=/m);
  });
});
