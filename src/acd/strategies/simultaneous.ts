// 同时振铃: the members ring together, at most 2 at once (the manual's limit); the first to answer takes the call.
import { SIMULTANEOUS_MAX } from '../../directory/index.ts';
import { byPriorityThenOrder, type RingStep, type RingStrategy } from './strategy-types.ts';

export const simultaneousStrategy: RingStrategy = (candidates) => {
  const sorted = [...candidates].sort(byPriorityThenOrder);
  const steps: RingStep[] = [];
  for (let i = 0; i < sorted.length; i += SIMULTANEOUS_MAX) steps.push(sorted.slice(i, i + SIMULTANEOUS_MAX));
  return steps;
};
