// RFC 3264 offer/answer for ccbox's audio legs: one audio stream, G.711 (PCMA/PCMU) and
// telephone-event (RFC 4733) at the offerer's payload numbers; hold detection; re-offers.
import { isIPv6 } from 'node:net';
import { connectionOf, direction, fmtp, ptime, rtcpOf, rtpMaps, setDirection } from './sdp.ts';
import type { Direction, RtpMap, SdpAttribute, SdpMedia, SessionDescription } from './sdp-types.ts';

export interface LocalAudio {
  /** Our RTP address (IPv4 or IPv6) written in c= and o=. */
  address: string;
  port: number;
  /** Written as a=rtcp when given (RFC 3605). */
  rtcpPort?: number;
  /** Encoding names at 8000 Hz in order of preference. Default PCMA, PCMU. */
  codecs?: readonly string[];
  /** Offer/accept telephone-event/8000. Default true. */
  telephoneEvent?: boolean;
  /** Our wish; combined with the offer's direction in an answer. Default sendrecv. */
  direction?: Direction;
  /** ptime to offer, or to answer when the offer has none. */
  ptime?: number;
  /** o= line values: session id and version come from the caller (randomness is an input). */
  origin: { username?: string; sessionId: string; sessionVersion: string };
}

/** What the answer agreed for the audio stream, from our point of view. */
export interface NegotiatedAudio {
  mediaIndex: number;
  codec: RtpMap;
  telephoneEvent?: { payloadType: number; fmtp?: string };
  remoteAddress: string;
  remotePort: number;
  remoteRtcpPort: number;
  direction: Direction;
  ptime?: number;
}

const DEFAULT_CODECS = ['PCMA', 'PCMU'];
const SUPPORTED_PROTOCOLS = new Set(['RTP/AVP', 'RTP/AVPF']);
const DEFAULT_TE_PT = 101;

const addrType = (address: string) => (isIPv6(address) ? 'IP6' : 'IP4');
const sends = (d: Direction) => d === 'sendrecv' || d === 'sendonly';
const receives = (d: Direction) => d === 'sendrecv' || d === 'recvonly';

function fromFlags(send: boolean, recv: boolean): Direction {
  if (send && recv) return 'sendrecv';
  if (send) return 'sendonly';
  return recv ? 'recvonly' : 'inactive';
}

/**
 * RFC 3264 6.1: "If a stream is offered as sendonly, the corresponding stream MUST be marked
 * as recvonly or inactive in the answer. If a media stream is listed as recvonly in the
 * offer, the answer MUST be marked as sendonly or inactive."
 */
export function answerDirection(offered: Direction, wish: Direction): Direction {
  return fromFlags(sends(wish) && receives(offered), receives(wish) && sends(offered));
}

function isTelephoneEvent(m: RtpMap): boolean {
  return m.encoding.toLowerCase() === 'telephone-event' && m.clockRate === 8000 && m.payloadType >= 96 && m.payloadType <= 127;
}

function chooseCodec(maps: RtpMap[], prefs: readonly string[]): RtpMap | undefined {
  for (const name of prefs) {
    const hit = maps.find((m) => m.encoding.toUpperCase() === name.toUpperCase() && m.clockRate === 8000);
    if (hit) return hit;
  }
  return undefined;
}

function rtpmapAttr(m: RtpMap): SdpAttribute {
  return { name: 'rtpmap', value: `${m.payloadType} ${m.encoding}/${m.clockRate}` };
}

function sessionShell(local: LocalAudio, media: SdpMedia[]): SessionDescription {
  const type = addrType(local.address);
  return {
    version: 0,
    origin: { username: local.origin.username ?? '-', sessionId: local.origin.sessionId, sessionVersion: local.origin.sessionVersion, netType: 'IN', addrType: type, address: local.address },
    sessionName: '-', emails: [], phones: [], bandwidths: [], attributes: [],
    connection: { netType: 'IN', addrType: type, address: local.address },
    timing: [{ start: '0', stop: '0', repeats: [] }], media,
  };
}

/** RFC 3264 6: "An offered stream MAY be rejected in the answer by setting the port to zero". */
function rejected(offer: SdpMedia): SdpMedia {
  return { type: offer.type, port: 0, protocol: offer.protocol, formats: offer.formats.length ? offer.formats : ['0'], connections: [], bandwidths: [], attributes: [] };
}

