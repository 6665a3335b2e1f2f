// 收号: prompt, timeout/fail prompts, max errors, target variable; up to maxDigits ended by #, or a fixed length.
import type { CollectParams } from '../flow/index.ts';
import { defineNode, promptAndCollect, say, sec } from './node-kit.ts';

export const createCollectNode = defineNode<CollectParams>('collect', async (ctx, p) => {
  let errors = 0;
  for (;;) {
    const r = await promptAndCollect(ctx, {
      prompt: p.prompt,
      maxDigits: p.maxDigits,
      terminator: p.endMode === 'hash' ? '#' : undefined,
      timeoutMs: sec(p.timeoutSec),
      interDigitTimeoutMs: sec(p.interDigitTimeoutSec),
    });
    const digits = r.kind === 'digits' ? r.digits : '';
    const ok = p.endMode === 'fixed' ? digits.length === p.maxDigits : digits.length >= p.minDigits && digits.length <= p.maxDigits;
    if (digits || (r.kind === 'digits' && r.terminated)) ctx.trace.keys(ctx.node.id, digits, ok);
    if (ok) {
      ctx.set(p.variable, digits);
      return { outlet: 'next' };
    }
    errors++;
    const timedOut = r.kind === 'timeout';
    ctx.trace.event(ctx.node.id, timedOut ? 'timeout' : 'invalidInput', { errors, digits });
    if (errors >= p.maxErrors) {
      ctx.set(p.variable, '');
      return { outlet: 'failed' };
    }
    await say(ctx, timedOut ? p.timeoutPrompt : p.failPrompt);
  }
});
