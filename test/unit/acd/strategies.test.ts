// Routing strategies as pure functions: table-driven candidates in, ring steps out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strategies } from '../../../src/acd/index.ts';

type C = strategies.Candidate;
const c = (id: number, over: Partial<C> = {}): C => ({ key: `agent:${id}`, kind: 'agent', id, priority: 3, idleSince: 0, callsToday: 0, order: id, ...over });
const ids = (steps: strategies.RingStep[]): number[][] => steps.map((s) => s.map((x) => x.id));
const ctx = { random: () => 0 };

const cases: { name: string; fn: strategies.RingStrategy; input: C[]; want: number[][]; random?: number[] }[] = [
  { name: '顺序振铃: by member priority, one at a time', fn: strategies.sequentialStrategy, input: [c(1, { priority: 3 }), c(2, { priority: 1 }), c(3, { priority: 2 })], want: [[2], [3], [1]] },
  { name: '顺序振铃: equal priority keeps the fixed order (a hunt group)', fn: strategies.sequentialStrategy, input: [c(3, { order: 2 }), c(1, { order: 0 }), c(2, { order: 1 })], want: [[1], [2], [3]] },
  { name: '同时振铃: the two highest together', fn: strategies.simultaneousStrategy, input: [c(1, { priority: 2 }), c(2, { priority: 1 })], want: [[2, 1]] },
  { name: '同时振铃: never more than 2 at once', fn: strategies.simultaneousStrategy, input: [c(1), c(2), c(3)], want: [[1, 2], [3]] },
  { name: '同时振铃: a single member rings alone', fn: strategies.simultaneousStrategy, input: [c(5)], want: [[5]] },
  { name: '按客服空闲时长: longest idle first', fn: strategies.longestIdleStrategy, input: [c(1, { idleSince: 300 }), c(2, { idleSince: 100 }), c(3, { idleSince: 200 })], want: [[2], [3], [1]] },
  { name: '按客服空闲时长: ties by priority', fn: strategies.longestIdleStrategy, input: [c(1, { idleSince: 100, priority: 4 }), c(2, { idleSince: 100, priority: 2 })], want: [[2], [1]] },
  { name: '按客服接入电话数量: fewest calls first', fn: strategies.fewestCallsStrategy, input: [c(1, { callsToday: 5 }), c(2, { callsToday: 0 }), c(3, { callsToday: 2 })], want: [[2], [3], [1]] },
  { name: '按客服接入电话数量: ties go to the longest idle', fn: strategies.fewestCallsStrategy, input: [c(1, { callsToday: 1, idleSince: 50 }), c(2, { callsToday: 1, idleSince: 10 })], want: [[2], [1]] },
  { name: '按技能组客服优先级: higher priority tier first', fn: strategies.groupPriorityStrategy, input: [c(1, { priority: 5 }), c(2, { priority: 1 })], want: [[2], [1]] },
  { name: '按技能组客服优先级: equal priority shared at random (random → last first)', fn: strategies.groupPriorityStrategy, input: [c(1), c(2), c(3)], random: [0, 0], want: [[2], [3], [1]] },
  { name: '按技能组客服优先级: equal priority shared at random (random → identity)', fn: strategies.groupPriorityStrategy, input: [c(1), c(2), c(3)], random: [0.99, 0.99], want: [[1], [2], [3]] },
  { name: 'empty in, empty out', fn: strategies.sequentialStrategy, input: [], want: [] },
];

describe('routing strategies', () => {
  for (const t of cases) {
    it(t.name, () => {
      const seq = [...(t.random ?? [])];
      const random = t.random ? () => seq.shift() ?? 0 : ctx.random;
      const before = JSON.stringify(t.input);
      assert.deepEqual(ids(t.fn(t.input, { random })), t.want);
      assert.equal(JSON.stringify(t.input), before, 'inputs are not mutated');
    });
  }
});

describe('上次接入人优先 on top', () => {
  const plan = [[c(1)], [c(2), c(3)], [c(4)]];
  const table: { last: string | null; want: number[][] }[] = [
    { last: null, want: [[1], [2, 3], [4]] },
    { last: 'agent:4', want: [[4], [1], [2, 3]] },
    { last: 'agent:3', want: [[3], [1], [2], [4]] },
    { last: 'agent:1', want: [[1], [2, 3], [4]] },
    { last: 'agent:9', want: [[1], [2, 3], [4]] },
  ];
  for (const t of table) it(`last = ${t.last}`, () => assert.deepEqual(ids(strategies.lastAgentFirst(plan, t.last)), t.want));
});

describe('ringPlan picks the strategy', () => {
  const input = [c(1, { priority: 2, idleSince: 10 }), c(2, { priority: 1, idleSince: 20 }), c(3, { priority: 3, idleSince: 5, callsToday: 9 })];
  const table: { ringMode: 'sequential' | 'simultaneous'; distribution: 'sequential' | 'groupPriority' | 'longestIdle' | 'fewestCalls'; lastKey: string | null; first: number[] }[] = [
    { ringMode: 'sequential', distribution: 'sequential', lastKey: null, first: [2] },
    { ringMode: 'sequential', distribution: 'longestIdle', lastKey: null, first: [3] },
    { ringMode: 'sequential', distribution: 'fewestCalls', lastKey: null, first: [1] },
    { ringMode: 'sequential', distribution: 'groupPriority', lastKey: null, first: [2] },
    { ringMode: 'simultaneous', distribution: 'longestIdle', lastKey: null, first: [2, 1] },
    { ringMode: 'simultaneous', distribution: 'sequential', lastKey: 'agent:3', first: [3] },
    { ringMode: 'sequential', distribution: 'fewestCalls', lastKey: 'agent:2', first: [2] },
  ];
  for (const t of table) {
    it(`${t.ringMode}/${t.distribution}/last=${t.lastKey} → ${t.first}`, () => {
      assert.deepEqual(strategies.ringPlan(input, t, ctx)[0]!.map((x) => x.id), t.first);
    });
  }
});
