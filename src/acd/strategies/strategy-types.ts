// What a routing strategy sees of each ringable member, and its shape: a pure function from candidates to
// ring steps (the devices to ring together, in order). Time and randomness come in as inputs.
import type { RingMode } from '../../directory/index.ts';
import type { Distribution } from '../settings-types.ts';

export interface Candidate {
  /** 'agent:<id>' or 'phone:<id>'. */
  key: string;
  kind: 'agent' | 'phone';
  id: number;
  /** Member priority in the group, 1 highest … 5; for specifiedSeat lists, the position in the list. */
  priority: number;
  /** Epoch ms the member last became free (按客服空闲时长). */
  idleSince: number;
  /** Calls answered today (按客服接入电话数量). */
  callsToday: number;
  /** Stable tie-break (staff number / extension order). */
  order: number;
}

export type RingStep = readonly Candidate[];

export interface StrategyContext {
  /** Uniform in [0, 1). */
  random: () => number;
}

export type RingStrategy = (candidates: readonly Candidate[], ctx: StrategyContext) => RingStep[];

export interface PlanInput {
  ringMode: RingMode;
  distribution: Distribution;
  /** Key of the 上次接入人 when that rule is on and one is remembered. */
  lastKey: string | null;
}

export const byPriorityThenOrder = (a: Candidate, b: Candidate): number => a.priority - b.priority || a.order - b.order;
export const singles = (list: readonly Candidate[]): RingStep[] => list.map((c) => [c]);
