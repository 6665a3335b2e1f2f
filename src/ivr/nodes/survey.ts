// 满意度评价: prompt, key → label options; the answer goes into two variables and the trace (call record).
import type { SurveyParams } from '../flow/index.ts';
import { defineNode, promptAndCollect, say, sec } from './node-kit.ts';

export const createSurveyNode = defineNode<SurveyParams>('survey', async (ctx, p) => {
  let errors = 0;
  for (;;) {
    const r = await promptAndCollect(ctx, { prompt: p.prompt, maxDigits: 1, timeoutMs: sec(p.timeoutSec), interDigitTimeoutMs: sec(p.timeoutSec) });
    const key = r.kind === 'digits' ? r.digits : '';
    const option = p.options.find((o) => o.key === key);
    if (key) ctx.trace.keys(ctx.node.id, key, !!option);
    if (option) {
      ctx.set(p.keyVariable, option.key);
      ctx.set(p.labelVariable, option.label);
      ctx.trace.survey(ctx.node.id, option.key, option.label);
      await say(ctx, p.thanksPrompt);
      return { outlet: 'next' };
    }
    errors++;
    if (errors >= p.maxErrors) {
      // No answer is an answer too: the record shows the survey was offered.
      ctx.set(p.keyVariable, '');
      ctx.set(p.labelVariable, '');
      ctx.trace.survey(ctx.node.id, null, null);
      return { outlet: 'next' };
    }
    if (key) await say(ctx, p.errorPrompt);
  }
});
