// SDP parse and build (RFC 4566) plus readers for the attributes offer/answer needs:
// rtpmap, fmtp, ptime, direction, rtcp (RFC 3605), connection addresses.
import type {
  Direction, RtpMap, SdpAttribute, SdpConnection, SdpMedia, SdpOrigin, SessionDescription,
} from './sdp-types.ts';

export class SdpParseError extends Error {
  readonly code = 'CCBOX_ERR_SDP_PARSE';
  constructor(message: string) {
    super(message);
    this.name = 'SdpParseError';
  }
}

// RFC 3551 table 4: static audio payload types ccbox may meet.
const STATIC_PT: Record<number, Omit<RtpMap, 'payloadType'>> = {
  0: { encoding: 'PCMU', clockRate: 8000, channels: 1 },
  3: { encoding: 'GSM', clockRate: 8000, channels: 1 },
  4: { encoding: 'G723', clockRate: 8000, channels: 1 },
  8: { encoding: 'PCMA', clockRate: 8000, channels: 1 },
  9: { encoding: 'G722', clockRate: 8000, channels: 1 },
  13: { encoding: 'CN', clockRate: 8000, channels: 1 },
  18: { encoding: 'G729', clockRate: 8000, channels: 1 },
};

const DIRECTIONS: ReadonlySet<string> = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

function parseOrigin(v: string): SdpOrigin {
  const p = v.split(' ');
  if (p.length !== 6) throw new SdpParseError('Invalid o= line');
  const [username, sessionId, sessionVersion, netType, addrType, address] = p;
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function parseConnection(v: string): SdpConnection {
  const p = v.split(' ');
  if (p.length !== 3) throw new SdpParseError('Invalid c= line');
  return { netType: p[0], addrType: p[1], address: p[2] };
}

function parseAttribute(v: string): SdpAttribute {
  const colon = v.indexOf(':');
  return colon < 0 ? { name: v, value: null } : { name: v.slice(0, colon), value: v.slice(colon + 1) };
}

function parseMediaLine(v: string): SdpMedia {
  // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const p = v.split(' ').filter((x) => x !== '');
  const portMatch = /^([0-9]{1,5})(?:\/([0-9]+))?$/.exec(p[1] ?? '');
  if (p.length < 3 || !portMatch || Number(portMatch[1]) > 65535) throw new SdpParseError('Invalid m= line');
  const media: SdpMedia = {
    type: p[0], port: Number(portMatch[1]), protocol: p[2], formats: p.slice(3),
    connections: [], bandwidths: [], attributes: [],
  };
  if (portMatch[2] !== undefined) media.numPorts = Number(portMatch[2]);
  return media;
}

function applyMediaLine(m: SdpMedia, type: string, value: string): void {
  switch (type) {
    case 'i': m.information = value; break;
    case 'c': m.connections.push(parseConnection(value)); break;
    case 'b': m.bandwidths.push(value); break;
    case 'k': m.key = value; break;
    case 'a': m.attributes.push(parseAttribute(value)); break;
    default: break; // RFC 4566 5: unknown types are ignored
  }
}

function applySessionLine(s: SessionDescription, type: string, value: string): void {
  switch (type) {
    case 'o': s.origin = parseOrigin(value); break;
    case 's': s.sessionName = value; break;
    case 'i': s.information = value; break;
    case 'u': s.uri = value; break;
    case 'e': s.emails.push(value); break;
    case 'p': s.phones.push(value); break;
    case 'c': s.connection = parseConnection(value); break;
    case 'b': s.bandwidths.push(value); break;
    case 't': {
      const [start, stop] = value.split(' ');
      if (stop === undefined) throw new SdpParseError('Invalid t= line');
      s.timing.push({ start, stop, repeats: [] });
      break;
    }
    case 'r': s.timing.at(-1)?.repeats.push(value); break;
    case 'z': s.timezones = value; break;
    case 'k': s.key = value; break;
    case 'a': s.attributes.push(parseAttribute(value)); break;
    default: break;
  }
}

/** Parses SDP text or bytes (UTF-8). Requires v=0 first and an o= line. */
export function parseSdp(input: string | Uint8Array): SessionDescription {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines[0] !== 'v=0') throw new SdpParseError('SDP must start with v=0');
  const sdp: SessionDescription = {
    version: 0, origin: undefined as unknown as SdpOrigin, sessionName: '-', emails: [], phones: [],
    bandwidths: [], timing: [], attributes: [], media: [],
  };
  let media: SdpMedia | undefined;
  for (const line of lines.slice(1)) {
    if (!/^[a-z]=/.test(line)) throw new SdpParseError(`Invalid SDP line ${JSON.stringify(line.slice(0, 40))}`);
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      media = parseMediaLine(value);
      sdp.media.push(media);
    } else if (media) applyMediaLine(media, type, value);
    else applySessionLine(sdp, type, value);
  }
  if (!sdp.origin) throw new SdpParseError('SDP without o= line');
  return sdp;
}

