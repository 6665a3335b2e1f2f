// Shapes the directory hands to the web layer (and to later parts: ACD, records).

export type AgentState = 'active' | 'forced_offline';
export type RingMode = 'sequential' | 'simultaneous';
export type DefaultStatus = 'idle' | 'busy';

export interface AgentGroupRef {
  id: number;
  name: string;
  priority: number;
}

export interface Agent {
  id: number;
  name: string;
  nickname: string;
  staffNo: string;
  email: string;
  mobile: string | null;
  roleId: number;
  roleName: string;
  skillGroups: AgentGroupRef[];
  state: AgentState;
  mobileAnswer: { enabled: boolean; outbound: boolean };
  createdAt: number;
}

export interface NewAgent {
  name: string;
  nickname: string;
  staffNo: string;
  email: string;
  roleId: number;
  mobile?: string | null;
  skillGroupIds?: number[];
}

export interface AgentPatch {
  name?: string;
  nickname?: string;
  roleId?: number;
  mobile?: string | null;
  skillGroupIds?: number[];
  mobileAnswer?: { enabled: boolean; outbound: boolean };
}

export interface AgentFilter {
  staffNo?: string;
  email?: string;
  name?: string;
  mobile?: string;
  skillGroupId?: number;
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Role {
  id: number;
  name: string;
  builtin: boolean;
  permissions: string[];
  scopeSkillGroupIds: number[] | null;
  memberCount: number;
}

export interface SkillGroup {
  id: number;
  name: string;
  ringMode: RingMode;
  receptionLimit: number;
  memberCount: number;
}

export interface SkillGroupMember {
  kind: 'agent' | 'phone';
  id: number;
  name: string;
  staffNo: string | null;
  priority: number;
}

export interface BreakReason {
  id: number;
  name: string;
  enabled: boolean;
}

/** The account behind a login, session or token. */
export interface UserRecord {
  id: number;
  username: string | null;
  name: string;
  nickname: string;
  staffNo: string | null;
  email: string | null;
  roleId: number;
  roleName: string;
  permissions: string[];
  scope: number[] | null;
  passwordHash: string;
  passwordChangedAt: number;
  state: AgentState;
  deleted: boolean;
}

/** Sends mail through the site's relay; the directory mails new and reset passwords. */
export interface Mailer {
  /** Throws CCBOX_ERR_SMTP_NOT_CONFIGURED when no relay is set. */
  assertConfigured(): Promise<unknown>;
  send(msg: { to: string; subject: string; text: string }): Promise<void>;
}
