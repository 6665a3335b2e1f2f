// The real-time picture for monitors (实时监控) and the workbench's 排队情况: agents on both axes with since-when,
// group phones, queues with their entries and wait times — built from memory, filtered to a set of groups.
import type { AgentBook } from './agent-book.ts';
import type { MonitorAgentRow, MonitorSnapshot, QueueEntryView, QueueView } from './acd-types.ts';
import type { QueueManager } from './queues.ts';

/** The 指定座席 queue: calls restricted to named agents without a group. */
export const NO_GROUP_QUEUE_NAME = '指定座席';

export function queueView(book: AgentBook, queues: QueueManager, key: number | null, nowMono: number): QueueView {
  const q = queues.queues.get(key);
  const entries: QueueEntryView[] = (q?.entries ?? []).map((e) => ({
    callId: e.callId,
    kind: e.party,
    callbackId: e.callbackId,
    callerNumber: e.party === 'callback' ? e.callbackNumber! : e.callerNumber,
    waitNo: e.waitNo,
    priority: e.priority,
    enqueuedAt: e.enqueuedAt,
    waitedMs: nowMono - e.enqueuedMono,
    ringing: e.round !== null && !e.round.done,
  }));
  const counts = key !== null ? book.counts(key) : { online: 0, idle: 0 };
  return {
    skillGroupId: key,
    name: key !== null ? (book.dir.groups.get(key)?.name ?? String(key)) : NO_GROUP_QUEUE_NAME,
    waiting: entries.filter((e) => e.kind === 'caller').length,
    callbacks: entries.filter((e) => e.kind === 'callback').length,
    longestWaitMs: entries.reduce((m, e) => Math.max(m, e.waitedMs), 0),
    onlineAgents: counts.online,
    idleAgents: counts.idle,
    entries,
  };
}

/** groupIds null = every group (and the 指定座席 queue); otherwise agents in, and queues of, those groups. */
export function buildSnapshot(book: AgentBook, queues: QueueManager, nowMono: number, nowWall: number, groupIds: ReadonlySet<number> | null): MonitorSnapshot {
  const inScope = (id: number): boolean => groupIds === null || groupIds.has(id);
  const agents: MonitorAgentRow[] = [];
  for (const rt of book.agents.values()) {
    const info = book.dir.agents.get(rt.agentId);
    if (!info) continue;
    const groups = [...info.groups.keys()].sort((a, b) => a - b);
    if (groupIds !== null && !groups.some(inScope)) continue;
    const reason = rt.breakReasonId !== null ? (book.dir.breakReasons.get(rt.breakReasonId)?.name ?? null) : null;
    agents.push({ ...rt.view(), name: info.name, staffNo: info.staffNo, breakReasonName: reason, skillGroupIds: groups });
  }
  agents.sort((a, b) => (a.staffNo ?? '').localeCompare(b.staffNo ?? '', 'en', { numeric: true }));
  const phones = [...book.phones.values()].flatMap((p) => {
    const info = book.dir.phones.get(p.phoneId);
    if (!info || info.groupId === null || !inScope(info.groupId)) return [];
    return [{ phoneId: p.phoneId, extension: info.extension, skillGroupId: info.groupId, registered: p.registered, dnd: p.dnd, dispatch: p.dispatch, dispatchSince: p.dispatchSince }];
  });
  const keys: (number | null)[] = [...book.dir.groups.keys()].filter(inScope).sort((a, b) => a - b);
  if (groupIds === null && queues.queues.get(null)?.size) keys.push(null);
  return { at: nowWall, agents, phones, queues: keys.map((k) => queueView(book, queues, k, nowMono)) };
}
