// 号码隐私保护 settings in the settings table (key 'privacy'); the endpoint's password or client secret is
// sealed with the box key and never leaves the box.
import type { Database } from '../platform/db.ts';
import type { BoxKey } from '../platform/secrets.ts';
import type { MappingEndpoint, PrivacyInput, PrivacyView, StoredPrivacy } from './privacy-types.ts';

const KEY = 'privacy';
const OFF: StoredPrivacy = { mode: 'off', endpoint: null, sealedSecret: null };

export class PrivacySettings {
  constructor(
    private readonly db: Database,
    private readonly key: BoxKey,
  ) {}

  async stored(): Promise<StoredPrivacy> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [KEY]);
    return row ? { ...OFF, ...(JSON.parse(row.value) as StoredPrivacy) } : OFF;
  }

  secretOf(s: StoredPrivacy): string | null {
    return s.sealedSecret ? this.key.decrypt(s.sealedSecret) : null;
  }

  static view(s: StoredPrivacy): PrivacyView {
    return { mode: s.mode, endpoint: s.endpoint, secretSet: !!s.sealedSecret };
  }

  /** A missing secret keeps the stored one (unless the auth kind changed); '' clears it. */
  async save(input: PrivacyInput): Promise<StoredPrivacy> {
    const prev = await this.stored();
    const e = input.endpoint;
    const endpoint: MappingEndpoint | null = e
      ? {
        url: e.url, timeoutMs: e.timeoutMs, cacheTtlMs: e.cacheTtlMs, caCertPem: e.caCertPem?.trim() ? e.caCertPem.trim() : null,
        auth: e.auth.kind === 'basic' ? { kind: 'basic', username: e.auth.username } : { kind: 'oauth2', tokenUrl: e.auth.tokenUrl, clientId: e.auth.clientId, scope: e.auth.scope || null },
      }
      : input.endpoint === undefined ? prev.endpoint : null;
    const sameKind = prev.endpoint && endpoint && prev.endpoint.auth.kind === endpoint.auth.kind;
    const sealedSecret = input.secret === undefined ? (sameKind ? prev.sealedSecret : null) : input.secret ? this.key.encrypt(input.secret) : null;
    const next: StoredPrivacy = { mode: input.mode, endpoint, sealedSecret };
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [KEY, JSON.stringify(next)]);
    return next;
  }
}
