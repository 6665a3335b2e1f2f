// pino logger (journald-friendly JSON) with secrets redacted, plus one fail2ban-parsable line per security event.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'newPassword',
  'oldPassword',
  '*.newPassword',
  '*.oldPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'csrfToken',
  '*.csrfToken',
];

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to assert on log lines. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { svc: 'ccbox' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export type SecurityEvent = 'auth-failure' | 'ban' | 'unban' | 'scanner' | 'rate-limit' | 'lockout' | 'csrf' | 'forbidden';

/**
 * One line per security event in a fixed shape, matched by systemd/fail2ban-ccbox.conf:
 *   ccbox-security event=<event> proto=<sip|http> ip=<address> user="<user>" detail="<text>"
 */
export function securityLine(event: SecurityEvent, proto: 'sip' | 'http', ip: string, user = '', detail = ''): string {
  const clean = (s: string): string => s.replace(/["\r\n\\]/g, '_').slice(0, 128);
  return `ccbox-security event=${event} proto=${proto} ip=${ip} user="${clean(user)}" detail="${clean(detail)}"`;
}

export function logSecurity(log: Logger, event: SecurityEvent, proto: 'sip' | 'http', ip: string, user = '', detail = ''): void {
  log.warn({ security: event, ip }, securityLine(event, proto, ip, user, detail));
}
