// Router → phone, plus what the edge generates for the phone (prompts, DTMF): every packet
// leaves on one continuous stream of the leg's own SSRC, with the leg's payload types and law.
// Relay audio passes through in place; when mixing is on (whisper, barge, prompt over the
// conversation), each source is decoded, summed with clipping and re-encoded every 20 ms.
import {
  ALAW_TO_ULAW, ULAW_TO_ALAW, createRtpHeader, decodeTable, g711DecodeRange, g711Encode, looksLikeRtcp, parseRtp,
  transcodeG711, transcodeG711Range, writeRtpFixedHeader, RTP_HEADER_SIZE, type G711Law,
} from '../codec/index.ts';
import { TELEPHONE_EVENT_SIZE, writeTelephoneEvent, type TelephoneEventPacket } from '../dtmf/index.ts';
import { FrameClock } from '../player/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { LegMedia, LegStats, RouterCodec } from './edge-types.ts';
import { PcmMixer } from './mixer.ts';
import { PcmScratch } from './pcm-view.ts';
import { StreamRebaser } from './rebaser.ts';

export interface OutboundSinks {
  /** Sends to the peer; false when there is no peer address yet. */
  toPhone(buf: Buffer, offset: number, length: number): boolean;
  /** Audio as the peer hears it (G.711 octets `buf[start, end)`, decode table of its law), for the recorder. */
  tap?: (table: Int16Array, buf: Uint8Array, start: number, end: number, arrivalMs: number, rtpTimestamp: number) => void;
}

export interface OutboundOptions {
  router: RouterCodec;
  media: LegMedia;
  phoneSsrc: number;
  initialSeq: number;
  initialTs: number;
  clock: Clock;
}

/** Keys of generated sources, above any SSRC so they never collide with relayed streams. */
export const PLAYER_SOURCE = 2 ** 32;
const MIX_SOURCE = 2 ** 32 + 1;
let nextGeneratedKey = 2 ** 32 + 16;
export function newGeneratedKey(): number {
  return nextGeneratedKey++;
}

/**
 * Generated packets are built in a small ring of buffers: dgram may still hold a buffer
 * after send() returns, and a slot is reused only after RING × 20 ms.
 */
const RING = 8;
const MAX_PACKET = 1500;

export type OutboundMode = 'relay' | 'player' | 'dtmf';

export class OutboundPath {
  /** Whose packets reach the phone when not mixing: relay audio, a prompt, or DTMF. */
  mode: OutboundMode = 'relay';
  private media: LegMedia;
  private readonly header = createRtpHeader();
  private readonly rebaser: StreamRebaser;
  private readonly ring = Array.from({ length: RING }, () => Buffer.alloc(MAX_PACKET));
  private ringPos = 0;
  private readonly pcm = new PcmScratch(MAX_PACKET);
  private mixer: PcmMixer | null = null;
  private readonly mixClock: FrameClock;
  private readonly mixOut = new Int16Array(160);

  constructor(private readonly options: OutboundOptions, private readonly sinks: OutboundSinks, private readonly stats: LegStats) {
    this.media = options.media;
    this.rebaser = new StreamRebaser(options.initialSeq, options.initialTs);
    this.mixClock = new FrameClock(options.clock);
  }

  setMedia(media: LegMedia): void {
    this.media = media;
  }

  /**
   * The path of relayed audio changed (direct relay on or off): the next relayed packet continues
   * the stream as a new source (sequence + 1, timestamp by elapsed time), so the silence of a
   * mute or hold in between is not seen as lost packets.
   */
  relayPathChanged(): void {
    this.rebaser.restart();
  }

  get mixing(): boolean {
    return this.mixer !== null;
  }

  setMixing(on: boolean): void {
    if (on === this.mixing) return;
    if (!on) {
      this.mixClock.stop();
      this.mixer = null;
      return;
    }
    const mixer = new PcmMixer();
    this.mixer = mixer;
    this.mixClock.start((slot) => {
      if (mixer.mix(this.mixOut) > 0 && this.mode !== 'dtmf') this.sendPcm(MIX_SOURCE, slot, this.mixOut);
      return true;
    });
  }

  /** A datagram from mediasoup (source already checked). */
  onRouterPacket(buf: Buffer, length: number, nowMs: number): void {
    if (looksLikeRtcp(buf, length)) return; // mediasoup's RTCP is consumed here
    const h = this.header;
    if (!parseRtp(buf, h, length) || h.payloadType !== this.options.router.payloadType) {
      this.stats.droppedFromRouter++;
      return;
    }
    this.relay(buf, h.payloadOffset, h.payloadLength, h.ssrc, h.sequenceNumber, h.timestamp, h.marker, nowMs);
  }

  /**
   * A packet relayed straight from another leg of the call (no router hop): already cleaned by
   * that leg's inbound path — a fixed 12-byte header at `offset` with the router's payload type
   * and law and that leg's producer SSRC.
   */
  onPeerPacket(buf: Buffer, offset: number, length: number, nowMs: number): void {
    const ssrc = ((buf[offset + 8] << 24) | (buf[offset + 9] << 16) | (buf[offset + 10] << 8) | buf[offset + 11]) >>> 0;
    const seq = (buf[offset + 2] << 8) | buf[offset + 3];
    const ts = ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0;
    this.relay(buf, offset + RTP_HEADER_SIZE, length - RTP_HEADER_SIZE, ssrc, seq, ts, (buf[offset + 1] & 0x80) !== 0, nowMs);
  }

