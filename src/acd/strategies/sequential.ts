// 顺序振铃: one member at a time, by member priority (1 first), ties in a fixed order — the same member is
// always tried first, as a hunt group does.
import { byPriorityThenOrder, singles, type RingStrategy } from './strategy-types.ts';

export const sequentialStrategy: RingStrategy = (candidates) => singles([...candidates].sort(byPriorityThenOrder));
