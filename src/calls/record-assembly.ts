// Assembles 服务记录 from a finished call: its legs and end (CallRecord) and what the IVR, the queue and the
// agents' devices noted, into the record the store writes with its outbox row.
import { keysPressed, type IvrTrace } from '../ivr/index.ts';
import {
  endStatusOf, recordFileOf, type AgentDevice, type CallPhase, type RecordInput, type RecordLeg, type RecordStore,
} from '../records/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { CallNotebook, CallNotes } from './call-notes.ts';
import { newNotes } from './call-notes.ts';
import type { CallRecord, CallRecordSink } from './call-types.ts';

/** The directory as far as records need it (the ACD's copy). */
export interface RecordDirectory {
  agentOfExtension(extension: string): { agentId: number; name: string; staffNo: string | null } | null;
  agentGroups(agentId: number): number[];
  groupName(groupId: number): string | null;
}

/** Left through a 服务时间 node's 非工作时间 outlet. */
const afterHours = (t: IvrTrace | null): boolean => !!t?.path.some((s) => s.type === 'hours' && s.outlet === 'closed');

function hangupSideOf(record: CallRecord, notes: CallNotes): RecordInput['hangupSide'] {
  if (notes.agentHungUp) return 'agent';
  // An agent's own outbound call: its calling side is the agent.
  if (notes.outboundAgentId !== null && record.hangupSide === 'caller') return 'agent';
  return record.hangupSide;
}

export function buildRecordInput(record: CallRecord, notes: CallNotes, dir: RecordDirectory): Omit<RecordInput, 'recording' | 'voicemail'> {
  const endedAt = record.endedAt ?? record.startedAt;
  const callee = record.legs.find((l) => l.role === 'callee' && l.answeredAt !== null);
  const talks = notes.talks;
  const last = talks.at(-1);
  const answered = talks.length > 0 || !!callee;
  // The agent of the record: the last who talked; for a phone's own call the phone's agent.
  let agent: RecordInput['agent'] = last ? { agentId: last.agentId, name: last.name, staffNo: last.staffNo, device: last.device } : null;
  if (!agent && record.origin.kind === 'phone') {
    const a = dir.agentOfExtension(record.origin.extension);
    if (a) agent = { agentId: a.agentId, name: a.name, staffNo: a.staffNo, device: 'phone' as AgentDevice };
  }
  const groupIds = new Set(notes.skillGroupIds);
  if (last?.skillGroupId != null) groupIds.add(last.skillGroupId);
  if (agent?.agentId != null && record.direction !== 'inbound') for (const g of dir.agentGroups(agent.agentId)) groupIds.add(g);
  const groupId = last?.skillGroupId ?? notes.skillGroup?.id ?? (groupIds.size ? [...groupIds][0]! : null);
  const skillGroup = groupId !== null ? { id: groupId, name: dir.groupName(groupId) ?? notes.skillGroup?.name ?? '' } : null;

  let ringMs = 0;
  let talkMs = 0;
  if (talks.length) {
    ringMs = last!.answeredAt - last!.offeredAt;
    for (const t of talks) talkMs += (t.endedAt ?? endedAt) - t.answeredAt;
  } else if (notes.offers.length) {
    for (const o of notes.offers) ringMs += (o.endedAt ?? endedAt) - o.at;
  } else {
    const rung = record.legs.filter((l) => l.role === 'callee');
    const first = rung.length ? Math.min(...rung.map((l) => l.startedAt)) : null;
    if (first !== null) ringMs = (callee?.answeredAt ?? endedAt) - first;
    if (callee?.answeredAt) talkMs = (callee.endedAt ?? endedAt) - callee.answeredAt;
  }
  const queueMs = notes.queue.reduce((n, v) => n + ((v.leftAt ?? endedAt) - v.enteredAt), 0);
  const survey = notes.survey ?? notes.ivr?.survey.at(-1);
  const phase: CallPhase = notes.viaIvr || notes.queue.length ? notes.phase : answered ? 'talking' : 'ringing';
  const cause = record.endCause?.category ?? null;
  const endStatus = endStatusOf({
    direction: record.direction, phase, answered, callerHungUp: record.hangupSide === 'caller', cause,
    blacklisted: notes.blacklisted, noAgentOnline: notes.noAgentOnline, afterHours: afterHours(notes.ivr), transfer: notes.transfer, viaIvr: notes.viaIvr,
    agentsMissed: notes.offers.some((o) => o.result === 'timeout' || o.result === 'rejected'),
    systemError: notes.errors.length > 0 || cause === 'error' || cause === 'mediaFailure',
  });
  const legs: RecordLeg[] = record.legs.map((l) => ({
    id: l.id, role: l.role, kind: l.kind, party: l.party, startedAt: l.startedAt, answeredAt: l.answeredAt, endedAt: l.endedAt, cause: l.cause?.text ?? null,
  }));
  for (const t of talks) {
    if (t.device === 'web') legs.push({ id: t.legId, role: 'callee', kind: 'web', party: t.party, startedAt: t.offeredAt, answeredAt: t.answeredAt, endedAt: t.endedAt ?? endedAt, cause: null });
  }
  const trace = notes.ivr;
  return {
    id: record.id, direction: record.direction, startedAt: record.startedAt, endedAt, caller: record.caller, callee: record.callee, number: record.number,
    channelId: record.channelId, channelName: record.channelName, agent, skillGroup, skillGroupIds: [...groupIds], endStatus,
    endCause: record.endCause?.text ?? null, hangupSide: hangupSideOf(record, notes), ringMs: Math.max(0, ringMs), talkMs: Math.max(0, talkMs),
    queueMs: Math.max(0, queueMs), ivrKeys: trace ? keysPressed(trace) : '', satisfaction: survey ? { key: survey.key, label: survey.label } : null, remark: '',
    detail: {
      legs,
      ivr: trace ? { flowId: trace.flowId, flowName: trace.flowName, version: trace.version, path: trace.path, keys: trace.keys, end: trace.end } : null,
      queue: notes.queue,
      offers: notes.offers.map(({ offerId: _id, ...o }) => o),
      transfers: [
        ...record.transfers.map((t) => ({ at: t.at, by: t.by, kind: 'extension' as const, to: t.to, result: t.result })),
        ...notes.transfers,
      ].sort((a, b) => a.at - b.at),
      notes: notes.errors,
    },
  };
}

/** The record sink Calls awaits: notes taken, files measured, record + outbox row written in one transaction. */
export function recordSink(store: RecordStore, notebook: CallNotebook, dir: RecordDirectory, clock: Clock): CallRecordSink {
  return async (record) => {
    const notes = notebook.take(record.id) ?? newNotes();
    const input = buildRecordInput(record, notes, dir);
    const recording = notes.recordings.length ? await recordFileOf(notes.recordings[0]!) : null;
    const voicemail = notes.voicemail ? await recordFileOf(notes.voicemail) : null;
    await store.write({ ...input, recording, voicemail }, clock.now());
  };
}
