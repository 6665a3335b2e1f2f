// 转人工 (skill group, and the specifiedSeat callback against a real local HTTP server) and the
// 满意度评价 after the agent hangs up, with the answer in the variables and the trace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { QueueOutcome, QueueRequest } from '../../../src/ivr/runtime/index.ts';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';
import { HttpPeer } from './http-peer.ts';

let peer: HttpPeer;
before(async () => {
  peer = await HttpPeer.start();
});
after(async () => peer.close());

function agentFlow(agentParams: Record<string, unknown>) {
  return buildFlow({
    start: { type: 'start', outlets: { next: 'menu' } },
    menu: { type: 'menu', params: { prompt: tts('人工请按0'), keys: [{ key: '0' }] }, outlets: { 'key:0': 'agent' } },
    agent: { type: 'toAgent', params: { prompt: tts('正在为您转接'), ...agentParams }, outlets: { done: 'survey', failed: 'sorry' } },
    survey: {
      type: 'survey',
      params: {
        prompt: tts('满意请按1，一般请按2，不满意请按3'),
        errorPrompt: tts('按键无效'),
        thanksPrompt: tts('感谢评价，客服 ${StaffNo} 为您服务'),
        options: [{ key: '1', label: '满意' }, { key: '2', label: '一般' }, { key: '3', label: '不满意' }],
      },
      outlets: { next: 'end' },
    },
    sorry: { type: 'play', params: { prompt: tts('暂时无法接通') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
}

test('skill group: the ACD gets the request; after the agent hangs up the survey answer is recorded', async () => {
  const { def, ids } = agentFlow({ mode: 'skillGroup', skillGroupId: 3, priority: 2, maxWaitSec: 120 });
  const requests: QueueRequest[] = [];
  const r = run(snapshotOf(def), {
    outcomes: {
      transferToQueue: (req) => {
        requests.push(req);
        return { result: 'agentHungUp', agent: { staffNo: '1001', email: '1001@demo.local' }, skillGroupId: 3, waitMs: 4000, talkMs: 60000 };
      },
    },
  });
  await r.step();
  r.call.pressDigits('0');
  assert.deepEqual(await r.step(), ['正在为您转接', '满意请按1，一般请按2，不满意请按3']);
  assert.deepEqual(requests, [{ target: { kind: 'skillGroup', skillGroupId: 3 }, priority: 2, maxWaitMs: 120000, ivr: { flowId: 1, flowName: 'test', version: 'MAIN', nodeId: ids.agent, keys: '0' } }]);
  r.call.pressDigits('7');
  assert.deepEqual(await r.step(), ['按键无效', '满意请按1，一般请按2，不满意请按3']);
  r.call.pressDigits('1');
  const trace = await r.done;
  assert.equal(r.plays().at(-1), '感谢评价，客服 1001 为您服务');
  assert.deepEqual(trace.survey.map((s) => [s.nodeId, s.key, s.label]), [[ids.survey, '1', '满意']]);
  assert.equal(r.call.getVariable('SatisfactionKey'), '1');
  assert.equal(r.call.getVariable('SatisfactionLabel'), '满意');
  assert.deepEqual(trace.keys.map((k) => k.digits), ['0', '7', '1']);
});

test('no answer to the survey is recorded as such', async () => {
  const { def, ids } = agentFlow({ skillGroupId: 3 });
  const r = run(snapshotOf(def), { outcomes: { transferToQueue: () => ({ result: 'agentHungUp', agent: { staffNo: '1002' }, skillGroupId: 3, waitMs: 0, talkMs: 1 }) } });
  await r.step();
  r.call.pressDigits('0');
  await r.step();
  r.clock.tick(5000);
  await r.step();
  r.clock.tick(5000);
  const trace = await r.done;
  assert.deepEqual(trace.survey.map((s) => [s.nodeId, s.key]), [[ids.survey, null]]);
});

test('specifiedSeat: POST ?action=specifiedSeat&version=1 with the manual fields → SeatEmails / SkillGroup', async () => {
  const { def } = agentFlow({ mode: 'specifiedSeat', callbackUrl: `${peer.url}/seat`, sdkAppId: '1400000001', skillGroupId: 3 });
  const requests: QueueRequest[] = [];
  const r = run(snapshotOf(def), {
    callerNumber: '13800001111',
    outcomes: {
      transferToQueue: (req) => {
        requests.push(req);
        return { result: 'noAgentOnline', skillGroupId: null };
      },
    },
  });
  await r.step();
  r.call.pressDigits('0');
  const req = await peer.next();
  assert.equal(req.url, '/seat?action=specifiedSeat&version=1');
  const body = req.json();
  assert.match(body.RequestId, /^[0-9a-f-]{36}$/);
  assert.equal(body.Timestamp, Math.floor(r.clock.now() / 1000));
  assert.equal(body.SdkAppId, '1400000001');
  assert.equal(body.SessionType, 'phone');
  assert.equal(body.User, '13800001111');
  req.reply(200, { SeatEmails: ['1003@demo.local', '1004@demo.local'], SkillGroup: '售后' });
  const trace = await r.done;
  assert.deepEqual(requests[0]!.target, { kind: 'agents', agentEmails: ['1003@demo.local', '1004@demo.local'], skillGroupName: '售后' });
  assert.equal(r.plays().at(-1), '暂时无法接通', 'noAgentOnline leaves through failed');
  assert.equal(trace.path.find((p) => p.type === 'toAgent')!.outlet, 'failed');
});

test('specifiedSeat: a failing callback falls back to the node skill group; without one the node fails', async () => {
  const outcome: QueueOutcome = { result: 'transferred', agent: { staffNo: '1001' }, to: '1003' };
  const requests: QueueRequest[] = [];
  const withGroup = agentFlow({ mode: 'specifiedSeat', callbackUrl: `${peer.url}/seat`, skillGroupId: 4, callbackMaxErrors: 2 });
  const r = run(snapshotOf(withGroup.def), { outcomes: { transferToQueue: (q) => (requests.push(q), outcome) } });
  await r.step();
  r.call.pressDigits('0');
  (await peer.next()).reply(503, 'down', 'text/plain');
  (await peer.next()).reply(200, { SeatEmails: 'not a list' });
  const trace = await r.done;
  assert.deepEqual(requests[0]!.target, { kind: 'skillGroup', skillGroupId: 4 });
  assert.deepEqual(trace.end, { reason: 'transferred', nodeId: withGroup.ids.agent, to: '1003' });
  assert.equal(r.call.ended, null, 'a transferred call is not hung up by the IVR');

  const noGroup = agentFlow({ mode: 'specifiedSeat', callbackUrl: `${peer.url}/seat`, callbackMaxErrors: 1 });
  const r2 = run(snapshotOf(noGroup.def), { outcomes: { transferToQueue: () => assert.fail('must not queue') } });
  await r2.step();
  r2.call.pressDigits('0');
  (await peer.next()).reply(200, { SeatEmails: [] });
  const t2 = await r2.done;
  assert.equal(r2.plays().at(-1), '暂时无法接通');
  assert.ok(t2.events.some((e) => e.event === 'specifiedSeatFailed'));
});

test('without an ACD answer the call waits: the simulator offers the outcomes', async () => {
  const { def } = agentFlow({ skillGroupId: 3 });
  const r = run(snapshotOf(def));
  await r.step();
  r.call.pressDigits('0');
  await r.step();
  const w = r.call.waiting;
  assert.equal(w?.kind, 'outcome');
  assert.deepEqual(w?.kind === 'outcome' && w.choices, ['agentHungUp', 'noAgentOnline', 'timeout', 'transferred']);
  r.call.choose('timeout');
  await r.done;
  assert.equal(r.plays().at(-1), '暂时无法接通');
});
