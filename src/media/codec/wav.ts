// WAV (RIFF) headers: 16-bit PCM (format tag 1) and G.711 A-law/µ-law (tags 6/7), mono or
// stereo. Non-PCM formats carry an 18-byte fmt chunk (cbSize = 0) and a 'fact' chunk, as
// the RIFF rules for compressed formats require.
import {
  WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW, WAVE_FORMAT_PCM,
  type WavFormat, type WavHeaderOptions, type WavInfo,
} from './codec-types.ts';

const TAGS: Record<WavFormat, number> = { pcm16: WAVE_FORMAT_PCM, alaw: WAVE_FORMAT_ALAW, ulaw: WAVE_FORMAT_MULAW };

export function bitsPerSample(format: WavFormat): number {
  return format === 'pcm16' ? 16 : 8;
}

/** Header length for a format: 44 for PCM, 58 for G.711 (fmt 18 + fact chunk). */
export function wavHeaderSize(format: WavFormat): number {
  return format === 'pcm16' ? 44 : 58;
}

/** Builds the complete header for `dataBytes` of samples. */
export function buildWavHeader(options: WavHeaderOptions): Buffer {
  const { format, channels, sampleRate, dataBytes } = options;
  const size = wavHeaderSize(format);
  const buf = Buffer.alloc(size);
  const bits = bitsPerSample(format);
  const blockAlign = (channels * bits) / 8;
  const pcm = format === 'pcm16';
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(size - 8 + dataBytes + (dataBytes & 1), 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(pcm ? 16 : 18, 16);
  buf.writeUInt16LE(TAGS[format], 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * blockAlign, 28);
  buf.writeUInt16LE(blockAlign, 32);
  buf.writeUInt16LE(bits, 34);
  let offset = 36;
  if (!pcm) {
    buf.writeUInt16LE(0, 36); // cbSize
    buf.write('fact', 38, 'ascii');
    buf.writeUInt32LE(4, 42);
    buf.writeUInt32LE(Math.floor(dataBytes / blockAlign), 46);
    offset = 50;
  }
  buf.write('data', offset, 'ascii');
  buf.writeUInt32LE(dataBytes, offset + 4);
  return buf;
}

export class WavFormatError extends Error {
  readonly code = 'CCBOX_ERR_WAV_FORMAT';
}

function formatOf(tag: number, bits: number): WavFormat {
  if (tag === WAVE_FORMAT_PCM && bits === 16) return 'pcm16';
  if (tag === WAVE_FORMAT_ALAW && bits === 8) return 'alaw';
  if (tag === WAVE_FORMAT_MULAW && bits === 8) return 'ulaw';
  throw new WavFormatError(`unsupported WAV format tag ${tag} with ${bits} bits`);
}

/**
 * Reads the header chunks up to the start of 'data'. Unknown chunks (LIST, …) are skipped.
 * `buf` needs only the head of the file (a few hundred bytes is plenty for our files).
 */
export function parseWavHeader(buf: Uint8Array): WavInfo {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'dataSizeOffset' | 'factOffset' | 'riffSize'> | undefined;
  let factOffset = -1;
  let offset = 12;
  while (offset + 8 <= b.length) {
    const id = b.toString('ascii', offset, offset + 4);
    const size = b.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      if (offset + 8 + 16 > b.length) break;
      const formatTag = b.readUInt16LE(offset + 8);
      const bits = b.readUInt16LE(offset + 22);
      fmt = {
        format: formatOf(formatTag, bits), formatTag, channels: b.readUInt16LE(offset + 10),
        sampleRate: b.readUInt32LE(offset + 12), blockAlign: b.readUInt16LE(offset + 20), bitsPerSample: bits,
      };
    } else if (id === 'fact') {
      factOffset = offset + 8;
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError("'data' before 'fmt '");
      return { ...fmt, dataOffset: offset + 8, dataBytes: size, dataSizeOffset: offset + 4, factOffset, riffSize: b.readUInt32LE(4) };
    }
    // RIFF chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    offset += 8 + size + (size & 1);
  }
  throw new WavFormatError("no 'data' chunk in the header bytes");
}

/** Header and sample bytes of a whole in-memory file, with the data clipped to what exists. */
export function readWav(file: Uint8Array): { info: WavInfo; data: Uint8Array } {
  const info = parseWavHeader(file);
  const available = Math.max(0, file.length - info.dataOffset);
  const bytes = Math.min(info.dataBytes, available);
  return { info, data: file.subarray(info.dataOffset, info.dataOffset + bytes) };
}

/** Builds a whole file (header + samples) in memory: prompts, tests, voicemail exports. */
export function writeWav(format: WavFormat, channels: 1 | 2, sampleRate: number, data: Uint8Array): Buffer {
  const header = buildWavHeader({ format, channels, sampleRate, dataBytes: data.length });
  const pad = data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, data, pad]);
}
