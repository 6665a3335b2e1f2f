// 结束: an optional goodbye, then hang up — or, in a self-service flow, hand the caller back to the agent.
import type { EndParams } from '../flow/index.ts';
import { defineNode, say } from './node-kit.ts';

export const createEndNode = defineNode<EndParams>('end', async (ctx, p) => {
  await say(ctx, p.prompt);
  return ctx.snapshot.kind === 'selfService' ? { returned: true } : { hangup: 'normal' };
});
