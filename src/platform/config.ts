// Configuration: embedded defaults < data/config.json < CCBOX_* environment variables.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { CcboxError } from './errors.ts';

export interface Config {
  profile: 'default' | 'demo';
  dataDir: string;
  logLevel: string;
  /** Address the web servers bind to. */
  bindHost: string;
  httpPort: number;
  httpsPort: number;
  /** Path to a PEM certificate and key replacing the self-signed one. */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  sipPort: number;
  sipTlsPort: number;
  /** Initial admin password (first boot only); never written to logs. */
  adminPassword: string | null;
  /** Read connections for queries and reports. */
  dbReadConnections: number;
  /** Upper bound of the quick_check after an unclean shutdown (pages). */
  dbQuickCheckLimit: number;
  /** Web login: failures allowed in the window before the account and IP are locked. */
  loginMaxFailures: number;
  loginWindowMs: number;
  loginLockMs: number;
  sessionTtlMs: number;
  /** Directory with the built web UI. */
  webDist: string;
  /** SIP (src/sip): addresses to bind (empty: bindHost, plus :: when bindHost is 0.0.0.0 and IPv6 exists). */
  sipBindHosts: string[];
  /** Digest realm phones authenticate in. */
  sipRealm: string;
  /** The SIP domain phones and trunks address the box by, besides its IP addresses. */
  sipDomain: string | null;
  /** NAT: the public signalling address peers outside sipLocalNetworks must see. */
  sipExternalAddress: string | null;
  sipLocalNetworks: string[];
  /** Trunk and gateway peers (IPs or CIDRs) exempt from rate limits and bans. */
  sipTrustedPeers: string[];
  sipMaxMessageBytes: number;
  sipTcpIdleMs: number;
  sipRegMinExpires: number;
  sipRegMaxExpires: number;
  sipRegDefaultExpires: number;
  sipNonceTtlMs: number;
  /** Digest algorithms offered to phones, in order (MD5 and/or SHA-256; both are always accepted). */
  sipDigestAlgorithms: string[];
  /** Offer userhash=true in digest challenges (RFC 7616 3.4.4); hashed usernames are accepted either way. */
  sipDigestUserhash: boolean;
  /** Plain REGISTERs over UDP take the REGISTER lane (no general parse, no server transaction); false: all take the full stack. */
  sipRegisterLane: boolean;
  /** Worker threads that read the SIP UDP socket too and do the REGISTER lane's pure half (0: the main thread alone). */
  sipRegisterWorkers: number;
  /** Defences: over sipRateMax requests in sipRateWindowMs, or sipAuthFailMax failures in sipAuthFailWindowMs → ban sipBanMs. */
  sipRateWindowMs: number;
  sipRateMax: number;
  sipAuthFailWindowMs: number;
  sipAuthFailMax: number;
  sipBanMs: number;
  /** Media (src/media): mediasoup workers, 0 = one per core. */
  mediaWorkers: number;
  /** RTP edge worker threads, 0 = cores - 1 (1 to 4). */
  mediaEdgeWorkers: number;
  /** UDP ports of SIP legs at the RTP edge and of mediasoup's transports; the ranges are disjoint. */
  mediaEdgePortMin: number;
  mediaEdgePortMax: number;
  mediaRtcPortMin: number;
  mediaRtcPortMax: number;
  /** Address the edge's phone-side sockets bind to. */
  mediaBindAddress: string;
  /** Address written into SIP legs' SDP; null = the host's first non-loopback IPv4. */
  mediaAnnouncedAddress: string | null;
  /** Deadline of each request to a mediasoup worker or edge thread. */
  mediaRequestTimeoutMs: number;
  /** No RTP from a SIP leg for this long raises leg-dead (0 disables). */
  mediaDeadMs: number;
  /** TTS: a cloud provider's URL (POST {text, voice} → audio); null = local espeak-ng. */
  ttsHttpUrl: string | null;
  /** WebRTC (src/media/webrtc): the one UDP + TCP port of the WebRtcServer browser softphones reach (0: any, tests). */
  webrtcPort: number;
  /** Address the WebRtcServer listens on; 0.0.0.0 without an announced address: each IPv4 of the host. */
  webrtcListenIp: string;
  /** The address browsers must reach (NAT, or one LAN address of several); empty: the listen addresses. */
  webrtcAnnouncedAddress: string | null;
  /** An agent's WebRTC transports survive a workbench disconnect this long (reconnect keeps the call). */
  webrtcGraceMs: number;
}

