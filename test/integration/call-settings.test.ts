// 通话设置 on real calls (demo box, sipp peers): the /call-settings API (permission, field-named 400s, 409, 404);
// a blacklisted caller hears the prompt and is hung up (黑名单拒接); 外呼指定分配 — the customer 1001 called out
// calls back and reaches 1001 only, or hears the failure prompt when 1001 is offline; the number's 呼入评价配置
// runs after the agent hangs up and its key and label land on the record.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { legStatsWhen } from './sipp/calls/kit.ts';
import { CUSTOMER, NUMBER, PATH_BOX, PathPeers, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-cs-1';
const BOX = { ...PATH_BOX, mediaEdgePortMin: 46000, mediaEdgePortMax: 46999, mediaRtcPortMin: 47000, mediaRtcPortMax: 47499 };

describe('call settings on real calls', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;
  let numberSettings: any;

  const idle = (ext: string): Promise<true> => until(`${ext} idle`, (fire) => {
    tb.box.acd.on('agent-state', fire);
    return () => void tb.box.acd.off('agent-state', fire);
  }, () => (tb.box.acd.status(p.ids[ext]!).status === 'idle' && tb.box.acd.status(p.ids[ext]!).dispatch === 'waiting' ? true : undefined), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(tb.box.acd.status(p.ids[ext]!))}`);
  });

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
    numberSettings = (await admin.get(`/call-settings/numbers/${NUMBER}`)).body;
  });
  after(() => tb?.close());

  it('the API: settings permission, field-named 400s, 409 for a number twice, 404 for a number not ours', async () => {
    const agent = await p.agentApi('1003');
    assert.equal((await agent.get('/call-settings/blacklist')).status, 403);
    assert.equal((await agent.put('/call-settings/hold-music', { mode: 'none', prompt: null })).status, 403);
    assert.equal((await agent.get('/call-settings/self-service')).status, 200, 'the workbench reads the self-service list');
    assert.equal((await admin.post('/call-settings/blacklist', { number: '12ab' })).body.error.field, 'number');
    assert.equal((await admin.put('/call-settings/hold-music', { mode: 'custom', prompt: null })).body.error.field, 'prompt');
    assert.equal((await admin.put('/call-settings/hold-music', { mode: 'custom', prompt: { kind: 'file', promptId: 'nope' } })).body.error.field, 'prompt.promptId');
    const hm = await admin.put('/call-settings/hold-music', { mode: 'custom', prompt: { kind: 'tts', text: '请稍候' } });
    assert.equal(hm.status, 200, JSON.stringify(hm.body));
    assert.deepEqual((await admin.get('/call-settings/hold-music')).body, { mode: 'custom', prompt: { kind: 'tts', text: '请稍候' } });
    const ob = (await admin.get('/call-settings/outbound')).body;
    assert.deepEqual(ob, { callerIdRule: 'group', allowAgentChoice: true, allowInternational: false, noAnswerPrompt: null, customerHangupPrompt: null });
    assert.equal((await admin.put('/call-settings/outbound', { ...ob, callerIdRule: 'nearest' })).body.error.field, 'callerIdRule');
    assert.equal((await admin.get('/call-settings/numbers/02011112222')).status, 404);
    const bad = structuredClone(numberSettings);
    bad.inboundSurvey.options = [{ key: '1', label: 'a' }, { key: '1', label: 'b' }];
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, bad)).body.error.field, 'inboundSurvey.options.1.key');
    assert.equal((await admin.post('/call-settings/digit-collection', { name: 'x', prompt: { kind: 'tts', text: '请输入' }, minDigits: 6, maxDigits: 4, terminator: '#', timeoutSec: 10, callbackUrl: 'http://127.0.0.1:9/x' })).body.error.field, 'maxDigits');
    assert.equal((await admin.post('/call-settings/digit-collection', { name: 'x', prompt: { kind: 'tts', text: '请输入' }, minDigits: 4, maxDigits: 6, terminator: '#', timeoutSec: 10, callbackUrl: 'ftp://h/x' })).body.error.field, 'callbackUrl');
    const flows = (await admin.get('/ivr/flows')).body;
    const inbound = (flows.items ?? flows).find((f: any) => f.kind === 'inbound');
    assert.equal((await admin.post('/call-settings/self-service', { name: '查余额', flowId: inbound.id })).body.error.field, 'flowId');
    const one = await admin.post('/call-settings/blacklist', { number: '+86 139 0000 1111'.replace(/ /g, ''), remark: '骚扰' });
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.equal((await admin.post('/call-settings/blacklist', { number: '13900001111' })).body.error.field, 'number', 'the same number spelled nationally');
    assert.equal((await admin.get('/call-settings/blacklist?number=0000111')).body.total, 1);
    assert.equal((await admin.del(`/call-settings/blacklist/${one.body.id}`)).status, 204);
    assert.equal((await admin.del(`/call-settings/blacklist/${one.body.id}`)).status, 404);
  });

  it('a blacklisted caller hears the prompt and is hung up; the record says 黑名单拒接', async () => {
    const entry = await admin.post('/call-settings/blacklist', { number: CUSTOMER, remark: 'test' });
    assert.equal(entry.status, 201);
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const written = p.recordWritten(call.id);
    // The box plays the prompt and sends BYE: the carrier's scenario ends without the test hanging up.
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.endStatus, 'blacklisted');
    assert.equal(rec.endStatusText, '黑名单拒接');
    assert.equal(rec.detail.ivr, null, 'the IVR never ran');
    assert.ok(rec.totalMs > 500, 'the prompt played');
    assert.equal((await admin.del(`/call-settings/blacklist/${entry.body.id}`)).status, 204);
  });

  it('the number’s 呼入评价配置 after the agent hangs up: key and label on the record', async () => {
    const s = structuredClone(numberSettings);
    s.inboundSurvey = { ...s.inboundSurvey, enabled: true, options: [{ key: '1', label: '非常满意' }, { key: '2', label: '不满意' }], timeoutSec: 20 };
    const put = await admin.put(`/call-settings/numbers/${NUMBER}`, s);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const agent = await p.agentPhone('1001');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const agentLeg = await p.agentAnswered(call);
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (x) => x.rtpIn >= 30 && x.rtpToPhone >= 30, 30_000);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.1', agent.port, agentLeg.sipCallId, 9);
    assert.equal((await agent.run.done).code, 0);
    await until('the agent leg to end', p.onCalls, () => (agentLeg.endedAt !== null ? true : undefined));
    await poke('127.0.0.2', carrier.port, callerSipId, 3);
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.deepEqual(rec.satisfaction, { key: '1', label: '非常满意' });
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.hangupSide, 'agent');
    assert.ok(!rec.detail.ivr.path.some((x: any) => x.type === 'survey'), 'the number’s survey ran instead of the flow’s');
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, numberSettings)).status, 200);
    p.unregister('1001');
  });

  it('外呼指定分配 (only): the customer 1001 called reaches 1001 again; with 1001 offline the failure prompt plays', async () => {
    const s = structuredClone(numberSettings);
    s.lastAgentRouting = { mode: 'only', failurePrompt: { kind: 'tts', text: '您要找的客服不在。' } };
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, s)).status, 200);
    const api1001 = await p.agentApi('1001');
    // 1001 calls the customer, who answers; 1001 hangs up from the API.
    const phone = await p.agentPhone('1001');
    const customer = await p.customerPhone();
    const dial = await api1001.post('/calls', { to: CUSTOMER });
    assert.equal(dial.status, 201, JSON.stringify(dial.body));
    const out = p.calls.list().find((c) => c.id === dial.body.callId)!;
    await until('the customer to answer', p.onCalls, () => out.legs.find((l) => l.role === 'callee' && l.answeredAt !== null) ?? undefined);
    const outWritten = p.recordWritten(out.id);
    assert.equal((await api1001.post(`/calls/${out.id}/hangup`)).status, 204);
    await Promise.all([phone.run.done, customer.run.done]);
    await outWritten;
    p.unregister('1001');

    // The customer calls back: no menu, 1001's phone rings at once (1002, also 售前 and idle, is not rung).
    const phone2 = await p.agentPhone('1001');
    await idle('1001');
    const other = await p.agentPhone('1002');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const leg = await p.agentAnswered(call);
    assert.equal(leg.party, '1001');
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, call.legs[0]!.sipCallId, 9);
    assert.equal((await carrier.run.done).code, 0);
    assert.equal((await phone2.run.done).code, 0);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.staffNo, '1001');
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.ivrKeys, '');
    assert.equal(rec.detail.ivr, null);
    p.unregister('1001');

    // 1001 is offline now: the failure prompt, then the box hangs up (1002 is still not rung).
    const off = await api1001.put(`/agents/${p.ids['1001']}/status`, { status: 'offline' });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    const carrier2 = await p.carrierCall();
    const call2 = await p.answeredByBox();
    const written2 = p.recordWritten(call2.id);
    const rc2 = await carrier2.run.done;
    assert.equal(rc2.code, 0, rc2.errors || rc2.output);
    await written2;
    const rec2 = (await admin.get(`/records/${call2.id}`)).body;
    assert.equal(rec2.endStatus, 'notConnected');
    assert.equal(rec2.agentId, null);
    assert.equal(call2.legs.filter((l) => l.role === 'callee').length, 0, 'nobody was rung');
    p.unregister('1002');
    other.run.kill();
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, numberSettings)).status, 200);
  });

  it('外呼指定分配 (first): with 1001 offline the call goes on to the number’s IVR and 售前', async () => {
    const s = structuredClone(numberSettings);
    s.lastAgentRouting = { mode: 'first', failurePrompt: null };
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, s)).status, 200);
    assert.equal(tb.box.acd.status(p.ids['1001']!).status, 'offline');
    const agent = await p.agentPhone('1002');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const leg = await p.agentAnswered(call);
    assert.equal(leg.party, '1002');
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    assert.equal((await carrier.run.done).code, 0);
    assert.equal((await agent.run.done).code, 0);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.staffNo, '1002');
    assert.equal(rec.ivrKeys, '1');
    assert.equal(rec.skillGroupName, '售前');
    assert.equal(rec.endStatus, 'normal');
    p.unregister('1002');
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, numberSettings)).status, 200);
  });
});
