// 通话功能 beyond the basic controls on real calls (demo box, sipp peers, a loopback HTTP callback server):
// 收号 — the caller's key goes to the template's callback URL, never to the agent, and the two talk again;
// 自助服务 — the caller runs a published self-service flow and comes back to the agent; 加入黑名单 from the call;
// 邀请评价 during an inbound call; the 呼出评价 after the agent leaves an outbound call; 重拨; 外呼设置's prompts to the
// agent when the customer does not answer (busy) and when the customer hangs up first.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { legStatsWhen } from './sipp/calls/kit.ts';
import { CUSTOMER, NUMBER, PATH_BOX, PathPeers, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-icf-1';
const BOX = { ...PATH_BOX, mediaEdgePortMin: 47500, mediaEdgePortMax: 47999, mediaRtcPortMin: 40000, mediaRtcPortMax: 40499 };

describe('in-call features on real calls', { timeout: 400_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;
  let numberSettings: any;
  let server: http.Server;
  const posted: { body: any; at: number }[] = [];
  let onPost: () => void = () => undefined;

  /** The carrier calls, presses 1 and 1001 (desk phone) answers: the call, its ids and peers. */
  async function connected(): Promise<{ call: any; carrier: Awaited<ReturnType<PathPeers['carrierCall']>>; agent: Awaited<ReturnType<PathPeers['agentPhone']>>; callerSipId: string; agentLeg: any }> {
    const agent = await p.agentPhone('1001');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const agentLeg = await p.agentAnswered(call);
    return { call, carrier, agent, callerSipId, agentLeg };
  }

  before(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        posted.push({ body: JSON.parse(data), at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        onPost();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
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
  after(async () => {
    await tb?.close();
    server?.close();
  });

  it('收号: the caller’s key reaches the callback URL (not the agent); then caller and agent talk again; 加入黑名单', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/digits`;
    const t = await admin.post('/call-settings/digit-collection', { name: '身份证后四位', prompt: { kind: 'tts', text: '请输入号码' }, minDigits: 1, maxDigits: 1, terminator: '#', timeoutSec: 20, callbackUrl: url });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const c = await connected();
    const api1001 = await p.agentApi('1001');
    const api1003 = await p.agentApi('1003');
    // 通话保持放音 (custom TTS): while held, the caller keeps receiving audio — the hold prompt — though nobody talks.
    assert.equal((await admin.put('/call-settings/hold-music', { mode: 'custom', prompt: { kind: 'tts', text: '请稍候，客服马上回来。' } })).status, 200);
    const h0 = (await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, () => true, 5_000)).rtpToPhone;
    assert.equal((await api1001.post(`/calls/${c.call.id}/hold`)).status, 204);
    await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, (s) => s.rtpToPhone >= h0 + 50, 30_000);
    assert.equal((await api1001.post(`/calls/${c.call.id}/unhold`)).status, 204);
    assert.equal((await api1003.post(`/calls/${c.call.id}/collect-digits`, { templateId: t.body.id })).status, 404, 'not 1003’s call');
    assert.equal((await api1001.post(`/calls/${c.call.id}/collect-digits`, { templateId: 999 })).status, 404);
    const got = new Promise<void>((r) => (onPost = r));
    const r = await api1001.post(`/calls/${c.call.id}/collect-digits`, { templateId: t.body.id });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal((await api1001.post(`/calls/${c.call.id}/collect-digits`, { templateId: t.body.id })).status, 409, 'one at a time');
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 3);
    await got;
    const b = posted.at(-1)!.body;
    assert.deepEqual([b.SessionId, b.TemplateId, b.TemplateName, b.Caller, b.Callee, b.StaffNo, b.Digits], [c.call.id, t.body.id, '身份证后四位', CUSTOMER, NUMBER, '1001', '1']);
    await until('reconnected', (fire) => {
      const id = setInterval(fire, 50);
      return () => clearInterval(id);
    }, () => (tb.box.callCenter.notebook.peek(c.call.id)?.aside === null ? true : undefined), 10_000);
    // They hear each other again: the caller talks, 1001's phone echoes back to the caller.
    const before = (await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, () => true, 5_000)).rtpToPhone;
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 2);
    await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, (s) => s.rtpToPhone >= before + 30, 30_000);

    // 加入黑名单 from the call: the customer's number; a colleague cannot.
    assert.equal((await api1003.post(`/calls/${c.call.id}/blacklist`, {})).status, 404);
    const bl = await api1001.post(`/calls/${c.call.id}/blacklist`, { remark: '恶意来电' });
    assert.equal(bl.status, 201, JSON.stringify(bl.body));
    assert.equal(bl.body.number, CUSTOMER);
    assert.equal(bl.body.createdBy.id, p.ids['1001']);
    const written = p.recordWritten(c.call.id);
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 9);
    await Promise.all([c.carrier.run.done, c.agent.run.done]);
    await written;
    assert.equal((await admin.del(`/call-settings/blacklist/${bl.body.id}`)).status, 204);
    p.unregister('1001');
  });

  it('自助服务: the caller runs the published flow and is connected back to 1001', async () => {
    const flow = await admin.post('/ivr/flows', { name: '自助查询', kind: 'selfService' });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    const v = (await admin.get(`/ivr/flows/${flow.body.id}/versions/MAIN`)).body;
    const end = v.definition.nodes.find((n: any) => n.type === 'end');
    end.params.prompt = { kind: 'tts', text: '自助服务已完成，正在为您转回客服。' };
    assert.equal((await admin.put(`/ivr/flows/${flow.body.id}/versions/MAIN`, { definition: v.definition })).status, 200);
    assert.equal((await admin.post(`/ivr/flows/${flow.body.id}/versions/MAIN/publish`)).status, 200);
    const ss = await admin.post('/call-settings/self-service', { name: '查询', flowId: flow.body.id });
    assert.equal(ss.status, 201, JSON.stringify(ss.body));
    assert.equal((await admin.get('/call-settings/self-service')).body[0].flowName, '自助查询');
    const c = await connected();
    const api1001 = await p.agentApi('1001');
    const r = await api1001.post(`/calls/${c.call.id}/self-service`, { selfServiceId: ss.body.id });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(tb.box.callCenter.notebook.peek(c.call.id)?.aside, 'selfService');
    await until('back with the agent', (fire) => {
      const id = setInterval(fire, 50);
      return () => clearInterval(id);
    }, () => (tb.box.callCenter.notebook.peek(c.call.id)?.aside === null ? true : undefined), 30_000);
    assert.equal(c.call.state, 'answered', 'the call goes on');
    const before = (await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, () => true, 5_000)).rtpToPhone;
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 2);
    await legStatsWhen(tb.box, c.call.id, `${c.call.id}:caller`, (s) => s.rtpToPhone >= before + 30, 30_000);
    const written = p.recordWritten(c.call.id);
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 9);
    await Promise.all([c.carrier.run.done, c.agent.run.done]);
    await written;
    const rec = (await admin.get(`/records/${c.call.id}`)).body;
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.staffNo, '1001');
    p.unregister('1001');
  });

  it('邀请评价 during an inbound call: 1001 leaves, the caller answers the number’s survey', async () => {
    const s = structuredClone(numberSettings);
    s.inboundSurvey = { ...s.inboundSurvey, enabled: true, timeoutSec: 20 };
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, s)).status, 200);
    const c = await connected();
    const api1001 = await p.agentApi('1001');
    const written = p.recordWritten(c.call.id);
    assert.equal((await api1001.post(`/calls/${c.call.id}/survey`)).status, 202);
    assert.equal((await c.agent.run.done).code, 0, '1001’s phone got BYE');
    await poke('127.0.0.2', c.carrier.port, c.callerSipId, 3);
    assert.equal((await c.carrier.run.done).code, 0);
    await written;
    const rec = (await admin.get(`/records/${c.call.id}`)).body;
    assert.deepEqual(rec.satisfaction, { key: '1', label: '满意' });
    assert.equal(rec.hangupSide, 'agent');
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, numberSettings)).status, 200);
    p.unregister('1001');
  });

  it('呼出评价: 1001 hangs up an outbound call, the customer is offered the survey; 重拨 dials the same number', async () => {
    const s = structuredClone(numberSettings);
    s.outboundSurvey = { ...s.outboundSurvey, enabled: true, timeoutSec: 1, maxErrors: 1 };
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, s)).status, 200);
    assert.equal((await admin.put(`/calls/outbound-numbers/${p.ids['售前']}`, { numbers: [NUMBER] })).status, 200);
    const api1001 = await p.agentApi('1001');
    assert.equal((await api1001.post('/calls/redial')).status, 404, 'nothing to redial yet');
    const phone = await p.agentPhone('1001');
    const customer = await p.customerPhone();
    const dial = await api1001.post('/calls', { to: CUSTOMER });
    assert.equal(dial.status, 201, JSON.stringify(dial.body));
    const out = p.calls.list().find((c) => c.id === dial.body.callId)!;
    const cust = await until('the customer to answer', p.onCalls, () => out.legs.find((l) => l.role === 'callee' && l.answeredAt !== null) ?? undefined);
    const written = p.recordWritten(out.id);
    assert.equal((await api1001.post(`/calls/${out.id}/hangup`)).status, 204);
    assert.equal((await phone.run.done).code, 0, '1001 is released at once');
    assert.equal((await customer.run.done).code, 0, 'the box hangs up after the survey');
    await written;
    const agentLeg = out.legs.find((l) => l.role === 'caller')!;
    assert.ok(cust.endedAt! - agentLeg.endedAt! >= 1000, `the customer stayed for the survey (${cust.endedAt! - agentLeg.endedAt!} ms)`);
    const rec = (await admin.get(`/records/${out.id}`)).body;
    assert.equal(rec.direction, 'outbound');
    assert.equal(rec.satisfaction, null, 'offered, not answered');
    assert.equal(rec.hangupSide, 'agent');
    assert.equal(rec.endStatus, 'normal');
    assert.equal((await admin.put(`/call-settings/numbers/${NUMBER}`, numberSettings)).status, 200);

    // 重拨: the same customer again (1001's phone rings first; hung up before the customer answers).
    const phone2 = await p.agentPhone('1001');
    const again = await api1001.post('/calls/redial');
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.callee, CUSTOMER);
    assert.equal(again.body.callerNumber, NUMBER);
    await until('1001 answered', p.onCalls, () => p.calls.get(again.body.callId)?.legs.find((l) => l.answeredAt !== null) ?? (p.calls.get(again.body.callId) ? undefined : true));
    assert.equal((await api1001.post(`/calls/${again.body.callId}/hangup`)).status, 204);
    assert.equal((await phone2.run.done).code, 0);
    p.unregister('1001');
  });

  it('外呼设置 prompts to the agent: the customer is busy; the customer hangs up first', async () => {
    const ob = (await admin.get('/call-settings/outbound')).body;
    const withPrompts = { ...ob, noAnswerPrompt: { kind: 'tts', text: '对方正忙，请稍后再拨。' }, customerHangupPrompt: { kind: 'tts', text: '客户已挂机，请整理记录。' } };
    assert.equal((await admin.put('/call-settings/outbound', withPrompts)).status, 200);
    assert.equal((await admin.put(`/calls/outbound-numbers/${p.ids['售前']}`, { numbers: [NUMBER] })).status, 200);
    const api1001 = await p.agentApi('1001');

    // Busy (486): 1001 hears the no-answer prompt — audio to its phone though nobody talks — and the box then hangs up.
    const phone = await p.agentPhone('1001');
    const busy = await p.customerPhone('customer-busy.xml');
    const dial = await api1001.post('/calls', { to: CUSTOMER });
    assert.equal(dial.status, 201, JSON.stringify(dial.body));
    const out = p.calls.list().find((c) => c.id === dial.body.callId)!;
    const written = p.recordWritten(out.id);
    const agentLeg = await until('1001 to answer', p.onCalls, () => out.legs.find((l) => l.role === 'caller' && l.answeredAt !== null) ?? undefined);
    // Polled from the answer on: waiting first for the customer leg's end (re-checked only on call events) could
    // resume only when the whole call had ended, prompt and all.
    const heard = await legStatsWhen(tb.box, out.id, agentLeg.id, (s) => s.rtpToPhone >= 40, 15_000);
    assert.ok(heard.rtpToPhone >= 40, '≥ 0.8 s of the prompt reached 1001');
    assert.ok(out.legs.find((l) => l.role === 'callee')?.endedAt != null, 'the customer was busy before 1001 heard the prompt');
    assert.equal((await phone.run.done).code, 0, 'the box hangs up 1001 after the prompt');
    assert.equal((await busy.run.done).code, 0);
    await written;
    const cust = out.legs.find((l) => l.role === 'callee')!;
    assert.ok(agentLeg.endedAt! - cust.endedAt! >= 800, `1001 stayed for the prompt (${agentLeg.endedAt! - cust.endedAt!} ms)`);
    const rec = (await admin.get(`/records/${out.id}`)).body;
    assert.equal(rec.direction, 'outbound');
    assert.equal(rec.endStatus, 'busy', JSON.stringify(rec));

    // Answered, then the customer hangs up first: 1001 hears the customer-hang-up prompt, then the box hangs up.
    const phone2 = await p.agentPhone('1001');
    const customer = await p.customerPhone();
    const dial2 = await api1001.post('/calls', { to: CUSTOMER });
    assert.equal(dial2.status, 201, JSON.stringify(dial2.body));
    const out2 = p.calls.list().find((c) => c.id === dial2.body.callId)!;
    const written2 = p.recordWritten(out2.id);
    const cust2 = await until('the customer to answer', p.onCalls, () => out2.legs.find((l) => l.role === 'callee' && l.answeredAt !== null) ?? undefined);
    const agent2 = out2.legs.find((l) => l.role === 'caller')!;
    await poke('127.0.0.2', customer.port, cust2.sipCallId, 9);
    assert.equal((await customer.run.done).code, 0);
    const before = await legStatsWhen(tb.box, out2.id, agent2.id, () => true, 5_000);
    await legStatsWhen(tb.box, out2.id, agent2.id, (s) => s.rtpToPhone >= before.rtpToPhone + 40, 15_000);
    assert.equal((await phone2.run.done).code, 0, 'the box hangs up 1001 after the prompt');
    await written2;
    assert.ok(agent2.endedAt! - cust2.endedAt! >= 800, `1001 stayed for the prompt (${agent2.endedAt! - cust2.endedAt!} ms)`);
    const rec2 = (await admin.get(`/records/${out2.id}`)).body;
    assert.equal(rec2.endStatus, 'normal');
    assert.equal(rec2.hangupSide, 'callee', 'the customer (callee of the agent’s call) hung up');
    assert.equal((await admin.put('/call-settings/outbound', ob)).status, 200);
    p.unregister('1001');
  });
});
