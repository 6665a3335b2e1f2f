// What the ACD does with real calls on a demo box (sipp carrier and desk phones): a phone that lets it ring
// out (呼入超时转接) hands the call to the next agent and puts its agent on 小休 when configured; a caller who
// hangs up while queued is 会话排队期间用户放弃; with nobody online the configured action runs (hang up with a
// prompt → 无座席在线).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentStateChange, QueueEvent } from '../../src/acd/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { PATH_BOX, PathPeers, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-acd-path-1';

describe('ACD on real calls: ring timeout, queue abandon, no agent online', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;
  const states: AgentStateChange[] = [];
  const queueEvents: QueueEvent[] = [];

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...PATH_BOX });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    p = new PathPeers(tb, admin);
    await p.loadIds();
    const settings = (await admin.get('/acd/settings')).body.global;
    settings.answer.ringTimeout = { enabled: true, seconds: 5 };
    settings.answer.breakAfterRingTimeout = true;
    settings.answer.afterCallIdle = { enabled: true, seconds: 1 };
    settings.routing = { distribution: 'sequential', lastAgentFirst: false };
    settings.queue.noAgentAction = { action: 'hangup', prompt: '当前无客服在线，请稍后再拨' };
    settings.queue.announce.intervalSec = 0;
    assert.equal((await admin.put('/acd/settings', { skillGroupId: null, settings })).status, 200, 'settings saved');
    // 1001 rings first (member priority 1), 1002 next.
    const members = [{ kind: 'agent', id: p.ids['1001'], priority: 1 }, { kind: 'agent', id: p.ids['1002'], priority: 2 }];
    assert.equal((await admin.put(`/skill-groups/${p.ids['售前']}/members`, { members })).status, 200);
    tb.box.acd.on('agent-state', (c) => states.push(c));
    tb.box.acd.on('queue', (e) => queueEvents.push(e));
  });
  after(() => tb?.close());

  it('1001 lets it ring out: after 5 s 1002 gets the call, and 1001 goes on 小休', async () => {
    const a1001 = await p.agentPhone('1001', 'agent-noanswer.xml');
    const a1002 = await p.agentPhone('1002');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    await p.agentAnswered(call);
    const r1001 = await a1001.run.done;
    assert.equal(r1001.code, 0, r1001.errors || r1001.output);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const [rc, r1002] = await Promise.all([carrier.run.done, a1002.run.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(r1002.code, 0, r1002.errors || r1002.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.staffNo, '1002');
    assert.equal(rec.endStatus, 'normal');
    assert.deepEqual(rec.detail.offers.map((o: any) => [o.staffNo, o.result]), [['1001', 'timeout'], ['1002', 'answered']]);
    const offered = rec.detail.offers[0];
    assert.ok(offered.endedAt - offered.at >= 4500, `1001 rang ${offered.endedAt - offered.at} ms`);
    const brk = states.find((s) => s.agentId === p.ids['1001'] && s.axis === 'status' && s.to === 'break');
    assert.equal(brk?.cause, 'ring-timeout');
    assert.equal((await admin.get(`/agents/${p.ids['1001']}/status`)).body.status, 'break');
    p.unregister('1001');
    p.unregister('1002');
  });

  it('the caller hangs up while queued: 会话排队期间用户放弃', async () => {
    // Online but 示忙: the call waits in the queue.
    await p.setStatus('1001', 'busy');
    await p.setStatus('1002', 'busy');
    queueEvents.length = 0;
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    await until('the call to join the 售前 queue', (fire) => {
      tb.box.acd.on('queue', fire);
      return () => void tb.box.acd.off('queue', fire);
    }, () => (queueEvents.some((e) => e.callId === call.id && e.type === 'joined') ? true : undefined));
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.endStatus, 'queueAbandon');
    assert.equal(rec.endStatusText, '会话排队期间用户放弃');
    assert.equal(rec.hangupSide, 'caller');
    assert.equal(rec.skillGroupName, '售前');
    assert.equal(rec.agentId, null);
    assert.ok(queueEvents.some((e) => e.callId === call.id && e.type === 'left' && e.outcome === 'callerAbandoned'));
  });

  it('nobody of 售前 online: the configured prompt, the box hangs up, 无座席在线', async () => {
    await p.setStatus('1001', 'offline');
    await p.setStatus('1002', 'offline');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, call.legs[0]!.sipCallId, 1);
    // The scenario ends on the box's BYE.
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.endStatus, 'noAgentOnline');
    assert.equal(rec.endStatusText, '无座席在线');
    assert.equal(rec.hangupSide, 'system');
    assert.equal(rec.ivrKeys, '1');
    assert.equal(rec.detail.queue[0].outcome, 'hangup');
    const list = await admin.get('/records?endStatus=noAgentOnline');
    assert.deepEqual(list.body.items.map((r: any) => r.id), [call.id]);
  });
});
