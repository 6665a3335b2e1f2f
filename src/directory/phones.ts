// SIP 话机与内线号码: phones with their extension, sealed SIP password and binding (agent or skill group).
// Changes are announced so the registrar's in-memory credentials follow without a database read per REGISTER.
import type { Database, Tx } from '../platform/db.ts';
import { conflict, notFound, validationError } from '../platform/errors.ts';
import { TypedEmitter } from '../platform/events.ts';
import { randomPassword } from '../platform/ids.ts';
import type { BoxKey } from '../platform/secrets.ts';
import type { BindingInput, NewPhone, Phone, PhoneChange, PhoneCredential, PhonePatch } from './phone-types.ts';
import { type Actor, requirePermission } from './permissions.ts';

/** The manual: extensions are 4–6 digits and start with 1–8 (0 and 9 lead outside numbers). */
export const EXTENSION_RE = /^[1-8][0-9]{3,5}$/;
export const EXTENSION_MSG = '分机号为 4–6 位数字，以 1–8 开头 (extension: 4–6 digits starting with 1–8)';
export const PASSWORD_MSG = '密码至少 8 位，须包含大写字母、小写字母、数字和特殊字符 (password: at least 8 characters with upper, lower, digit and special)';

/** The manual's password rule: at least 8 printable ASCII characters with upper, lower, digit and special. */
export function isStrongSipPassword(p: string): boolean {
  return /^[\x21-\x7e]{8,64}$/.test(p) && /[A-Z]/.test(p) && /[a-z]/.test(p) && /[0-9]/.test(p) && /[^A-Za-z0-9]/.test(p);
}

interface PhoneRow {
  id: number;
  extension: string;
  name: string;
  password_sealed: string;
  agent_id: number | null;
  agent_name: string | null;
  agent_staff_no: string | null;
  agent_deleted: number | null;
  skill_group_id: number | null;
  group_name: string | null;
  created_at: number;
  updated_at: number;
}

const SELECT_PHONES = `SELECT p.*, u.name AS agent_name, u.staff_no AS agent_staff_no, u.deleted_at AS agent_deleted, g.name AS group_name
  FROM sip_phones p LEFT JOIN users u ON u.id = p.agent_id LEFT JOIN skill_groups g ON g.id = p.skill_group_id`;

export interface PhoneEvents {
  changed: [change: PhoneChange];
}

export class Phones extends TypedEmitter<PhoneEvents> {
  constructor(
    private readonly db: Database,
    private readonly key: BoxKey,
  ) {
    super();
  }

  private toPhone(r: PhoneRow): Phone {
    let binding: Phone['binding'] = null;
    if (r.agent_id !== null && r.agent_name !== null && r.agent_deleted === null) binding = { kind: 'agent', id: r.agent_id, name: r.agent_name, staffNo: r.agent_staff_no };
    else if (r.skill_group_id !== null && r.group_name !== null) binding = { kind: 'skillGroup', id: r.skill_group_id, name: r.group_name };
    return { id: r.id, extension: r.extension, name: r.name, password: this.key.decrypt(r.password_sealed), binding, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async list(actor: Actor): Promise<Phone[]> {
    requirePermission(actor, 'phones');
    const rows = await this.db.all<PhoneRow>(`${SELECT_PHONES} ORDER BY p.extension`);
    return rows.map((r) => this.toPhone(r));
  }

  async get(actor: Actor, id: number, tx?: Tx): Promise<Phone> {
    requirePermission(actor, 'phones');
    const row = await (tx ?? this.db).get<PhoneRow>(`${SELECT_PHONES} WHERE p.id = ?`, [id]);
    if (!row) throw notFound('phone');
    return this.toPhone(row);
  }

  async create(actor: Actor, input: NewPhone): Promise<Phone> {
    requirePermission(actor, 'phones');
    const password = input.password ?? randomPassword(12);
    checkExtension(input.extension);
    if (!isStrongSipPassword(password)) throw validationError('password', PASSWORD_MSG);
    const phone = await this.db.transaction(async (tx) => {
      await this.checkDuplicate(tx, input.extension, null);
      const b = await this.resolveBinding(tx, input.binding ?? { kind: 'none' }, null);
      const now = Date.now();
      const r = await tx.run(
        'INSERT INTO sip_phones (extension, name, password_sealed, agent_id, skill_group_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [input.extension, input.name, this.key.encrypt(password), b.agentId, b.groupId, now, now],
      );
      return this.get(actor, r.lastID, tx);
    });
    this.announce(phone);
    return phone;
  }

  async update(actor: Actor, id: number, patch: PhonePatch): Promise<Phone> {
    requirePermission(actor, 'phones');
    if (patch.extension !== undefined) checkExtension(patch.extension);
    let previous = '';
    const phone = await this.db.transaction(async (tx) => {
      const cur = await this.get(actor, id, tx);
      previous = cur.extension;
      if (patch.extension !== undefined) await this.checkDuplicate(tx, patch.extension, id);
      const b = patch.binding ? await this.resolveBinding(tx, patch.binding, id) : bindingIds(cur);
      await tx.run('UPDATE sip_phones SET extension = ?, name = ?, agent_id = ?, skill_group_id = ?, updated_at = ? WHERE id = ?', [
        patch.extension ?? cur.extension,
        patch.name ?? cur.name,
        b.agentId,
        b.groupId,
        Date.now(),
        id,
      ]);
      return this.get(actor, id, tx);
    });
    this.announce(phone, previous);
    return phone;
  }

  async setBinding(actor: Actor, id: number, binding: BindingInput): Promise<Phone> {
    return this.update(actor, id, { binding });
  }

  /** A new SIP password (given, or generated); the old one stops working at once. */
  async resetPassword(actor: Actor, id: number, password?: string): Promise<Phone> {
    requirePermission(actor, 'phones');
    const next = password ?? randomPassword(12);
    if (!isStrongSipPassword(next)) throw validationError('password', PASSWORD_MSG);
    const phone = await this.db.transaction(async (tx) => {
      await this.get(actor, id, tx);
      await tx.run('UPDATE sip_phones SET password_sealed = ?, updated_at = ? WHERE id = ?', [this.key.encrypt(next), Date.now(), id]);
      return this.get(actor, id, tx);
    });
    this.announce(phone);
    return phone;
  }

  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'phones');
    const phone = await this.db.transaction(async (tx) => {
      const p = await this.get(actor, id, tx);
      await tx.run('DELETE FROM sip_phones WHERE id = ?', [id]);
      return p;
    });
    this.safeEmit('changed', { kind: 'delete', extension: phone.extension });
  }

