// 通话设置 on SQLite: box-wide settings (rows of `settings` under 'calls.*'), the blacklist, 收号 templates, the
// 自助服务 list and per-number settings. Reads on the call path (blacklist, per-number) are single indexed
// lookups; box-wide settings are cached and replaced on save.
import type { Database } from '../../platform/db.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { nationalKey } from '../../sip/trunks/index.ts';
import {
  DEFAULT_GENERAL, DEFAULT_HOLD_MUSIC, DEFAULT_NUMBER_SETTINGS, DEFAULT_OUTBOUND, generalSettingsSchema, holdMusicSchema, numberSettingsSchema,
  outboundSettingsSchema, type BlacklistEntry, type BlacklistInput, type DigitTemplate, type DigitTemplateInput, type GeneralCallSettings,
  type HoldMusicSettings, type NumberCallSettings, type NumberSettingsInput, type OutboundCallSettings, type SelfServiceEntry, type SelfServiceInput,
} from './settings-types.ts';

interface Boxwide {
  general: GeneralCallSettings;
  holdMusic: HoldMusicSettings;
  outbound: OutboundCallSettings;
}
const KEYS: { [K in keyof Boxwide]: { key: string; schema: { parse(v: unknown): Boxwide[K]; safeParse(v: unknown): { success: boolean; data?: Boxwide[K] } }; fallback: Boxwide[K] } } = {
  general: { key: 'calls.general', schema: generalSettingsSchema, fallback: DEFAULT_GENERAL },
  holdMusic: { key: 'calls.holdMusic', schema: holdMusicSchema, fallback: DEFAULT_HOLD_MUSIC },
  outbound: { key: 'calls.outbound', schema: outboundSettingsSchema, fallback: DEFAULT_OUTBOUND },
};

interface BlacklistRow {
  id: number;
  shown: string;
  remark: string;
  expires_at: number | null;
  created_at: number;
  created_by: number | null;
  creator: string | null;
}
const blacklistView = (r: BlacklistRow): BlacklistEntry => ({
  id: r.id, number: r.shown, remark: r.remark, expiresAt: r.expires_at, createdAt: r.created_at,
  createdBy: r.created_by !== null ? { id: r.created_by, name: r.creator ?? '' } : null,
});
type SelfRow = Omit<SelfServiceEntry, 'enabled'> & { enabled: number };
const isUnique = (err: unknown): boolean => /UNIQUE constraint/i.test((err as Error).message ?? '');

export class CallSettings {
  private cache: Partial<Boxwide> = {};

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  // ---- box-wide ----

