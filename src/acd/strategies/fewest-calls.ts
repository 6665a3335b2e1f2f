// 按客服接入电话数量: the member who answered the fewest calls today first; ties go to the longest idle.
import { byPriorityThenOrder, singles, type RingStrategy } from './strategy-types.ts';

export const fewestCallsStrategy: RingStrategy = (candidates) =>
  singles([...candidates].sort((a, b) => a.callsToday - b.callsToday || a.idleSince - b.idleSince || byPriorityThenOrder(a, b)));
