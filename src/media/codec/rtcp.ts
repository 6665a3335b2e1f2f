// Minimal RTCP reading (RFC 3550 6.4): enough to count compound packets and pick out
// sender reports; the edge consumes RTCP and does not rewrite it.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

export interface RtcpSummary {
  packets: number;
  senderReports: number;
  receiverReports: number;
  byes: number;
  /** SSRC of the first packet's sender, or 0. */
  senderSsrc: number;
}

/**
 * Walks a compound RTCP packet. Returns false if it is malformed (RFC 3550 A.2: version 2,
 * lengths consistent). Fills `out` without allocating.
 */
export function summarizeRtcp(buf: Uint8Array, length: number, out: RtcpSummary): boolean {
  out.packets = 0;
  out.senderReports = 0;
  out.receiverReports = 0;
  out.byes = 0;
  out.senderSsrc = 0;
  let offset = 0;
  while (offset + 4 <= length) {
    if (buf[offset] >> 6 !== 2) return false;
    const type = buf[offset + 1];
    const words = (buf[offset + 2] << 8) | buf[offset + 3];
    const size = (words + 1) * 4;
    if (offset + size > length) return false;
    if (out.packets === 0 && size >= 8) {
      out.senderSsrc = ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0;
    }
    if (type === RTCP_SR) out.senderReports++;
    else if (type === RTCP_RR) out.receiverReports++;
    else if (type === RTCP_BYE) out.byes++;
    out.packets++;
    offset += size;
  }
  return out.packets > 0 && offset === length;
}

export function createRtcpSummary(): RtcpSummary {
  return { packets: 0, senderReports: 0, receiverReports: 0, byes: 0, senderSsrc: 0 };
}
