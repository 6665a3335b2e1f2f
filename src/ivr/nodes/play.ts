// 放音: TTS (with ${variables}) or a prompt file, played playCount times, optionally interruptible.
import type { PlayParams } from '../flow/index.ts';
import { defineNode } from './node-kit.ts';

export const createPlayNode = defineNode<PlayParams>('play', async (ctx, p) => {
  const r = await ctx.play(p.prompt, { interruptible: p.interruptible, repeat: p.playCount });
  // A key that stops the prompt is not lost: the next menu or collect takes it as its first key.
  if (r.interruptedBy) ctx.pushTypeAhead(r.interruptedBy);
  return { outlet: 'next' };
});