function audioAnswer(offer: SdpMedia, session: SessionDescription, local: LocalAudio, index: number): { media: SdpMedia; neg: NegotiatedAudio } | undefined {
  if (offer.type !== 'audio' || offer.port === 0 || !SUPPORTED_PROTOCOLS.has(offer.protocol)) return undefined;
  const maps = rtpMaps(offer);
  const codec = chooseCodec(maps, local.codecs ?? DEFAULT_CODECS);
  if (!codec) return undefined;
  const te = local.telephoneEvent === false ? undefined : maps.find(isTelephoneEvent);
  const dir = answerDirection(direction(offer, session), local.direction ?? 'sendrecv');
  const attrs: SdpAttribute[] = [rtpmapAttr(codec)];
  const neg: NegotiatedAudio = {
    mediaIndex: index, codec, direction: dir,
    remoteAddress: connectionOf(offer, session)?.address ?? '0.0.0.0', remotePort: offer.port, remoteRtcpPort: rtcpOf(offer).port,
  };
  if (te) {
    attrs.push(rtpmapAttr(te));
    const teFmtp = fmtp(offer, te.payloadType);
    if (teFmtp !== undefined) attrs.push({ name: 'fmtp', value: `${te.payloadType} ${teFmtp}` });
    neg.telephoneEvent = teFmtp === undefined ? { payloadType: te.payloadType } : { payloadType: te.payloadType, fmtp: teFmtp };
  }
  const pt = ptime(offer) ?? local.ptime;
  if (pt !== undefined) {
    attrs.push({ name: 'ptime', value: String(pt) });
    neg.ptime = pt;
  }
  if (local.rtcpPort !== undefined) attrs.push({ name: 'rtcp', value: String(local.rtcpPort) });
  attrs.push({ name: dir, value: null });
  const formats = [String(codec.payloadType), ...(te ? [String(te.payloadType)] : [])];
  return { media: { type: 'audio', port: local.port, protocol: offer.protocol, formats, connections: [], bandwidths: [], attributes: attrs }, neg };
}

/**
 * Builds the answer to an offer: the first usable audio stream is accepted with one codec by
 * local preference (keeping the offerer's payload numbers) plus telephone-event if offered;
 * every other m= line is rejected with port 0. `negotiated` is undefined when nothing fits
 * (the caller answers 488).
 */
export function buildAnswer(offer: SessionDescription, local: LocalAudio): { answer: SessionDescription; negotiated?: NegotiatedAudio } {
  let negotiated: NegotiatedAudio | undefined;
  const media = offer.media.map((m, i) => {
    if (negotiated) return rejected(m);
    const accepted = audioAnswer(m, offer, local, i);
    if (!accepted) return rejected(m);
    negotiated = accepted.neg;
    return accepted.media;
  });
  return negotiated ? { answer: sessionShell(local, media), negotiated } : { answer: sessionShell(local, media) };
}

/** An initial offer: one audio stream with the local codecs and telephone-event. */
export function buildOffer(local: LocalAudio, telephoneEventPt = DEFAULT_TE_PT): SessionDescription {
  const maps: RtpMap[] = (local.codecs ?? DEFAULT_CODECS).map((name) => ({
    payloadType: name.toUpperCase() === 'PCMU' ? 0 : name.toUpperCase() === 'PCMA' ? 8 : NaN, encoding: name.toUpperCase(), clockRate: 8000,
  })).filter((m) => !Number.isNaN(m.payloadType));
  const attrs = maps.map(rtpmapAttr);
  const formats = maps.map((m) => String(m.payloadType));
  if (local.telephoneEvent !== false) {
    attrs.push({ name: 'rtpmap', value: `${telephoneEventPt} telephone-event/8000` }, { name: 'fmtp', value: `${telephoneEventPt} 0-16` });
    formats.push(String(telephoneEventPt));
  }
  if (local.ptime !== undefined) attrs.push({ name: 'ptime', value: String(local.ptime) });
  if (local.rtcpPort !== undefined) attrs.push({ name: 'rtcp', value: String(local.rtcpPort) });
  attrs.push({ name: local.direction ?? 'sendrecv', value: null });
  return sessionShell(local, [{ type: 'audio', port: local.port, protocol: 'RTP/AVP', formats, connections: [], bandwidths: [], attributes: attrs }]);
}

/**
 * RFC 3264 8: a new offer in the same session keeps the o= line except that "the version in
 * the origin field MUST increment by one from the previous SDP". Returns a deep copy;
 * `change` may edit it (e.g. setDirection for hold).
 */
export function reoffer(previous: SessionDescription, change?: (sdp: SessionDescription) => void): SessionDescription {
  const copy: SessionDescription = structuredClone(previous);
  copy.origin.sessionVersion = (BigInt(previous.origin.sessionVersion) + 1n).toString();
  change?.(copy);
  return copy;
}

/** Puts every active stream on hold (sendonly, or inactive if we were not receiving). RFC 3264 8.4. */
export function holdOffer(previous: SessionDescription): SessionDescription {
  return reoffer(previous, (sdp) => {
    for (const m of sdp.media) if (m.port !== 0) setDirection(m, receives(direction(m, sdp)) ? 'sendonly' : 'inactive');
  });
}

function isNullAddress(address: string | undefined): boolean {
  return address === '0.0.0.0' || address === '::' || address === '0:0:0:0:0:0:0:0';
}

/**
 * True when the remote side holds us: every active audio stream is sendonly or inactive
 * (RFC 3264 8.4), or its connection address is 0.0.0.0 (RFC 2543 style, still common).
 */
export function isHold(sdp: SessionDescription): boolean {
  const audio = sdp.media.filter((m) => m.type === 'audio' && m.port !== 0);
  if (audio.length === 0) return false;
  return audio.every((m) => {
    const d = direction(m, sdp);
    return d === 'sendonly' || d === 'inactive' || isNullAddress(connectionOf(m, sdp)?.address);
  });
}
