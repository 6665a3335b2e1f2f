// Mail through the site's SMTP relay (nodemailer). No relay configured → a clear error; never a direct MX lookup.
import nodemailer from 'nodemailer';
import { CcboxError } from './errors.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  /** true: implicit TLS (465); false: plain with STARTTLS when the relay offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** Accept a relay's self-signed certificate (site relays often have one). */
  allowSelfSigned?: boolean;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export class SmtpMailer {
  constructor(
    private readonly settings: () => Promise<SmtpSettings | null>,
    private readonly timeoutMs = 15_000,
  ) {}

  async assertConfigured(): Promise<SmtpSettings> {
    const s = await this.settings();
    if (!s) {
      throw new CcboxError('CCBOX_ERR_SMTP_NOT_CONFIGURED', '未配置邮件服务器，无法发送密码邮件。请在 通用设置 → 邮件服务器 中配置 SMTP 中继 (no SMTP relay configured)');
    }
    return s;
  }

  async send(msg: MailMessage): Promise<void> {
    const s = await this.assertConfigured();
    const transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      tls: { rejectUnauthorized: !s.allowSelfSigned },
      logger: false,
    });
    try {
      await transport.sendMail({ from: s.from, to: msg.to, subject: msg.subject, text: msg.text });
    } catch (err) {
      throw new CcboxError('CCBOX_ERR_MAIL_FAILED', `邮件发送失败 (mail to ${msg.to} failed): ${(err as Error).message}`, { cause: err });
    } finally {
      transport.close();
    }
  }
}
