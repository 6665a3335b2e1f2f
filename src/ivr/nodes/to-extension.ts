// 转分机: prompt for a fixed-length extension (timeout and error prompts, max errors), then ring it.
import type { ToExtensionParams } from '../flow/index.ts';
import type { NodeContext, NodeResult } from '../runtime/runtime-types.ts';
import { defineNode, promptAndCollect, say, sec } from './node-kit.ts';

async function runToExtension(ctx: NodeContext, p: ToExtensionParams): Promise<NodeResult> {
  let errors = 0;
  for (;;) {
    const r = await promptAndCollect(ctx, {
      prompt: p.prompt,
      maxDigits: p.extensionLength,
      timeoutMs: sec(p.timeoutSec),
      interDigitTimeoutMs: sec(p.interDigitTimeoutSec),
    });
    const ext = r.kind === 'digits' ? r.digits : '';
    let retryPrompt = p.errorPrompt;
    if (ext.length === p.extensionLength) {
      let outcome;
      try {
        outcome = await ctx.call.transferToExtension(ext, { ringTimeoutMs: sec(p.ringTimeoutSec) });
      } catch (err) {
        // The call ended while ringing or talking: the extension typed still goes on the record.
        ctx.trace.keys(ctx.node.id, ext, true);
        throw err;
      }
      ctx.trace.keys(ctx.node.id, ext, outcome.result !== 'notFound');
      ctx.trace.event(ctx.node.id, `extension:${outcome.result}`, { extension: ext });
      if (outcome.result === 'answered') return { outlet: 'done' };
      // A wrong number is the caller's mistake and may be retried; busy or no answer is not.
      if (outcome.result !== 'notFound') return { outlet: 'failed' };
    } else {
      if (ext) ctx.trace.keys(ctx.node.id, ext, false);
      if (!ext) retryPrompt = p.timeoutPrompt;
    }
    errors++;
    if (errors >= p.maxErrors) return { outlet: 'failed' };
    await say(ctx, retryPrompt);
  }
}

export const createToExtensionNode = defineNode<ToExtensionParams>('toExtension', runToExtension);