type Spec = { [K in keyof Config]: { env: string; parse: (v: string) => Config[K] } };

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CcboxError('CCBOX_ERR_CONFIG', `${name} must be a non-negative integer, got "${v}"`);
  return n;
};
const bool = (name: string) => (v: string): boolean => {
  if (!/^(true|false|1|0)$/i.test(v)) throw new CcboxError('CCBOX_ERR_CONFIG', `${name} must be true or false, got "${v}"`);
  return /^(true|1)$/i.test(v);
};
const str = (v: string): string => v;
const nullable = (v: string): string | null => (v === '' ? null : v);
const list = (v: string): string[] => v.split(',').map((x) => x.trim()).filter((x) => x !== '');

const SPEC: Spec = {
  profile: {
    env: 'CCBOX_PROFILE',
    parse: (v) => {
      if (v !== 'default' && v !== 'demo') throw new CcboxError('CCBOX_ERR_CONFIG', `CCBOX_PROFILE must be "default" or "demo", got "${v}"`);
      return v;
    },
  },
  dataDir: { env: 'CCBOX_DATA_DIR', parse: str },
  logLevel: { env: 'CCBOX_LOG_LEVEL', parse: str },
  bindHost: { env: 'CCBOX_BIND_HOST', parse: str },
  httpPort: { env: 'CCBOX_HTTP_PORT', parse: int('CCBOX_HTTP_PORT') },
  httpsPort: { env: 'CCBOX_HTTPS_PORT', parse: int('CCBOX_HTTPS_PORT') },
  tlsCertFile: { env: 'CCBOX_TLS_CERT', parse: nullable },
  tlsKeyFile: { env: 'CCBOX_TLS_KEY', parse: nullable },
  sipPort: { env: 'CCBOX_SIP_PORT', parse: int('CCBOX_SIP_PORT') },
  sipTlsPort: { env: 'CCBOX_SIP_TLS_PORT', parse: int('CCBOX_SIP_TLS_PORT') },
  adminPassword: { env: 'CCBOX_ADMIN_PASSWORD', parse: nullable },
  dbReadConnections: { env: 'CCBOX_DB_READERS', parse: int('CCBOX_DB_READERS') },
  dbQuickCheckLimit: { env: 'CCBOX_DB_QUICK_CHECK_LIMIT', parse: int('CCBOX_DB_QUICK_CHECK_LIMIT') },
  loginMaxFailures: { env: 'CCBOX_LOGIN_MAX_FAILURES', parse: int('CCBOX_LOGIN_MAX_FAILURES') },
  loginWindowMs: { env: 'CCBOX_LOGIN_WINDOW_MS', parse: int('CCBOX_LOGIN_WINDOW_MS') },
  loginLockMs: { env: 'CCBOX_LOGIN_LOCK_MS', parse: int('CCBOX_LOGIN_LOCK_MS') },
  sessionTtlMs: { env: 'CCBOX_SESSION_TTL_MS', parse: int('CCBOX_SESSION_TTL_MS') },
  webDist: { env: 'CCBOX_WEB_DIST', parse: str },
  sipBindHosts: { env: 'CCBOX_SIP_BIND_HOSTS', parse: list },
  sipRealm: { env: 'CCBOX_SIP_REALM', parse: str },
  sipDomain: { env: 'CCBOX_SIP_DOMAIN', parse: nullable },
  sipExternalAddress: { env: 'CCBOX_SIP_EXTERNAL_ADDRESS', parse: nullable },
  sipLocalNetworks: { env: 'CCBOX_SIP_LOCAL_NETWORKS', parse: list },
  sipTrustedPeers: { env: 'CCBOX_SIP_TRUSTED_PEERS', parse: list },
  sipMaxMessageBytes: { env: 'CCBOX_SIP_MAX_MESSAGE_BYTES', parse: int('CCBOX_SIP_MAX_MESSAGE_BYTES') },
  sipTcpIdleMs: { env: 'CCBOX_SIP_TCP_IDLE_MS', parse: int('CCBOX_SIP_TCP_IDLE_MS') },
  sipRegMinExpires: { env: 'CCBOX_SIP_REG_MIN_EXPIRES', parse: int('CCBOX_SIP_REG_MIN_EXPIRES') },
  sipRegMaxExpires: { env: 'CCBOX_SIP_REG_MAX_EXPIRES', parse: int('CCBOX_SIP_REG_MAX_EXPIRES') },
  sipRegDefaultExpires: { env: 'CCBOX_SIP_REG_DEFAULT_EXPIRES', parse: int('CCBOX_SIP_REG_DEFAULT_EXPIRES') },
  sipNonceTtlMs: { env: 'CCBOX_SIP_NONCE_TTL_MS', parse: int('CCBOX_SIP_NONCE_TTL_MS') },
  sipDigestAlgorithms: {
    env: 'CCBOX_SIP_DIGEST_ALGORITHMS',
    parse: (v) => {
      const algs = list(v).map((a) => a.toUpperCase());
      if (!algs.length || algs.some((a) => a !== 'MD5' && a !== 'SHA-256')) throw new CcboxError('CCBOX_ERR_CONFIG', `CCBOX_SIP_DIGEST_ALGORITHMS must list MD5 and/or SHA-256, got "${v}"`);
      return algs;
    },
  },
  sipDigestUserhash: { env: 'CCBOX_SIP_DIGEST_USERHASH', parse: bool('CCBOX_SIP_DIGEST_USERHASH') },
  sipRegisterLane: { env: 'CCBOX_SIP_REGISTER_LANE', parse: bool('CCBOX_SIP_REGISTER_LANE') },
  sipRegisterWorkers: { env: 'CCBOX_SIP_REGISTER_WORKERS', parse: int('CCBOX_SIP_REGISTER_WORKERS') },
  sipRateWindowMs: { env: 'CCBOX_SIP_RATE_WINDOW_MS', parse: int('CCBOX_SIP_RATE_WINDOW_MS') },
  sipRateMax: { env: 'CCBOX_SIP_RATE_MAX', parse: int('CCBOX_SIP_RATE_MAX') },
  sipAuthFailWindowMs: { env: 'CCBOX_SIP_AUTH_FAIL_WINDOW_MS', parse: int('CCBOX_SIP_AUTH_FAIL_WINDOW_MS') },
  sipAuthFailMax: { env: 'CCBOX_SIP_AUTH_FAIL_MAX', parse: int('CCBOX_SIP_AUTH_FAIL_MAX') },
  sipBanMs: { env: 'CCBOX_SIP_BAN_MS', parse: int('CCBOX_SIP_BAN_MS') },
  mediaWorkers: { env: 'CCBOX_MEDIA_WORKERS', parse: int('CCBOX_MEDIA_WORKERS') },
  mediaEdgeWorkers: { env: 'CCBOX_MEDIA_EDGE_WORKERS', parse: int('CCBOX_MEDIA_EDGE_WORKERS') },
  mediaEdgePortMin: { env: 'CCBOX_MEDIA_EDGE_PORT_MIN', parse: int('CCBOX_MEDIA_EDGE_PORT_MIN') },
  mediaEdgePortMax: { env: 'CCBOX_MEDIA_EDGE_PORT_MAX', parse: int('CCBOX_MEDIA_EDGE_PORT_MAX') },
  mediaRtcPortMin: { env: 'CCBOX_MEDIA_RTC_PORT_MIN', parse: int('CCBOX_MEDIA_RTC_PORT_MIN') },
  mediaRtcPortMax: { env: 'CCBOX_MEDIA_RTC_PORT_MAX', parse: int('CCBOX_MEDIA_RTC_PORT_MAX') },
  mediaBindAddress: { env: 'CCBOX_MEDIA_BIND_ADDRESS', parse: str },
  mediaAnnouncedAddress: { env: 'CCBOX_MEDIA_ANNOUNCED_ADDRESS', parse: nullable },
  mediaRequestTimeoutMs: { env: 'CCBOX_MEDIA_REQUEST_TIMEOUT_MS', parse: int('CCBOX_MEDIA_REQUEST_TIMEOUT_MS') },
  mediaDeadMs: { env: 'CCBOX_MEDIA_DEAD_MS', parse: int('CCBOX_MEDIA_DEAD_MS') },
  ttsHttpUrl: { env: 'CCBOX_TTS_HTTP_URL', parse: nullable },
  webrtcPort: {
    env: 'CCBOX_WEBRTC_PORT',
    parse: (v) => {
      const n = int('CCBOX_WEBRTC_PORT')(v);
      if (n > 65535 || (n !== 0 && n < 1024)) throw new CcboxError('CCBOX_ERR_CONFIG', `CCBOX_WEBRTC_PORT must be 0 or 1024–65535, got "${v}"`);
      return n;
    },
  },
  webrtcListenIp: { env: 'CCBOX_WEBRTC_LISTEN_IP', parse: str },
  webrtcAnnouncedAddress: { env: 'CCBOX_WEBRTC_ANNOUNCED_ADDRESS', parse: nullable },
  webrtcGraceMs: { env: 'CCBOX_WEBRTC_GRACE_MS', parse: int('CCBOX_WEBRTC_GRACE_MS') },
};

