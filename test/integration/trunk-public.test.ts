// Mode (a), the demo's public SIP trunk `demo-trunk` (carrier 127.0.0.2, outbound to 127.0.0.2:5080, number
// 02088880000): the carrier's INVITE is recognised by its address and routed; the same INVITE from 127.0.0.1
// is challenged like a phone's; a phone's outside call reaches the carrier with the channel's number as
// caller ID; the concurrency limit answers 503; a trunk call to an outside number is refused (no relay).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import {
  CALL_BOX, callScenario, freeMediaPort, freeSipPort, receivedStartLines, registerPhone, sipp, waitBound,
} from './sipp/calls/kit.ts';

const ADMIN_PW = 'Admin-trunk-1';
const CARRIER = '127.0.0.2';

describe('public SIP trunk (mode a): demo-trunk', { timeout: 240_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  let admin: ApiClient;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
    // The carrier here is sipp, which must not get OPTIONS pings in the middle of a scenario.
    tel.trunks.configure({ pingIntervalMs: 0 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    // The demo IVR answers 02088880000 once numbers are routed to their flows; these cases are about the
    // channel's default extension, which takes a number no flow is bound to.
    assert.equal((await admin.del('/ivr/bindings/02088880000')).status, 204);
  });
  after(() => tb?.close());

  const target = () => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;
  const nextEnded = () => new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));
  const demoTrunk = async () => (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');

  /** 1002 registered and answering. */
  async function phone1002(scenario = 'callee.xml') {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    const run = sipp({ scenario: callScenario(scenario), target: target(), port, mediaPort: await freeMediaPort(), service: '1002', rtpEcho: true });
    await waitBound(port);
    return run;
  }

  /** A call from an address (the carrier at 127.0.0.2, or not) to `service`, without credentials. */
  async function fromAddress(localIp: string, scenario: string, service: string, o: { durationMs?: number; maxForwards?: number } = {}) {
    return sipp({
      scenario: callScenario(scenario), target: target(), localIp, port: await freeSipPort(localIp), mediaPort: await freeMediaPort(localIp), service,
      keys: { caller: '13800138000', max_forwards: String(o.maxForwards ?? 70) }, durationMs: o.durationMs ?? 500,
    });
  }

  it('shows the channel with its number, the box address to give the carrier, and no password anywhere', async () => {
    const ch = await demoTrunk();
    assert.equal(ch.mode, 'publicTrunk');
    assert.deepEqual(ch.publicTrunk, { carrierHost: CARRIER, carrierPort: 5080, transport: 'udp', trustedIps: [] });
    assert.deepEqual(ch.numbers.map((n: { number: string; state: string }) => [n.number, n.state]), [['02088880000', 'effective']]);
    assert.equal(ch.status.boxAddress.udp, `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`);
    assert.equal(ch.status.registration, null);
    assert.equal(tb.box.sip.isTrustedPeer(CARRIER), true, 'the carrier is exempt from bans');
    assert.equal(tb.box.sip.isTrustedPeer('127.0.0.1'), false, 'phones are not');
  });

  it('an INVITE from 127.0.0.2 to 02088880000 is the carrier\'s: no challenge, routed to the channel\'s extension 1002', async () => {
    const ch = await demoTrunk();
    assert.equal((await admin.patch(`/channels/${ch.id}`, { inboundExtension: '1002' })).status, 200);
    const b = await phone1002();
    const ended = nextEnded();
    const c = await fromAddress(CARRIER, 'carrier-call.xml', '02088880000', { durationMs: 1000 });
    const [rc, rb] = await Promise.all([c.done, b.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const rec = await ended;
    assert.equal(rec.direction, 'inbound');
    assert.deepEqual(rec.origin, { kind: 'trunk', channelId: ch.id, channelName: 'demo-trunk' });
    assert.equal(rec.number, '02088880000');
    assert.equal(rec.caller, '13800138000');
    assert.ok(rec.answeredAt);
    assert.ok(!receivedStartLines(rc.messages).some((l) => l.startsWith('SIP/2.0 407')), 'the carrier is not challenged');
  });

  it('the same INVITE from 127.0.0.1 is not taken for the carrier: it is challenged (407) like any phone', async () => {
    const r = await (await fromAddress('127.0.0.1', 'carrier-rejected.xml', '02088880000')).done;
    assert.equal(r.code, 0, r.errors || r.output);
    assert.ok(receivedStartLines(r.messages).includes('SIP/2.0 407 Proxy Authentication Required'), receivedStartLines(r.messages).join('\n'));
  });

  it('a phone dials 02182881882: the INVITE reaches the carrier at 127.0.0.2:5080 with the channel\'s number as caller ID', async () => {
    const carrier = sipp({ scenario: callScenario('carrier-answer.xml'), target: target(), localIp: CARRIER, port: 5080, mediaPort: await freeMediaPort(CARRIER), service: 'carrier' });
    await waitBound(5080, 'udp', CARRIER);
    const ended = nextEnded();
    const a = sipp({
      scenario: callScenario('caller.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '02182881882',
      user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: 500,
    });
    const [ra, rc] = await Promise.all([a.done, carrier.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    const invite = rc.messages.split(/^-{20,} .*\n/m).find((b) => /message received/.test(b) && /INVITE sip:/.test(b))!;
    assert.match(invite, /^INVITE sip:02182881882@127\.0\.0\.2:5080 SIP\/2\.0/m);
    assert.match(invite, /^From: <sip:02088880000@127\.0\.0\.1>;tag=/m);
    assert.match(invite, /^P-Asserted-Identity: <sip:02088880000@127\.0\.0\.1>/m);
    assert.match(invite, /^Max-Forwards: 69/m, 'the phone\'s Max-Forwards, less one');
    assert.doesNotMatch(invite, /Phone 1001|sip:1001@/, 'the extension does not leak to the carrier');
    const rec = await ended;
    assert.equal(rec.direction, 'outbound');
    assert.equal(rec.number, '02088880000');
    assert.equal(rec.channelName, 'demo-trunk');
  });

  it('a call that arrives on the trunk for an outside number is refused (403): no toll-fraud relay', async () => {
    const ended = nextEnded();
    const r = await (await fromAddress(CARRIER, 'carrier-rejected.xml', '02182881882')).done;
    assert.equal(r.code, 0, r.errors || r.output);
    assert.ok(receivedStartLines(r.messages).includes('SIP/2.0 403 Forbidden'), receivedStartLines(r.messages).join('\n'));
    const rec = await ended;
    assert.equal(rec.endCause?.category, 'forbidden');
    assert.equal(rec.legs.filter((l) => l.role === 'callee').length, 0, 'nothing was dialled');
    // International and mobile numbers too.
    for (const n of ['0044201234567', '13912345678']) {
      const x = await (await fromAddress(CARRIER, 'carrier-rejected.xml', n)).done;
      assert.ok(receivedStartLines(x.messages).includes('SIP/2.0 403 Forbidden'), `${n}: ${receivedStartLines(x.messages).join('\n')}`);
    }
  });

  it('beyond the channel\'s concurrency limit calls are answered 503, inbound and outbound', async () => {
    const ch = await demoTrunk();
    assert.equal((await admin.patch(`/channels/${ch.id}`, { capacity: 1, inboundExtension: '1002' })).body.maxCalls, 1);
    const b = await phone1002();
    const answered = new Promise<void>((resolve) => tel.calls.once('leg-answered', () => resolve()));
    const first = await fromAddress(CARRIER, 'carrier-call.xml', '02088880000', { durationMs: 3000 });
    await answered;
    assert.equal((await demoTrunk()).status.activeCalls, 1);
    const second = await (await fromAddress(CARRIER, 'carrier-rejected.xml', '02088880000')).done;
    assert.ok(receivedStartLines(second.messages).includes('SIP/2.0 503 Service Unavailable'), receivedStartLines(second.messages).join('\n'));
    const out = await sipp({
      scenario: callScenario('caller-rejected.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '02182881882',
      user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' },
    }).done;
    assert.equal(out.code, 0, out.errors || out.output);
    assert.ok(receivedStartLines(out.messages).includes('SIP/2.0 503 Service Unavailable'), receivedStartLines(out.messages).join('\n'));
    const [r1, rb] = await Promise.all([first.done, b.done]);
    assert.equal(r1.code, 0, r1.errors || r1.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    assert.equal((await admin.patch(`/channels/${ch.id}`, { capacity: 30 })).status, 200);
    assert.equal((await demoTrunk()).status.activeCalls, 0);
  });

  it('loops are cut: Max-Forwards 0 → 483', async () => {
    const r = await (await fromAddress(CARRIER, 'carrier-rejected.xml', '02088880000', { maxForwards: 0 })).done;
    assert.ok(receivedStartLines(r.messages).includes('SIP/2.0 483 Too Many Hops'), receivedStartLines(r.messages).join('\n'));
  });
});