const conn = (c: SdpConnection) => `c=${c.netType} ${c.addrType} ${c.address}`;
const attr = (a: SdpAttribute) => (a.value === null ? `a=${a.name}` : `a=${a.name}:${a.value}`);

/** Writes SDP in the RFC 4566 5 field order, CRLF line ends. */
export function serializeSdp(s: SessionDescription): string {
  const o = s.origin;
  const lines = [`v=${s.version}`, `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`, `s=${s.sessionName}`];
  if (s.information !== undefined) lines.push(`i=${s.information}`);
  if (s.uri !== undefined) lines.push(`u=${s.uri}`);
  lines.push(...s.emails.map((e) => `e=${e}`), ...s.phones.map((p) => `p=${p}`));
  if (s.connection) lines.push(conn(s.connection));
  lines.push(...s.bandwidths.map((b) => `b=${b}`));
  const timing = s.timing.length > 0 ? s.timing : [{ start: '0', stop: '0', repeats: [] }];
  for (const t of timing) lines.push(`t=${t.start} ${t.stop}`, ...t.repeats.map((r) => `r=${r}`));
  if (s.timezones !== undefined) lines.push(`z=${s.timezones}`);
  if (s.key !== undefined) lines.push(`k=${s.key}`);
  lines.push(...s.attributes.map(attr));
  for (const m of s.media) {
    const port = m.numPorts === undefined ? `${m.port}` : `${m.port}/${m.numPorts}`;
    lines.push([`m=${m.type}`, port, m.protocol, ...m.formats].join(' '));
    if (m.information !== undefined) lines.push(`i=${m.information}`);
    lines.push(...m.connections.map(conn), ...m.bandwidths.map((b) => `b=${b}`));
    if (m.key !== undefined) lines.push(`k=${m.key}`);
    lines.push(...m.attributes.map(attr));
  }
  return lines.join('\r\n') + '\r\n';
}

export function getAttribute(attrs: readonly SdpAttribute[], name: string): string | null | undefined {
  return attrs.find((a) => a.name.toLowerCase() === name.toLowerCase())?.value;
}

/** rtpmap of every format of the media line; static payload types need no a=rtpmap. */
export function rtpMaps(media: SdpMedia): RtpMap[] {
  const out: RtpMap[] = [];
  for (const fmt of media.formats) {
    const pt = Number(fmt);
    if (!/^[0-9]{1,3}$/.test(fmt) || pt > 127) continue;
    const line = media.attributes.find((a) => a.name === 'rtpmap' && a.value?.startsWith(`${fmt} `));
    const m = line?.value ? /^[0-9]+ ([^/\s]+)\/([0-9]+)(?:\/([0-9]+))?/.exec(line.value) : null;
    if (m) {
      const map: RtpMap = { payloadType: pt, encoding: m[1], clockRate: Number(m[2]) };
      if (m[3] !== undefined) map.channels = Number(m[3]);
      out.push(map);
    } else if (STATIC_PT[pt]) out.push({ payloadType: pt, ...STATIC_PT[pt] });
  }
  return out;
}

export function fmtp(media: SdpMedia, payloadType: number): string | undefined {
  const prefix = `${payloadType} `;
  return media.attributes.find((a) => a.name === 'fmtp' && a.value?.startsWith(prefix))?.value?.slice(prefix.length);
}

export function ptime(media: SdpMedia): number | undefined {
  const v = getAttribute(media.attributes, 'ptime');
  return v && /^[0-9]+$/.test(v) ? Number(v) : undefined;
}

/** RFC 4566 6: a media-level direction overrides the session level; the default is sendrecv. */
export function direction(media: SdpMedia, session?: SessionDescription): Direction {
  const find = (attrs: readonly SdpAttribute[]) => attrs.find((a) => DIRECTIONS.has(a.name))?.name as Direction | undefined;
  return find(media.attributes) ?? (session ? find(session.attributes) : undefined) ?? 'sendrecv';
}

/** Replaces the direction attribute of a media description (in place). */
export function setDirection(media: SdpMedia, dir: Direction): void {
  media.attributes = media.attributes.filter((a) => !DIRECTIONS.has(a.name));
  media.attributes.push({ name: dir, value: null });
}

/** The connection that applies to a media line: its own c= or the session's. */
export function connectionOf(media: SdpMedia, session: SessionDescription): SdpConnection | undefined {
  return media.connections[0] ?? session.connection;
}

/** RFC 3605: a=rtcp:port [nettype addrtype address]; otherwise RTP port + 1. */
export function rtcpOf(media: SdpMedia): { port: number; address?: string } {
  const v = getAttribute(media.attributes, 'rtcp');
  const m = v ? /^([0-9]{1,5})(?: IN IP[46] (\S+))?$/.exec(v) : null;
  if (!m) return { port: media.port + 1 };
  return m[2] ? { port: Number(m[1]), address: m[2] } : { port: Number(m[1]) };
}