export function defaultConfig(): Config {
  return {
    profile: 'default',
    dataDir: path.resolve('data'),
    logLevel: 'info',
    bindHost: '0.0.0.0',
    httpPort: 8080,
    httpsPort: 8443,
    tlsCertFile: null,
    tlsKeyFile: null,
    sipPort: 5060,
    sipTlsPort: 5061,
    adminPassword: null,
    dbReadConnections: 2,
    dbQuickCheckLimit: 1000,
    loginMaxFailures: 5,
    loginWindowMs: 15 * 60_000,
    loginLockMs: 15 * 60_000,
    sessionTtlMs: 12 * 3600_000,
    webDist: path.resolve('web', 'dist'),
    sipBindHosts: [],
    sipRealm: 'ccbox',
    sipDomain: null,
    sipExternalAddress: null,
    sipLocalNetworks: ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'],
    sipTrustedPeers: [],
    sipMaxMessageBytes: 65_535,
    sipTcpIdleMs: 600_000,
    sipRegMinExpires: 60,
    sipRegMaxExpires: 3600,
    sipRegDefaultExpires: 3600,
    sipNonceTtlMs: 300_000,
    sipDigestAlgorithms: ['MD5'],
    sipDigestUserhash: false,
    sipRegisterLane: true,
    // One per core beyond the first, at most 2: the main thread keeps the calls.
    sipRegisterWorkers: Math.min(2, Math.max(0, os.availableParallelism() - 1)),
    sipRateWindowMs: 2000,
    sipRateMax: 16,
    sipAuthFailWindowMs: 600_000,
    sipAuthFailMax: 10,
    sipBanMs: 300_000,
    mediaWorkers: 0,
    mediaEdgeWorkers: 0,
    mediaEdgePortMin: 40000,
    mediaEdgePortMax: 47999,
    mediaRtcPortMin: 48000,
    mediaRtcPortMax: 49999,
    mediaBindAddress: '0.0.0.0',
    mediaAnnouncedAddress: null,
    mediaRequestTimeoutMs: 5000,
    mediaDeadMs: 30_000,
    ttsHttpUrl: null,
    webrtcPort: 50000,
    webrtcListenIp: '0.0.0.0',
    webrtcAnnouncedAddress: null,
    webrtcGraceMs: 30_000,
  };
}

