// 分支/按键 on a SimulatedCall with a FakeClock: keys, timeouts, wrong keys, max errors → hang-up,
// barge-in from an earlier prompt, and dynamic branches from a JSON variable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keysPressed } from '../../../src/ivr/runtime/index.ts';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';

function menuFlow(extra: Record<string, unknown> = {}) {
  return buildFlow({
    start: { type: 'start', outlets: { next: 'welcome' } },
    welcome: { type: 'play', params: { prompt: tts('欢迎致电'), interruptible: true }, outlets: { next: 'menu' } },
    menu: {
      type: 'menu',
      params: {
        prompt: tts('售前请按1，售后请按2'),
        timeoutPrompt: tts('您没有按键'),
        errorPrompt: tts('按键有误'),
        maxErrors: 3,
        timeoutSec: 5,
        keys: [{ key: '1', label: '售前' }, { key: '2', label: '售后' }],
        ...extra,
      },
      outlets: { 'key:1': 'presales', 'key:2': 'aftersales' },
    },
    presales: { type: 'play', params: { prompt: tts('正在为您转接售前') }, outlets: { next: 'end' } },
    aftersales: { type: 'play', params: { prompt: tts('正在为您转接售后') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
}

test('a key picks its branch and the path and keys land in the trace', async () => {
  const { def, ids } = menuFlow();
  const r = run(snapshotOf(def));
  assert.deepEqual(await r.step(), ['欢迎致电', '售前请按1，售后请按2']);
  assert.equal(r.call.waiting?.kind, 'digits');
  r.call.pressDigits('2');
  const trace = await r.done;
  assert.deepEqual(r.plays().slice(2), ['正在为您转接售后']);
  assert.deepEqual(trace.path.map((p) => p.nodeId), [ids.start, ids.welcome, ids.menu, ids.aftersales, ids.end]);
  assert.equal(trace.path[2]!.outlet, 'key:2');
  assert.equal(keysPressed(trace), '2');
  assert.deepEqual(trace.end, { reason: 'hangup', cause: 'normal', nodeId: ids.end });
  assert.equal(r.call.ended?.by, 'flow');
});

test('timeouts and wrong keys play their prompts; the third error hangs up', async () => {
  const { def, ids } = menuFlow();
  const r = run(snapshotOf(def));
  await r.step();
  r.clock.tick(4999);
  assert.equal(r.call.waiting?.kind, 'digits', 'still waiting before 5 s');
  r.clock.tick(1);
  assert.deepEqual(await r.step(), ['您没有按键', '售前请按1，售后请按2']);
  r.call.pressDigits('9');
  assert.deepEqual(await r.step(), ['按键有误', '售前请按1，售后请按2']);
  r.clock.tick(5000);
  const trace = await r.done;
  assert.deepEqual(trace.end, { reason: 'hangup', cause: 'maxErrors', nodeId: ids.menu });
  assert.deepEqual(trace.keys.map((k) => [k.digits, k.accepted]), [['9', false]]);
  assert.deepEqual(trace.events.filter((e) => e.nodeId === ids.menu).map((e) => e.event), ['timeout', 'wrongKey', 'timeout']);
});

test('a key pressed during the interruptible welcome skips the menu prompt', async () => {
  const { def, ids } = menuFlow();
  const r = run(snapshotOf(def));
  r.call.pressDigits('1');
  const trace = await r.done;
  assert.deepEqual(r.plays(), ['欢迎致电', '正在为您转接售前']);
  assert.equal(trace.path.find((p) => p.nodeId === ids.menu)!.outlet, 'key:1');
});

test('dynamic branches come from a JSON variable; bad entries are skipped; static keys still work', async () => {
  const built = menuFlow({ dynamicVariable: 'Branches' });
  const { def, ids } = built;
  def.variables.push({ name: 'Branches', default: '' });
  const list = JSON.stringify([
    { digits: '31', name: 'vip', label: 'VIP', next: ids.presales },
    { digits: '4', name: 'bad', label: 'missing node', next: '01HZZZZZZZZZZZZZZZZZZZZZZZ' },
    { digits: 'x', name: 'malformed', next: ids.presales },
  ]);
  const r = run(snapshotOf(def), { variables: { Branches: list } });
  await r.step();
  const w = r.call.waiting;
  assert.equal(w?.kind, 'digits');
  assert.equal(w?.kind === 'digits' && w.maxDigits, 2, 'longest branch sets the length');
  r.call.pressDigits('31');
  const trace = await r.done;
  assert.equal(trace.path.find((p) => p.nodeId === ids.menu)!.outlet, 'dynamic:31');
  assert.equal(trace.path[3]!.nodeId, ids.presales);
  assert.equal(trace.events.filter((e) => e.event === 'dynamicBranchSkipped').length, 2);

  const r2 = run(snapshotOf(def), { variables: { Branches: list } });
  await r2.step();
  r2.call.pressDigits('2#');
  assert.equal((await r2.done).path[3]!.nodeId, ids.aftersales);
});

test('a dynamic menu whose variable lists nothing leaves through noBranch', async () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'menu' } },
    menu: { type: 'menu', params: { prompt: tts('请选择'), dynamicVariable: 'Branches' }, outlets: { noBranch: 'sorry' } },
    sorry: { type: 'play', params: { prompt: tts('暂无可选服务') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  }, [{ name: 'Branches', default: 'not json' }]);
  const r = run(snapshotOf(def));
  const trace = await r.done;
  assert.deepEqual(r.plays(), ['暂无可选服务']);
  assert.equal(trace.path[1]!.outlet, 'noBranch');
  assert.ok(trace.events.some((e) => e.nodeId === ids.menu && e.event === 'dynamicBranchesInvalid'));
});
