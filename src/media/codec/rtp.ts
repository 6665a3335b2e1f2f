// RTP packet parse/build on Buffers (RFC 3550 5.1): header, CSRC list, extension, padding,
// marker. Parsing fills a caller-owned header object and never copies the payload.
import type { RtpBuildOptions, RtpHeader } from './codec-types.ts';

export const RTP_HEADER_SIZE = 12;

export function createRtpHeader(): RtpHeader {
  return {
    version: 0, padding: false, extension: false, csrcCount: 0, marker: false, payloadType: 0,
    sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcOffset: 12, extensionOffset: -1,
    extensionProfile: 0, extensionLength: 0, payloadOffset: 12, payloadLength: 0, paddingLength: 0,
  };
}

/**
 * RFC 5761 4: RTP and RTCP multiplexed on one port are told apart by the second octet —
 * RTCP packet types 192–223 would be RTP payload types 64–95 with the marker bit set.
 */
export function looksLikeRtcp(buf: Uint8Array, length = buf.length): boolean {
  return length >= 8 && (buf[0] & 0xc0) === 0x80 && buf[1] >= 192 && buf[1] <= 223;
}

/**
 * Parses the RTP header of `buf[0, length)` into `out`. Returns false for anything that is
 * not a well-formed version-2 packet (the caller drops and counts it).
 */
export function parseRtp(buf: Uint8Array, out: RtpHeader, length = buf.length): boolean {
  if (length < RTP_HEADER_SIZE) return false;
  const b0 = buf[0];
  out.version = b0 >> 6;
  if (out.version !== 2) return false;
  out.padding = (b0 & 0x20) !== 0;
  out.extension = (b0 & 0x10) !== 0;
  out.csrcCount = b0 & 0x0f;
  out.marker = (buf[1] & 0x80) !== 0;
  out.payloadType = buf[1] & 0x7f;
  out.sequenceNumber = (buf[2] << 8) | buf[3];
  out.timestamp = ((buf[4] << 24) | (buf[5] << 16) | (buf[6] << 8) | buf[7]) >>> 0;
  out.ssrc = ((buf[8] << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11]) >>> 0;
  out.csrcOffset = RTP_HEADER_SIZE;
  let offset = RTP_HEADER_SIZE + out.csrcCount * 4;
  out.extensionOffset = -1;
  out.extensionProfile = 0;
  out.extensionLength = 0;
  if (out.extension) {
    // RFC 3550 5.3.1: 16 bits profile-defined, 16 bits length in 32-bit words (excluding the
    // four-octet extension header).
    if (offset + 4 > length) return false;
    out.extensionOffset = offset;
    out.extensionProfile = (buf[offset] << 8) | buf[offset + 1];
    out.extensionLength = ((buf[offset + 2] << 8) | buf[offset + 3]) * 4;
    offset += 4 + out.extensionLength;
  }
  if (offset > length) return false;
  out.paddingLength = 0;
  if (out.padding) {
    // RFC 3550 5.1: "The last octet of the padding contains a count of how many padding
    // octets should be ignored, including itself."
    const pad = buf[length - 1];
    if (pad === 0 || offset + pad > length) return false;
    out.paddingLength = pad;
  }
  out.payloadOffset = offset;
  out.payloadLength = length - offset - out.paddingLength;
  return true;
}

/** Writes the fixed 12-byte header at `offset` (V=2, no P/X/CC). */
export function writeRtpFixedHeader(
  buf: Uint8Array, offset: number, payloadType: number, marker: boolean,
  sequenceNumber: number, timestamp: number, ssrc: number,
): void {
  buf[offset] = 0x80;
  buf[offset + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buf[offset + 2] = (sequenceNumber >> 8) & 0xff;
  buf[offset + 3] = sequenceNumber & 0xff;
  writeU32(buf, offset + 4, timestamp);
  writeU32(buf, offset + 8, ssrc);
}

/** In-place field setters for header rewriting on the packet path. */
export function setRtpPayloadType(buf: Uint8Array, payloadType: number, marker: boolean): void {
  buf[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
}

export function setRtpSequenceNumber(buf: Uint8Array, seq: number): void {
  buf[2] = (seq >> 8) & 0xff;
  buf[3] = seq & 0xff;
}

export function setRtpTimestamp(buf: Uint8Array, timestamp: number): void {
  writeU32(buf, 4, timestamp);
}

export function setRtpSsrc(buf: Uint8Array, ssrc: number): void {
  writeU32(buf, 8, ssrc);
}

function writeU32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 24) & 0xff;
  buf[offset + 1] = (value >>> 16) & 0xff;
  buf[offset + 2] = (value >>> 8) & 0xff;
  buf[offset + 3] = value & 0xff;
}

/** Size of the packet `buildRtp` would produce. */
export function rtpPacketSize(options: RtpBuildOptions, payloadLength: number): number {
  const ext = options.extension ? 4 + Math.ceil(options.extension.data.length / 4) * 4 : 0;
  const raw = RTP_HEADER_SIZE + (options.csrcs?.length ?? 0) * 4 + ext + payloadLength;
  const padTo = options.padTo ?? 0;
  return padTo > 1 && raw % padTo !== 0 ? raw + (padTo - (raw % padTo)) : raw;
}

/** Builds a packet into `out` (allocated when omitted). Returns the packet view. */
export function buildRtp(options: RtpBuildOptions, payload: Uint8Array, out?: Buffer): Buffer {
  const size = rtpPacketSize(options, payload.length);
  const buf = out ? out.subarray(0, size) : Buffer.allocUnsafe(size);
  const csrcs = options.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError('RTP allows at most 15 CSRCs');
  writeRtpFixedHeader(buf, 0, options.payloadType, options.marker ?? false,
    options.sequenceNumber & 0xffff, options.timestamp >>> 0, options.ssrc >>> 0);
  const padding = size - rtpPacketSize({ ...options, padTo: 0 }, payload.length);
  buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (options.extension ? 0x10 : 0) | csrcs.length;
  let offset = RTP_HEADER_SIZE;
  for (const csrc of csrcs) {
    writeU32(buf, offset, csrc >>> 0);
    offset += 4;
  }
  if (options.extension) offset = writeExtension(buf, offset, options.extension);
  buf.set(payload, offset);
  offset += payload.length;
  if (padding > 0) {
    buf.fill(0, offset, size - 1);
    buf[size - 1] = padding;
  }
  return buf;
}

function writeExtension(buf: Uint8Array, offset: number, ext: { profile: number; data: Uint8Array }): number {
  const words = Math.ceil(ext.data.length / 4);
  buf[offset] = (ext.profile >> 8) & 0xff;
  buf[offset + 1] = ext.profile & 0xff;
  buf[offset + 2] = (words >> 8) & 0xff;
  buf[offset + 3] = words & 0xff;
  buf.set(ext.data, offset + 4);
  buf.fill(0, offset + 4 + ext.data.length, offset + 4 + words * 4);
  return offset + 4 + words * 4;
}

/** Serial-number arithmetic on 16-bit sequence numbers: a - b in [-32768, 32767]. */
export function seqDelta(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}

/** Serial-number arithmetic on 32-bit timestamps: a - b as a signed 32-bit number. */
export function tsDelta(a: number, b: number): number {
  return (a - b) | 0;
}
