// The ACD's in-memory copy of the directory (agents, groups with member priorities, phones, break reasons,
// the default status), read from SQLite at start and refreshed when the directory changes.
import type { Database } from '../platform/db.ts';
import type { DefaultStatus, RingMode } from '../directory/index.ts';

export interface AcdAgentInfo {
  id: number;
  name: string;
  staffNo: string | null;
  email: string | null;
  /** group id → member priority (1 highest … 5). */
  groups: Map<number, number>;
  /** 手机接听 (offers ring this number through a channel) and 开启手机外呼 (outbound calls ring it first). */
  mobile: { number: string | null; answer: boolean; outbound: boolean };
}

export interface AcdGroupInfo {
  id: number;
  name: string;
  ringMode: RingMode;
  /** 接待人数上限: open calls an agent may have when this group offers another. */
  receptionLimit: number;
  members: { agentId: number; priority: number }[];
  /** Phones bound to the group: they ring as idle members. */
  phoneIds: number[];
}

export interface AcdPhoneInfo {
  id: number;
  extension: string;
  agentId: number | null;
  groupId: number | null;
}

export interface AcdDirectory {
  agents: Map<number, AcdAgentInfo>;
  agentsByEmail: Map<string, number>;
  groups: Map<number, AcdGroupInfo>;
  phones: Map<number, AcdPhoneInfo>;
  phonesByExtension: Map<string, number>;
  breakReasons: Map<number, { name: string; enabled: boolean }>;
  defaultStatus: DefaultStatus;
}

export interface AcdDirectoryInput {
  agents: { id: number; name: string; staffNo?: string | null; email?: string | null; mobile?: string | null; mobileAnswer?: number | boolean; mobileOutbound?: number | boolean }[];
  groups: { id: number; name: string; ringMode?: RingMode; receptionLimit?: number }[];
  members: { groupId: number; agentId: number; priority: number }[];
  phones?: { id: number; extension: string; agentId?: number | null; groupId?: number | null }[];
  breakReasons?: { id: number; name: string; enabled: boolean }[];
  defaultStatus?: DefaultStatus;
}

/** Builds the indexed view from plain rows (the SQL source and the tests both use it). */
export function buildDirectory(input: AcdDirectoryInput): AcdDirectory {
  const agents = new Map<number, AcdAgentInfo>();
  const agentsByEmail = new Map<string, number>();
  for (const a of input.agents) {
    agents.set(a.id, {
      id: a.id, name: a.name, staffNo: a.staffNo ?? null, email: a.email ?? null, groups: new Map(),
      mobile: { number: a.mobile ?? null, answer: !!a.mobileAnswer && !!a.mobile, outbound: !!a.mobileOutbound && !!a.mobile },
    });
    if (a.email) agentsByEmail.set(a.email.toLowerCase(), a.id);
  }
  const groups = new Map<number, AcdGroupInfo>();
  for (const g of input.groups) {
    groups.set(g.id, { id: g.id, name: g.name, ringMode: g.ringMode ?? 'sequential', receptionLimit: g.receptionLimit ?? 10, members: [], phoneIds: [] });
  }
  for (const m of input.members) {
    const g = groups.get(m.groupId);
    const a = agents.get(m.agentId);
    if (!g || !a) continue;
    g.members.push({ agentId: m.agentId, priority: m.priority });
    a.groups.set(m.groupId, m.priority);
  }
  const phones = new Map<number, AcdPhoneInfo>();
  const phonesByExtension = new Map<string, number>();
  for (const p of input.phones ?? []) {
    const agentId = p.agentId != null && agents.has(p.agentId) ? p.agentId : null;
    const groupId = p.groupId != null && groups.has(p.groupId) ? p.groupId : null;
    phones.set(p.id, { id: p.id, extension: p.extension, agentId, groupId });
    phonesByExtension.set(p.extension, p.id);
    if (groupId !== null) groups.get(groupId)!.phoneIds.push(p.id);
  }
  const breakReasons = new Map((input.breakReasons ?? []).map((r) => [r.id, { name: r.name, enabled: r.enabled }]));
  return { agents, agentsByEmail, groups, phones, phonesByExtension, breakReasons, defaultStatus: input.defaultStatus ?? 'idle' };
}

export interface AcdDirectorySource {
  load(): Promise<AcdDirectory>;
}

/** Reads the directory tables in one go (agents only: the admin account never takes calls). */
export function sqlDirectorySource(db: Database): AcdDirectorySource {
  return {
    async load() {
      const [agents, groups, members, phones, reasons, def] = await Promise.all([
        db.all<{ id: number; name: string; staffNo: string | null; email: string | null; mobile: string | null; mobileAnswer: number; mobileOutbound: number }>(
          `SELECT id, name, staff_no AS staffNo, email, mobile, mobile_answer AS mobileAnswer, mobile_outbound AS mobileOutbound
             FROM users WHERE deleted_at IS NULL AND username IS NULL`,
        ),
        db.all<{ id: number; name: string; ringMode: RingMode; receptionLimit: number }>(
          'SELECT id, name, ring_mode AS ringMode, reception_limit AS receptionLimit FROM skill_groups',
        ),
        db.all<{ groupId: number; agentId: number; priority: number }>(
          "SELECT group_id AS groupId, member_id AS agentId, priority FROM skill_group_members WHERE member_kind = 'agent'",
        ),
        db.all<{ id: number; extension: string; agentId: number | null; groupId: number | null }>(
          'SELECT id, extension, agent_id AS agentId, skill_group_id AS groupId FROM sip_phones',
        ),
        db.all<{ id: number; name: string; enabled: number }>('SELECT id, name, enabled FROM break_reasons'),
        db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'status.default'"),
      ]);
      return buildDirectory({
        agents,
        groups,
        members,
        phones,
        breakReasons: reasons.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled === 1 })),
        defaultStatus: def ? (JSON.parse(def.value) as DefaultStatus) : 'idle',
      });
    },
  };
}
