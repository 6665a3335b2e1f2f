// Per-stream RFC 4733 telephone-event receiver: turns the packet stream of one RTP source
// into one report per key press, surviving lost start packets, lost or repeated end packets
// and long (segmented) events.
import type { DtmfDigit, Rfc4733ReceiverOptions, TelephoneEventPayload } from './dtmf-types.ts';
import { eventToDigit } from './digits.ts';
import { createTelephoneEvent, parseTelephoneEvent } from './telephone-event.ts';

type ReceiverState = 'idle' | 'active' | 'ended';

const ALLOWED: Record<ReceiverState, readonly ReceiverState[]> = {
  idle: ['active'],
  active: ['ended', 'idle'],
  ended: ['active', 'idle'],
};

/** After this long without packets, an ended event's timestamp no longer shields stale packets. */
const FORGET_AFTER_MS = 2000;
const MAX_SEGMENT = 0xffff;

function tsDelta(a: number, b: number): number {
  return (a - b) | 0;
}

export class Rfc4733Receiver {
  private state: ReceiverState = 'idle';
  private digit: DtmfDigit = '0';
  private code = -1;
  /** RTP timestamp of the current segment — RFC 4733 2.5.1.2: all packets of an event carry the event's start time. */
  private segmentTs = 0;
  private segmentDuration = 0;
  /** Sum of earlier segments of a long event (RFC 4733 2.5.1.3). */
  private priorDuration = 0;
  private lastPacketAt = 0;
  private readonly payload: TelephoneEventPayload = createTelephoneEvent();
  private readonly clockRate: number;
  private readonly endTimeoutMs: number;
  private readonly segmentTolerance: number;

  constructor(private readonly options: Rfc4733ReceiverOptions) {
    this.clockRate = options.clockRate ?? 8000;
    this.endTimeoutMs = options.endTimeoutMs ?? 400;
    this.segmentTolerance = this.clockRate / 10;
  }

  get currentState(): ReceiverState {
    return this.state;
  }

  /** Feeds one telephone-event RTP packet (payload at `offset`, `length` bytes). */
  onPacket(timestamp: number, marker: boolean, buf: Uint8Array, offset: number, length: number, nowMs: number): void {
    const p = this.payload;
    if (!parseTelephoneEvent(buf, offset, length, p)) return;
    const digit = eventToDigit(p.event);
    if (!digit) return; // flash and fax events are not key presses
    if (this.state === 'ended' && nowMs - this.lastPacketAt > FORGET_AFTER_MS) this.transition('idle');
    this.lastPacketAt = nowMs;
    if (this.state !== 'idle') {
      const delta = tsDelta(timestamp, this.segmentTs);
      if (delta === 0 && p.event === this.code) {
        // RFC 4733 2.5.1.4: "The final packet for each event and for each segment SHOULD be
        // sent a total of three times" — repeats of a reported end change nothing.
        if (this.state === 'ended') return;
        if (p.duration > this.segmentDuration) this.segmentDuration = p.duration;
        if (p.end) this.finish();
        return;
      }
      if (delta < 0) return; // a late packet of an older event
      if (this.state === 'active' && this.isNextSegment(delta, p.event, marker)) {
        this.priorDuration += delta;
        this.segmentTs = timestamp;
        this.segmentDuration = p.duration;
        if (p.end) this.finish();
        return;
      }
      // All end packets of the previous event were lost: the next event closes it.
      if (this.state === 'active') this.finish();
    }
    this.begin(digit, timestamp, p);
  }

  /** Ends an event whose end packets never came (call every few hundred ms). */
  tick(nowMs: number): void {
    if (this.state === 'active' && nowMs - this.lastPacketAt >= this.endTimeoutMs) this.finish();
    else if (this.state === 'ended' && nowMs - this.lastPacketAt > FORGET_AFTER_MS) this.transition('idle');
  }

  /** Forgets the stream (e.g. a new offer/answer changed the payload type). */
  reset(): void {
    if (this.state !== 'idle') this.transition('idle');
  }

  private begin(digit: DtmfDigit, timestamp: number, p: TelephoneEventPayload): void {
    this.transition('active');
    this.digit = digit;
    this.code = p.event;
    this.segmentTs = timestamp;
    this.segmentDuration = p.duration;
    this.priorDuration = 0;
    this.options.onBegin?.(digit);
    // Start packets lost, only the end packets arrived: still one key press.
    if (p.end) this.finish();
  }

  /**
   * RFC 4733 2.5.1.3: an event longer than the 16-bit duration field is sent as segments;
   * each new segment starts where the previous one ended, with the same event code and no
   * marker bit. Such a packet continues the event instead of starting a new one.
   */
  private isNextSegment(delta: number, event: number, marker: boolean): boolean {
    return !marker && event === this.code && Math.abs(delta - MAX_SEGMENT) <= this.segmentTolerance;
  }

  private finish(): void {
    this.transition('ended');
    const samples = this.priorDuration + this.segmentDuration;
    this.options.onDigit({ digit: this.digit, durationMs: Math.round((samples * 1000) / this.clockRate), source: 'rfc2833' });
  }

  private transition(to: ReceiverState): void {
    if (!ALLOWED[this.state].includes(to)) throw new Error(`RFC 4733 receiver: illegal move ${this.state} → ${to}`);
    this.state = to;
  }
}
