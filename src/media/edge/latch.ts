// Strict latching of the peer's media address. Packets are accepted only from the address
// signalled in SDP or — for a peer behind NAT — from the first source seen within a short
// window after each offer/answer. Anything else is dropped and counted: accepting RTP from
// whoever sends it later is the "RTP Bleed" attack (media of the call leaks to the attacker
// once our reply follows the new source).
import type { RelayTarget } from './edge-types.ts';

export interface LatchConfig {
  address: string;
  port: number;
  /** Allow latching on another source in the window (peer behind NAT). */
  latch: boolean;
}

export class RemoteLatch {
  private expected: LatchConfig | null = null;
  private current: RelayTarget | null = null;
  private windowEnd = 0;
  /** NAT mode: the first packet after an offer/answer (within the window) sets the source. */
  private relatch = false;
  private rtcpSource: RelayTarget | null = null;
  dropped = 0;

  constructor(private readonly windowMs: number, private readonly onLatched: (t: RelayTarget) => void) {}

  /** Called on each offer/answer; re-opens the latch window when NAT latching is allowed. */
  configure(config: LatchConfig | null, nowMs: number): void {
    const same = config && this.expected && config.address === this.expected.address && config.port === this.expected.port;
    this.expected = config;
    this.windowEnd = config?.latch ? nowMs + this.windowMs : nowMs;
    this.relatch = config?.latch ?? false;
    this.rtcpSource = null;
    // A new signalled address forgets the old source. Behind NAT the old source stays the
    // destination until the first packet after this answer shows where the peer is now.
    if (!same && !config?.latch) this.current = null;
  }

  get latched(): RelayTarget | null {
    return this.current;
  }

  /** Where to send media to the peer: the latched source, else the signalled address. */
  get destination(): RelayTarget | null {
    return this.current ?? this.expected;
  }

  /** Decides on one RTP packet's source. */
  accept(address: string, port: number, nowMs: number): boolean {
    const inWindow = nowMs <= this.windowEnd;
    if (this.relatch && inWindow) {
      this.relatch = false;
      return this.latchTo(address, port);
    }
    const cur = this.current;
    if (cur && cur.port === port && cur.address === address) return true;
    // The signalled address is always acceptable until something is latched, and may take
    // over from a NAT-latched source only inside the window.
    if (this.isExpected(address, port) && (!cur || inWindow)) return this.latchTo(address, port);
    return this.drop();
  }

  /** True for the latched RTP source itself (RFC 5761 rtcp-mux packets on the RTP port). */
  isCurrent(address: string, port: number): boolean {
    const cur = this.current;
    return cur !== null && cur.port === port && cur.address === address ? true : this.drop();
  }

  /**
   * RTCP on the odd port comes from the peer's host: from RTP port + 1 (RFC 3550 11) or,
   * behind NAT, from whatever port its first RTCP packet shows; that source is then latched.
   */
  acceptRtcp(address: string, port: number): boolean {
    const known = this.rtcpSource;
    if (known) return known.port === port && known.address === address ? true : this.drop();
    const rtp = this.current ?? this.expected;
    if (!rtp || rtp.address !== address) return this.drop();
    if (!this.expected?.latch && port !== rtp.port + 1) return this.drop();
    this.rtcpSource = { address, port };
    return true;
  }

  private latchTo(address: string, port: number): true {
    const cur = this.current;
    if (!cur || cur.address !== address || cur.port !== port) {
      this.current = { address, port };
      this.onLatched(this.current);
    }
    return true;
  }

  private isExpected(address: string, port: number): boolean {
    return this.expected !== null && this.expected.port === port && this.expected.address === address;
  }

  private drop(): false {
    this.dropped++;
    return false;
  }
}
