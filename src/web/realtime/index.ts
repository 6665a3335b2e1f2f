// Public face of web/realtime: the workbench WebSocket hub and its start-up with the WebRTC service.
import type { Server } from 'node:http';
import type { Directory } from '../../directory/index.ts';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db.ts';
import type { Logger } from '../../platform/logger.ts';
import type { MediaWorkerPool } from '../../media/core/index.ts';
import { WebRtcService } from '../../media/webrtc/index.ts';
import type { NumberPrivacy } from '../../privacy/index.ts';
import { linkAgentPresence, type WebPresenceTarget } from './agent-presence-link.ts';
import { eventPresenter } from './event-presenter.ts';
import { RealtimeHub, type KeypadHandler, type RealtimeOptions } from './realtime-hub.ts';

export { RealtimeHub, WS_PATH, type KeypadHandler, type RealtimeDeps, type RealtimeHubEvents, type RealtimeOptions } from './realtime-hub.ts';
export { linkAgentPresence, type WebPresenceTarget } from './agent-presence-link.ts';
export { eventPresenter, type EventPresenter } from './event-presenter.ts';
export { CLOSE, PROTOCOL_VERSION, METHOD_SCHEMAS, type MethodName } from './protocol.ts';
export { acceptKey, encodeFrame, FrameParser, OPCODE, closePayload } from './ws-frames.ts';

export interface Realtime {
  hub: RealtimeHub;
  /** Null when the box runs without media (the workbench still gets its events). */
  webrtc: WebRtcService | null;
  stop(): Promise<void>;
}

/**
 * Starts browser agents' media (when the media pool runs) and serves the workbench socket on the
 * web servers. Box wiring: `realtime = await startRealtime({ …, servers: web.servers, pool })`.
 */
export async function startRealtime(opts: {
  config: Pick<Config, 'webrtcPort' | 'webrtcListenIp' | 'webrtcAnnouncedAddress' | 'webrtcGraceMs'>;
  log: Logger;
  db: Database;
  directory: Directory;
  servers: { server: Server; secure: boolean }[];
  pool: MediaWorkerPool | null;
  options?: RealtimeOptions;
  /** 号码隐私保护 for the numbers in workbench events (归属地 is added either way). */
  privacy?: NumberPrivacy | null;
  /** The ACD: a workbench socket logs its agent in (webLogin) and out (webLogout after the grace). */
  acd?: WebPresenceTarget;
  /** The call control's DTMF for keypad requests. */
  keypad?: KeypadHandler;
}): Promise<Realtime> {
  const { config } = opts;
  const webrtc = opts.pool
    ? await WebRtcService.start(opts.pool, {
      listen: { port: config.webrtcPort, listenIp: config.webrtcListenIp, announcedAddress: config.webrtcAnnouncedAddress },
      graceMs: config.webrtcGraceMs,
    }, opts.log)
    : null;
  const hub = new RealtimeHub({ db: opts.db, directory: opts.directory, log: opts.log, webrtc, present: eventPresenter(opts.privacy ?? null, opts.db) }, opts.options);
  const unlink = opts.acd ? linkAgentPresence(hub, opts.acd, { graceMs: config.webrtcGraceMs, log: opts.log }) : () => undefined;
  if (opts.keypad) hub.onKeypad(opts.keypad);
  for (const s of opts.servers) hub.attach(s.server, { secure: s.secure });
  return {
    hub,
    webrtc,
    stop: async () => {
      unlink();
      await hub.close();
      await webrtc?.stop();
    },
  };
}
