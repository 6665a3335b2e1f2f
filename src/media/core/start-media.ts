// Boots the media part (after storage, before SIP): repairs recordings cut by a power loss,
// starts the mediasoup workers and the RTP edge threads, picks the TTS provider.
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Config } from '../../platform/config.ts';
import { CcboxError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { RtpEdge } from '../edge/index.ts';
import { repairPartFiles } from '../recorder/index.ts';
import { EspeakTtsProvider, HttpTtsProvider, type TtsProvider } from '../tts/index.ts';
import { MediaCoreService } from './media-core.ts';
import { MediaWorkerPool } from './worker-pool.ts';

const RELAY_IP = '127.0.0.1';

type MediaConfig = Pick<Config,
  | 'dataDir' | 'mediaWorkers' | 'mediaEdgeWorkers' | 'mediaEdgePortMin' | 'mediaEdgePortMax' | 'mediaRtcPortMin'
  | 'mediaRtcPortMax' | 'mediaBindAddress' | 'mediaAnnouncedAddress' | 'mediaRequestTimeoutMs' | 'mediaDeadMs' | 'ttsHttpUrl'>;

export function checkMediaPorts(c: MediaConfig): void {
  const edge = { min: c.mediaEdgePortMin, max: c.mediaEdgePortMax };
  const rtc = { min: c.mediaRtcPortMin, max: c.mediaRtcPortMax };
  for (const [name, r] of [['CCBOX_MEDIA_EDGE_PORT', edge], ['CCBOX_MEDIA_RTC_PORT', rtc]] as const) {
    if (r.min < 1024 || r.max > 65535 || r.min >= r.max) throw new CcboxError('CCBOX_ERR_CONFIG', `${name}_MIN/MAX must be 1024 ≤ min < max ≤ 65535, got ${r.min}–${r.max}`);
  }
  if (edge.max - edge.min < 3) throw new CcboxError('CCBOX_ERR_CONFIG', 'the RTP edge range must hold at least two port pairs');
  if (edge.min <= rtc.max && rtc.min <= edge.max) {
    throw new CcboxError('CCBOX_ERR_CONFIG', `the RTP edge ports (${edge.min}–${edge.max}) and mediasoup ports (${rtc.min}–${rtc.max}) overlap`);
  }
}

/** The address for SDP when none is configured: the bind address if specific, else the first LAN IPv4. */
export function defaultAnnouncedAddress(bindAddress: string): string {
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::') return bindAddress;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function startMedia(opts: { config: MediaConfig; log: Logger; tts?: TtsProvider | null }): Promise<MediaCoreService> {
  const { config, log } = opts;
  checkMediaPorts(config);
  const recordingsDir = path.join(config.dataDir, 'recordings');
  await mkdir(recordingsDir, { recursive: true, mode: 0o750 });
  const { repaired, failed } = await repairPartFiles(recordingsDir);
  for (const r of repaired) log.warn({ path: r.path, durationMs: r.durationMs }, 'recording cut by an unclean stop was repaired');
  for (const f of failed) log.error({ path: f.path, err: f.error.message }, 'recording cut by an unclean stop could not be repaired');

  const pool = await MediaWorkerPool.start({
    workers: config.mediaWorkers || undefined,
    rtcPortRange: { min: config.mediaRtcPortMin, max: config.mediaRtcPortMax },
    requestTimeoutMs: config.mediaRequestTimeoutMs,
  });
  let edge: RtpEdge;
  try {
    edge = await RtpEdge.start({
      ...(config.mediaEdgeWorkers ? { workers: config.mediaEdgeWorkers } : {}),
      portRange: { min: config.mediaEdgePortMin, max: config.mediaEdgePortMax },
      bindAddress: config.mediaBindAddress, relayAddress: RELAY_IP, requestTimeoutMs: config.mediaRequestTimeoutMs,
    });
  } catch (err) {
    await pool.stop();
    throw err;
  }
  const cacheDir = path.join(config.dataDir, 'tts-cache');
  const tts = opts.tts !== undefined ? opts.tts
    : config.ttsHttpUrl ? new HttpTtsProvider({ cacheDir, url: config.ttsHttpUrl }) : new EspeakTtsProvider({ cacheDir });
  const announcedAddress = config.mediaAnnouncedAddress ?? defaultAnnouncedAddress(config.mediaBindAddress);
  const media = new MediaCoreService({
    pool, edge, tts, log,
    settings: { announcedAddress, relayIp: RELAY_IP, preferredLaw: 'pcma', recordingsDir, deadMediaMs: config.mediaDeadMs },
  });
  log.info({ workers: pool.size, announcedAddress, edgePorts: `${config.mediaEdgePortMin}-${config.mediaEdgePortMax}`, tts: tts?.name ?? 'none' }, 'media is up');
  return media;
}