  /** Relay audio of one source towards the phone, rewritten in place onto the leg's stream. */
  private relay(buf: Buffer, payloadOffset: number, payloadLength: number, ssrc: number, seq: number, ts: number, marker: boolean, nowMs: number): void {
    this.stats.rtpFromRouter++;
    const payloadEnd = payloadOffset + payloadLength;
    if (this.mixer) {
      const n = g711DecodeRange(this.options.router.law, buf, payloadOffset, payloadEnd, this.pcm.buffer);
      this.mixer.push(ssrc, this.pcm.view(n));
      return;
    }
    if (this.mode !== 'relay') return; // a prompt or DTMF has the line
    if (this.media.law !== this.options.router.law) {
      transcodeG711Range(this.media.law === 'pcma' ? ULAW_TO_ALAW : ALAW_TO_ULAW, buf, payloadOffset, payloadEnd);
    }
    const r = this.rebaser;
    r.map(ssrc, seq, ts, nowMs, payloadLength);
    const start = payloadOffset - RTP_HEADER_SIZE;
    writeRtpFixedHeader(buf, start, this.media.audioPt, marker || r.marker, r.seq, r.timestamp, this.options.phoneSsrc);
    this.tap(buf, payloadOffset, payloadLength, nowMs);
    this.send(buf, start, RTP_HEADER_SIZE + payloadLength);
  }

  /** A prompt frame (G.711 in `law`) from the player; `key` is unique per playback. */
  sendPlayerFrame(key: number, frame: Uint8Array, law: G711Law, slot: number, nowMs: number): void {
    if (this.mixer) {
      const n = g711DecodeRange(law, frame, 0, frame.length, this.pcm.buffer);
      this.mixer.push(PLAYER_SOURCE, this.pcm.view(n));
      return;
    }
    if (this.mode === 'player') this.sendFrame(key, slot, frame, law, nowMs);
  }

  get legLaw(): G711Law {
    return this.media.law;
  }

  get telephoneEventPt(): number | null {
    return this.media.telephoneEventPt;
  }

  /** A generated audio frame in `law` under source `key` (in-band DTMF, prompts). */
  sendFrame(key: number, slot: number, frame: Uint8Array, law: G711Law, nowMs: number): void {
    const buf = this.nextBuffer();
    const payload = buf.subarray(RTP_HEADER_SIZE, RTP_HEADER_SIZE + frame.length);
    if (law === this.media.law) payload.set(frame);
    else transcodeG711(law === 'pcma' ? ALAW_TO_ULAW : ULAW_TO_ALAW, frame, payload);
    const r = this.rebaser;
    r.map(key, slot, slot * frame.length, nowMs, frame.length);
    writeRtpFixedHeader(buf, 0, this.media.audioPt, r.marker, r.seq, r.timestamp, this.options.phoneSsrc);
    this.tap(buf, RTP_HEADER_SIZE, frame.length, nowMs);
    this.send(buf, 0, RTP_HEADER_SIZE + frame.length);
  }

  /** One RFC 4733 packet of an event (`key` is unique per event). */
  sendTelephoneEvent(key: number, index: number, p: TelephoneEventPacket, nowMs: number): boolean {
    const pt = this.media.telephoneEventPt;
    if (pt === null) return false;
    const buf = this.nextBuffer();
    const r = this.rebaser;
    // All packets of an event carry its start timestamp; the duration carries the timeline on.
    r.map(key, index, p.timestampOffset, nowMs, p.duration);
    writeRtpFixedHeader(buf, 0, pt, p.marker || r.marker, r.seq, r.timestamp, this.options.phoneSsrc);
    writeTelephoneEvent(buf, RTP_HEADER_SIZE, p);
    this.send(buf, 0, RTP_HEADER_SIZE + TELEPHONE_EVENT_SIZE);
    return true;
  }

  close(): void {
    this.mixClock.stop();
    this.mixer = null;
  }

  private sendPcm(key: number, slot: number, pcm: Int16Array): void {
    const buf = this.nextBuffer();
    const payload = buf.subarray(RTP_HEADER_SIZE, RTP_HEADER_SIZE + pcm.length);
    g711Encode(this.media.law, pcm, payload);
    const nowMs = this.options.clock.monotonic();
    const r = this.rebaser;
    r.map(key, slot, slot * pcm.length, nowMs, pcm.length);
    writeRtpFixedHeader(buf, 0, this.media.audioPt, r.marker, r.seq, r.timestamp, this.options.phoneSsrc);
    this.tap(buf, RTP_HEADER_SIZE, pcm.length, nowMs);
    this.send(buf, 0, RTP_HEADER_SIZE + pcm.length);
  }

  private tap(buf: Uint8Array, payloadOffset: number, payloadLength: number, nowMs: number): void {
    this.sinks.tap?.(decodeTable(this.media.law), buf, payloadOffset, payloadOffset + payloadLength, nowMs, this.rebaser.timestamp);
  }

  private nextBuffer(): Buffer {
    const buf = this.ring[this.ringPos];
    this.ringPos = (this.ringPos + 1) % RING;
    return buf;
  }

  private send(buf: Buffer, offset: number, length: number): void {
    if (this.sinks.toPhone(buf, offset, length)) this.stats.rtpToPhone++;
    else this.stats.droppedNoRemote++;
  }
}
