// 转人工: hands the call to the ACD — a skill group, or the agents named by the specifiedSeat callback
// (HTTP POST ?action=specifiedSeat&version=1 → SeatEmails / SkillGroup). After the agent hangs up the
// flow goes on (e.g. to the survey).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ToAgentParams } from '../flow/index.ts';
import type { QueueTarget } from '../runtime/queue-types.ts';
import type { NodeContext, NodeResult } from '../runtime/runtime-types.ts';
import { keysPressed } from '../runtime/trace.ts';
import { defineNode, say, sec } from './node-kit.ts';

/** The callback's request body (the manual's field names). */
export interface SpecifiedSeatRequest {
  RequestId: string;
  Timestamp: number;
  SdkAppId: string;
  SessionType: 'phone';
  User: string;
  Callee: string;
  SessionId: string;
}

const SpecifiedSeatAnswer = z.object({
  SeatEmails: z.array(z.string().email()).max(100).default([]),
  SkillGroup: z.union([z.number().int().positive(), z.string().min(1).max(64)]).optional(),
});

export function specifiedSeatUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}action=specifiedSeat&version=1`;
}

async function seatTarget(ctx: NodeContext, p: ToAgentParams): Promise<QueueTarget | null> {
  const body: SpecifiedSeatRequest = {
    RequestId: randomUUID(),
    Timestamp: Math.floor(ctx.call.now() / 1000),
    SdkAppId: p.sdkAppId,
    SessionType: 'phone',
    User: ctx.get('SystemCallerNumber') ?? '',
    Callee: ctx.get('SystemCalleeNumber') ?? '',
    SessionId: ctx.call.sessionId,
  };
  const r = await ctx.postJson(specifiedSeatUrl(ctx.text(p.callbackUrl!)), body, { timeoutMs: sec(p.callbackTimeoutSec), tries: p.callbackMaxErrors });
  const answer = r.ok ? SpecifiedSeatAnswer.safeParse(r.json) : undefined;
  if (answer?.success && (answer.data.SeatEmails.length > 0 || answer.data.SkillGroup !== undefined)) {
    const g = answer.data.SkillGroup;
    const group = typeof g === 'number' ? { skillGroupId: g } : typeof g === 'string' ? { skillGroupName: g } : p.skillGroupId ? { skillGroupId: p.skillGroupId } : {};
    if (answer.data.SeatEmails.length === 0 && typeof g === 'number') return { kind: 'skillGroup', skillGroupId: g };
    return { kind: 'agents', agentEmails: answer.data.SeatEmails, ...group };
  }
  ctx.trace.event(ctx.node.id, 'specifiedSeatFailed', { reason: r.ok ? 'no agents in answer' : 'callback failed' });
  // Without an answer the call still reaches people: the configured group, when there is one.
  return p.skillGroupId ? { kind: 'skillGroup', skillGroupId: p.skillGroupId } : null;
}

async function runToAgent(ctx: NodeContext, p: ToAgentParams): Promise<NodeResult> {
  await say(ctx, p.prompt);
  const target: QueueTarget | null = p.mode === 'specifiedSeat' ? await seatTarget(ctx, p) : { kind: 'skillGroup', skillGroupId: p.skillGroupId! };
  if (!target) return { outlet: 'failed' };
  const s = ctx.snapshot;
  const outcome = await ctx.call.transferToQueue({
    target,
    priority: p.priority,
    maxWaitMs: sec(p.maxWaitSec),
    ivr: { flowId: s.flowId, flowName: s.flowName, version: s.version, nodeId: ctx.node.id, keys: keysPressed(ctx.trace.trace) },
  });
  ctx.trace.event(ctx.node.id, `queue:${outcome.result}`, { target, outcome });
  switch (outcome.result) {
    case 'agentHungUp':
      ctx.set('StaffNo', outcome.agent.staffNo);
      return { outlet: 'done' };
    case 'transferred':
      return { transferred: outcome.to };
    default:
      return { outlet: 'failed' };
  }
}

export const createToAgentNode = defineNode<ToAgentParams>('toAgent', runToAgent);
