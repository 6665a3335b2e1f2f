// A SIP leg of a call: an RTP edge leg (the phone's UDP port pair, latching, SSRC rewrite, DTMF,
// recording, prompts) and, once something needs the call's router, its router side — a PlainTransport
// the edge relays to over loopback, where a Producer with the edge leg's fixed SSRC carries the phone's
// audio and Consumers carry what it hears. A leg that only talks to another SIP leg (relayed directly
// by the edge) or only hears prompts never gets a router side: no mediasoup work for the common call.
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
  /** The call's router, created on first use (the first leg that goes on it). */
  router: () => Promise<ms.Router>;
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
  private readonly routedHandlers: ((producer: ms.Producer) => void)[] = [];
  /** The router side, once made: the PlainTransport the edge relays to and the phone's Producer on it. */
  private side: { transport: ms.PlainTransport; producer: ms.Producer } | null = null;
  private routing: Promise<ms.Producer> | null = null;

  private constructor(
    readonly id: string,
    readonly role: LegRole,
    private readonly ctx: SipLegContext,
    readonly edgeLeg: RtpEdgeLeg,
    private readonly producerSsrc: number,
    latch: boolean,
  ) {
    this.latch = latch;
    // Either half gone (edge thread died, router closed with its worker) ends the leg; the
    // call then stops a recording on it and closes the rest, in that order.
    edgeLeg.on('closed', () => this.lost());
  }

  /** The phone's audio on the call's router; null until the leg is routed. */
  get producer(): ms.Producer | null {
    return this.side?.producer ?? null;
  }

  get transport(): ms.PlainTransport | null {
    return this.side?.transport ?? null;
  }

  get isRouted(): boolean {
    return this.side !== null;
  }

  /** Called once with the Producer when the leg goes on the router. */
  onRouted(fn: (producer: ms.Producer) => void): void {
    if (this.side) fn(this.side.producer);
    else this.routedHandlers.push(fn);
  }

  /** Puts the leg on the call's router (once; concurrent callers share the work) and returns its Producer. */
  route(): Promise<ms.Producer> {
    if (this.side) return Promise.resolve(this.side.producer);
    this.routing ??= this.attach().finally(() => {
      this.routing = null;
    });
    return this.routing;
  }

  private async attach(): Promise<ms.Producer> {
    const gone = (): CcboxError => new CcboxError('CCBOX_ERR_CONFLICT', `leg ${this.id} is closed`);
    if (this.isClosed) throw gone();
    const { pool, law, relayIp } = this.ctx;
    const router = await this.ctx.router();
    let transport: ms.PlainTransport | undefined;
    try {
      transport = await pool.request('createPlainTransport', router.createPlainTransport({
        listenInfo: pool.listenInfo(relayIp), rtcpMux: true, comedia: false, appData: { legId: this.id },
      }));
      if (this.isClosed) throw gone();
      await pool.request('transport.connect', transport.connect({ ip: relayIp, port: this.edgeLeg.relayPort }));
      const producer = await pool.request('produce', transport.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: MIME[law], payloadType: PAYLOAD_TYPE[law], clockRate: 8000 }],
          encodings: [{ ssrc: this.producerSsrc }],
        },
        appData: { legId: this.id },
      }));
      if (this.isClosed) throw gone();
      await this.edgeLeg.setRelay({ address: transport.tuple.localAddress ?? relayIp, port: transport.tuple.localPort });
      this.side = { transport, producer };
      transport.observer.once('close', () => this.lost());
    } catch (err) {
      if (transport && !transport.closed) transport.close();
      throw err;
    }
    const producer = this.side.producer;
    for (const fn of this.routedHandlers.splice(0)) fn(producer);
    return producer;
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
    const leg = new SipLeg(init.id, init.role, ctx, edgeLeg, producerSsrc, init.latch);
    if (offer) {
      const answered = answerOffer(offer, leg.localSpec(), leg.origin, init.latch);
      leg.peerHeld = answered.held;
      return { leg, sdp: answered.sdp, type: 'answer' };
    }
    leg.awaitingAnswer = true;
    return { leg, sdp: buildLegOffer(leg.localSpec(), leg.origin), type: 'offer' };
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
    const { pool } = this.ctx;
    await this.route();
    const { transport } = this.side!;
    const router = await this.ctx.router();
    const consumer = await pool.request('consume', transport.consume({
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
      const side = this.side;
      if (side && !side.transport.closed) side.transport.close();
      this.lost();
    }
  }
}
