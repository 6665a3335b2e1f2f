// A SIP leg of a call: an RTP edge leg (the phone's UDP port pair, latching, SSRC rewrite, DTMF,
// recording) relaying over loopback to a PlainTransport on the call's router, where a Producer
// with the edge leg's fixed SSRC carries the phone's audio and Consumers carry what it hears.
import { randomInt } from 'node:crypto';
import type { types as ms } from 'mediasoup';
import { CcboxError } from '../../platform/errors.ts';
import type { G711Law } from '../codec/index.ts';
import type { LegPlayOptions, PlayResult, RtpEdge, RtpEdgeLeg } from '../edge/index.ts';
import type { LegConsumer, LegRole, MediaLeg } from './media-types.ts';
import {
  SdpOrigin, answerOffer, buildLegOffer, negotiatedLaw, parseSdpOrThrow, readAnswer, type LocalMediaSpec, type PeerMedia,
} from './media-sdp.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

export interface SipLegContext {
  /** The call: its legs share an edge thread so the edge can relay between them directly. */
  callId?: string;
  pool: MediaWorkerPool;
  edge: RtpEdge;
  router: ms.Router;
  /** The call's law on the router (what the Producer speaks). */
  law: G711Law;
  announcedAddress: string;
  /** Loopback address of the PlainTransports and of the edge's relay sockets (the edge's relayAddress). */
  relayIp: string;
  deadMediaMs?: number;
  latchWindowMs?: number;
}

export interface SipLegInit {
  id: string;
  role: LegRole;
  /** The peer's offer, already parsed; null when we offer. */
  offer: string | null;
  /** Peer behind NAT: latch on its first packets after each offer/answer. */
  latch: boolean;
}

const PAYLOAD_TYPE: Record<G711Law, number> = { pcmu: 0, pcma: 8 };
const MIME: Record<G711Law, string> = { pcmu: 'audio/PCMU', pcma: 'audio/PCMA' };
const otherLaw = (law: G711Law): G711Law => (law === 'pcma' ? 'pcmu' : 'pcma');

export class SipLeg implements MediaLeg {
  readonly kind = 'sip' as const;
  /** Our SDP state: the o= line and whether an offer of ours awaits its answer. */
  readonly origin = new SdpOrigin();
  awaitingAnswer = false;
  /** The peer holds us (its last SDP). */
  peerHeld = false;
  private latch: boolean;
  private closing: Promise<void> | null = null;
  private notified = false;
  private readonly closeHandlers: (() => void)[] = [];

  private constructor(
    readonly id: string,
    readonly role: LegRole,
    private readonly ctx: SipLegContext,
    readonly edgeLeg: RtpEdgeLeg,
    readonly transport: ms.PlainTransport,
    readonly producer: ms.Producer,
    latch: boolean,
  ) {
    this.latch = latch;
    // Either half gone (edge thread died, router closed with its worker) ends the leg; the
    // call then stops a recording on it and closes the rest, in that order.
    edgeLeg.on('closed', () => this.lost());
    transport.observer.once('close', () => this.lost());
  }

  /** Which law an offer negotiates to, given the call's law (or none yet). */
  static lawForOffer(offer: string, callLaw: G711Law | null, preferred: G711Law): G711Law {
    const law = callLaw ?? preferred;
    return negotiatedLaw(parseSdpOrThrow(offer), [law, otherLaw(law)]);
  }

