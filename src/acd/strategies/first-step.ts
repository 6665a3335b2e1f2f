// The first ring step of a plan without building the plan: what the dispatcher rings now. Same result as
// `ringPlan(candidates minus skip, input, ctx)[0] ?? []` — including how many numbers it draws from
// ctx.random — but a linear scan for the best candidate instead of sorting them all, and no copies of the list.
import { SIMULTANEOUS_MAX } from '../../directory/index.ts';
import { byPriorityThenOrder, type Candidate, type PlanInput, type RingStep, type StrategyContext } from './strategy-types.ts';

type Cmp = (a: Candidate, b: Candidate) => number;

const byIdle: Cmp = (a, b) => a.idleSince - b.idleSince || byPriorityThenOrder(a, b);
const byCalls: Cmp = (a, b) => a.callsToday - b.callsToday || a.idleSince - b.idleSince || byPriorityThenOrder(a, b);

/** The `k` first of a stable sort by `cmp` (earlier input wins ties), in order. */
function firstK(candidates: readonly Candidate[], skip: ReadonlySet<string> | null, cmp: Cmp, k: number): Candidate[] {
  const top: Candidate[] = [];
  for (const c of candidates) {
    if (skip?.has(c.key)) continue;
    if (top.length === k && cmp(c, top[k - 1]!) >= 0) continue;
    let i = top.length;
    while (i > 0 && cmp(c, top[i - 1]!) < 0) i--;
    top.splice(i, 0, c);
    if (top.length > k) top.pop();
  }
  return top;
}

/** 按技能组客服优先级: the head of the shuffled best tier, drawing as many random numbers as the full plan. */
function groupPriorityFirst(candidates: readonly Candidate[], skip: ReadonlySet<string> | null, ctx: StrategyContext): Candidate[] {
  let best = Infinity;
  let n = 0;
  const tiers = new Set<number>();
  for (const c of candidates) {
    if (skip?.has(c.key)) continue;
    n++;
    tiers.add(c.priority);
    if (c.priority < best) best = c.priority;
  }
  if (!n) return [];
  const tier: Candidate[] = [];
  for (const c of candidates) if (c.priority === best && !skip?.has(c.key)) tier.push(c);
  tier.sort((a, b) => a.order - b.order);
  for (let i = tier.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(ctx.random() * (i + 1)));
    [tier[i], tier[j]] = [tier[j]!, tier[i]!];
  }
  // The full plan shuffles every other tier too (after this one): keep the random source's sequence the same.
  for (let rest = n - tier.length - (tiers.size - 1); rest > 0; rest--) ctx.random();
  return [tier[0]!];
}

export function firstRingStep(candidates: readonly Candidate[], input: PlanInput, ctx: StrategyContext, skip: ReadonlySet<string> | null = null): RingStep {
  let step: Candidate[];
  if (input.ringMode === 'simultaneous') step = firstK(candidates, skip, byPriorityThenOrder, SIMULTANEOUS_MAX);
  else if (input.distribution === 'groupPriority') step = groupPriorityFirst(candidates, skip, ctx);
  else step = firstK(candidates, skip, input.distribution === 'longestIdle' ? byIdle : input.distribution === 'fewestCalls' ? byCalls : byPriorityThenOrder, 1);
  const lastKey = input.lastKey;
  if (!lastKey || !step.length) return step;
  // 上次接入人优先: the remembered member alone, when they are among the candidates.
  const inStep = step.find((c) => c.key === lastKey);
  if (inStep) return [inStep];
  for (const c of candidates) if (c.key === lastKey && !skip?.has(c.key)) return [c];
  return step;
}
