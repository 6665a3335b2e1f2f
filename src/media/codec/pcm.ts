// Linear PCM helpers: 16-bit little-endian bytes ↔ samples, clipping sums, energy.

/** Clamps to the 16-bit signed range. */
export function clip16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** Copies little-endian 16-bit bytes into samples (works on any byte alignment). */
export function pcmFromBytesLE(bytes: Uint8Array, out?: Int16Array): Int16Array {
  const n = bytes.length >> 1;
  const samples = out ?? new Int16Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n && i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** Writes samples as little-endian 16-bit bytes into `out` at `offset`. Returns bytes written. */
export function pcmToBytesLE(samples: Int16Array, out: Uint8Array, offset = 0): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const n = Math.min(samples.length, (out.length - offset) >> 1);
  for (let i = 0; i < n; i++) view.setInt16(offset + i * 2, samples[i], true);
  return n * 2;
}

/** Adds `src` into the 32-bit accumulator `acc` (mixing; clip once at the end). */
export function accumulate(acc: Int32Array, src: Int16Array, gain = 1): void {
  const n = Math.min(acc.length, src.length);
  if (gain === 1) for (let i = 0; i < n; i++) acc[i] += src[i];
  else for (let i = 0; i < n; i++) acc[i] += Math.round(src[i] * gain);
}

/** Writes the clipped accumulator into `out`. */
export function clipInto(acc: Int32Array, out: Int16Array): void {
  const n = Math.min(acc.length, out.length);
  for (let i = 0; i < n; i++) out[i] = clip16(acc[i]);
}

/** Sums several equal-rate sources with clipping (the mix of whisper/barge legs). */
export function mixClipped(sources: readonly Int16Array[], out: Int16Array): void {
  const acc = new Int32Array(out.length);
  for (const src of sources) accumulate(acc, src);
  clipInto(acc, out);
}

/** Mean square of the samples (0 for an empty range). */
export function meanSquare(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return sum / (end - start);
}

/** RMS level in dBFS (full scale sine ≈ -3 dBFS); -Infinity for digital silence. */
export function rmsDbfs(samples: Int16Array, start = 0, end = samples.length): number {
  const ms = meanSquare(samples, start, end);
  return ms === 0 ? -Infinity : 10 * Math.log10(ms / (32768 * 32768));
}

/** Splits interleaved stereo into two channels. */
export function deinterleave(stereo: Int16Array): [Int16Array, Int16Array] {
  const n = stereo.length >> 1;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = stereo[2 * i];
    right[i] = stereo[2 * i + 1];
  }
  return [left, right];
}
