// Public face of the platform: config, logging, storage, errors, events, clock, ids, secrets, mail, jobs.
export * from './config.ts';
export * from './errors.ts';
export * from './clock.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './logger.ts';
export { Database, type Tx, type Params, type Row } from './db.ts';
export { migrate, loadMigrations } from './migrate.ts';
export { openStorage, type Storage } from './storage.ts';
export { BoxKey, hashPassword, verifyPassword } from './secrets.ts';
export { writeFileDurable, fsyncDir } from './files.ts';
export { SmtpMailer, type SmtpSettings, type MailMessage } from './mail.ts';
export { Jobs, type JobView, type JobProgress } from './jobs.ts';
export { loadTls, type TlsMaterial } from './tls.ts';
