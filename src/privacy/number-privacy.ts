// 号码隐私保护 applied where numbers leave the box toward agents: agent roles (the workbench permission, not
// the administrator) see 189****8352 or the site's user IDs instead of customers' numbers; administrators
// and supervisors without the workbench see real numbers. What an agent dials (a masked number they were
// shown, a user ID) is resolved back to the real number on the box. Mapping answers are cached briefly; an
// endpoint that fails or is slow never makes a number leak: presenting falls back to the mask, dialling
// gets a clear error.
import { hasPermission, isAdmin, requirePermission, type Actor } from '../directory/index.ts';
import type { Database } from '../platform/db.ts';
import { CcboxError, validationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { BoxKey } from '../platform/secrets.ts';
import { MappingClient, type MappingMode } from './mapping-client.ts';
import { fromMappingFormat, isMasked, maskNumber, toMappingFormat } from './number-format.ts';
import { PrivacySettings } from './privacy-settings.ts';
import type { PrivacyInput, PrivacyMode, PrivacyView, StoredPrivacy } from './privacy-types.ts';

/** Who counts as an agent role for privacy: holds the workbench and is not the administrator. */
export const isProtectedActor = (actor: Actor): boolean => !isAdmin(actor) && hasPermission(actor, 'workbench');

/** Numbers shorter than this are extensions or service numbers: shown as they are. */
const PERSONAL_MIN_DIGITS = 7;
const SHOWN_PER_AGENT = 500;
const CACHE_MAX = 10_000;

const personal = (n: string): boolean => n.replace(/\D/g, '').length >= PERSONAL_MIN_DIGITS && !isMasked(n);

export interface NumberPrivacyOptions {
  db: Database;
  key: BoxKey;
  log: Logger;
  now?: () => number;
}

export class NumberPrivacy {
  readonly settings: PrivacySettings;
  private current: Promise<{ s: StoredPrivacy; client: MappingClient | null }> | null = null;
  private readonly cache = new Map<string, { value: string | null; expiresAt: number }>();
  /** What each agent was shown (mask or user ID) → the real number, so they can call it back. */
  private readonly shown = new Map<number, Map<string, string>>();
  private readonly now: () => number;

  constructor(private readonly o: NumberPrivacyOptions) {
    this.settings = new PrivacySettings(o.db, o.key);
    this.now = o.now ?? Date.now;
  }

  private state(): Promise<{ s: StoredPrivacy; client: MappingClient | null }> {
    this.current ??= this.settings.stored().then((s) => ({
      s, client: s.mode === 'uid' && s.endpoint ? new MappingClient(s.endpoint, this.settings.secretOf(s), this.now) : null,
    }));
    this.current.catch(() => (this.current = null));
    return this.current;
  }

  async mode(): Promise<PrivacyMode> {
    return (await this.state()).s.mode;
  }

  async view(actor: Actor): Promise<PrivacyView> {
    requirePermission(actor, 'settings');
    return PrivacySettings.view((await this.state()).s);
  }

  async set(actor: Actor, input: PrivacyInput): Promise<PrivacyView> {
    requirePermission(actor, 'settings');
    const s = await this.settings.save(input);
    this.current = null;
    this.cache.clear();
    this.shown.clear();
    this.o.log.info({ mode: s.mode, endpoint: s.endpoint?.url ?? null }, 'number privacy settings changed');
    return PrivacySettings.view(s);
  }

  /** Whether numbers are changed for this actor right now. */
  async protects(actor: Actor): Promise<boolean> {
    return isProtectedActor(actor) && (await this.mode()) !== 'off';
  }

  private remember(userId: number, shownAs: string, real: string): void {
    let m = this.shown.get(userId);
    if (!m) this.shown.set(userId, (m = new Map()));
    m.delete(shownAs);
    m.set(shownAs, real);
    if (m.size > SHOWN_PER_AGENT) m.delete(m.keys().next().value!);
  }

  /** Asks the endpoint for the keys not cached; every key gets an entry (null = unknown). */
  private async lookup(client: MappingClient, mode: MappingMode, keys: string[], ttlMs: number): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const missing: string[] = [];
    const now = this.now();
    for (const k of new Set(keys)) {
      const hit = this.cache.get(`${mode}:${k}`);
      if (hit && hit.expiresAt > now) out.set(k, hit.value);
      else missing.push(k);
    }
    if (missing.length) {
      const got = await client.map(mode, missing);
      for (const k of missing) {
        const v = got.get(k) ?? null;
        out.set(k, v);
        if (ttlMs > 0) {
          if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
          this.cache.set(`${mode}:${k}`, { value: v, expiresAt: now + ttlMs });
        }
      }
    }
    return out;
  }

  /** How each of `numbers` (customers' numbers) appears to `actor`. */
  async presentMany(actor: Actor, numbers: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>(numbers.map((n) => [n, n]));
    if (!isProtectedActor(actor)) return out;
    const { s, client } = await this.state();
    if (s.mode === 'off') return out;
    const todo = [...new Set(numbers.filter(personal))];
    for (const n of todo) out.set(n, maskNumber(n));
    if (s.mode === 'uid' && client && todo.length) {
      try {
        const uids = await this.lookup(client, 'PhoneToUID', todo.map(toMappingFormat), s.endpoint!.cacheTtlMs);
        for (const n of todo) {
          const uid = uids.get(toMappingFormat(n));
          if (uid) out.set(n, uid);
        }
      } catch (err) {
        // The mask stands in; the log names the failure, not the numbers.
        this.o.log.warn({ err: (err as Error).message, count: todo.length }, 'number mapping failed; agents see masked numbers');
      }
    }
    for (const n of todo) this.remember(actor.userId, out.get(n)!, n);
    return out;
  }

  async present(actor: Actor, number: string): Promise<string> {
    return (await this.presentMany(actor, [number])).get(number)!;
  }

  /**
   * What an agent typed or clicked to call (a real number, a mask they were shown, a user ID) → the number
   * the box dials. Unknown masks and user IDs are refused with a message that carries no number.
   */
  async resolveDial(actor: Actor, input: string, field = 'to'): Promise<string> {
    const typed = input.trim();
    if (!isProtectedActor(actor)) return typed;
    const { s, client } = await this.state();
    if (s.mode === 'off') return typed;
    const known = this.shown.get(actor.userId)?.get(typed);
    if (known) return known;
    if (isMasked(typed)) throw validationError(field, '该号码已隐藏，只能回拨您接待过的号码 (this masked number is not one of your calls)');
    if (s.mode === 'mask' || !client || /^\d{2,6}$/.test(typed)) return typed;
    const got = await this.lookup(client, 'UIDToPhone', [typed], s.endpoint!.cacheTtlMs);
    const mapped = got.get(typed);
    if (mapped) {
      const number = fromMappingFormat(mapped);
      if (!number) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', '号码映射服务返回的号码格式不正确 (the mapping service answered a malformed number)');
      this.remember(actor.userId, typed, number);
      return number;
    }
    if (/^\+?\d{7,20}$/.test(typed)) return typed;
    throw validationError(field, `未找到用户 ID ${typed} 对应的号码 (no number is mapped to this user ID)`);
  }
}
