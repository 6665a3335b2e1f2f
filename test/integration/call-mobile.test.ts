// 手机接听 and 开启手机外呼 on real calls (demo box, sipp peers behind the carrier): an inbound call for 1001 rings
// 1001's mobile through demo-trunk (showing the number the customer called) and the record says 手机; an
// outbound call from the API rings the mobile first, then the customer, both through the channel. And 内线通话:
// a desk phone calling another is recorded as internal with the calling phone's agent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { callScenario, freeMediaPort, freeSipPort, legStatsWhen, receivedMessages, sipp, waitBound } from './sipp/calls/kit.ts';
import { CUSTOMER, NUMBER, PATH_BOX, PathPeers, PCAP, pathScenario, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-mob-1';
const MOBILE = '13912345678';
const BOX = { ...PATH_BOX, mediaEdgePortMin: 40500, mediaEdgePortMax: 40999, mediaRtcPortMin: 50000, mediaRtcPortMax: 50499 };

describe('the agent’s mobile through a channel', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;

  /** Phones behind the carrier (127.0.0.2) that answer `calls` INVITEs from the box: the mobile and the customer. */
  async function behindCarrier(calls: number) {
    const port = await freeSipPort('127.0.0.2');
    const channel = (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    assert.equal((await admin.patch(`/channels/${channel.id}`, { publicTrunk: { ...channel.publicTrunk, carrierPort: port } })).status, 200);
    const run = sipp({
      scenario: pathScenario('agent.xml'), target: p.boxTarget(), localIp: '127.0.0.2', port, mediaPort: await freeMediaPort('127.0.0.2'), service: MOBILE,
      rtpEcho: true, timeoutS: 120, calls, keys: { pcap2: PCAP('g711a.pcap') },
    });
    await waitBound(port, 'udp', '127.0.0.2');
    return { run, port };
  }

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...BOX });
    tb.box.callCenter.telephony.trunks.configure({ pingIntervalMs: 0 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    p = new PathPeers(tb, admin);
    await p.loadIds();
    const settings = (await admin.get('/acd/settings')).body.global;
    settings.answer.afterCallIdle = { enabled: true, seconds: 1 };
    settings.routing.lastAgentFirst = false;
    settings.queue.announce.intervalSec = 0;
    assert.equal((await admin.put('/acd/settings', { skillGroupId: null, settings })).status, 200);
    const r = await admin.patch(`/agents/${p.ids['1001']}`, { mobile: MOBILE, mobileAnswer: { enabled: true, outbound: true } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await tb.box.acd.refreshDirectory();
  });
  after(() => tb?.close());

  it('手机接听: 1001 (workbench status only, no desk phone) is rung on the mobile; the record’s device is 手机', async () => {
    await p.setStatus('1001', 'idle');
    const mobile = await behindCarrier(1);
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const leg = await p.agentAnswered(call);
    assert.equal(leg.party, MOBILE);
    assert.equal(leg.kind, 'trunk');
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (s) => s.rtpIn >= 30 && s.rtpToPhone >= 30, 30_000);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const [rc, rm] = await Promise.all([carrier.run.done, mobile.run.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(rm.code, 0, rm.errors || rm.output);
    const invite = receivedMessages(rm.messages).find((m) => m.startsWith('INVITE'))!;
    assert.match(invite, new RegExp(`^INVITE sip:${MOBILE}@127\\.0\\.0\\.2`, 'm'));
    assert.match(invite, new RegExp(`^P-Asserted-Identity: <sip:${NUMBER}@`, 'm'), 'the mobile sees the number the customer called');
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.agentDevice, 'mobile');
    assert.equal(rec.staffNo, '1001');
    assert.equal(rec.number, NUMBER, 'the record keeps the called number');
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.recording?.channels, 2);
  });

  it('开启手机外呼: POST /calls rings the mobile first, then the customer', async () => {
    await until('1001 idle', (fire) => {
      tb.box.acd.on('agent-state', fire);
      return () => void tb.box.acd.off('agent-state', fire);
    }, () => (tb.box.acd.status(p.ids['1001']!).status === 'idle' && tb.box.acd.status(p.ids['1001']!).dispatch === 'waiting' ? true : undefined), 30_000);
    const peers = await behindCarrier(2);
    const api1001 = await p.agentApi('1001');
    const dial = await api1001.post('/calls', { to: CUSTOMER });
    assert.equal(dial.status, 201, JSON.stringify(dial.body));
    assert.equal(dial.body.device, 'mobile');
    const call = p.calls.list().find((c) => c.id === dial.body.callId)!;
    await until('both answered', p.onCalls, () => (call.legs.filter((l) => l.answeredAt !== null).length >= 2 ? true : undefined));
    assert.deepEqual(call.legs.map((l) => [l.role, l.party]), [['caller', MOBILE], ['callee', CUSTOMER]]);
    const written = p.recordWritten(call.id);
    assert.equal((await api1001.post(`/calls/${call.id}/hangup`)).status, 204);
    const r = await peers.run.done;
    assert.equal(r.code, 0, r.errors || r.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.direction, 'outbound');
    assert.equal(rec.agentDevice, 'mobile');
    assert.equal(rec.callee, CUSTOMER);
    assert.equal(rec.endStatus, 'normal');
  });

  it('内线通话: 1003’s desk phone calls 1004; the record is internal (the 内线通话 tab) with 1003 as its agent', async () => {
    const callee = await p.agentPhone('1004');
    const started = new Promise<string>((resolve) => {
      const on = ({ call }: { call: { id: string; direction: string } }): void => {
        if (call.direction !== 'internal') return;
        p.calls.off('call-started', on);
        resolve(call.id);
      };
      p.calls.on('call-started', on);
    });
    const a = sipp({
      scenario: callScenario('caller.xml'), target: p.boxTarget(), port: await freeSipPort(), mediaPort: await freeMediaPort(),
      service: '1004', user: '1003', password: 'Ext1003-demo', keys: { caller: '1003' }, durationMs: 2000,
    });
    const id = await started;
    const written = p.recordWritten(id);
    const ra = await a.done;
    assert.equal(ra.code, 0, ra.errors || ra.output);
    await written;
    const rb = await callee.run.done;
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const list = (await admin.get('/records?direction=internal')).body;
    const rec = list.items.find((r: any) => r.id === id);
    assert.ok(rec, 'listed under direction=internal');
    assert.equal(rec.caller, '1003');
    assert.equal(rec.callee, '1004');
    assert.equal(rec.staffNo, '1003');
    assert.equal(rec.agentDevice, 'phone');
    assert.equal(rec.endStatus, 'normal');
    assert.ok(rec.talkMs >= 1000, `talk ${rec.talkMs} ms`);
  });
});
