// 按客服空闲时长: the member free for the longest time first; ties by priority, then the fixed order.
import { byPriorityThenOrder, singles, type RingStrategy } from './strategy-types.ts';

export const longestIdleStrategy: RingStrategy = (candidates) =>
  singles([...candidates].sort((a, b) => a.idleSince - b.idleSince || byPriorityThenOrder(a, b)));
