// 语音信箱: prompt, beep, record until # or the limit, end prompt; the message goes with the call record.
import type { VoicemailParams } from '../flow/index.ts';
import { defineNode, say } from './node-kit.ts';

export const createVoicemailNode = defineNode<VoicemailParams>('voicemail', async (ctx, p) => {
  await say(ctx, p.prompt);
  const r = await ctx.call.recordVoicemail({ maxSeconds: p.maxSeconds, beep: p.beep, finishOnKey: '#' });
  ctx.trace.voicemail(ctx.node.id, r.recordingId, r.seconds);
  await say(ctx, p.endPrompt);
  return { outlet: 'next' };
});
