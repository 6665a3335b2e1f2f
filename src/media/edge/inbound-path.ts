// Phone → router: latch check, RTP validation, telephone-event lifted out (detected, never
// forwarded — mediasoup Consumers drop it anyway), SSRC learned and rewritten to the
// producer's fixed one with sequence/timestamp re-based, payload type mapped, A-law ↔ µ-law
// by table, taps for the recorder and in-band DTMF detection. Packets are rewritten in place.
import {
  ALAW_TO_ULAW, ULAW_TO_ALAW, createRtpHeader, decodeTable, g711DecodeRange, looksLikeRtcp, parseRtp, transcodeG711Range,
  writeRtpFixedHeader, RTP_HEADER_SIZE,
} from '../codec/index.ts';
import { InbandDtmfDetector, Rfc4733Receiver, type DtmfDigit, type DtmfEvent } from '../dtmf/index.ts';
import type { LegMedia, LegStats, RelayTarget, RemoteMedia, RouterCodec } from './edge-types.ts';
import { RemoteLatch } from './latch.ts';
import { PcmScratch } from './pcm-view.ts';
import { StreamRebaser } from './rebaser.ts';

/** Where a cleaned packet went: nowhere (no relay yet), to the router, or straight to another leg. */
export const FORWARD_NONE = 0;
export const FORWARD_ROUTER = 1;
export const FORWARD_PEER = 2;
/** Held back: nothing on the router consumes the leg's audio. */
export const FORWARD_UNCONSUMED = 3;
export type ForwardResult = typeof FORWARD_NONE | typeof FORWARD_ROUTER | typeof FORWARD_PEER | typeof FORWARD_UNCONSUMED;

export interface InboundSinks {
  /** The cleaned packet (router SSRC, payload type and law) at `buf[offset, offset + length)`. */
  toRouter(buf: Buffer, offset: number, length: number): ForwardResult;
  onDtmf(event: DtmfEvent): void;
  onDtmfBegin(digit: DtmfDigit, source: DtmfEvent['source']): void;
  onSsrcChange(from: number, to: number): void;
  onLatched(target: RelayTarget): void;
  onRtcp(buf: Buffer, length: number): void;
  /** Audio from the peer as it came (G.711 octets `buf[start, end)`, decode table of its law), for the recorder. */
  tap?: (table: Int16Array, buf: Uint8Array, start: number, end: number, arrivalMs: number, rtpTimestamp: number) => void;
}

export interface InboundOptions {
  router: RouterCodec;
  media: LegMedia;
  producerSsrc: number;
  initialSeq: number;
  initialTs: number;
  latchWindowMs: number;
  /** null = automatic: in-band detection when telephone-event is not negotiated. */
  inbandDtmf: boolean | null;
}

const MAX_FRAME = 1500;

export class InboundPath {
  readonly latch: RemoteLatch;
  lastRtpAtMs = -1;
  private media: LegMedia;
  private readonly header = createRtpHeader();
  private readonly rebaser: StreamRebaser;
  private readonly receiver: Rfc4733Receiver;
  private inband: InbandDtmfDetector | null = null;
  private readonly pcm = new PcmScratch(MAX_FRAME);

  constructor(private readonly options: InboundOptions, private readonly sinks: InboundSinks, private readonly stats: LegStats) {
    this.media = options.media;
    this.rebaser = new StreamRebaser(options.initialSeq, options.initialTs);
    this.latch = new RemoteLatch(options.latchWindowMs, (t) => {
      stats.latched = t;
      sinks.onLatched(t);
    });
    this.receiver = new Rfc4733Receiver({
      onDigit: (e) => sinks.onDtmf(e),
      onBegin: (digit) => sinks.onDtmfBegin(digit, 'rfc2833'),
    });
    this.updateInband();
  }

  /** Applies an offer/answer: the peer's address, codec and latching rule. */
  configure(remote: RemoteMedia | null, nowMs: number): void {
    if (remote) {
      const { law = this.media.law, audioPt = this.media.audioPt } = remote;
      const telephoneEventPt = remote.telephoneEventPt === undefined ? this.media.telephoneEventPt : remote.telephoneEventPt;
      if (telephoneEventPt !== this.media.telephoneEventPt) this.receiver.reset();
      this.media = { law, audioPt, telephoneEventPt };
      this.updateInband();
    }
    this.latch.configure(remote && { address: remote.address, port: remote.port, latch: remote.latch ?? false }, nowMs);
  }

