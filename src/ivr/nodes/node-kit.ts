// Shared by the node files: typed node definition and the prompt → digits step that menus, collect,
// survey and to-extension all use (barge-in digit counts as the first key).
import { NODE_SPECS, type FlowNode, type NodeType, type PromptRef } from '../flow/index.ts';
import type { CollectDigitsResult } from '../runtime/call-control.ts';
import type { IvrNode, NodeContext, NodeResult } from '../runtime/runtime-types.ts';

/** Builds the factory of one module: parses the params with the module's schema once, at creation. */
export function defineNode<P>(type: NodeType, run: (ctx: NodeContext, p: P) => Promise<NodeResult>): (def: FlowNode) => IvrNode {
  return (def) => {
    const spec = NODE_SPECS[type];
    const params = spec.params.parse(def.params) as P;
    return { id: def.id, type, label: def.label, outlets: spec.outlets(params as never), run: (ctx) => run(ctx, params) };
  };
}

export const sec = (s: number): number => Math.round(s * 1000);

export interface DigitsStep {
  prompt?: PromptRef;
  maxDigits: number;
  terminator?: '#';
  timeoutMs: number;
  interDigitTimeoutMs: number;
}

/**
 * Plays the prompt (interruptible) and collects up to maxDigits. A barge-in digit is the first digit;
 * with one digit wanted it is the whole answer.
 */
export async function promptAndCollect(ctx: NodeContext, step: DigitsStep): Promise<CollectDigitsResult> {
  // Keys pressed during an earlier interruptible prompt skip this prompt (barge-in).
  let first = ctx.takeTypeAhead().slice(0, step.maxDigits);
  if (!first && step.prompt) {
    const r = await ctx.play(step.prompt, { interruptible: true, repeat: 1 });
    first = r.interruptedBy ?? '';
  }
  const hash = step.terminator ? first.indexOf(step.terminator) : -1;
  if (hash >= 0) return { kind: 'digits', digits: first.slice(0, hash), terminated: true };
  if (first.length >= step.maxDigits) return { kind: 'digits', digits: first, terminated: false };
  const rest = await ctx.call.collectDigits({
    maxDigits: step.maxDigits - first.length,
    terminator: step.terminator,
    timeoutMs: first ? step.interDigitTimeoutMs : step.timeoutMs,
    interDigitTimeoutMs: step.interDigitTimeoutMs,
  });
  if (!first) return rest;
  return rest.kind === 'timeout' ? { kind: 'digits', digits: first, terminated: false } : { ...rest, digits: first + rest.digits };
}

/** Plays an optional prompt without barge-in (timeout / error / thanks prompts). */
export async function say(ctx: NodeContext, prompt: PromptRef | undefined): Promise<void> {
  if (prompt) await ctx.play(prompt, { interruptible: false, repeat: 1 });
}
