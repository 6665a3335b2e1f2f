// Validation before save: every error names the node ID and the field the canvas marks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNodeId, TEMPLATES, templateFlow, validateFlow, type FlowLookup } from '../../../src/ivr/flow/index.ts';
import { ALLOW_ALL, buildFlow, nid, tts } from './ivr-test-kit.ts';

const errorsOf = (def: unknown, lookup: FlowLookup = ALLOW_ALL, kind: 'inbound' | 'selfService' = 'inbound') => validateFlow(def, kind, lookup).errors;

test('node IDs are 26-character ULIDs', () => {
  const id = makeNodeId(Date.UTC(2026, 0, 1), new Uint8Array(10).fill(255));
  assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.equal(id.slice(10), 'ZZZZZZZZZZZZZZZZ');
  assert.ok(makeNodeId(1, new Uint8Array(10)) < makeNodeId(2, new Uint8Array(10)), 'time-ordered');
});

test('every template validates once it has a skill group', () => {
  let n = 0;
  for (const t of TEMPLATES) {
    const def = templateFlow(t.key, () => makeNodeId(1_700_000_000_000 + n++, new Uint8Array(10).fill(n)), { skillGroupId: 1 });
    const r = validateFlow(def, 'inbound', ALLOW_ALL);
    assert.deepEqual(r.errors, [], t.key);
  }
  const noGroup = validateFlow(templateFlow('welcomeMenuAgent', nid), 'inbound', ALLOW_ALL);
  assert.equal(noGroup.errors[0]!.field, 'params.skillGroupId');
});

test('exactly one start', () => {
  const none = buildFlow({ end: { type: 'end' } });
  assert.match(errorsOf(none.def)[0]!.message, /开始节点/);
  const two = buildFlow({ a: { type: 'start', outlets: { next: 'end' } }, b: { type: 'start', outlets: { next: 'end' } }, end: { type: 'end' } });
  const e = errorsOf(two.def);
  assert.equal(e.length, 1);
  assert.equal(e[0]!.nodeId, two.ids.b);
});

test('unwired outlets, wires to missing nodes and unknown outlets point at the node and outlet', () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'menu' } },
    menu: { type: 'menu', params: { prompt: tts('按1'), keys: [{ key: '1' }, { key: '2' }] }, outlets: { 'key:1': 'end', 'key:3': 'end' } },
    hours: { type: 'hours', outlets: { open: 'end', closed: '01HZZZZZZZZZZZZZZZZZZZZZZZ' } },
    end: { type: 'end' },
  });
  const e = errorsOf(def);
  assert.deepEqual(
    e.map((x) => [x.nodeId, x.field]),
    [
      [ids.menu, 'outlets.key:3'],
      [ids.menu, 'outlets.key:2'],
      [ids.hours, 'outlets.closed'],
    ],
  );
});

test('outlets with a default need no wire; an end must be reachable from every node', () => {
  const ok = buildFlow({
    start: { type: 'start', outlets: { next: 'agent' } },
    agent: { type: 'toAgent', params: { skillGroupId: 1 } }, // done/failed default to hang-up
  });
  assert.deepEqual(errorsOf(ok.def), []);
  const loop = buildFlow({
    start: { type: 'start', outlets: { next: 'a' } },
    a: { type: 'play', params: { prompt: tts('a') }, outlets: { next: 'b' } },
    b: { type: 'play', params: { prompt: tts('b') }, outlets: { next: 'a' } },
    end: { type: 'end' },
  });
  const e = errorsOf(loop.def);
  assert.deepEqual(e.map((x) => x.nodeId).sort(), [loop.ids.start, loop.ids.a, loop.ids.b].sort());
  assert.ok(e.every((x) => /无法到达结束节点/.test(x.message)));
});

test('parameter errors name the field inside params; duplicate node IDs are refused', () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'c' } },
    c: { type: 'collect', params: { prompt: tts('请输入'), variable: '1bad', maxDigits: 40 }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
  const e = errorsOf(def);
  assert.deepEqual(e.map((x) => [x.nodeId, x.field]).sort(), [[ids.c, 'params.maxDigits'], [ids.c, 'params.variable']]);
  def.nodes[2]!.id = ids.c!;
  assert.ok(errorsOf(def).some((x) => x.field === 'id' && /重复/.test(x.message)));
  const badId = { variables: [], nodes: [{ id: 'short', type: 'start', outlets: {} }] };
  assert.deepEqual(errorsOf(badId).map((x) => [x.nodeId, x.field]), [['short', 'id']]);
});

