// 邮件服务器 settings: the SMTP relay, its password sealed with the box key.
import type { Database } from '../platform/db.ts';
import type { SmtpSettings } from '../platform/mail.ts';
import type { BoxKey } from '../platform/secrets.ts';
import { type Actor, requirePermission } from './permissions.ts';

interface Stored extends Omit<SmtpSettings, 'password'> {
  sealedPassword: string | null;
}

export interface SmtpView {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  allowSelfSigned: boolean;
  passwordSet: boolean;
}

export class MailSettings {
  constructor(
    private readonly db: Database,
    private readonly key: BoxKey,
  ) {}

  private async stored(): Promise<Stored | null> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'smtp'");
    return row ? (JSON.parse(row.value) as Stored) : null;
  }

  /** For the mailer: the settings with the password unsealed. */
  async resolve(): Promise<SmtpSettings | null> {
    const s = await this.stored();
    if (!s) return null;
    const { sealedPassword, ...rest } = s;
    return { ...rest, password: sealedPassword ? this.key.decrypt(sealedPassword) : null };
  }

  async view(actor: Actor): Promise<SmtpView | null> {
    requirePermission(actor, 'settings');
    const s = await this.stored();
    if (!s) return null;
    return { host: s.host, port: s.port, secure: s.secure, user: s.user, from: s.from, allowSelfSigned: !!s.allowSelfSigned, passwordSet: !!s.sealedPassword };
  }

  /** A missing password keeps the stored one; an empty string clears it. */
  async set(actor: Actor, input: Omit<SmtpSettings, 'password'> & { password?: string | null }): Promise<SmtpView> {
    requirePermission(actor, 'settings');
    const prev = await this.stored();
    const sealedPassword =
      input.password === undefined ? (prev?.sealedPassword ?? null) : input.password ? this.key.encrypt(input.password) : null;
    const next: Stored = {
      host: input.host,
      port: input.port,
      secure: input.secure,
      user: input.user || null,
      from: input.from,
      allowSelfSigned: !!input.allowSelfSigned,
      sealedPassword,
    };
    await this.db.run("INSERT INTO settings (key, value) VALUES ('smtp', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
      JSON.stringify(next),
    ]);
    return (await this.view(actor))!;
  }
}
