// 收号: ended by #, ended by the fixed length, inter-digit end, timeouts and the failure outlet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';

function collectFlow(params: Record<string, unknown>) {
  return buildFlow({
    start: { type: 'start', outlets: { next: 'collect' } },
    collect: {
      type: 'collect',
      params: { prompt: tts('请输入订单号，以井号键结束'), timeoutPrompt: tts('您没有输入'), failPrompt: tts('输入有误'), variable: 'OrderNo', maxErrors: 2, timeoutSec: 5, interDigitTimeoutSec: 3, ...params },
      outlets: { next: 'ok', failed: 'bad' },
    },
    ok: { type: 'play', params: { prompt: tts('您输入的是 ${OrderNo}') }, outlets: { next: 'end' } },
    bad: { type: 'play', params: { prompt: tts('收号失败') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
}

test('digits ended by # go into the variable and ${var} is substituted in the next prompt', async () => {
  const r = run(snapshotOf(collectFlow({ maxDigits: 8, endMode: 'hash' }).def));
  await r.step();
  r.call.pressDigits('1234#');
  const trace = await r.done;
  assert.equal(r.call.getVariable('OrderNo'), '1234');
  assert.deepEqual(r.plays().slice(1), ['您输入的是 1234']);
  assert.deepEqual(trace.keys.map((k) => [k.digits, k.accepted]), [['1234', true]]);
});

test('hash mode also ends at maxDigits and after the inter-digit timeout', async () => {
  const r = run(snapshotOf(collectFlow({ maxDigits: 4, endMode: 'hash' }).def));
  await r.step();
  r.call.pressDigits('98765');
  await r.done;
  assert.equal(r.call.getVariable('OrderNo'), '9876');

  const r2 = run(snapshotOf(collectFlow({ maxDigits: 8, endMode: 'hash', minDigits: 2 }).def));
  await r2.step();
  r2.call.pressDigits('42');
  r2.clock.tick(2999);
  assert.equal(r2.call.waiting?.kind, 'digits');
  r2.clock.tick(1);
  await r2.done;
  assert.equal(r2.call.getVariable('OrderNo'), '42');
});

test('fixed length ends by itself; a short answer is an error; # is not special', async () => {
  const { def } = collectFlow({ maxDigits: 6, endMode: 'fixed' });
  const r = run(snapshotOf(def));
  await r.step();
  r.call.pressDigits('123');
  r.clock.tick(3000);
  assert.deepEqual(await r.step(), ['输入有误', '请输入订单号，以井号键结束']);
  r.call.pressDigits('654321');
  const trace = await r.done;
  assert.equal(r.call.getVariable('OrderNo'), '654321');
  assert.deepEqual(trace.keys.map((k) => [k.digits, k.accepted]), [['123', false], ['654321', true]]);
});

test('after max errors the failure outlet is taken with the variable empty', async () => {
  const { def, ids } = collectFlow({ maxDigits: 6, endMode: 'hash', minDigits: 3 });
  const r = run(snapshotOf(def));
  await r.step();
  r.clock.tick(5000);
  assert.deepEqual(await r.step(), ['您没有输入', '请输入订单号，以井号键结束']);
  r.call.pressDigits('1#');
  const trace = await r.done;
  assert.equal(r.call.getVariable('OrderNo'), '');
  assert.equal(trace.path.find((p) => p.nodeId === ids.collect)!.outlet, 'failed');
  assert.equal(r.plays().at(-1), '收号失败');
});
