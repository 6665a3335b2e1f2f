// 分支/按键: prompt, keys 0–9 * #, timeout and error prompts, max errors → hang up; dynamic branches from
// a variable holding a JSON list of {digits, name, label, next}.
import { dynamicBranchSchema, keyOutlet, type DynamicBranch, type MenuParams } from '../flow/index.ts';
import type { NodeContext, NodeResult } from '../runtime/runtime-types.ts';
import { defineNode, promptAndCollect, say, sec } from './node-kit.ts';

/** The dynamic list from the variable; entries that are malformed or name a missing node are skipped. */
export function dynamicBranches(ctx: NodeContext, variable: string): DynamicBranch[] {
  const raw = ctx.get(variable);
  if (!raw) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    ctx.trace.event(ctx.node.id, 'dynamicBranchesInvalid', { variable, reason: 'not JSON' });
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: DynamicBranch[] = [];
  for (const item of list) {
    const b = dynamicBranchSchema.safeParse(item);
    if (b.success && ctx.hasNode(b.data.next)) out.push(b.data);
    else ctx.trace.event(ctx.node.id, 'dynamicBranchSkipped', { item });
  }
  return out;
}

interface Branch {
  digits: string;
  result: NodeResult;
}

async function runMenu(ctx: NodeContext, p: MenuParams): Promise<NodeResult> {
  const branches: Branch[] = p.keys.map((k) => ({ digits: k.key, result: { outlet: keyOutlet(k.key) } }));
  if (p.dynamicVariable) {
    for (const d of dynamicBranches(ctx, p.dynamicVariable)) {
      if (!branches.some((b) => b.digits === d.digits)) branches.push({ digits: d.digits, result: { jump: d.next, via: `dynamic:${d.digits}` } });
    }
    if (branches.length === 0) return { outlet: 'noBranch' };
  }
  const maxDigits = Math.max(...branches.map((b) => b.digits.length));
  // Multi-digit branches end with # (unless # is itself a key) or when the longest length is reached.
  const terminator = maxDigits > 1 && !branches.some((b) => b.digits.includes('#')) ? '#' : undefined;
  let errors = 0;
  for (;;) {
    const r = await promptAndCollect(ctx, {
      prompt: p.prompt,
      maxDigits,
      terminator,
      timeoutMs: sec(p.timeoutSec),
      interDigitTimeoutMs: sec(p.interDigitTimeoutSec),
    });
    const digits = r.kind === 'digits' ? r.digits : '';
    const hit = digits ? branches.find((b) => b.digits === digits) : undefined;
    if (digits) ctx.trace.keys(ctx.node.id, digits, !!hit);
    if (hit) return hit.result;
    errors++;
    ctx.trace.event(ctx.node.id, r.kind === 'timeout' || !digits ? 'timeout' : 'wrongKey', { errors });
    if (errors >= p.maxErrors) return { hangup: 'maxErrors' };
    await say(ctx, r.kind === 'timeout' || !digits ? p.timeoutPrompt : p.errorPrompt);
  }
}

export const createMenuNode = defineNode<MenuParams>('menu', runMenu);
