// The call control API on real calls (demo box, sipp peers): an agent's outbound call from the dial pad rings
// their desk phone, then the customer behind the carrier with the 外显号码 of their skill group; hold, mute,
// DTMF and hang-up through the API; who may act on whose call (the agent on it; supervisors in scope; anyone
// else 404); a transfer to another skill group keeps one record.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentStateChange } from '../../src/acd/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { legStatsWhen, receivedMessages } from './sipp/calls/kit.ts';
import { PATH_BOX, PathPeers, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-ctl-1';
const CUSTOMER_MOBILE = '13912345678';

describe('call control API on real calls', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;
  const api: Record<string, ApiClient> = {};
  const states: AgentStateChange[] = [];

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...PATH_BOX });
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
    // 1002 supervises 售前, 1004 售后 (monitor and records within their scope).
    for (const [ext, group] of [['1002', '售前'], ['1004', '售后']] as const) {
      const role = await admin.post('/roles', { name: `${group}主管`, permissions: ['monitor', 'records', 'workbench'], scopeSkillGroupIds: [p.ids[group]] });
      assert.equal(role.status, 201, JSON.stringify(role.body));
      assert.equal((await admin.patch(`/agents/${p.ids[ext]}`, { roleId: role.body.id })).status, 200);
    }
    for (const ext of ['1001', '1002', '1003', '1004']) api[ext] = await p.agentApi(ext);
    tb.box.acd.on('agent-state', (c) => states.push(c));
  });
  after(() => tb?.close());

  it('1001 dials a mobile from the API: desk phone first, then the customer with 售前’s number; hold, mute, DTMF, hang-up', async (t) => {
    assert.equal((await admin.put(`/calls/outbound-numbers/${p.ids['售前']}`, { numbers: ['02088880000'] })).status, 200);
    assert.equal((await admin.put(`/calls/outbound-numbers/${p.ids['售前']}`, { numbers: ['0209999'] })).body.error?.field, 'numbers.0');
    const phone = await p.agentPhone('1001');
    const customer = await p.customerPhone();
    assert.deepEqual((await api['1001']!.get('/calls/caller-ids')).body, { allowed: true, numbers: ['02088880000'] });
    const t0 = performance.now();
    const dial = await api['1001']!.post('/calls', { to: CUSTOMER_MOBILE });
    assert.equal(dial.status, 201, JSON.stringify(dial.body));
    assert.equal(dial.body.callerNumber, '02088880000');
    assert.equal(dial.body.device, 'phone');
    assert.equal(dial.body.location, '江苏省常州市');
    const callId: string = dial.body.callId;
    const call = p.calls.list().find((c) => c.id === callId)!;
    await until('the customer to answer', p.onCalls, () => call.legs.find((l) => l.role === 'callee' && l.answeredAt !== null) ?? undefined);
    t.diagnostic(`POST /calls → customer answered ${(performance.now() - t0).toFixed(0)} ms`);
    const customerLeg = call.legs.find((l) => l.role === 'callee')!;
    // The customer talks (g711a.pcap); 1001's phone echoes it back.
    await poke('127.0.0.2', customer.port, customerLeg.sipCallId, 2);
    await legStatsWhen(tb.box, callId, customerLeg.id, (s) => s.rtpIn >= 20 && s.rtpToPhone >= 20, 30_000);

    // Whose call it is: 1001's; the 售前 supervisor may act on it, 1003 and the 售后 supervisor may not.
    assert.equal((await api['1003']!.post(`/calls/${callId}/hold`)).status, 404);
    assert.equal((await api['1004']!.post(`/calls/${callId}/hangup`)).status, 404);
    assert.equal((await api['1004']!.get('/calls')).body.length, 0);
    assert.deepEqual((await api['1002']!.get('/calls')).body.map((c: any) => c.id), [callId]);
    assert.equal((await api['1002']!.post(`/calls/${callId}/hold`)).status, 204);
    assert.equal((await api['1001']!.get('/calls')).body[0].held, true);
    assert.equal((await api['1001']!.post(`/calls/${callId}/unhold`)).status, 204);
    assert.equal((await api['1001']!.post(`/calls/${callId}/mute`)).status, 204);
    const agentLeg = tb.box.callCenter.notebook.peek(callId)!.agentLegId!;
    assert.equal(tb.box.media.call(callId)!.leg(agentLeg)!.producer!.paused, true, 'the agent is not heard');
    assert.equal((await api['1001']!.post(`/calls/${callId}/unmute`)).status, 204);
    assert.equal(tb.box.media.call(callId)!.leg(agentLeg)!.producer!.paused, false);
    assert.equal((await api['1001']!.post(`/calls/${callId}/dtmf`, { digits: '12#' })).status, 204);
    assert.equal((await api['1001']!.post(`/calls/${callId}/dtmf`, { digits: 'x' })).body.error.field, 'digits');

    const written = p.recordWritten(callId);
    assert.equal((await api['1001']!.post(`/calls/${callId}/hangup`)).status, 204);
    const [rp, rc] = await Promise.all([phone.run.done, customer.run.done]);
    assert.equal(rp.code, 0, rp.errors || rp.output);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    const invite = receivedMessages(rc.messages).find((m) => m.startsWith('INVITE'))!;
    assert.match(invite, new RegExp(`^INVITE sip:${CUSTOMER_MOBILE}@127\\.0\\.0\\.2`, 'm'));
    assert.match(invite, /^P-Asserted-Identity: <sip:02088880000@/m);
    await written;
    const rec = (await admin.get(`/records/${callId}`)).body;
    assert.equal(rec.direction, 'outbound');
    assert.equal(rec.callee, CUSTOMER_MOBILE);
    assert.equal(rec.number, '02088880000');
    assert.equal(rec.staffNo, '1001');
    assert.equal(rec.agentDevice, 'phone');
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.hangupSide, 'agent');
    assert.ok(rec.talkMs > 0 && rec.recording?.channels === 2, JSON.stringify(rec));
    // 1001 wraps up after the call and is 示闲 again.
    await until('1001 idle after 话后整理', (fire) => {
      tb.box.acd.on('agent-state', fire);
      return () => void tb.box.acd.off('agent-state', fire);
    }, () => (states.some((s) => s.agentId === p.ids['1001'] && s.to === 'acw' && s.callId === callId) && tb.box.acd.status(p.ids['1001']!).status === 'idle' ? true : undefined), 30_000);
    p.unregister('1001');
  });

  it('1001 transfers an inbound call to 售后: 1003 answers, one record with the transfer', async () => {
    const a1001 = await p.agentPhone('1001');
    const a1003 = await p.agentPhone('1003');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const first = await p.agentAnswered(call);
    assert.equal(first.party, '1001');
    // A plain agent of another group cannot touch it; an unknown call is 404 too.
    assert.equal((await api['1003']!.post(`/calls/${call.id}/transfer`, { kind: 'skillGroup', skillGroupId: p.ids['售后'] })).status, 404);
    assert.equal((await api['1001']!.post('/calls/00000000-0000-4000-8000-000000000000/hangup')).status, 404);
    const bad = await api['1001']!.post(`/calls/${call.id}/transfer`, { kind: 'skillGroup', skillGroupId: 999 });
    assert.equal(bad.body.error?.field, 'skillGroupId');
    const tr = await api['1001']!.post(`/calls/${call.id}/transfer`, { kind: 'skillGroup', skillGroupId: p.ids['售后'] });
    assert.equal(tr.status, 200, JSON.stringify(tr.body));
    const r1001 = await a1001.run.done;
    assert.equal(r1001.code, 0, r1001.errors || r1001.output);
    const second = await until('1003 to answer', p.onCalls, () => call.legs.find((l) => l.role === 'callee' && l.party === '1003' && l.answeredAt !== null) ?? undefined);
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    await legStatsWhen(tb.box, call.id, second.id, (s) => s.rtpIn >= 20 && s.rtpToPhone >= 20, 30_000);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const [rc, r1003] = await Promise.all([carrier.run.done, a1003.run.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(r1003.code, 0, r1003.errors || r1003.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.staffNo, '1003', 'the last agent');
    assert.equal(rec.skillGroupName, '售后');
    assert.equal(rec.endStatus, 'agentTransfer');
    assert.deepEqual(rec.detail.transfers.map((x: any) => [x.kind, x.to, x.by]), [['skillGroup', '售后', '1001']]);
    assert.deepEqual(rec.detail.queue.map((q: any) => q.skillGroupName), ['售前', '售后']);
    assert.equal((await admin.get(`/records?caller=13800138000&from=${rec.startedAt}`)).body.total, 1, 'one record for the whole call');
    // Both supervisors see it: it passed through both groups.
    assert.equal((await api['1002']!.get(`/records/${call.id}`)).status, 200);
    assert.equal((await api['1004']!.get(`/records/${call.id}`)).status, 200);
    p.unregister('1001');
    p.unregister('1003');
  });
});
