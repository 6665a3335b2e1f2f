// 来电弹屏 pages and the click-to-call SDK's settings (the box's SdkAppId stand-in, origins allowed to embed
// the SDK frame), kept in SQLite (migration 008). Permission checks happen here, as in the directory.
import type { Actor } from '../../directory/index.ts';
import { requirePermission } from '../../directory/index.ts';
import type { Database } from '../../platform/db.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';

export type ScreenPopMode = 'always' | 'onCall';

export interface ScreenPopPage {
  id: number;
  name: string;
  url: string;
  /** always = 常显; onCall = shown only while a call is up */
  mode: ScreenPopMode;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ScreenPopInput { name: string; url: string; mode: ScreenPopMode; enabled?: boolean }

interface Row { id: number; name: string; url: string; mode: ScreenPopMode; enabled: number; created_at: number; updated_at: number }

const view = (r: Row): ScreenPopPage => ({ id: r.id, name: r.name, url: r.url, mode: r.mode, enabled: r.enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at });

export const HTTPS_ONLY_MSG = '只支持 HTTPS 地址 (only https:// URLs are allowed)';

/**
 * A screen-pop page must be an absolute https:// URL without credentials: the workbench is served over
 * HTTPS and a plain-HTTP page would be mixed content carrying the customer's number in its hash.
 */
export function checkHttpsUrl(raw: string, field = 'url'): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw validationError(field, `${field}: 地址格式不正确 (not a valid URL)`);
  }
  if (u.protocol !== 'https:') throw validationError(field, `${field}: ${HTTPS_ONLY_MSG}`);
  if (u.username || u.password) throw validationError(field, `${field}: 地址中不能包含账号密码 (no user name or password in the URL)`);
  return u.toString();
}

/** An origin allowed to embed the SDK frame: `https://host[:port]`, nothing after it. */
export function checkOrigin(raw: string, field: string): string {
  const u = new URL(checkHttpsUrl(raw, field));
  if (u.pathname !== '/' || u.search || u.hash) throw validationError(field, `${field}: 只填写来源，如 https://crm.example.com (an origin only, e.g. https://crm.example.com)`);
  return u.origin;
}

export class IntegrationStore {
  constructor(private readonly db: Database) {}

  async list(actor: Actor): Promise<ScreenPopPage[]> {
    requirePermission(actor, 'settings');
    return (await this.db.all<Row>('SELECT * FROM screen_pop_pages ORDER BY sort, id')).map(view);
  }

  /** What a workbench shows: the enabled pages, for anyone with the workbench. */
  async enabledPages(actor: Actor): Promise<ScreenPopPage[]> {
    requirePermission(actor, 'workbench');
    return (await this.db.all<Row>('SELECT * FROM screen_pop_pages WHERE enabled = 1 ORDER BY sort, id')).map(view);
  }

  private async byId(id: number): Promise<Row> {
    const row = await this.db.get<Row>('SELECT * FROM screen_pop_pages WHERE id = ?', [id]);
    if (!row) throw notFound('screen-pop page');
    return row;
  }

  private async assertNameFree(name: string, exceptId: number | null): Promise<void> {
    const dup = await this.db.get<{ id: number }>('SELECT id FROM screen_pop_pages WHERE name = ? AND id IS NOT ?', [name, exceptId]);
    if (dup) throw conflict('name', `名称已存在 (the name ${name} is taken)`);
  }

  async create(actor: Actor, input: ScreenPopInput): Promise<ScreenPopPage> {
    requirePermission(actor, 'settings');
    const url = checkHttpsUrl(input.url);
    await this.assertNameFree(input.name, null);
    const now = Date.now();
    const sort = (await this.db.get<{ n: number | null }>('SELECT max(sort) AS n FROM screen_pop_pages'))?.n ?? 0;
    const r = await this.db.run(
      'INSERT INTO screen_pop_pages (name, url, mode, enabled, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [input.name, url, input.mode, input.enabled === false ? 0 : 1, sort + 1, now, now],
    );
    return view(await this.byId(r.lastID));
  }

