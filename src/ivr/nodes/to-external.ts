// 转外线: dials an external number with one of the box's numbers as caller ID; the callee is fixed or
// returned by a callback URL (with a fallback number); the caller hears the connecting audio meanwhile.
import { randomUUID } from 'node:crypto';
import { PHONE_NUMBER_RE, type ToExternalParams } from '../flow/index.ts';
import type { NodeContext, NodeResult } from '../runtime/runtime-types.ts';
import { fieldOf } from '../runtime/http-client.ts';
import { defineNode, sec } from './node-kit.ts';

async function callee(ctx: NodeContext, p: ToExternalParams): Promise<string | null> {
  const c = p.callee;
  if (c.mode === 'fixed') return ctx.text(c.number);
  const r = await ctx.postJson(
    ctx.text(c.url),
    {
      RequestId: randomUUID(),
      Timestamp: Math.floor(ctx.call.now() / 1000),
      SessionId: ctx.call.sessionId,
      Caller: ctx.get('SystemCallerNumber') ?? '',
      Callee: ctx.get('SystemCalleeNumber') ?? '',
    },
    { timeoutMs: sec(c.timeoutSec), tries: 1 },
  );
  const answered = r.ok ? fieldOf(r.json, 'Callee') : undefined;
  if (answered && PHONE_NUMBER_RE.test(answered)) return answered;
  ctx.trace.event(ctx.node.id, 'calleeCallbackFailed', { answered: answered ?? null });
  return c.fallbackNumber ? ctx.text(c.fallbackNumber) : null;
}

async function runToExternal(ctx: NodeContext, p: ToExternalParams): Promise<NodeResult> {
  const number = await callee(ctx, p);
  if (!number || !PHONE_NUMBER_RE.test(number)) {
    ctx.trace.event(ctx.node.id, 'noCallee', { number });
    return { outlet: 'failed' };
  }
  const outcome = await ctx.call.dialExternal({
    callerId: p.callerNumber,
    callee: number,
    ringTimeoutMs: sec(p.ringTimeoutSec),
    ...(p.connectingPrompt ? { connectingPrompt: p.connectingPrompt.kind === 'tts' ? { ...p.connectingPrompt, text: ctx.text(p.connectingPrompt.text) } : p.connectingPrompt } : {}),
  });
  ctx.trace.event(ctx.node.id, `dial:${outcome.result}`, { callee: number, ...(outcome.result === 'answered' ? { talkMs: outcome.talkMs } : { cause: outcome.cause ?? null }) });
  return { outlet: outcome.result === 'answered' ? 'done' : 'failed' };
}

export const createToExternalNode = defineNode<ToExternalParams>('toExternal', runToExternal);
