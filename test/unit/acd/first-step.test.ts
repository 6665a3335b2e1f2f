// The dispatcher's fast selection (firstRingStep: a linear scan) against the full plan (ringPlan, which sorts
// every candidate): same first step, same numbers drawn from the random source, on many generated groups.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strategies } from '../../../src/acd/index.ts';
import { harness } from './acd-helpers.ts';

type C = strategies.Candidate;

/** A seeded LCG, so every case is reproducible; counts its draws. */
function lcg(seed: number): { next: () => number; draws: number } {
  const r = { draws: 0, next: () => 0 };
  r.next = () => {
    r.draws++;
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return r;
}

function group(rand: () => number, n: number): C[] {
  const out: C[] = [];
  for (let i = 0; i < n; i++) {
    // Few distinct values, so ties (and the tie-breaks) are common; some duplicate orders too.
    const kind = rand() < 0.1 ? 'phone' : 'agent';
    out.push({ key: `${kind}:${i}`, kind, id: i, priority: 1 + Math.floor(rand() * 4), idleSince: Math.floor(rand() * 5) * 10, callsToday: Math.floor(rand() * 3), order: Math.floor(rand() * n * 0.8) });
  }
  return out;
}

const modes: strategies.PlanInput['ringMode'][] = ['sequential', 'simultaneous'];
const distributions: strategies.PlanInput['distribution'][] = ['sequential', 'groupPriority', 'longestIdle', 'fewestCalls'];

describe('firstRingStep is the first step of ringPlan', () => {
  for (const ringMode of modes) {
    for (const distribution of distributions) {
      it(`${ringMode}/${distribution}`, () => {
        const gen = lcg(7);
        for (let round = 0; round < 300; round++) {
          const cands = group(gen.next, Math.floor(gen.next() * 40));
          const skip = new Set(cands.filter(() => gen.next() < 0.3).map((c) => c.key));
          const lastKey = gen.next() < 0.5 && cands.length ? cands[Math.floor(gen.next() * cands.length)]!.key : gen.next() < 0.5 ? 'agent:999' : null;
          const input = { ringMode, distribution, lastKey };
          const seed = Math.floor(gen.next() * 1e6);
          const slow = lcg(seed);
          const fast = lcg(seed);
          const before = JSON.stringify(cands);
          const want = strategies.ringPlan(cands.filter((c) => !skip.has(c.key)), input, { random: slow.next })[0] ?? [];
          const got = strategies.firstRingStep(cands, input, { random: fast.next }, skip);
          const ctx = `round ${round}: ${JSON.stringify({ input, skip: [...skip] })}`;
          assert.deepEqual(got.map((c) => c.key), want.map((c) => c.key), ctx);
          assert.equal(fast.draws, slow.draws, `random draws, ${ctx}`);
          assert.equal(JSON.stringify(cands), before, 'inputs are not mutated');
        }
      });
    }
  }
  it('nobody left after the skip list: empty step', () => {
    const c: C = { key: 'agent:1', kind: 'agent', id: 1, priority: 1, idleSince: 0, callsToday: 0, order: 0 };
    assert.deepEqual(strategies.firstRingStep([c], { ringMode: 'sequential', distribution: 'groupPriority', lastKey: 'agent:1' }, { random: () => 0 }, new Set(['agent:1'])), []);
  });
});

describe('AgentBook.freeCandidates follows the runtime state like groupCandidates', () => {
  interface Book {
    groupCandidates(g: number): C[];
    freeCandidates(g: number, out: C[]): void;
  }
  const same = (book: Book, g: number): void => {
    const out: C[] = [];
    book.freeCandidates(g, out);
    assert.deepEqual(out.map((c) => ({ ...c })), book.groupCandidates(g), `group ${g}`);
  };
  it('sign-in, break, a call, a group phone registering, a directory change', async () => {
    const h = await harness({ noDialer: true });
    const book = (h.acd as unknown as { book: Book }).book;
    try {
      for (const g of [1, 2]) same(book, g);
      await h.login(11, 12, 13, 21);
      for (const g of [1, 2]) same(book, g);
      h.acd.setStatus(12, 'break', { breakReasonId: 1, by: 'agent' });
      h.acd.agentCallStarted(13, 'x1', { direction: 'outbound' });
      await h.acd.phoneRegistration('2001', true);
      for (const g of [1, 2]) same(book, g);
      assert.deepEqual(((): number[] => { const o: C[] = []; book.freeCandidates(1, o); return o.map((c) => c.id); })(), [11]);
      h.clock.tick(5000);
      h.acd.callEnded('x1');
      h.acd.setStatus(12, 'idle', { by: 'agent' });
      for (const g of [1, 2]) same(book, g);
      h.dir.members.push({ groupId: 2, agentId: 11, priority: 1 });
      await h.acd.refreshDirectory();
      for (const g of [1, 2]) same(book, g);
    } finally {
      await h.acd.stop();
    }
  });
});
