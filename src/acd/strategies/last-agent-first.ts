// 上次接入人优先: on top of any strategy, the member who last talked to (or called) the number rings first and
// alone, if they can take the call now; the rest of the plan follows unchanged.
import type { RingStep } from './strategy-types.ts';

export function lastAgentFirst(steps: readonly RingStep[], lastKey: string | null): RingStep[] {
  if (!lastKey) return [...steps];
  const last = steps.flat().find((c) => c.key === lastKey);
  if (!last) return [...steps];
  const rest = steps.map((s) => s.filter((c) => c.key !== lastKey)).filter((s) => s.length > 0);
  return [[last], ...rest];
}
