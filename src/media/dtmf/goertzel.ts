// Goertzel filter bank: the power of a few known frequencies over one block of samples,
// cheaper than an FFT when only the 8 DTMF frequencies matter.

export class GoertzelBank {
  readonly frequencies: readonly number[];
  private readonly coeffs: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  /** Power per frequency after `run`: |X(f)|² of the block. */
  readonly power: Float64Array;

  constructor(frequencies: readonly number[], sampleRate: number) {
    this.frequencies = frequencies;
    this.coeffs = Float64Array.from(frequencies, (f) => 2 * Math.cos((2 * Math.PI * f) / sampleRate));
    this.s1 = new Float64Array(frequencies.length);
    this.s2 = new Float64Array(frequencies.length);
    this.power = new Float64Array(frequencies.length);
  }

  /**
   * Runs the bank over `length` samples of a ring buffer starting at `start` (wrapping), in
   * time order. Returns the block's sum of squares, for the energy-ratio check.
   */
  run(ring: Float32Array, start: number, length: number): number {
    const n = this.coeffs.length;
    const { coeffs, s1, s2 } = this;
    s1.fill(0);
    s2.fill(0);
    let energy = 0;
    let idx = start;
    for (let i = 0; i < length; i++) {
      const x = ring[idx];
      idx = idx + 1 === ring.length ? 0 : idx + 1;
      energy += x * x;
      for (let k = 0; k < n; k++) {
        const s0 = x + coeffs[k] * s1[k] - s2[k];
        s2[k] = s1[k];
        s1[k] = s0;
      }
    }
    for (let k = 0; k < n; k++) this.power[k] = s1[k] * s1[k] + s2[k] * s2[k] - coeffs[k] * s1[k] * s2[k];
    return energy;
  }
}