test('referenced prompts, skill groups, numbers and hot-word lists must exist', () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'play' } },
    play: { type: 'play', params: { prompt: { kind: 'file', promptId: 'p-missing' } }, outlets: { next: 'agent' } },
    agent: { type: 'toAgent', params: { skillGroupId: 99 }, outlets: { failed: 'ext' } },
    ext: { type: 'toExternal', params: { callerNumber: '02000000000', callee: { mode: 'fixed', number: '13800000000' } }, outlets: { failed: 'sm' } },
    sm: { type: 'speechMenu', params: { prompt: tts('说'), branches: [{ key: '1', keywords: ['售前'] }], hotWordListId: 7 }, outlets: { 'key:1': 'end', fallthrough: 'end' } },
    end: { type: 'end' },
  });
  const none: FlowLookup = { hasPrompt: () => false, hasSkillGroup: () => false, hasNumber: () => false, hasHotWordList: () => false };
  assert.deepEqual(
    errorsOf(def, none).map((x) => [x.nodeId, x.field]),
    [
      [ids.play, 'params.prompt.promptId'],
      [ids.agent, 'params.skillGroupId'],
      [ids.ext, 'params.callerNumber'],
      [ids.sm, 'params.hotWordListId'],
    ],
  );
});

test('variables must be defined on every path before use; system and declared ones always are', () => {
  const { def, ids } = buildFlow(
    {
      start: { type: 'start', outlets: { next: 'collect' } },
      collect: { type: 'collect', params: { prompt: tts('请输入订单号，${SystemCallerNumber}'), variable: 'OrderNo' }, outlets: { next: 'say', failed: 'say' } },
      say: { type: 'play', params: { prompt: tts('订单 ${OrderNo}，${Greeting}') }, outlets: { next: 'http' } },
      http: { type: 'http', params: { url: 'http://127.0.0.1/x', outputs: [{ variable: 'Status', field: 'status' }] }, outlets: { next: 'cond' } },
      cond: { type: 'condition', params: { branches: [{ id: 'ok', conditions: [{ left: '${Status}', op: 'eq', right: '${Undeclared}' }] }] }, outlets: { 'branch:ok': 'end', default: 'end' } },
      end: { type: 'end' },
    },
    [{ name: 'Greeting', default: '您好' }],
  );
  const e = errorsOf(def);
  assert.deepEqual(
    e.map((x) => [x.nodeId, x.field, x.message.split(' ')[1]]),
    [
      [ids.say, 'params.prompt.text', '${OrderNo}'],
      [ids.cond, 'params.branches.0.conditions.0.right', '${Undeclared}'],
    ],
  );
  // Collect's failure path does not assign the variable; wiring failure elsewhere fixes the first error.
  def.nodes[1]!.outlets.failed = ids.end!;
  assert.deepEqual(errorsOf(def).map((x) => x.nodeId), [ids.cond]);
});

test('declared variables may not shadow system variables; self-service flows may not take the call away', () => {
  const { def, ids } = buildFlow({ start: { type: 'start', outlets: { next: 'vm' } }, vm: { type: 'voicemail', outlets: { next: 'end' } }, end: { type: 'end' } }, [
    { name: 'WaitNo', default: '' },
  ]);
  const e = errorsOf(def, ALLOW_ALL, 'selfService');
  assert.deepEqual(e.map((x) => [x.nodeId, x.field]), [[null, 'variables.0.name'], [ids.vm, 'type']]);
});

test('a valid flow comes back with defaults filled in and unwired outlets dropped', () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'menu' } },
    menu: { type: 'menu', params: { prompt: tts('按1'), keys: [{ key: '1' }] }, outlets: { 'key:1': 'end', 'key:2': null } },
    end: { type: 'end' },
  });
  const r = validateFlow(def, 'inbound', ALLOW_ALL);
  assert.ok(r.ok);
  const menu = r.definition!.nodes.find((n) => n.id === ids.menu)!;
  assert.equal(menu.params.maxErrors, 3);
  assert.equal(menu.params.timeoutSec, 5);
  assert.deepEqual(Object.keys(menu.outlets), ['key:1']);
});
