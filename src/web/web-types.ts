// Context shared by the routes: the parts they call and the actor the auth middleware resolved.
import type { Directory, Actor } from '../directory/index.ts';
import type { Database } from '../platform/db.ts';
import type { Jobs } from '../platform/jobs.ts';
import type { Logger } from '../platform/logger.ts';
import type { Config } from '../platform/config.ts';
import type { SipStack } from '../sip/index.ts';
import type { Acd } from '../acd/index.ts';
import type { CallCenter } from '../calls/index.ts';
import type { SpeechService } from '../ivr/speech/index.ts';
import type { Health } from './health.ts';
import type { LoginGuard } from './login-guard.ts';
import type { NumberPrivacy } from '../privacy/index.ts';

export interface WebDeps {
  config: Config;
  db: Database;
  log: Logger;
  directory: Directory;
  jobs: Jobs;
  health: Health;
  loginGuard: LoginGuard;
  /** The SIP stack: registrations and bans for the console (absent in tests that build the app alone). */
  sip?: SipStack;
  /** The ACD: agent status, queues, monitors, answer settings (absent in tests that build the app alone). */
  acd?: Acd;
  /** Calls and their records: the control API and 服务记录 (absent in tests that build the app alone). */
  callCenter?: CallCenter;
  /** 号码隐私保护: numbers toward agent roles (absent in tests that build the app alone: numbers shown as they are). */
  privacy?: NumberPrivacy;
  /** Speech settings and TTS preview for the IVR (absent in tests that build the app alone). */
  speech?: SpeechService;
}

export interface AuthInfo {
  actor: Actor;
  sessionId: string | null;
  csrf: string | null;
}

export type AppEnv = {
  Variables: {
    auth: AuthInfo;
    ip: string;
  };
};