  /** Creates the leg and returns it with our answer (to `init.offer`) or our offer. */
  static async create(ctx: SipLegContext, init: SipLegInit): Promise<{ leg: SipLeg; sdp: string; type: 'answer' | 'offer' }> {
    const offer = init.offer === null ? null : parseSdpOrThrow(init.offer);
    const laws: G711Law[] = [ctx.law, otherLaw(ctx.law)];
    // Negotiate before binding anything, so an unacceptable offer leaves nothing behind.
    let peer: PeerMedia | null = null;
    if (offer) peer = answerOffer(offer, { address: ctx.announcedAddress, port: 0, laws }, new SdpOrigin(), init.latch);
    const producerSsrc = randomInt(1, 2 ** 32 - 1);
    const edgeLeg = await ctx.edge.createLeg({
      id: init.id,
      ...(ctx.callId !== undefined ? { group: ctx.callId } : {}),
      router: { law: ctx.law, payloadType: PAYLOAD_TYPE[ctx.law] },
      media: peer?.media ?? { law: ctx.law, audioPt: PAYLOAD_TYPE[ctx.law], telephoneEventPt: null },
      ...(peer ? { remote: peer.remote } : {}),
      producerSsrc,
      ...(ctx.deadMediaMs !== undefined ? { deadMediaMs: ctx.deadMediaMs } : {}),
      ...(ctx.latchWindowMs !== undefined ? { latchWindowMs: ctx.latchWindowMs } : {}),
    });
    let transport: ms.PlainTransport | undefined;
    try {
      const { pool, router } = ctx;
      transport = await pool.request('createPlainTransport', router.createPlainTransport({
        listenInfo: pool.listenInfo(ctx.relayIp), rtcpMux: true, comedia: false, appData: { legId: init.id },
      }));
      await pool.request('transport.connect', transport.connect({ ip: ctx.relayIp, port: edgeLeg.relayPort }));
      await edgeLeg.setRelay({ address: transport.tuple.localAddress ?? ctx.relayIp, port: transport.tuple.localPort });
      const producer = await pool.request('produce', transport.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: MIME[ctx.law], payloadType: PAYLOAD_TYPE[ctx.law], clockRate: 8000 }],
          encodings: [{ ssrc: producerSsrc }],
        },
        appData: { legId: init.id },
      }));
      const leg = new SipLeg(init.id, init.role, ctx, edgeLeg, transport, producer, init.latch);
      if (offer) {
        const answered = answerOffer(offer, leg.localSpec(), leg.origin, init.latch);
        leg.peerHeld = answered.held;
        return { leg, sdp: answered.sdp, type: 'answer' };
      }
      leg.awaitingAnswer = true;
      return { leg, sdp: buildLegOffer(leg.localSpec(), leg.origin), type: 'offer' };
    } catch (err) {
      transport?.close();
      await edgeLeg.close().catch(() => undefined);
      throw err;
    }
  }

  get isClosed(): boolean {
    return this.closing !== null || this.notified;
  }

  private localSpec(hold = false): LocalMediaSpec {
    return {
      address: this.ctx.announcedAddress, port: this.edgeLeg.localPort, laws: [this.ctx.law, otherLaw(this.ctx.law)],
      direction: hold ? 'sendonly' : 'sendrecv',
    };
  }

  /**
   * The peer's SDP: the answer to our pending offer, or a new offer (re-INVITE, UPDATE) that
   * we answer. Either way the edge learns the peer's address and codec and re-opens latching.
   */
  async applyRemoteSdp(text: string, options: { latch?: boolean } = {}): Promise<{ answer: string | null; held: boolean }> {
    if (options.latch !== undefined) this.latch = options.latch;
    const sdp = parseSdpOrThrow(text);
    if (this.awaitingAnswer) {
      const peer = readAnswer(sdp, this.latch);
      await this.edgeLeg.update({ ...peer.remote, ...peer.media });
      this.awaitingAnswer = false;
      this.peerHeld = peer.held;
      return { answer: null, held: peer.held };
    }
    const answered = answerOffer(sdp, this.localSpec(), this.origin, this.latch);
    await this.edgeLeg.update({ ...answered.remote, ...answered.media });
    this.peerHeld = answered.held;
    return { answer: answered.sdp, held: answered.held };
  }

  /** Our new offer (re-INVITE): `hold` offers sendonly (RFC 3264 8.4). */
  reoffer(hold = false): string {
    this.awaitingAnswer = true;
    return buildLegOffer(this.localSpec(hold), this.origin);
  }

  async consume(producer: ms.Producer): Promise<LegConsumer> {
    const { pool, router } = this.ctx;
    const consumer = await pool.request('consume', this.transport.consume({
      producerId: producer.id, rtpCapabilities: router.rtpCapabilities as ms.RtpCapabilities, paused: false,
    }));
    return {
      producerId: producer.id,
      pause: () => pool.request('consumer.pause', consumer.pause()),
      resume: () => pool.request('consumer.resume', consumer.resume()),
      close: () => consumer.close(),
    };
  }

  /** Whether the edge mixes every source towards this leg (whisper, barge, prompt over the call). */
  mixing = false;
  /** The leg this leg's audio is relayed to directly by the edge (no router hop), if any. */
  directTo: string | null = null;

  async setMixing(on: boolean): Promise<void> {
    await this.edgeLeg.setMixing(on);
    this.mixing = on;
  }

  /** Nothing on the router consumes this leg: the edge keeps its audio from the router. */
  routerIdle = false;

  async setRouterIdle(idle: boolean): Promise<void> {
    if (idle === this.routerIdle) return;
    await this.edgeLeg.setRouterIdle(idle);
    this.routerIdle = idle;
  }

  /** Relays this leg's audio straight to `peer` (a SIP leg of the same call) or, null, through the router. */
  async setDirect(peer: SipLeg | null): Promise<boolean> {
    const id = peer?.id ?? null;
    if (id === this.directTo) return true;
    const ok = await this.edgeLeg.setDirect(id);
    this.directTo = ok ? id : null;
    return ok;
  }

  setHold(on: boolean): Promise<void> {
    return this.edgeLeg.setHold(on);
  }

  play(frames: readonly Uint8Array[], options: LegPlayOptions): Promise<PlayResult> {
    return this.edgeLeg.playFrames(frames, options);
  }

  stopPlay(): Promise<void> {
    return this.edgeLeg.stopPlaying();
  }

  sendDtmf(digits: string): Promise<void> {
    return this.edgeLeg.sendDtmf(digits);
  }

  onClosed(fn: () => void): void {
    if (this.notified) fn();
    else this.closeHandlers.push(fn);
  }

  private lost(): void {
    if (this.notified) return;
    this.notified = true;
    for (const fn of this.closeHandlers.splice(0)) fn();
  }

  /** Frees the edge ports and the transport (a recording on the edge leg is finalized first). */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      if (!this.edgeLeg.isClosed) await this.edgeLeg.close();
    } catch (err) {
      if (!(err instanceof CcboxError)) throw err;
    } finally {
      if (!this.transport.closed) this.transport.close();
      this.lost();
    }
  }
}
