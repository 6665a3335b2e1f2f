// Every agent's and group phone's runtime state, kept in line with the directory, and the questions routing
// asks of it: who is online, who can take a call of this group now (as strategy candidates).
import type { Clock } from '../platform/clock.ts';
import { notFound } from '../platform/errors.ts';
import { AgentRuntime, GroupPhoneRuntime, type ChangeListener, type TransitionOptions } from './agent-state.ts';
import type { AgentStatus } from './agent-state-types.ts';
import { buildDirectory, type AcdDirectory } from './directory-view.ts';
import type { Candidate } from './strategies/index.ts';

/** Receptions allowed when a call has no group (指定座席 without a group). */
const NO_GROUP_RECEPTION_LIMIT = 1;

export const agentKey = (id: number): string => `agent:${id}`;
export const phoneKey = (id: number): string => `phone:${id}`;

/** A group member as the selection sees it: its candidate object (reused from pick to pick) and its runtime. */
interface Slot {
  cand: Candidate;
  agent: AgentRuntime | null;
  phone: GroupPhoneRuntime | null;
}

export class AgentBook {
  dir: AcdDirectory = buildDirectory({ agents: [], groups: [], members: [] });
  readonly agents = new Map<number, AgentRuntime>();
  readonly phones = new Map<number, GroupPhoneRuntime>();
  private order = new Map<string, number>();
  /** Per group, its members and phones with their candidate objects; rebuilt when the directory changes. */
  private slots = new Map<number, Slot[]>();
  private slotsFor: AcdDirectory | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: ChangeListener,
  ) {}

  /** Local calendar day, the unit of 按客服接入电话数量. */
  day(at = this.clock.now()): string {
    return new Date(at).toDateString();
  }

  /** Follows the directory: new agents appear offline, deleted ones are signed out and dropped when free. */
  applyDirectory(dir: AcdDirectory): void {
    this.dir = dir;
    const now = this.clock.now();
    for (const id of dir.agents.keys()) if (!this.agents.has(id)) this.agents.set(id, new AgentRuntime(id, now, this.onChange));
    for (const [id, rt] of this.agents) {
      if (dir.agents.has(id)) continue;
      if (rt.status !== 'offline') rt.transitionStatus('offline', { cause: 'removed', at: now });
      if (rt.dispatch === 'waiting') this.agents.delete(id);
    }
    for (const p of dir.phones.values()) if (p.groupId !== null && !this.phones.has(p.id)) this.phones.set(p.id, new GroupPhoneRuntime(p.id, now));
    for (const [id, rt] of this.phones) {
      const p = dir.phones.get(id);
      if ((!p || p.groupId === null) && rt.dispatch === 'waiting') this.phones.delete(id);
    }
    const agentsSorted = [...dir.agents.values()].sort((a, b) => (a.staffNo ?? '').localeCompare(b.staffNo ?? '', 'en', { numeric: true }) || a.id - b.id);
    const phonesSorted = [...dir.phones.values()].sort((a, b) => a.extension.localeCompare(b.extension, 'en', { numeric: true }));
    this.order = new Map([...agentsSorted.map((a, i) => [agentKey(a.id), i] as const), ...phonesSorted.map((p, i) => [phoneKey(p.id), agentsSorted.length + i] as const)]);
    this.buildSlots();
  }

  private buildSlots(): void {
    this.slots = new Map();
    this.slotsFor = this.dir;
    for (const g of this.dir.groups.values()) {
      const list: Slot[] = [];
      for (const m of g.members) {
        const rt = this.agents.get(m.agentId);
        if (!rt) continue;
        const key = agentKey(m.agentId);
        list.push({ cand: { key, kind: 'agent', id: m.agentId, priority: m.priority, idleSince: 0, callsToday: 0, order: this.order.get(key) ?? 0 }, agent: rt, phone: null });
      }
      for (const pid of g.phoneIds) {
        const p = this.phones.get(pid);
        if (!p) continue;
        const key = phoneKey(pid);
        list.push({ cand: { key, kind: 'phone', id: pid, priority: 3, idleSince: 0, callsToday: 0, order: this.order.get(key) ?? 0 }, agent: null, phone: p });
      }
      this.slots.set(g.id, list);
    }
  }

  /**
   * The same candidates as groupCandidates, in the same order, appended to `out` — but the objects are the
   * book's own, refreshed in place and reused by the next call: read them before anything else asks, copy
   * one to keep it. One pass over the group, nothing allocated.
   */
  freeCandidates(groupId: number, out: Candidate[]): void {
    const g = this.dir.groups.get(groupId);
    if (!g) return;
    if (this.slotsFor !== this.dir) this.buildSlots();
    const list = this.slots.get(groupId);
    if (!list) return;
    const day = this.day();
    for (const s of list) {
      const rt = s.agent;
      if (rt) {
        if (rt.status !== 'idle' || rt.dispatch !== 'waiting' || !rt.reachable || rt.openSessions.size >= g.receptionLimit) continue;
        s.cand.idleSince = rt.idleSince;
        s.cand.callsToday = rt.callsOn(day);
      } else {
        const p = s.phone!;
        if (!p.available) continue;
        s.cand.idleSince = p.idleSince;
        s.cand.callsToday = p.callsDay === day ? p.callsToday : 0;
      }
      out.push(s.cand);
    }
  }

  agent(id: number): AgentRuntime | undefined {
    return this.agents.get(id);
  }

  requireAgent(id: number): AgentRuntime {
    const rt = this.agents.get(id);
    if (!rt) throw notFound('agent');
    return rt;
  }

  setStatus(rt: AgentRuntime, to: AgentStatus, opts: Omit<TransitionOptions, 'at'>): void {
    rt.transitionStatus(to, { ...opts, at: this.clock.now() });
  }

  receptionLimit(groupId: number | null): number {
    return groupId === null ? NO_GROUP_RECEPTION_LIMIT : (this.dir.groups.get(groupId)?.receptionLimit ?? NO_GROUP_RECEPTION_LIMIT);
  }

  /** 示闲, free, reachable, under the reception limit: the ACD may ring this agent now. */
  agentAvailable(rt: AgentRuntime, receptionLimit: number): boolean {
    return rt.status === 'idle' && rt.dispatch === 'waiting' && rt.reachable && rt.openSessions.size < receptionLimit;
  }

  /** Whether a member counts as online for 无座席在线 (signed in, whatever the status; a phone registered). */
  anyOnline(groupId: number | null, restrictTo: readonly number[] | null): boolean {
    const ids = restrictTo ?? this.dir.groups.get(groupId ?? -1)?.members.map((m) => m.agentId) ?? [];
    for (const id of ids) if ((this.agents.get(id)?.status ?? 'offline') !== 'offline') return true;
    if (restrictTo) return false;
    for (const pid of this.dir.groups.get(groupId ?? -1)?.phoneIds ?? []) if (this.phones.get(pid)?.registered) return true;
    return false;
  }

  /** Members of the group who could take a call right now, as strategy candidates. */
  groupCandidates(groupId: number): Candidate[] {
    const g = this.dir.groups.get(groupId);
    if (!g) return [];
    const out: Candidate[] = [];
    const day = this.day();
    for (const m of g.members) {
      const rt = this.agents.get(m.agentId);
      if (rt && this.agentAvailable(rt, g.receptionLimit)) out.push(this.agentCandidate(rt, m.priority, day));
    }
    for (const pid of g.phoneIds) {
      const p = this.phones.get(pid);
      // A phone bound to a group acts as an idle member of middle priority.
      if (p?.available) out.push({ key: phoneKey(pid), kind: 'phone', id: pid, priority: 3, idleSince: p.idleSince, callsToday: p.callsDay === day ? p.callsToday : 0, order: this.order.get(phoneKey(pid)) ?? 0 });
    }
    return out;
  }

  /** specifiedSeat: the named agents who could take it now; their list position is their priority. */
  restrictedCandidates(agentIds: readonly number[], groupId: number | null): Candidate[] {
    const limit = this.receptionLimit(groupId);
    const day = this.day();
    const out: Candidate[] = [];
    agentIds.forEach((id, i) => {
      const rt = this.agents.get(id);
      if (rt && this.agentAvailable(rt, limit)) out.push(this.agentCandidate(rt, i + 1, day));
    });
    return out;
  }

  private agentCandidate(rt: AgentRuntime, priority: number, day: string): Candidate {
    const key = agentKey(rt.agentId);
    return { key, kind: 'agent', id: rt.agentId, priority, idleSince: rt.idleSince, callsToday: rt.callsOn(day), order: this.order.get(key) ?? 0 };
  }

  /** Is the candidate still free (another entry may have taken it earlier in the same pump)? */
  stillAvailable(c: Candidate, groupId: number | null): boolean {
    if (c.kind === 'phone') return this.phones.get(c.id)?.available ?? false;
    const rt = this.agents.get(c.id);
    return !!rt && this.agentAvailable(rt, this.receptionLimit(groupId));
  }

  counts(groupId: number): { online: number; idle: number } {
    let online = 0;
    let idle = 0;
    const g = this.dir.groups.get(groupId);
    for (const m of g?.members ?? []) {
      const rt = this.agents.get(m.agentId);
      if (!rt || rt.status === 'offline') continue;
      online++;
      if (this.agentAvailable(rt, g!.receptionLimit)) idle++;
    }
    return { online, idle };
  }
}
