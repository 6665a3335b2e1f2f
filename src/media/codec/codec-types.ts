// Types shared by the codec helpers: G.711 laws, RTP header view, WAV layout.

/** The two G.711 companding laws, named as SDP names them (PCMA = A-law, PCMU = µ-law). */
export type G711Law = 'pcma' | 'pcmu';

/** Static RTP payload types of RFC 3551 table 4. */
export const PT_PCMU = 0;
export const PT_PCMA = 8;

/**
 * A parsed RTP header (RFC 3550 5.1). Offsets point into the packet buffer so the payload
 * is read in place; one instance is reused per stream to keep the packet path allocation-free.
 */
export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the first CSRC entry (always 12). */
  csrcOffset: number;
  /** Offset of the header extension (its 4-byte preamble), or -1. */
  extensionOffset: number;
  /** RFC 3550 5.3.1: the 16-bit profile-defined value of the extension, or 0. */
  extensionProfile: number;
  /** Length of the extension data in bytes, excluding the 4-byte preamble. */
  extensionLength: number;
  payloadOffset: number;
  payloadLength: number;
  /** Number of padding octets at the end (including the count octet), or 0. */
  paddingLength: number;
}

/** Everything needed to write an RTP header; CSRC and extension are optional. */
export interface RtpBuildOptions {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
  csrcs?: readonly number[];
  extension?: { profile: number; data: Uint8Array };
  /** Pad the packet so its length is a multiple of this (RFC 3550 5.1 P bit). */
  padTo?: number;
}

/** WAV sample formats this project reads and writes (format tags 1, 6, 7). */
export type WavFormat = 'pcm16' | 'alaw' | 'ulaw';

export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_ALAW = 6;
export const WAVE_FORMAT_MULAW = 7;

export interface WavHeaderOptions {
  format: WavFormat;
  channels: 1 | 2;
  sampleRate: number;
  /** Size of the data chunk in bytes. */
  dataBytes: number;
}

export interface WavInfo {
  format: WavFormat;
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  /** Offset of the first sample byte (just after the 'data' chunk header). */
  dataOffset: number;
  /** Size recorded in the data chunk header (may be wrong in a cut file). */
  dataBytes: number;
  /** Offset of the 'data' chunk's size field, for patching. */
  dataSizeOffset: number;
  /** Offset of the 'fact' chunk's sample-count field, or -1. */
  factOffset: number;
  /** RIFF size recorded in the header. */
  riffSize: number;
}
