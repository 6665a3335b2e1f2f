// SIP channels, their numbers and per-extension outbound rights in SQLite. Passwords are sealed with the
// box key; the carrier account's password (registerOut) is write-only, the gateway account's (registerIn)
// is shown to site IT. Changes are announced so the running trunks follow without a restart.
import type { Actor } from '../../directory/index.ts';
import { EXTENSION_RE, isStrongSipPassword, PASSWORD_MSG, requirePermission } from '../../directory/index.ts';
import type { Database, Tx } from '../../platform/db.ts';
import { conflict, CcboxError, notFound, validationError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import { randomPassword } from '../../platform/ids.ts';
import type { BoxKey } from '../../platform/secrets.ts';
import { cleanNumber, NUMBER_MSG, NUMBER_RE, PREFIX_MSG, PREFIX_RE, sameNumber } from './numbers.ts';
import {
  CALLS_PER_UNIT, type ChannelConfig, type ChannelMode, type ChannelNumber, type DeviceType, type ModeSettings,
  type OutboundRights, type PublicTrunkSettings, type RegisterInSettings, type RegisterOutSettings,
} from './trunk-types.ts';

export interface ChannelInput {
  name: string;
  deviceType: DeviceType;
  capacity: number;
  mode: ChannelMode;
  publicTrunk?: PublicTrunkSettings;
  registerOut?: Omit<RegisterOutSettings, 'authUsername' | 'outboundProxy'> & { authUsername?: string | null; outboundProxy?: string | null; password?: string };
  registerIn?: RegisterInSettings & { password?: string };
  inboundExtension?: string | null;
  enabled?: boolean;
}

export type ChannelPatch = Partial<ChannelInput>;

export interface NumberInput {
  number: string;
  channelId: number;
  sendPrefix?: string;
}

export interface ChannelStoreEvents {
  /** A channel was created, changed (id) or deleted. */
  changed: [{ channelId: number; deleted: boolean }];
  numbers: [{ channelId: number }];
}

interface ChannelRow {
  id: number;
  name: string;
  device_type: DeviceType;
  capacity: number;
  mode: ChannelMode;
  settings: string;
  password_sealed: string | null;
  account_username: string | null;
  inbound_extension: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

interface NumberRow {
  id: number;
  number: string;
  channel_id: number;
  channel_name: string;
  send_prefix: string;
  state: 'pending' | 'effective';
  effective_at: number | null;
  created_at: number;
  updated_at: number;
}

const SELECT_NUMBERS = 'SELECT n.*, c.name AS channel_name FROM sip_numbers n JOIN sip_channels c ON c.id = n.channel_id';

export class ChannelStore extends TypedEmitter<ChannelStoreEvents> {
  constructor(private readonly db: Database, private readonly key: BoxKey, private readonly now: () => number = Date.now) {
    super();
  }

  // ---- channels ----

  private toConfig(r: ChannelRow): ChannelConfig {
    const settings = JSON.parse(r.settings) as Record<string, unknown>;
    const mode = { mode: r.mode, [r.mode]: settings } as unknown as ModeSettings;
    return {
      ...mode, id: r.id, name: r.name, deviceType: r.device_type, capacity: r.capacity, maxCalls: r.capacity * CALLS_PER_UNIT[r.device_type],
      password: r.password_sealed ? this.key.decrypt(r.password_sealed) : null, inboundExtension: r.inbound_extension, enabled: r.enabled === 1,
      createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  /** Every channel with its password in clear: the trunks' own read (no actor). */
  async loadAll(): Promise<ChannelConfig[]> {
    return (await this.db.all<ChannelRow>('SELECT * FROM sip_channels ORDER BY id')).map((r) => this.toConfig(r));
  }

  async load(id: number, tx?: Tx): Promise<ChannelConfig | undefined> {
    const r = await (tx ?? this.db).get<ChannelRow>('SELECT * FROM sip_channels WHERE id = ?', [id]);
    return r ? this.toConfig(r) : undefined;
  }

  async list(actor: Actor): Promise<ChannelConfig[]> {
    requirePermission(actor, 'channels');
    return this.loadAll();
  }

  async get(actor: Actor, id: number): Promise<ChannelConfig> {
    requirePermission(actor, 'channels');
    const c = await this.load(id);
    if (!c) throw notFound('channel');
    return c;
  }

  async create(actor: Actor, input: ChannelInput): Promise<ChannelConfig> {
    requirePermission(actor, 'channels');
    const row = this.plan(input, null);
    const created = await this.db.transaction(async (tx) => {
      await this.checkUnique(tx, row, null);
      const now = this.now();
      const r = await tx.run(
        `INSERT INTO sip_channels (name, device_type, capacity, mode, settings, password_sealed, account_username, inbound_extension, enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.name, row.deviceType, row.capacity, row.mode, row.settings, row.passwordSealed, row.accountUsername, row.inboundExtension, row.enabled ? 1 : 0, now, now],
      );
      return (await this.load(r.lastID, tx))!;
    });
    this.safeEmit('changed', { channelId: created.id, deleted: false });
    return created;
  }

  async update(actor: Actor, id: number, patch: ChannelPatch): Promise<ChannelConfig> {
    requirePermission(actor, 'channels');
    const updated = await this.db.transaction(async (tx) => {
      const cur = await this.load(id, tx);
      if (!cur) throw notFound('channel');
      const row = this.plan(merge(cur, patch), cur);
      await this.checkUnique(tx, row, id);
      await tx.run(
        `UPDATE sip_channels SET name = ?, device_type = ?, capacity = ?, mode = ?, settings = ?, password_sealed = ?, account_username = ?,
           inbound_extension = ?, enabled = ?, updated_at = ? WHERE id = ?`,
        [row.name, row.deviceType, row.capacity, row.mode, row.settings, row.passwordSealed, row.accountUsername, row.inboundExtension, row.enabled ? 1 : 0, this.now(), id],
      );
      return (await this.load(id, tx))!;
    });
    this.safeEmit('changed', { channelId: id, deleted: false });
    return updated;
  }

  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'channels');
    await this.db.transaction(async (tx) => {
      if (!(await this.load(id, tx))) throw notFound('channel');
      const n = await tx.get<{ n: number }>('SELECT count(*) AS n FROM sip_numbers WHERE channel_id = ?', [id]);
      if (n && n.n > 0) throw new CcboxError('CCBOX_ERR_CONFLICT', `线路下还有 ${n.n} 个号码，请先删除 (the channel still has ${n.n} numbers; remove them first)`, { field: 'id' });
      await tx.run('DELETE FROM sip_channels WHERE id = ?', [id]);
    });
    this.safeEmit('changed', { channelId: id, deleted: true });
  }

  /** Validates an input against its mode and turns it into a row; `cur` keeps the write-only password. */
  private plan(input: ChannelInput, cur: ChannelConfig | null) {
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 10_000) throw validationError('capacity', 'capacity: 1–10000');
    if (input.inboundExtension != null && !EXTENSION_RE.test(input.inboundExtension)) {
      throw validationError('inboundExtension', 'inboundExtension: 分机号为 4–6 位数字，以 1–8 开头 (an extension)');
    }
    let settings: unknown;
    let password: string | null = null;
    let accountUsername: string | null = null;
    if (input.mode === 'publicTrunk') {
      const p = input.publicTrunk;
      if (!p) throw validationError('publicTrunk', 'publicTrunk: required for a public trunk');
      settings = { carrierHost: p.carrierHost, carrierPort: p.carrierPort, transport: p.transport, trustedIps: p.trustedIps };
    } else if (input.mode === 'registerOut') {
      const r = input.registerOut;
      if (!r) throw validationError('registerOut', 'registerOut: required when the box registers to the carrier');
      password = r.password ?? (cur?.mode === 'registerOut' ? cur.password : null);
      if (!password) throw validationError('registerOut.password', 'registerOut.password: required');
      settings = { username: r.username, authUsername: r.authUsername ?? null, server: r.server, outboundProxy: r.outboundProxy ?? null, port: r.port, transport: r.transport, expires: r.expires };
    } else {
      const r = input.registerIn;
      if (!r) throw validationError('registerIn', 'registerIn: required when the gateway registers to the box');
      if (EXTENSION_RE.test(r.username)) throw validationError('registerIn.username', 'registerIn.username: 不能与分机号格式相同 (must not look like an extension)');
      password = r.password ?? (cur?.mode === 'registerIn' ? cur.password : null) ?? randomPassword(16);
      if (!isStrongSipPassword(password)) throw validationError('registerIn.password', PASSWORD_MSG);
      accountUsername = r.username;
      settings = { username: r.username };
    }
    return {
      name: input.name.trim(), deviceType: input.deviceType, capacity: input.capacity, mode: input.mode, settings: JSON.stringify(settings),
      passwordSealed: password === null ? null : this.key.encrypt(password), accountUsername,
      inboundExtension: input.inboundExtension ?? null, enabled: input.enabled ?? true,
    };
  }

  private async checkUnique(tx: Tx, row: { name: string; accountUsername: string | null }, id: number | null): Promise<void> {
    const dup = await tx.get<{ id: number }>('SELECT id FROM sip_channels WHERE name = ?', [row.name]);
    if (dup && dup.id !== id) throw conflict('name', `线路名称 ${row.name} 已存在 (a channel with this name exists)`);
    if (row.accountUsername) {
      const acc = await tx.get<{ id: number }>('SELECT id FROM sip_channels WHERE account_username = ?', [row.accountUsername]);
      if (acc && acc.id !== id) throw conflict('registerIn.username', `账号 ${row.accountUsername} 已被其他线路使用 (account already used by another channel)`);
      const phone = await tx.get('SELECT id FROM sip_phones WHERE extension = ?', [row.accountUsername]);
      if (phone) throw conflict('registerIn.username', `账号 ${row.accountUsername} 与分机号重复 (account equals an extension)`);
    }
  }

  // ---- numbers ----

  private toNumber(r: NumberRow): ChannelNumber {
    return {
      id: r.id, number: r.number, channelId: r.channel_id, channelName: r.channel_name, sendPrefix: r.send_prefix, state: r.state,
      effectiveAt: r.effective_at, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  /** Every number (no actor): the trunks' and the routing's own read; also what the IVR binds to. */
  async allNumbers(): Promise<ChannelNumber[]> {
    return (await this.db.all<NumberRow>(`${SELECT_NUMBERS} ORDER BY n.number`)).map((r) => this.toNumber(r));
  }

  async listNumbers(actor: Actor, filter: { channelId?: number; state?: 'pending' | 'effective' } = {}): Promise<ChannelNumber[]> {
    requirePermission(actor, 'numbers');
    return (await this.allNumbers()).filter((n) => (filter.channelId === undefined || n.channelId === filter.channelId) && (!filter.state || n.state === filter.state));
  }

  private async numberRow(tx: Tx | Database, id: number): Promise<ChannelNumber> {
    const r = await tx.get<NumberRow>(`${SELECT_NUMBERS} WHERE n.id = ?`, [id]);
    if (!r) throw notFound('number');
    return this.toNumber(r);
  }

  async getNumber(actor: Actor, id: number): Promise<ChannelNumber> {
    requirePermission(actor, 'numbers');
    return this.numberRow(this.db, id);
  }

  async createNumber(actor: Actor, input: NumberInput): Promise<ChannelNumber> {
    requirePermission(actor, 'numbers');
    const number = checkNumber(input.number);
    const prefix = checkPrefix(input.sendPrefix ?? '');
    const created = await this.db.transaction(async (tx) => {
      if (!(await this.load(input.channelId, tx))) throw validationError('channelId', `channelId: channel ${input.channelId} does not exist`);
      await this.checkNumberUnique(tx, number, null);
      const now = this.now();
      const r = await tx.run('INSERT INTO sip_numbers (number, channel_id, send_prefix, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [number, input.channelId, prefix, 'pending', now, now]);
      return this.numberRow(tx, r.lastID);
    });
    this.safeEmit('numbers', { channelId: created.channelId });
    return created;
  }

  async updateNumber(actor: Actor, id: number, patch: { sendPrefix?: string; channelId?: number }): Promise<ChannelNumber> {
    requirePermission(actor, 'numbers');
    let before = 0;
    const updated = await this.db.transaction(async (tx) => {
      const cur = await this.numberRow(tx, id);
      before = cur.channelId;
      const channelId = patch.channelId ?? cur.channelId;
      if (!(await this.load(channelId, tx))) throw validationError('channelId', `channelId: channel ${channelId} does not exist`);
      const prefix = checkPrefix(patch.sendPrefix ?? cur.sendPrefix);
      // Moving a number to another line makes it pending again until that line answers.
      const moved = channelId !== cur.channelId;
      await tx.run('UPDATE sip_numbers SET channel_id = ?, send_prefix = ?, state = ?, effective_at = ?, updated_at = ? WHERE id = ?', [
        channelId, prefix, moved ? 'pending' : cur.state, moved ? null : cur.effectiveAt, this.now(), id,
      ]);
      return this.numberRow(tx, id);
    });
    this.safeEmit('numbers', { channelId: updated.channelId });
    if (before !== updated.channelId) this.safeEmit('numbers', { channelId: before });
    return updated;
  }

  async removeNumber(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'numbers');
    const gone = await this.db.transaction(async (tx) => {
      const cur = await this.numberRow(tx, id);
      await tx.run('DELETE FROM sip_numbers WHERE id = ?', [id]);
      return cur;
    });
    this.safeEmit('numbers', { channelId: gone.channelId });
  }

  /** Site IT confirms a number works (e.g. a carrier that answers no OPTIONS): pending → effective. */
  async activateNumber(actor: Actor, id: number): Promise<ChannelNumber> {
    requirePermission(actor, 'numbers');
    const cur = await this.numberRow(this.db, id);
    if (cur.state === 'pending') await this.db.run("UPDATE sip_numbers SET state = 'effective', effective_at = ?, updated_at = ? WHERE id = ?", [this.now(), this.now(), id]);
    this.safeEmit('numbers', { channelId: cur.channelId });
    return this.numberRow(this.db, id);
  }

  /** The channel's line answered: its pending numbers become effective. Returns the numbers changed. */
  async markEffective(channelId: number): Promise<string[]> {
    const pending = await this.db.all<{ number: string }>("SELECT number FROM sip_numbers WHERE channel_id = ? AND state = 'pending'", [channelId]);
    if (pending.length === 0) return [];
    const now = this.now();
    await this.db.run("UPDATE sip_numbers SET state = 'effective', effective_at = ?, updated_at = ? WHERE channel_id = ? AND state = 'pending'", [now, now, channelId]);
    this.safeEmit('numbers', { channelId });
    return pending.map((p) => p.number);
  }

  private async checkNumberUnique(tx: Tx, number: string, id: number | null): Promise<void> {
    // Two spellings of one number (+862088880000 and 02088880000) are one number.
    for (const r of await tx.all<{ id: number; number: string }>('SELECT id, number FROM sip_numbers')) {
      if (r.id !== id && sameNumber(r.number, number)) throw conflict('number', `号码 ${number} 已存在 (number already exists)`);
    }
  }

  // ---- outbound rights ----

  async rightsOf(extension: string): Promise<OutboundRights> {
    const r = await this.db.get<{ outbound: number; international: number }>('SELECT outbound, international FROM sip_outbound_rights WHERE extension = ?', [extension]);
    return { extension, outbound: r ? r.outbound === 1 : true, international: r ? r.international === 1 : false };
  }

  async listRights(actor: Actor): Promise<OutboundRights[]> {
    requirePermission(actor, 'phones');
    const rows = await this.db.all<{ extension: string; outbound: number | null; international: number | null }>(
      'SELECT p.extension, r.outbound, r.international FROM sip_phones p LEFT JOIN sip_outbound_rights r ON r.extension = p.extension ORDER BY p.extension',
    );
    return rows.map((r) => ({ extension: r.extension, outbound: r.outbound === null ? true : r.outbound === 1, international: r.international === 1 }));
  }

  async setRights(actor: Actor, extension: string, rights: { outbound: boolean; international: boolean }): Promise<OutboundRights> {
    requirePermission(actor, 'phones');
    if (!(await this.db.get('SELECT id FROM sip_phones WHERE extension = ?', [extension]))) throw notFound('extension');
    await this.db.run(
      'INSERT INTO sip_outbound_rights (extension, outbound, international, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(extension) DO UPDATE SET outbound = excluded.outbound, international = excluded.international, updated_at = excluded.updated_at',
      [extension, rights.outbound ? 1 : 0, rights.international ? 1 : 0, this.now()],
    );
    return { extension, ...rights };
  }
}

function checkNumber(raw: string): string {
  const n = cleanNumber(raw);
  if (!NUMBER_RE.test(n)) throw validationError('number', `number: ${NUMBER_MSG}`);
  return n;
}

function checkPrefix(p: string): string {
  if (!PREFIX_RE.test(p)) throw validationError('sendPrefix', `sendPrefix: ${PREFIX_MSG}`);
  return p;
}

/** A patch over the current channel; the mode block of the (possibly new) mode comes from the patch or the current one. */
function merge(cur: ChannelConfig, patch: ChannelPatch): ChannelInput {
  const mode = patch.mode ?? cur.mode;
  const out: ChannelInput = {
    name: patch.name ?? cur.name, deviceType: patch.deviceType ?? cur.deviceType, capacity: patch.capacity ?? cur.capacity, mode,
    inboundExtension: patch.inboundExtension !== undefined ? patch.inboundExtension : cur.inboundExtension, enabled: patch.enabled ?? cur.enabled,
  };
  if (mode === 'publicTrunk') out.publicTrunk = patch.publicTrunk ?? (cur.mode === 'publicTrunk' ? cur.publicTrunk : undefined);
  if (mode === 'registerOut') out.registerOut = patch.registerOut ?? (cur.mode === 'registerOut' ? cur.registerOut : undefined);
  if (mode === 'registerIn') out.registerIn = patch.registerIn ?? (cur.mode === 'registerIn' ? cur.registerIn : undefined);
  return out;
}
