// Allocates RTP/RTCP port pairs from the edge range, in the main thread. RTP takes the even
// port and RTCP the next one (RFC 3550 11: "RTP SHOULD use an even destination port number
// and the corresponding RTCP stream SHOULD use the next higher (odd) destination port").
// Ports are handed out round-robin so a freed pair is not reused at once (late packets of
// the previous call must not reach the next one).
import type { PortRange } from './edge-types.ts';

export class PortAllocator {
  private readonly inUse = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private cursor: number;

  constructor(range: PortRange) {
    this.first = range.min % 2 === 0 ? range.min : range.min + 1;
    // The RTCP port of the last pair must stay inside the range.
    this.last = range.max % 2 === 0 ? range.max - 2 : range.max - 1;
    if (this.last < this.first) throw new RangeError(`port range ${range.min}-${range.max} holds no RTP/RTCP pair`);
    this.cursor = this.first;
  }

  get capacity(): number {
    return (this.last - this.first) / 2 + 1;
  }

  get used(): number {
    return this.inUse.size;
  }

  /** The next free even port, or null when the range is exhausted. */
  allocate(): number | null {
    for (let i = 0; i < this.capacity; i++) {
      const port = this.cursor;
      this.cursor = port >= this.last ? this.first : port + 2;
      if (!this.inUse.has(port)) {
        this.inUse.add(port);
        return port;
      }
    }
    return null;
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}
