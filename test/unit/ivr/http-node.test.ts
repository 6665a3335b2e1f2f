// 接口调用 against a real HTTP server on loopback: input fields as JSON, outputs with defaults, per-try
// timeout on the fake clock, retries, HTTP errors and malformed JSON.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';
import { HttpPeer } from './http-peer.ts';

let peer: HttpPeer;
before(async () => {
  peer = await HttpPeer.start();
});
after(async () => peer.close());

function httpFlow(extra: Record<string, unknown> = {}) {
  return buildFlow({
    start: { type: 'start', outlets: { next: 'collect' } },
    collect: { type: 'collect', params: { prompt: tts('请输入会员号'), variable: 'MemberNo', maxDigits: 4, endMode: 'fixed' }, outlets: { next: 'http' } },
    http: {
      type: 'http',
      params: {
        url: `${peer.url}/member?src=ivr`,
        inputs: [{ name: 'member', value: '${MemberNo}' }, { name: 'caller', value: '${SystemCallerNumber}' }, { name: 'fixed', value: 'ccbox' }],
        outputs: [
          { variable: 'Level', field: 'data.level', default: 'normal' },
          { variable: 'Name', field: 'data.name', default: '客户' },
          { variable: 'Orders', field: 'data.orders', default: '[]' },
        ],
        timeoutSec: 2,
        maxErrors: 2,
        ...extra,
      },
      outlets: { next: 'say' },
    },
    say: { type: 'play', params: { prompt: tts('${Name}，您是${Level}会员') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
}

test('posts the input fields as JSON and maps response fields into variables', async () => {
  const { def, ids } = httpFlow();
  const r = run(snapshotOf(def), { callerNumber: '13912345678' });
  await r.step();
  r.call.pressDigits('8001');
  const req = await peer.next();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/member?src=ivr');
  assert.match(String(req.headers['content-type']), /application\/json/);
  assert.deepEqual(req.json(), { member: '8001', caller: '13912345678', fixed: 'ccbox' });
  req.reply(200, { data: { level: '金卡', name: '张先生', orders: [1, 2] } });
  const trace = await r.done;
  assert.equal(r.plays().at(-1), '张先生，您是金卡会员');
  assert.equal(r.call.getVariable('Orders'), '[1,2]', 'objects come back as JSON text');
  assert.deepEqual(trace.http.map((h) => [h.nodeId, h.ok, h.tries.length]), [[ids.http, true, 1]]);
});

test('a slow answer times out on the per-try timeout and the retry succeeds', async () => {
  const r = run(snapshotOf(httpFlow().def));
  await r.step();
  r.call.pressDigits('8002');
  const slow = await peer.next();
  r.clock.tick(1999);
  assert.equal(r.call.ended, null);
  r.clock.tick(1);
  const retry = await peer.next();
  assert.deepEqual(retry.json().member, '8002');
  retry.reply(200, { data: { level: '银卡' } });
  slow.reply(200, { data: { level: 'too late' } });
  const trace = await r.done;
  assert.equal(r.plays().at(-1), '客户，您是银卡会员', 'a missing field takes its default');
  assert.match(trace.http[0]!.tries[0]!.error!, /timed out after 2000 ms/);
  assert.equal(trace.http[0]!.tries[1]!.status, 200);
});

test('after the last failed try the flow goes on with the defaults (HTTP errors, malformed JSON)', async () => {
  const r = run(snapshotOf(httpFlow({ maxErrors: 3 }).def));
  await r.step();
  r.call.pressDigits('8003');
  (await peer.next()).reply(500, { error: 'boom' });
  (await peer.next()).reply(200, '{"data": {"level": ', 'application/json');
  (await peer.next()).reply(404, 'not here', 'text/plain');
  const trace = await r.done;
  assert.equal(r.plays().at(-1), '客户，您是normal会员');
  assert.equal(r.call.getVariable('Orders'), '[]');
  assert.deepEqual(trace.http[0]!.tries.map((t) => t.error), ['HTTP 500', 'malformed JSON', 'HTTP 404']);
  assert.equal(trace.http[0]!.ok, false);
  assert.equal(trace.end?.reason, 'hangup');
});

test('a caller who hangs up during the request aborts it', async () => {
  const r = run(snapshotOf(httpFlow().def));
  await r.step();
  r.call.pressDigits('8004');
  const req = await peer.next();
  r.call.callerHangup();
  const trace = await r.done;
  req.reply(200, {});
  assert.equal(trace.end?.reason, 'callerHangup');
  assert.equal(trace.http[0]!.tries[0]!.error, 'call ended');
});