  async update(actor: Actor, id: number, patch: Partial<ScreenPopInput>): Promise<ScreenPopPage> {
    requirePermission(actor, 'settings');
    const row = await this.byId(id);
    const url = patch.url === undefined ? row.url : checkHttpsUrl(patch.url);
    const name = patch.name ?? row.name;
    if (name !== row.name) await this.assertNameFree(name, id);
    await this.db.run('UPDATE screen_pop_pages SET name = ?, url = ?, mode = ?, enabled = ?, updated_at = ? WHERE id = ?', [
      name, url, patch.mode ?? row.mode, patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0, Date.now(), id,
    ]);
    return view(await this.byId(id));
  }

  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'settings');
    await this.byId(id);
    await this.db.run('DELETE FROM screen_pop_pages WHERE id = ?', [id]);
  }

  private async setting<T>(key: string, fallback: T): Promise<T> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  /** The box's ID where the cloud product has an SdkAppId (screen-pop hash, SDK events). */
  sdkAppId(): Promise<string> {
    return this.setting('box.sdkAppId', '');
  }

  /** Origins of business systems allowed to embed the SDK frame (no actor: the frame's headers need it). */
  allowedOrigins(): Promise<string[]> {
    return this.setting<string[]>('sdk.allowedOrigins', []);
  }

  async sdkSettings(actor: Actor): Promise<{ sdkAppId: string; allowedOrigins: string[] }> {
    requirePermission(actor, 'settings');
    return { sdkAppId: await this.sdkAppId(), allowedOrigins: await this.allowedOrigins() };
  }

  async setAllowedOrigins(actor: Actor, origins: string[]): Promise<{ sdkAppId: string; allowedOrigins: string[] }> {
    requirePermission(actor, 'settings');
    const clean = [...new Set(origins.map((o, i) => checkOrigin(o, `allowedOrigins.${i}`)))];
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', ['sdk.allowedOrigins', JSON.stringify(clean)]);
    return this.sdkSettings(actor);
  }

  /** Who the agent is, for the screen-pop hash (agentEmail, agentMobile, agentNickName, agentRoleId). */
  async agentCard(actor: Actor): Promise<{ id: number; name: string; nickname: string; staffNo: string | null; email: string | null; mobile: string | null; roleId: number }> {
    requirePermission(actor, 'workbench');
    const r = await this.db.get<{ id: number; name: string; nickname: string; staff_no: string | null; email: string | null; mobile: string | null; role_id: number }>(
      'SELECT id, name, nickname, staff_no, email, mobile, role_id FROM users WHERE id = ?', [actor.userId],
    );
    if (!r) throw notFound('user');
    return { id: r.id, name: r.name, nickname: r.nickname, staffNo: r.staff_no, email: r.email, mobile: r.mobile, roleId: r.role_id };
  }

  /** Transfer and internal-call targets for the workbench: skill groups, colleagues with their extensions, group phones. */
  async colleagues(actor: Actor): Promise<{ skillGroups: { id: number; name: string }[]; agents: { id: number; name: string; staffNo: string; extension: string | null }[]; phones: { extension: string; name: string }[] }> {
    requirePermission(actor, 'workbench');
    const skillGroups = await this.db.all<{ id: number; name: string }>('SELECT id, name FROM skill_groups ORDER BY id');
    const agents = await this.db.all<{ id: number; name: string; staffNo: string; extension: string | null }>(
      `SELECT u.id, u.name, u.staff_no AS staffNo, p.extension FROM users u LEFT JOIN sip_phones p ON p.agent_id = u.id
       WHERE u.deleted_at IS NULL AND u.staff_no IS NOT NULL AND u.state = 'active' ORDER BY u.staff_no`,
    );
    const phones = await this.db.all<{ extension: string; name: string }>('SELECT extension, name FROM sip_phones ORDER BY extension');
    return { skillGroups, agents, phones };
  }
}
