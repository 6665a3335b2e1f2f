// The whole box as one object: boot order config → storage → (media → sip, as they land) → services → web,
// and the graceful stop in reverse. main.ts runs it; tests start it on ephemeral ports.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startAcd, type Acd } from './acd/index.ts';
import { Directory, seedDemoDirectory, seedDemoPhones, DEMO } from './directory/index.ts';
import { IvrService, seedDemoIvr } from './ivr/index.ts';
import { SpeechService, SpeechSettings } from './ivr/speech/index.ts';
import { startMedia, type MediaCore } from './media/index.ts';
import { EspeakTtsProvider, HttpTtsProvider, SelectableTtsProvider } from './media/tts/index.ts';
import { startSip, type SipStack } from './sip/index.ts';
import { startCallCenter, startTelephony, type CallCenter } from './calls/index.ts';
import {
  BoxKey,
  type Config,
  createLogger,
  Jobs,
  loadTls,
  type Logger,
  openStorage,
  randomPassword,
  SmtpMailer,
  type Storage,
  SystemClock,
  writeFileDurable,
} from './platform/index.ts';
import { createApp } from './web/app.ts';
import { Health } from './web/health.ts';
import { LoginGuard } from './web/login-guard.ts';
import { startRealtime, type Realtime } from './web/realtime/index.ts';
import { NumberPrivacy } from './privacy/index.ts';
import { startWebServers, type WebServers } from './web/server.ts';

export interface Box {
  config: Config;
  log: Logger;
  storage: Storage;
  directory: Directory;
  media: MediaCore;
  sip: SipStack;
  acd: Acd;
  /** Inbound numbers → IVR → ACD → agents' devices, call control, call records. */
  callCenter: CallCenter;
  web: WebServers;
  /** The workbench WebSocket and browser agents' WebRTC media. */
  realtime: Realtime;
  /** Speech recognition for 语音识别导航, the speech settings and TTS preview. */
  speech: SpeechService;
  health: Health;
  /** The fetch handler, for tests that call the app without a socket. */
  fetch: (req: Request) => Promise<Response>;
  stop(): Promise<void>;
}

async function ensureAdmin(config: Config, directory: Directory, log: Logger): Promise<void> {
  const fromEnv = config.adminPassword ?? (config.profile === 'demo' ? DEMO.adminPassword : null);
  const password = fromEnv ?? randomPassword(16);
  const created = await directory.users.ensureAdmin(password);
  if (!created || fromEnv) {
    if (created) log.info('administrator account "admin" created with the configured password');
    return;
  }
  const file = path.join(config.dataDir, 'initial-admin-password');
  await writeFileDurable(file, password + '\n', 0o600);
  log.warn({ file }, `administrator account "admin" created; its password is in ${file} (readable by root only)`);
}

export async function startBox(config: Config, opts: { log?: Logger } = {}): Promise<Box> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  const clock = new SystemClock();
  const storage = await openStorage({ dataDir: config.dataDir, readers: config.dbReadConnections, quickCheckLimit: config.dbQuickCheckLimit, log });
  const stops: (() => Promise<void>)[] = [async () => storage.db.close(), async () => storage.markStopped()];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0)) await s().catch((err: unknown) => log.error({ err }, 'error while stopping'));
  };
  try {
    const key = await BoxKey.load(config.dataDir);
    const health = new Health();
    health.register('db', async () => void (await storage.db.get('SELECT 1')));
    const mailSettingsRef: { resolve?: () => ReturnType<Directory['mailSettings']['resolve']> } = {};
    const mailer = new SmtpMailer(() => mailSettingsRef.resolve!());
    const directory = new Directory(storage.db, key, mailer);
    mailSettingsRef.resolve = () => directory.mailSettings.resolve();
    await ensureAdmin(config, directory, log);
    if (config.profile === 'demo') await seedDemoDirectory(storage.db);
    if (config.profile === 'demo') await seedDemoPhones(storage.db, key);
    if (config.profile === 'demo') await seedDemoIvr(storage.db);

    const speechSettings = new SpeechSettings(storage.db, key);
    await speechSettings.load();
    const speech = new SpeechService({ settings: speechSettings, log });
    // The box's TTS: espeak-ng (or the configured HTTP provider), or Tencent Cloud when 语音设置 chooses it.
    const ttsCache = path.join(config.dataDir, 'tts-cache');
    const tts = new SelectableTtsProvider({
      local: config.ttsHttpUrl ? new HttpTtsProvider({ cacheDir: ttsCache, url: config.ttsHttpUrl }) : new EspeakTtsProvider({ cacheDir: ttsCache }),
      cacheDir: ttsCache,
      cloud: () => {
        const s = speechSettings.current();
        return s.ttsEngine === 'tencent' && s.tencent
          ? { secretId: s.tencent.secretId, secretKey: s.tencent.secretKey, region: s.tencent.region, voiceZh: s.tencent.ttsVoiceZh, voiceEn: s.tencent.ttsVoiceEn }
          : null;
      },
    });
    speech.useTts(tts);
    const media = await startMedia({ config, log, tts });
    stops.unshift(() => media.stop());
    health.register('media', () => media.check());
    const tls = await loadTls(config.dataDir, config.tlsCertFile, config.tlsKeyFile);
    const sip = await startSip({ config, log, clock, phones: directory.phones, tls });
    stops.unshift(() => sip.stop());
    health.register('sip', () => {
      if (!sip.transport.listening.some((l) => l.transport === 'udp')) throw new Error('no SIP UDP listener');
    });
    const telephony = await startTelephony({ config, log, clock, db: storage.db, key, sip, media, stops });
    const acd = await startAcd({ db: storage.db, log, clock, phones: directory.phones, registrations: sip.location });
    stops.unshift(() => acd.stop());
    let realtimeRef: Realtime | null = null;
    const callCenter = startCallCenter({
      telephony, acd, media, db: storage.db, clock, log, ivr: new IvrService({ db: storage.db, dataDir: config.dataDir, clock, log, speech }),
      webrtc: () => realtimeRef?.webrtc ?? null, notifyAgent: (id, event, data) => realtimeRef?.hub.notify(id, event, data) ?? false,
    });
    stops.unshift(async () => callCenter.stop());
    const loginGuard = new LoginGuard(clock, config.loginMaxFailures, config.loginWindowMs, config.loginLockMs);
    const privacy = new NumberPrivacy({ db: storage.db, key, log });
    const app = createApp({ config, db: storage.db, log, directory, jobs: new Jobs(), health, loginGuard, sip, acd, callCenter, privacy, speech });
    if (!existsSync(path.join(config.webDist, 'index.html'))) log.warn({ webDist: config.webDist }, 'web console is not built; the API still runs');
    const web = await startWebServers({ fetch: app.fetch, host: config.bindHost, httpPort: config.httpPort, httpsPort: config.httpsPort, tls });
    stops.unshift(() => web.close());
    const realtime = await startRealtime({
      config, log, db: storage.db, directory, servers: web.servers, pool: media.pool, privacy, acd,
      keypad: (actor, callId, digits) => callCenter.actions.dtmf(actor, callId, digits),
    });
    realtimeRef = realtime;
    stops.unshift(() => realtime.stop());
    health.register('web', () => undefined);
    log.info({ http: web.httpPort, https: web.httpsPort, profile: config.profile, dataDir: config.dataDir }, 'ccbox is up');
    return { config, log, storage, directory, media, sip, acd, callCenter, web, realtime, speech, health, fetch: async (req) => app.fetch(req), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
