// Picks the strategy for a group (its ring mode, else the routing setting) and lays the 上次接入人 rule on top.
import type { Distribution } from '../settings-types.ts';
import { fewestCallsStrategy } from './fewest-calls.ts';
import { groupPriorityStrategy } from './group-priority.ts';
import { lastAgentFirst } from './last-agent-first.ts';
import { longestIdleStrategy } from './longest-idle.ts';
import { sequentialStrategy } from './sequential.ts';
import { simultaneousStrategy } from './simultaneous.ts';
import type { Candidate, PlanInput, RingStep, RingStrategy, StrategyContext } from './strategy-types.ts';

export * from './strategy-types.ts';
export { firstRingStep } from './first-step.ts';
export { sequentialStrategy, simultaneousStrategy, longestIdleStrategy, fewestCallsStrategy, groupPriorityStrategy, lastAgentFirst };

const BY_DISTRIBUTION: Record<Distribution, RingStrategy> = {
  sequential: sequentialStrategy,
  groupPriority: groupPriorityStrategy,
  longestIdle: longestIdleStrategy,
  fewestCalls: fewestCallsStrategy,
};


/** The ring steps for one offer round; the dispatcher rings the first and plans again after it. */
export function ringPlan(candidates: readonly Candidate[], input: PlanInput, ctx: StrategyContext): RingStep[] {
  const strategy = input.ringMode === 'simultaneous' ? simultaneousStrategy : BY_DISTRIBUTION[input.distribution];
  return lastAgentFirst(strategy(candidates, ctx), input.lastKey);
}