  get legMedia(): LegMedia {
    return this.media;
  }

  private updateInband(): void {
    const on = this.options.inbandDtmf ?? this.media.telephoneEventPt === null;
    if (on && !this.inband) {
      this.inband = new InbandDtmfDetector({
        onDigit: (e) => this.sinks.onDtmf(e),
        onBegin: (digit) => this.sinks.onDtmfBegin(digit, 'inband'),
      });
    } else if (!on) {
      this.inband = null;
    }
  }

  /** Handles one datagram from the peer's RTP port. */
  onPacket(buf: Buffer, length: number, address: string, port: number, nowMs: number): void {
    if (looksLikeRtcp(buf, length)) {
      // RFC 5761 rtcp-mux from the peer: consumed like RTCP on the odd port.
      if (this.latch.isCurrent(address, port)) this.sinks.onRtcp(buf, length);
      else this.stats.droppedForeign++;
      return;
    }
    const h = this.header;
    if (!parseRtp(buf, h, length)) {
      this.stats.droppedMalformed++;
      return;
    }
    if (!this.latch.accept(address, port, nowMs)) {
      this.stats.droppedForeign++;
      return;
    }
    this.stats.rtpIn++;
    this.stats.rtpBytesIn += length;
    this.lastRtpAtMs = nowMs;
    this.trackSsrc(h.ssrc);
    if (h.payloadType === this.media.telephoneEventPt) {
      this.stats.dtmfPacketsIn++;
      this.receiver.onPacket(h.timestamp, h.marker, buf, h.payloadOffset, h.payloadLength, nowMs);
      return;
    }
    if (h.payloadType !== this.media.audioPt) {
      this.stats.droppedUnknownPt++; // comfort noise, other codecs: nothing mediasoup expects
      return;
    }
    this.rebaser.map(h.ssrc, h.sequenceNumber, h.timestamp, nowMs, h.payloadLength); // G.711: one octet per sample
    this.listen(buf, nowMs);
    this.forward(buf);
  }

  private trackSsrc(ssrc: number): void {
    const previous = this.stats.remoteSsrc;
    if (previous === ssrc) return;
    this.stats.remoteSsrc = ssrc;
    if (previous === null) return;
    this.stats.ssrcChanges++;
    if (this.receiver.currentState === 'ended') this.receiver.reset();
    this.sinks.onSsrcChange(previous, ssrc);
  }

  private listen(buf: Buffer, nowMs: number): void {
    const h = this.header;
    const end = h.payloadOffset + h.payloadLength;
    this.sinks.tap?.(decodeTable(this.media.law), buf, h.payloadOffset, end, nowMs, this.rebaser.timestamp);
    if (this.inband) {
      const n = g711DecodeRange(this.media.law, buf, h.payloadOffset, end, this.pcm.buffer);
      this.inband.process(this.pcm.view(n));
    }
  }

  private forward(buf: Buffer): void {
    const h = this.header;
    const { router } = this.options;
    if (this.media.law !== router.law) {
      transcodeG711Range(this.media.law === 'pcma' ? ALAW_TO_ULAW : ULAW_TO_ALAW, buf, h.payloadOffset, h.payloadOffset + h.payloadLength);
    }
    // A fresh fixed header right before the payload drops the peer's CSRCs and header
    // extensions, whose ids could collide with the ones mediasoup negotiated.
    const start = h.payloadOffset - RTP_HEADER_SIZE;
    const r = this.rebaser;
    writeRtpFixedHeader(buf, start, router.payloadType, h.marker || r.marker, r.seq, r.timestamp, this.options.producerSsrc);
    const sent = this.sinks.toRouter(buf, start, RTP_HEADER_SIZE + h.payloadLength);
    if (sent === FORWARD_ROUTER) this.stats.rtpToRouter++;
    else if (sent === FORWARD_PEER) this.stats.rtpToPeer++;
    else if (sent === FORWARD_UNCONSUMED) this.stats.droppedUnconsumed++;
    else this.stats.droppedNoRelay++;
  }

  /** Ends RFC 4733 events whose end packets were lost. */
  tick(nowMs: number): void {
    this.receiver.tick(nowMs);
  }
}
