// In-band DTMF detection on 8 kHz PCM with a Goertzel bank: 20 ms windows every 5 ms,
// checked for level, twist, relative peaks and share of the total energy, then debounced
// so a digit is reported once, only if it lasted the minimum duration (Q.24: 40 ms).
import type { DtmfDigit, InbandDetectorOptions } from './dtmf-types.ts';
import { COL_FREQS, KEYPAD, ROW_FREQS } from './digits.ts';
import { GoertzelBank } from './goertzel.ts';

const WINDOW_MS = 20;
const HOP_MS = 5;
/** Another row (column) must be this much weaker than the peak (dB); adjacent rows are 73–89 Hz apart. */
const RELATIVE_PEAK_DB = 6;
/** The two tones must carry this share of the window's energy: speech and noise spread theirs. */
const TONE_TO_TOTAL = 0.7;
/** Consecutive missing windows that end a digit (tolerates a short dropout). */
const MISSES_TO_END = 3;

export class InbandDtmfDetector {
  private readonly bank: GoertzelBank;
  private readonly ring: Float32Array;
  private readonly window: number;
  private readonly hop: number;
  private readonly minHits: number;
  private readonly minAmplitude: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relativePeak = 10 ** (RELATIVE_PEAK_DB / 10);
  private readonly sampleRate: number;
  private writePos = 0;
  private filled = 0;
  private sinceHop = 0;
  private candidate: DtmfDigit | null = null;
  private hits = 0;
  private present = false;
  private misses = 0;
  private firstHitWindow = 0;
  private lastHitWindow = 0;
  private windowIndex = 0;

  constructor(private readonly options: InbandDetectorOptions) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.window = Math.round((this.sampleRate * WINDOW_MS) / 1000);
    this.hop = Math.round((this.sampleRate * HOP_MS) / 1000);
    this.ring = new Float32Array(this.window);
    this.bank = new GoertzelBank([...ROW_FREQS, ...COL_FREQS], this.sampleRate);
    const minSamples = Math.round(((options.minDurationMs ?? 40) * this.sampleRate) / 1000);
    // Windows wholly inside a tone of the minimum length, plus the two partly covered ones at
    // its edges: a shorter tone cannot produce that many consecutive hits.
    this.minHits = Math.max(1, Math.floor((minSamples - this.window) / this.hop) + 2);
    this.minAmplitude = 32768 * 10 ** ((options.minLevelDb ?? -36) / 20);
    this.normalTwist = 10 ** ((options.normalTwistDb ?? 8) / 10);
    this.reverseTwist = 10 ** ((options.reverseTwistDb ?? 4) / 10);
  }

  /** Feeds PCM samples (any block size). */
  process(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.ring[this.writePos] = samples[i];
      this.writePos = this.writePos + 1 === this.window ? 0 : this.writePos + 1;
      if (this.filled < this.window) this.filled++;
      if (++this.sinceHop === this.hop) {
        this.sinceHop = 0;
        if (this.filled === this.window) this.onWindow(this.analyse());
      }
    }
  }

  /** Ends a digit still in progress (stream stopped). */
  flush(): void {
    if (this.present) this.report();
    this.reset();
  }

  private reset(): void {
    this.candidate = null;
    this.hits = 0;
    this.present = false;
    this.misses = 0;
  }

  /** Returns the digit whose two tones dominate the current window, or null. */
  private analyse(): DtmfDigit | null {
    const energy = this.bank.run(this.ring, this.writePos, this.window);
    const p = this.bank.power;
    const row = argmax(p, 0, 4);
    const col = argmax(p, 4, 8);
    const rowPower = p[row];
    const colPower = p[col];
    const n = this.window;
    // A sine of amplitude A at the filter frequency gives |X|² = (A·N/2)².
    const minPower = (this.minAmplitude * n) ** 2 / 4;
    if (rowPower < minPower || colPower < minPower) return null;
    if (colPower > rowPower * this.normalTwist || rowPower > colPower * this.reverseTwist) return null;
    for (let k = 0; k < 4; k++) {
      if (k !== row && p[k] * this.relativePeak > rowPower) return null;
      if (k + 4 !== col && p[k + 4] * this.relativePeak > colPower) return null;
    }
    // Tone power A²/2 = 2|X|²/N²; mean square of the window = energy/N.
    if ((2 * (rowPower + colPower)) / (n * energy) < TONE_TO_TOTAL) return null;
    return KEYPAD[row][col - 4];
  }

  private onWindow(digit: DtmfDigit | null): void {
    this.windowIndex++;
    if (this.present) {
      if (digit === this.candidate) {
        this.misses = 0;
        this.lastHitWindow = this.windowIndex;
        return;
      }
      if (++this.misses < MISSES_TO_END && digit === null) return;
      this.report();
      this.reset();
    }
    if (digit === null || digit !== this.candidate) {
      this.candidate = digit;
      this.hits = digit === null ? 0 : 1;
      this.firstHitWindow = this.windowIndex;
    } else {
      this.hits++;
    }
    this.lastHitWindow = this.windowIndex;
    if (this.candidate !== null && this.hits >= this.minHits) {
      this.present = true;
      this.misses = 0;
      this.options.onBegin?.(this.candidate);
    }
  }

  private report(): void {
    const samples = (this.lastHitWindow - this.firstHitWindow) * this.hop + this.window;
    const durationMs = Math.round((samples * 1000) / this.sampleRate);
    this.options.onDigit({ digit: this.candidate as DtmfDigit, durationMs, source: 'inband' });
  }
}

function argmax(values: Float64Array, from: number, to: number): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (values[i] > values[best]) best = i;
  return best;
}