  /** Every phone's credentials, for the registrar's in-memory table (no actor: the SIP stack's own read). */
  async credentials(): Promise<PhoneCredential[]> {
    const rows = await this.db.all<{ id: number; extension: string; password_sealed: string }>('SELECT id, extension, password_sealed FROM sip_phones');
    return rows.map((r) => ({ phoneId: r.id, extension: r.extension, password: this.key.decrypt(r.password_sealed) }));
  }

  /** Phone bound to an agent, for the ACD ringing an agent's desk phone. */
  async extensionOfAgent(agentId: number): Promise<string | undefined> {
    const row = await this.db.get<{ extension: string }>('SELECT extension FROM sip_phones WHERE agent_id = ?', [agentId]);
    return row?.extension;
  }

  private announce(phone: Phone, previousExtension?: string): void {
    const credential = { phoneId: phone.id, extension: phone.extension, password: phone.password };
    this.safeEmit('changed', { kind: 'upsert', credential, ...(previousExtension && previousExtension !== phone.extension ? { previousExtension } : {}) });
  }

  private async checkDuplicate(tx: Tx, extension: string, id: number | null): Promise<void> {
    const dup = await tx.get<{ id: number }>('SELECT id FROM sip_phones WHERE extension = ?', [extension]);
    if (dup && dup.id !== id) throw conflict('extension', `分机号 ${extension} 已存在 (extension already exists)`);
  }

  private async resolveBinding(tx: Tx, b: BindingInput, phoneId: number | null): Promise<{ agentId: number | null; groupId: number | null }> {
    if (b.kind === 'none') return { agentId: null, groupId: null };
    if (b.kind === 'skillGroup') {
      const g = await tx.get('SELECT id FROM skill_groups WHERE id = ?', [b.id]);
      if (!g) throw validationError('binding.id', `skill group ${b.id} does not exist`);
      return { agentId: null, groupId: b.id };
    }
    const agent = await tx.get('SELECT id FROM users WHERE id = ? AND deleted_at IS NULL AND username IS NULL', [b.id]);
    if (!agent) throw validationError('binding.id', `agent ${b.id} does not exist`);
    const taken = await tx.get<{ extension: string; id: number }>('SELECT id, extension FROM sip_phones WHERE agent_id = ?', [b.id]);
    if (taken && taken.id !== phoneId) throw conflict('binding', `该客服已绑定分机 ${taken.extension} (the agent is already bound to extension ${taken.extension})`);
    return { agentId: b.id, groupId: null };
  }
}

function checkExtension(extension: string): void {
  if (!EXTENSION_RE.test(extension)) throw validationError('extension', EXTENSION_MSG);
}

function bindingIds(p: Phone): { agentId: number | null; groupId: number | null } {
  return { agentId: p.binding?.kind === 'agent' ? p.binding.id : null, groupId: p.binding?.kind === 'skillGroup' ? p.binding.id : null };
}

/** The demo profile (DESIGN.md): extensions 1001–1004, passwords Ext1001-demo …, bound to agents 1001–1004. */
export const DEMO_PHONES = ['1001', '1002', '1003', '1004'].map((n) => ({ extension: n, name: `话机 ${n}`, password: `Ext${n}-demo`, agentStaffNo: n }));

/** Idempotent: a missing extension is added (bound to its agent when that agent exists); existing ones are kept as they are. */
export async function seedDemoPhones(db: Database, key: BoxKey): Promise<void> {
  await db.transaction(async (tx) => {
    const now = Date.now();
    for (const p of DEMO_PHONES) {
      if (await tx.get('SELECT id FROM sip_phones WHERE extension = ?', [p.extension])) continue;
      const agent = await tx.get<{ id: number }>('SELECT id FROM users WHERE staff_no = ? AND deleted_at IS NULL AND username IS NULL', [p.agentStaffNo]);
      const taken = agent ? await tx.get('SELECT id FROM sip_phones WHERE agent_id = ?', [agent.id]) : undefined;
      await tx.run('INSERT INTO sip_phones (extension, name, password_sealed, agent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        p.extension, p.name, key.encrypt(p.password), agent && !taken ? agent.id : null, now, now,
      ]);
    }
  });
}
