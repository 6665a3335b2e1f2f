// ITU-T G.711 A-law and µ-law: decode by 256-entry tables, encode by segment search.
// The segment arithmetic follows the reference algorithm of G.711 (as in Sun's g711.c).
import type { G711Law } from './codec-types.ts';

/** Segment end points of µ-law on 14-bit magnitudes (after the bias is added). */
const ULAW_SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
/** Segment end points of A-law on 13-bit magnitudes. */
const ALAW_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
const ULAW_BIAS = 0x84;
const ULAW_CLIP = 8159;

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < 8; i++) if (value <= ends[i]) return i;
  return 8;
}

/** Encodes one 16-bit linear sample to a µ-law octet. */
export function ulawEncodeSample(pcm: number): number {
  // G.711 µ-law works on 14-bit samples; the two low bits of a 16-bit sample are dropped.
  let value = pcm >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > ULAW_CLIP) value = ULAW_CLIP;
  value += ULAW_BIAS >> 2;
  const seg = segment(value, ULAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0xf)) ^ mask;
}

/** Encodes one 16-bit linear sample to an A-law octet (even bits inverted: XOR 0x55). */
export function alawEncodeSample(pcm: number): number {
  // G.711 A-law works on 13-bit samples.
  let value = pcm >> 3;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const seg = segment(value, ALAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  const mantissa = seg < 2 ? (value >> 1) & 0xf : (value >> seg) & 0xf;
  return ((seg << 4) | mantissa) ^ mask;
}

function ulawDecodeSample(octet: number): number {
  const u = ~octet & 0xff;
  const t = (((u & 0x0f) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

function alawDecodeSample(octet: number): number {
  const a = octet ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function buildTable(decode: (octet: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

/** Decode tables: octet → 16-bit linear sample. */
export const ULAW_DECODE: Int16Array = buildTable(ulawDecodeSample);
export const ALAW_DECODE: Int16Array = buildTable(alawDecodeSample);

/** Silence octets: the codes of linear 0. */
export const ULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;

export function silenceOctet(law: G711Law): number {
  return law === 'pcma' ? ALAW_SILENCE : ULAW_SILENCE;
}

export function decodeTable(law: G711Law): Int16Array {
  return law === 'pcma' ? ALAW_DECODE : ULAW_DECODE;
}

/** Decodes G.711 octets into `out`. Returns the number of samples written. */
export function g711Decode(law: G711Law, src: Uint8Array, out: Int16Array): number {
  const table = decodeTable(law);
  const n = Math.min(src.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[src[i]];
  return n;
}

/** Decodes `src[start, end)` into `out` without a view of the range (the packet path). */
export function g711DecodeRange(law: G711Law, src: Uint8Array, start: number, end: number, out: Int16Array): number {
  const table = decodeTable(law);
  const n = Math.min(end - start, out.length);
  for (let i = 0; i < n; i++) out[i] = table[src[start + i]];
  return n;
}

/** Encodes 16-bit linear samples into G.711 octets in `out`. Returns the count written. */
export function g711Encode(law: G711Law, pcm: Int16Array, out: Uint8Array): number {
  const n = Math.min(pcm.length, out.length);
  if (law === 'pcma') for (let i = 0; i < n; i++) out[i] = alawEncodeSample(pcm[i]);
  else for (let i = 0; i < n; i++) out[i] = ulawEncodeSample(pcm[i]);
  return n;
}

/** Allocating convenience forms, for prompt files and tests (not the packet path). */
export function decodeG711(law: G711Law, src: Uint8Array): Int16Array {
  const out = new Int16Array(src.length);
  g711Decode(law, src, out);
  return out;
}

export function encodeG711(law: G711Law, pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  g711Encode(law, pcm, out);
  return out;
}
