// SDP session descriptions (RFC 4566) as plain data.

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpOrigin {
  username: string;
  /** Numeric strings: these are 64-bit values in practice. */
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

export interface SdpConnection {
  netType: string;
  /** IP4 or IP6. */
  addrType: string;
  /** Address as written (multicast keeps its /ttl suffix). */
  address: string;
}

export interface SdpAttribute {
  name: string;
  /** null for property attributes (a=sendrecv). */
  value: string | null;
}

export interface SdpTiming {
  start: string;
  stop: string;
  /** r= lines following this t=. */
  repeats: string[];
}

export interface SdpMedia {
  type: string;
  port: number;
  numPorts?: number;
  protocol: string;
  /** Payload types (RTP) or format tokens, in the offerer's order of preference. */
  formats: string[];
  information?: string;
  connections: SdpConnection[];
  bandwidths: string[];
  key?: string;
  attributes: SdpAttribute[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: SdpConnection;
  bandwidths: string[];
  timing: SdpTiming[];
  timezones?: string;
  key?: string;
  attributes: SdpAttribute[];
  media: SdpMedia[];
}

/** An RTP payload format as described by rtpmap or the static table (RFC 3551). */
export interface RtpMap {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels?: number;
}
