// 条件判断: the first branch whose conditions all hold (= ≠ > < ≥ ≤, numeric or text), else the default.
import { branchOutlet, type ConditionOp, type ConditionParams } from '../flow/index.ts';
import { defineNode } from './node-kit.ts';

/** Numeric compares need two numbers (else false); text compares by code point. */
export function compare(left: string, op: ConditionOp, right: string, as: 'number' | 'text'): boolean {
  let c: number;
  if (as === 'number') {
    if (left.trim() === '' || right.trim() === '') return false;
    const a = Number(left);
    const b = Number(right);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    c = a === b ? 0 : a < b ? -1 : 1;
  } else {
    c = left === right ? 0 : left < right ? -1 : 1;
  }
  switch (op) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'gt': return c > 0;
    case 'lt': return c < 0;
    case 'ge': return c >= 0;
    case 'le': return c <= 0;
  }
}

export const createConditionNode = defineNode<ConditionParams>('condition', async (ctx, p) => {
  for (const b of p.branches) {
    if (b.conditions.every((c) => compare(ctx.text(c.left), c.op, ctx.text(c.right), c.compare))) return { outlet: branchOutlet(b.id) };
  }
  return { outlet: 'default' };
});