/**
 * Loads the configuration. The data dir comes from the environment (or the default) first,
 * because config.json lives inside it; then the file, then the environment again wins.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cfg = defaultConfig();
  const dataDir = overrides.dataDir ?? (env.CCBOX_DATA_DIR ? path.resolve(env.CCBOX_DATA_DIR) : cfg.dataDir);
  const file = path.join(dataDir, 'config.json');
  const fromFile: Record<string, unknown> = existsSync(file) ? readJson(file) : {};
  const out: Record<string, unknown> = { ...cfg };
  for (const [key, value] of Object.entries(fromFile)) {
    if (!(key in SPEC)) throw new CcboxError('CCBOX_ERR_CONFIG', `${file}: unknown setting "${key}"`);
    if (key === 'adminPassword') throw new CcboxError('CCBOX_ERR_CONFIG', `${file}: adminPassword belongs in CCBOX_ADMIN_PASSWORD, not in a file`);
    out[key] = SPEC[key as keyof Config].parse(String(value ?? ''));
  }
  for (const [key, spec] of Object.entries(SPEC) as [keyof Config, Spec[keyof Config]][]) {
    const v = env[spec.env];
    if (v !== undefined) out[key] = spec.parse(v);
  }
  Object.assign(out, overrides, { dataDir });
  return out as unknown as Config;
}

function readJson(file: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new CcboxError('CCBOX_ERR_CONFIG', `${file}: ${(err as Error).message}`);
  }
}
