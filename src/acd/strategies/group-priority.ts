// 按技能组客服优先级: higher-priority members first; members of equal priority share the calls at random
// (unlike 顺序振铃, which always starts with the same one).
import { singles, type Candidate, type RingStrategy } from './strategy-types.ts';

export const groupPriorityStrategy: RingStrategy = (candidates, ctx) => {
  const tiers = new Map<number, Candidate[]>();
  for (const c of [...candidates].sort((a, b) => a.order - b.order)) {
    const tier = tiers.get(c.priority) ?? [];
    tier.push(c);
    tiers.set(c.priority, tier);
  }
  const out: Candidate[] = [];
  for (const p of [...tiers.keys()].sort((a, b) => a - b)) {
    const tier = tiers.get(p)!;
    // Fisher–Yates with the injected source, so tests are deterministic.
    for (let i = tier.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(ctx.random() * (i + 1)));
      [tier[i], tier[j]] = [tier[j]!, tier[i]!];
    }
    out.push(...tier);
  }
  return singles(out);
};