  async get<K extends keyof Boxwide>(k: K): Promise<Boxwide[K]> {
    const cached = this.cache[k];
    if (cached) return cached;
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [KEYS[k].key]);
    const parsed = row ? KEYS[k].schema.safeParse(JSON.parse(row.value)) : null;
    const v = parsed?.success && parsed.data !== undefined ? parsed.data : KEYS[k].fallback;
    this.cache[k] = v;
    return v;
  }

  async set<K extends keyof Boxwide>(k: K, value: Boxwide[K]): Promise<Boxwide[K]> {
    const v = KEYS[k].schema.parse(value);
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [KEYS[k].key, JSON.stringify(v)]);
    this.cache[k] = v;
    return v;
  }

  // ---- 黑名单 ----

  private static SELECT_BLACKLIST = `SELECT b.id, b.shown, b.remark, b.expires_at, b.created_at, b.created_by, u.name AS creator
    FROM call_blacklist b LEFT JOIN users u ON u.id = b.created_by`;

  async blacklist(q: { number?: string | undefined; page: number; pageSize: number }): Promise<{ items: BlacklistEntry[]; total: number; page: number; pageSize: number }> {
    const where = q.number ? ` WHERE b.shown LIKE ? ESCAPE '\\' OR b.number LIKE ? ESCAPE '\\'` : '';
    const like = q.number ? `%${q.number.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : '';
    const params = q.number ? [like, like] : [];
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM call_blacklist b${where}`, params))?.n ?? 0;
    const rows = await this.db.all<BlacklistRow>(`${CallSettings.SELECT_BLACKLIST}${where} ORDER BY b.id DESC LIMIT ? OFFSET ?`, [...params, q.pageSize, (q.page - 1) * q.pageSize]);
    return { items: rows.map(blacklistView), total, page: q.page, pageSize: q.pageSize };
  }

  async addToBlacklist(input: BlacklistInput, userId: number | null): Promise<BlacklistEntry> {
    const now = this.now();
    if (input.expiresAt != null && input.expiresAt <= now) throw validationError('expiresAt', '到期时间必须在将来 (expiresAt must be in the future)');
    const key = nationalKey(input.number);
    let id: number;
    try {
      id = (await this.db.run('INSERT INTO call_blacklist (number, shown, remark, expires_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [
        key, input.number, input.remark ?? '', input.expiresAt ?? null, now, userId,
      ])).lastID;
    } catch (err) {
      if (isUnique(err)) throw conflict('number', `${input.number} 已在黑名单中 (already blacklisted)`);
      throw err;
    }
    return blacklistView((await this.db.get<BlacklistRow>(`${CallSettings.SELECT_BLACKLIST} WHERE b.id = ?`, [id]))!);
  }

  async removeFromBlacklist(id: number): Promise<void> {
    if ((await this.db.run('DELETE FROM call_blacklist WHERE id = ?', [id])).changes === 0) throw notFound('blacklist entry');
  }

  /** Whether a caller is blacklisted now (any spelling of the number; expired entries do not count). */
  async isBlacklisted(caller: string): Promise<boolean> {
    const key = nationalKey(caller);
    if (!key) return false;
    const row = await this.db.get<{ expires_at: number | null }>('SELECT expires_at FROM call_blacklist WHERE number = ?', [key]);
    return !!row && (row.expires_at === null || row.expires_at > this.now());
  }

  // ---- 号码设置 ----

  private async ourNumber(number: string): Promise<string> {
    const key = nationalKey(number);
    const rows = await this.db.all<{ number: string }>('SELECT number FROM sip_numbers');
    const found = rows.find((r) => nationalKey(r.number) === key);
    if (!found) throw notFound('number');
    return found.number;
  }

  /** The settings of one of our numbers (any spelling); defaults when never saved. Null for numbers that are not ours. */
  async forNumber(number: string): Promise<NumberCallSettings | null> {
    const ours = await this.ourNumber(number).catch(() => null);
    if (!ours) return null;
    const row = await this.db.get<{ settings: string }>('SELECT settings FROM number_call_settings WHERE number = ?', [ours]);
    const parsed = row ? numberSettingsSchema.safeParse(JSON.parse(row.settings)) : null;
    return { number: ours, ...(parsed?.success ? parsed.data : DEFAULT_NUMBER_SETTINGS) };
  }

  async numbers(): Promise<NumberCallSettings[]> {
    const rows = await this.db.all<{ number: string; settings: string | null }>(
      'SELECT n.number, s.settings FROM sip_numbers n LEFT JOIN number_call_settings s ON s.number = n.number ORDER BY n.number',
    );
    return rows.map((r) => {
      const parsed = r.settings ? numberSettingsSchema.safeParse(JSON.parse(r.settings)) : null;
      return { number: r.number, ...(parsed?.success ? parsed.data : DEFAULT_NUMBER_SETTINGS) };
    });
  }

  async setNumber(number: string, input: NumberSettingsInput): Promise<NumberCallSettings> {
    const ours = await this.ourNumber(number);
    const v = numberSettingsSchema.parse(input);
    await this.db.run(
      'INSERT INTO number_call_settings (number, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at',
      [ours, JSON.stringify(v), this.now()],
    );
    return { number: ours, ...v };
  }

  // ---- 外呼指定分配: who last called a customer out ----

  async rememberOutbound(customer: string, agentId: number): Promise<void> {
    const key = nationalKey(customer);
    if (!key) return;
    await this.db.run(
      'INSERT INTO last_outbound_agent (number, agent_id, at) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET agent_id = excluded.agent_id, at = excluded.at',
      [key, agentId, this.now()],
    );
  }

  /** The agent who called `customer` out within `withinMs`. */
  async lastOutboundAgent(customer: string, withinMs: number): Promise<number | null> {
    const row = await this.db.get<{ agent_id: number }>('SELECT agent_id FROM last_outbound_agent WHERE number = ? AND at > ?', [nationalKey(customer), this.now() - withinMs]);
    return row?.agent_id ?? null;
  }

  async purgeOutbound(olderThan: number): Promise<void> {
    await this.db.run('DELETE FROM last_outbound_agent WHERE at <= ?', [olderThan]);
  }

  // ---- 收号设置 ----

  private static template(r: { id: number; name: string; definition: string; created_at: number; updated_at: number }): DigitTemplate {
    return { ...(JSON.parse(r.definition) as Omit<DigitTemplate, 'id' | 'name' | 'createdAt' | 'updatedAt'>), id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async digitTemplates(): Promise<DigitTemplate[]> {
    return (await this.db.all<{ id: number; name: string; definition: string; created_at: number; updated_at: number }>('SELECT * FROM call_digit_templates ORDER BY id')).map(CallSettings.template);
  }

  async digitTemplate(id: number): Promise<DigitTemplate> {
    const r = await this.db.get<{ id: number; name: string; definition: string; created_at: number; updated_at: number }>('SELECT * FROM call_digit_templates WHERE id = ?', [id]);
    if (!r) throw notFound('digit collection template');
    return CallSettings.template(r);
  }

  async saveDigitTemplate(id: number | null, input: Partial<DigitTemplateInput>): Promise<DigitTemplate> {
    const now = this.now();
    const base = id !== null ? await this.digitTemplate(id) : null;
    const merged = { ...(base ?? {}), ...input } as DigitTemplate;
    if (merged.maxDigits < merged.minDigits) throw validationError('maxDigits', '最多位数不能小于最少位数 (maxDigits < minDigits)');
    const { id: _i, name, createdAt: _c, updatedAt: _u, ...definition } = merged;
    try {
      if (id === null) {
        id = (await this.db.run('INSERT INTO call_digit_templates (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)', [name, JSON.stringify(definition), now, now])).lastID;
      } else {
        await this.db.run('UPDATE call_digit_templates SET name = ?, definition = ?, updated_at = ? WHERE id = ?', [name, JSON.stringify(definition), now, id]);
      }
    } catch (err) {
      if (isUnique(err)) throw conflict('name', `${name} 已存在 (name taken)`);
      throw err;
    }
    return this.digitTemplate(id);
  }

  async removeDigitTemplate(id: number): Promise<void> {
    if ((await this.db.run('DELETE FROM call_digit_templates WHERE id = ?', [id])).changes === 0) throw notFound('digit collection template');
  }

  // ---- 自助服务 ----

  private static SELECT_SELF = `SELECT s.id, s.name, s.flow_id AS flowId, f.name AS flowName, s.version, s.enabled, s.created_at AS createdAt,
    s.updated_at AS updatedAt FROM call_self_services s JOIN ivr_flows f ON f.id = s.flow_id`;

  async selfServices(): Promise<SelfServiceEntry[]> {
    return (await this.db.all<SelfRow>(`${CallSettings.SELECT_SELF} ORDER BY s.id`)).map((r) => ({ ...r, enabled: !!r.enabled }));
  }

  async selfService(id: number): Promise<SelfServiceEntry> {
    const r = await this.db.get<SelfRow>(`${CallSettings.SELECT_SELF} WHERE s.id = ?`, [id]);
    if (!r) throw notFound('self-service');
    return { ...r, enabled: !!r.enabled };
  }

  async saveSelfService(id: number | null, input: Partial<SelfServiceInput>): Promise<SelfServiceEntry> {
    const now = this.now();
    const base = id !== null ? await this.selfService(id) : null;
    const name = input.name ?? base?.name;
    const flowId = input.flowId ?? base?.flowId;
    if (name === undefined) throw validationError('name', '不能为空 (required)');
    if (flowId === undefined) throw validationError('flowId', '不能为空 (required)');
    const v = { name, flowId, version: input.version ?? base?.version ?? 'MAIN', enabled: input.enabled ?? base?.enabled ?? true };
    const flow = await this.db.get<{ kind: string }>('SELECT kind FROM ivr_flows WHERE id = ?', [v.flowId]);
    if (!flow) throw validationError('flowId', `IVR ${v.flowId} 不存在 (no such flow)`);
    if (flow.kind !== 'selfService') throw validationError('flowId', '只能选择自助服务 IVR (only self-service flows)');
    try {
      if (id === null) {
        id = (await this.db.run('INSERT INTO call_self_services (name, flow_id, version, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
          v.name, v.flowId, v.version, v.enabled ? 1 : 0, now, now,
        ])).lastID;
      } else {
        await this.db.run('UPDATE call_self_services SET name = ?, flow_id = ?, version = ?, enabled = ?, updated_at = ? WHERE id = ?', [v.name, v.flowId, v.version, v.enabled ? 1 : 0, now, id]);
      }
    } catch (err) {
      if (isUnique(err)) throw conflict('name', `${v.name} 已存在 (name taken)`);
      throw err;
    }
    return this.selfService(id);
  }

  async removeSelfService(id: number): Promise<void> {
    if ((await this.db.run('DELETE FROM call_self_services WHERE id = ?', [id])).changes === 0) throw notFound('self-service');
  }
}
