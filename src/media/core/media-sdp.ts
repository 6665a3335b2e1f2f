// SDP for SIP legs, built on sip/core's offer/answer: the box's side of each leg is the edge
// leg's port at the announced media address, G.711 (the call's law first) and telephone-event
// at the offerer's payload number. Turns the peer's SDP into what the RTP edge needs.
import { randomInt } from 'node:crypto';
import {
  buildAnswer, buildOffer, connectionOf, direction, isHold, parseSdp, rtpMaps, serializeSdp,
  type Direction, type SessionDescription,
} from '../../sip/core/index.ts';
import { CcboxError } from '../../platform/errors.ts';
import type { G711Law } from '../codec/index.ts';
import type { LegMedia, RemoteMedia } from '../edge/index.ts';

export const DEFAULT_TELEPHONE_EVENT_PT = 101;

/** Our side of a leg's SDP. */
export interface LocalMediaSpec {
  /** Announced media address (c= and o=). */
  address: string;
  /** The edge leg's RTP port (0 while only negotiating). */
  port: number;
  /** Codecs in order of preference: the call's law first. */
  laws: readonly G711Law[];
  direction?: Direction;
}

/** The session's o= line state: one id per leg, the version bumped on each change (RFC 3264 8). */
export class SdpOrigin {
  readonly sessionId = String(randomInt(1, 2 ** 47));
  private version = randomInt(1, 2 ** 31);
  private lastBody: string | null = null;

  /** Serializes `sdp` with the current version, or the next one when the body changed. */
  stamp(sdp: SessionDescription): string {
    sdp.origin.sessionId = this.sessionId;
    sdp.origin.sessionVersion = String(this.version);
    const body = serializeSdp(sdp);
    if (this.lastBody === null) {
      this.lastBody = body;
      return body;
    }
    if (body === this.lastBody) return body;
    this.version++;
    sdp.origin.sessionVersion = String(this.version);
    this.lastBody = serializeSdp(sdp);
    return this.lastBody;
  }
}

export interface PeerMedia {
  media: LegMedia;
  remote: RemoteMedia;
  /** The peer holds us (sendonly/inactive, or c=0.0.0.0). */
  held: boolean;
}

const lawOf = (encoding: string): G711Law | null => {
  const e = encoding.toUpperCase();
  return e === 'PCMA' ? 'pcma' : e === 'PCMU' ? 'pcmu' : null;
};
const encodingOf = (law: G711Law): string => (law === 'pcma' ? 'PCMA' : 'PCMU');

export function parseSdpOrThrow(text: string): SessionDescription {
  try {
    return parseSdp(text);
  } catch (err) {
    throw new CcboxError('CCBOX_ERR_VALIDATION', `bad SDP: ${(err as Error).message}`, { field: 'sdp', cause: err });
  }
}

/**
 * The peer's direction as the edge needs it: a peer that holds us may send nothing, so any
 * hold is 'inactive' (no dead-media alarm, silence in the recording).
 */
function peerDirection(sdp: SessionDescription, declared: Direction): Direction {
  return isHold(sdp) ? 'inactive' : declared;
}

function noMedia(what: string): CcboxError {
  // The SIP layer answers 488 Not Acceptable Here.
  return new CcboxError('CCBOX_ERR_VALIDATION', `no acceptable audio in the ${what} (PCMA/PCMU needed)`, { field: 'sdp' });
}

/** Which law an offer would give us with these preferences (before any port exists). */
export function negotiatedLaw(offer: SessionDescription, laws: readonly G711Law[]): G711Law {
  const { negotiated } = buildAnswer(offer, { address: '0.0.0.0', port: 0, codecs: laws.map(encodingOf), origin: { sessionId: '0', sessionVersion: '0' } });
  const law = negotiated && lawOf(negotiated.codec.encoding);
  if (!law) throw noMedia('offer');
  return law;
}

/** Our answer to the peer's offer, and what the edge must know about the peer. */
export function answerOffer(offer: SessionDescription, local: LocalMediaSpec, origin: SdpOrigin, latch: boolean): PeerMedia & { sdp: string } {
  const { answer, negotiated } = buildAnswer(offer, {
    address: local.address, port: local.port, codecs: local.laws.map(encodingOf), direction: local.direction ?? 'sendrecv', ptime: 20,
    origin: { sessionId: origin.sessionId, sessionVersion: '0' },
  });
  const law = negotiated && lawOf(negotiated.codec.encoding);
  if (!negotiated || !law) throw noMedia('offer');
  const offered = offer.media[negotiated.mediaIndex];
  return {
    sdp: origin.stamp(answer),
    media: { law, audioPt: negotiated.codec.payloadType, telephoneEventPt: negotiated.telephoneEvent?.payloadType ?? null },
    remote: {
      address: negotiated.remoteAddress, port: negotiated.remotePort, latch,
      direction: peerDirection(offer, direction(offered, offer)),
    },
    held: isHold(offer),
  };
}

/** Our offer for a leg (new outgoing leg, re-INVITE, our hold). */
export function buildLegOffer(local: LocalMediaSpec, origin: SdpOrigin, telephoneEventPt = DEFAULT_TELEPHONE_EVENT_PT): string {
  const sdp = buildOffer({
    address: local.address, port: local.port, codecs: local.laws.map(encodingOf), direction: local.direction ?? 'sendrecv', ptime: 20,
    origin: { sessionId: origin.sessionId, sessionVersion: '0' },
  }, telephoneEventPt);
  return origin.stamp(sdp);
}

/** Reads the peer's answer to our offer. */
export function readAnswer(answer: SessionDescription, latch: boolean): PeerMedia {
  const m = answer.media.find((x) => x.type === 'audio' && x.port !== 0);
  if (!m) throw noMedia('answer');
  const maps = rtpMaps(m);
  // RFC 3264 6.1: the answerer lists the formats it will use; the first G.711 one is ours.
  const codec = maps.find((x) => x.clockRate === 8000 && lawOf(x.encoding) !== null);
  if (!codec) throw noMedia('answer');
  const te = maps.find((x) => x.encoding.toLowerCase() === 'telephone-event' && x.clockRate === 8000);
  return {
    media: { law: lawOf(codec.encoding)!, audioPt: codec.payloadType, telephoneEventPt: te?.payloadType ?? null },
    remote: {
      address: connectionOf(m, answer)?.address ?? '0.0.0.0', port: m.port, latch,
      direction: peerDirection(answer, direction(m, answer)),
    },
    held: isHold(answer),
  };
}
