// Public face of the directory: agents, roles, skill groups, status settings, mail relay settings.
import type { Database } from '../platform/db.ts';
import type { BoxKey } from '../platform/secrets.ts';
import { Agents } from './agents.ts';
import type { Mailer } from './directory-types.ts';
import { MailSettings } from './mail-settings.ts';
import { Phones } from './phones.ts';
import { Roles } from './roles.ts';
import { SkillGroups } from './skill-groups.ts';
import { StatusSettings } from './status-settings.ts';
import { Users } from './users.ts';

export * from './directory-types.ts';
export * from './permissions.ts';
export { agentPatchSchema, newAgentSchema } from './agent-schema.ts';
export { csvTemplate, importAgents, readSheet, xlsxTemplate, XLSX_TYPE, MAX_IMPORT_BYTES } from './agent-import.ts';
export { SIMULTANEOUS_MAX } from './skill-groups.ts';
export type { RoleInput } from './roles.ts';
export type { GroupInput, MemberInput } from './skill-groups.ts';
export type { SmtpView } from './mail-settings.ts';
export { seedDemoDirectory, DEMO } from './demo-seed.ts';
export type * from './phone-types.ts';
export { Phones, seedDemoPhones, DEMO_PHONES, EXTENSION_RE, EXTENSION_MSG, PASSWORD_MSG, isStrongSipPassword } from './phones.ts';

export class Directory {
  readonly users: Users;
  readonly agents: Agents;
  readonly roles: Roles;
  readonly skillGroups: SkillGroups;
  readonly status: StatusSettings;
  readonly mailSettings: MailSettings;
  readonly phones: Phones;

  constructor(
    readonly db: Database,
    key: BoxKey,
    readonly mailer: Mailer,
  ) {
    this.users = new Users(db);
    this.agents = new Agents(db, mailer);
    this.roles = new Roles(db);
    this.skillGroups = new SkillGroups(db);
    this.status = new StatusSettings(db);
    this.mailSettings = new MailSettings(db, key);
    this.phones = new Phones(db, key);
  }
}
