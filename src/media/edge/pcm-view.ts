// A scratch PCM buffer handed out as views of the requested length. Views are cached by length
// (a call's packets nearly always carry the same number of samples), so the packet path does
// not allocate a new typed-array view per packet.
export class PcmScratch {
  readonly buffer: Int16Array;
  private lastLength = -1;
  private lastView: Int16Array;

  constructor(capacity: number) {
    this.buffer = new Int16Array(capacity);
    this.lastView = this.buffer.subarray(0, 0);
  }

  /** The first `n` samples of the buffer (the same view object while `n` does not change). */
  view(n: number): Int16Array {
    if (n !== this.lastLength) {
      this.lastLength = n;
      this.lastView = this.buffer.subarray(0, n);
    }
    return this.lastView;
  }
}
