// Integer-ratio resampler with a windowed-sinc low-pass FIR: 16k/48k → 8k for prompt files
// and browser paths, and 8k → 16k/48k the other way. Streaming: keeps the filter history.
import { clip16 } from './pcm.ts';

export interface ResamplerOptions {
  inRate: number;
  outRate: number;
  /** FIR length per phase; more taps give a steeper edge. */
  tapsPerPhase?: number;
  /** Pass-band edge in Hz; defaults to 3.4 kHz (telephony band) or 0.45 × the lower rate. */
  cutoffHz?: number;
}

/** Designs a Blackman-windowed sinc low-pass (unity DC gain × `gain`). */
export function designLowPass(taps: number, cutoff: number, gain = 1): Float64Array {
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    h[i] = sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < taps; i++) h[i] = (h[i] / sum) * gain;
  return h;
}

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly down: number;
  private readonly up: number;
  private readonly taps: Float64Array;
  /** Ring of the last `taps.length` input samples at the (up-sampled) filter rate. */
  private readonly history: Float64Array;
  private pos = 0;
  private phase = 0;

  constructor(options: ResamplerOptions) {
    const { inRate, outRate } = options;
    if (inRate % outRate !== 0 && outRate % inRate !== 0) {
      throw new RangeError(`only integer ratios are supported: ${inRate} → ${outRate}`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.down = inRate >= outRate ? inRate / outRate : 1;
    this.up = outRate > inRate ? outRate / inRate : 1;
    const filterRate = inRate * this.up;
    const lower = Math.min(inRate, outRate);
    const cutoffHz = options.cutoffHz ?? (lower === 8000 ? 3400 : 0.45 * lower);
    const length = (options.tapsPerPhase ?? 16) * Math.max(this.down, this.up) + 1;
    // Zero-stuffed up-sampling loses a factor `up` of energy; the filter gain restores it.
    this.taps = designLowPass(length, cutoffHz / filterRate, this.up);
    this.history = new Float64Array(length);
  }

  /** Number of output samples `process` will produce for `inputLength` more input samples. */
  outputLength(inputLength: number): number {
    return Math.floor((this.phase + inputLength * this.up) / this.down);
  }

  /** Resamples a block; state carries over so blocks can be fed one after another. */
  process(input: Int16Array): Int16Array {
    const out = new Int16Array(this.outputLength(input.length));
    let o = 0;
    for (let i = 0; i < input.length; i++) {
      for (let k = 0; k < this.up; k++) {
        this.push(k === 0 ? input[i] : 0);
        if (++this.phase === this.down) {
          this.phase = 0;
          out[o++] = clip16(Math.round(this.convolve()));
        }
      }
    }
    return o === out.length ? out : out.subarray(0, o);
  }

  private push(sample: number): void {
    this.history[this.pos] = sample;
    this.pos = (this.pos + 1) % this.history.length;
  }

  private convolve(): number {
    const n = this.history.length;
    let acc = 0;
    let idx = this.pos;
    for (let t = n - 1; t >= 0; t--) {
      acc += this.history[idx] * this.taps[t];
      idx = idx + 1 === n ? 0 : idx + 1;
    }
    return acc;
  }
}

/** One-shot resampling of a whole buffer (prompt conversion). */
export function resample(input: Int16Array, inRate: number, outRate: number): Int16Array {
  if (inRate === outRate) return input.slice();
  return new Resampler({ inRate, outRate }).process(input);
}
