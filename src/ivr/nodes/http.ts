// 接口调用: POSTs the input fields as JSON, maps response fields to variables (defaults when absent),
// per-try timeout and max tries; after total failure the flow goes on with the defaults.
import type { HttpParams } from '../flow/index.ts';
import { fieldOf } from '../runtime/http-client.ts';
import { defineNode, sec } from './node-kit.ts';

export const createHttpNode = defineNode<HttpParams>('http', async (ctx, p) => {
  const body = Object.fromEntries(p.inputs.map((i) => [i.name, ctx.text(i.value)]));
  const r = await ctx.postJson(ctx.text(p.url), body, { timeoutMs: sec(p.timeoutSec), tries: p.maxErrors });
  for (const o of p.outputs) {
    const v = r.ok ? fieldOf(r.json, o.field) : undefined;
    ctx.set(o.variable, v ?? ctx.text(o.default));
  }
  return { outlet: 'next' };
});
