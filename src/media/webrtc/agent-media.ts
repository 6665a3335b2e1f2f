// One browser agent's media while the workbench is online: a router on the WebRtcServer's worker,
// the agent's send and receive WebRtcTransports (mediasoup-client transports are one-way, so
// "one transport per agent" is one pair on the single WebRtcServer port), the microphone's
// Producers (one per G.711 law in use) and the sources offered to the browser by calls.
import type { types as ms } from 'mediasoup';
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { G711Law } from '../codec/index.ts';
import type { LegConsumer } from '../core/index.ts';
import type { AgentMediaEvents, ConsumerParams, TransportDirection, TransportParams } from './webrtc-types.ts';

export type MediaRequest = <T>(what: string, work: Promise<T>) => Promise<T>;

/** A source a call offers to the browser: the browser consumes it, then says it is ready (`resume`). */
interface Offer {
  producerId: string;
  callId: string | null;
  legId: string | null;
  consumer: ms.Consumer | null;
  /** The browser has its side of the consumer (it sent `resume`). */
  clientReady: boolean;
  /** The call wants this source paused (hold). */
  wantPaused: boolean;
  closed: boolean;
  chain: Promise<void>;
}

interface ProducerWaiter {
  law: G711Law;
  resolve: (p: ms.Producer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const LAW_OF_MIME: Record<string, G711Law> = { 'audio/pcmu': 'pcmu', 'audio/pcma': 'pcma' };

export function lawOfRtpParameters(rtp: ms.RtpParameters): G711Law | null {
  const mime = rtp.codecs?.[0]?.mimeType?.toLowerCase() ?? '';
  return LAW_OF_MIME[mime] ?? null;
}

export class AgentMedia extends TypedEmitter<AgentMediaEvents> {
  private readonly transports = new Map<string, { transport: ms.WebRtcTransport; direction: TransportDirection }>();
  private readonly producers = new Map<string, ms.Producer>();
  private readonly offers = new Map<string, Offer>();
  private readonly waiters: ProducerWaiter[] = [];
  private clientCaps: ms.RtpCapabilities | null = null;
  private closeReason: string | null = null;

  constructor(
    readonly agentId: number,
    readonly router: ms.Router,
    private readonly server: ms.WebRtcServer,
    private readonly request: MediaRequest,
    private readonly log?: Logger,
  ) {
    super();
    router.on('workerclose', () => this.ended('media-worker-died'));
    router.observer.once('close', () => this.ended('router-closed'));
  }

  get closed(): boolean {
    return this.closeReason !== null;
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities as ms.RtpCapabilities;
  }

  private assertOpen(): void {
    if (this.closeReason !== null) throw new CcboxError('CCBOX_ERR_CONFLICT', `the agent's media is closed (${this.closeReason})`);
  }

  private transportOf(id: string, direction?: TransportDirection): ms.WebRtcTransport {
    const t = this.transports.get(id);
    if (!t || (direction && t.direction !== direction)) {
      throw new CcboxError('CCBOX_ERR_NOT_FOUND', `no ${direction ?? ''} transport ${id}`.replace('  ', ' '), { field: 'transportId' });
    }
    return t.transport;
  }

  transportIds(): { id: string; direction: TransportDirection }[] {
    return [...this.transports.entries()].map(([id, t]) => ({ id, direction: t.direction }));
  }

  // ---- transports ----

  /** A new transport of `direction`; one the browser had before (page reloaded) is replaced. */
  async createTransport(direction: TransportDirection): Promise<TransportParams> {
    this.assertOpen();
    for (const t of [...this.transports.values()]) if (t.direction === direction) t.transport.close();
    const transport = await this.request('createWebRtcTransport', this.router.createWebRtcTransport({
      webRtcServer: this.server, enableUdp: true, enableTcp: true, preferUdp: true, appData: { agentId: this.agentId, direction },
    }));
    if (this.closed) {
      transport.close();
      this.assertOpen();
    }
    this.transports.set(transport.id, { transport, direction });
    transport.on('icestatechange', (state) => this.log?.debug({ agentId: this.agentId, transportId: transport.id, state }, 'agent ICE state'));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') this.log?.warn({ agentId: this.agentId, transportId: transport.id, state }, 'agent DTLS ended');
    });
    transport.observer.once('close', () => {
      if (this.transports.get(transport.id)?.transport !== transport) return;
      this.transports.delete(transport.id);
      if (!this.closed) this.safeEmit('transportClosed', { transportId: transport.id, direction });
    });
    return {
      id: transport.id, direction, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    this.assertOpen();
    await this.request('transport.connect', this.transportOf(transportId).connect({ dtlsParameters }));
  }

  /** New ICE credentials (the browser's network changed): the DTLS session and the media go on. */
  async restartIce(transportId: string): Promise<ms.IceParameters> {
    this.assertOpen();
    return this.request('transport.restartIce', this.transportOf(transportId).restartIce());
  }

  // ---- the microphone ----

  /** The browser's microphone; G.711 only, so it bridges to SIP legs without transcoding. */
  async produce(transportId: string, kind: ms.MediaKind, rtpParameters: ms.RtpParameters): Promise<ms.Producer> {
    this.assertOpen();
    const transport = this.transportOf(transportId, 'send');
    if (kind !== 'audio') throw new CcboxError('CCBOX_ERR_VALIDATION', 'only audio can be produced', { field: 'kind' });
    const law = lawOfRtpParameters(rtpParameters);
    if (!law) throw new CcboxError('CCBOX_ERR_VALIDATION', 'the microphone must be sent as PCMU or PCMA', { field: 'rtpParameters' });
    const producer = await this.request('produce', transport.produce({ kind, rtpParameters, appData: { agentId: this.agentId, law } }));
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    for (const w of this.waiters.filter((x) => x.law === law)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      w.resolve(producer);
    }
    return producer;
  }

  closeProducer(producerId: string): void {
    const p = this.producers.get(producerId);
    if (!p) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `no producer ${producerId}`, { field: 'producerId' });
    p.close();
  }

  private openProducer(law: G711Law): ms.Producer | undefined {
    return [...this.producers.values()].reverse().find((p) => !p.closed && p.appData.law === law);
  }

  /** The microphone in `law`; asks the browser for it (`produceRequest`) when there is none yet. */
  producerFor(law: G711Law, timeoutMs: number): Promise<ms.Producer> {
    this.assertOpen();
    const ready = this.openProducer(law);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: ProducerWaiter = {
        law, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new CcboxError('CCBOX_ERR_TIMEOUT', `agent ${this.agentId}'s browser did not send its microphone in ${law} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.safeEmit('produceRequest', { law });
    });
  }

  // ---- what the agent hears ----

  setRtpCapabilities(caps: ms.RtpCapabilities): void {
    this.clientCaps = caps;
  }

  /** Offers a source (a producer on this router) to the browser; the call controls it through the handle. */
  offer(producerId: string, callId: string, legId: string): LegConsumer {
    this.assertOpen();
    const offer: Offer = { producerId, callId, legId, consumer: null, clientReady: false, wantPaused: false, closed: false, chain: Promise.resolve() };
    this.offers.set(producerId, offer);
    this.safeEmit('newProducer', { producerId, callId, legId });
    return {
      producerId,
      pause: () => this.setWanted(offer, true),
      resume: () => this.setWanted(offer, false),
      close: () => this.closeOffer(offer),
    };
  }

  /** The browser consumes an offered source, or its own microphone (self-monitor; the softphone keeps it paused to bring the receive transport up at login). */
  async consume(producerId: string, caps?: ms.RtpCapabilities): Promise<ConsumerParams> {
    this.assertOpen();
    if (caps) this.clientCaps = caps;
    if (!this.clientCaps) throw new CcboxError('CCBOX_ERR_VALIDATION', 'rtpCapabilities missing', { field: 'rtpCapabilities' });
    const recv = [...this.transports.values()].find((t) => t.direction === 'recv')?.transport;
    if (!recv) throw new CcboxError('CCBOX_ERR_CONFLICT', 'create the receive transport first');
    let offer = this.offers.get(producerId);
    if (!offer && this.producers.has(producerId)) {
      offer = { producerId, callId: null, legId: null, consumer: null, clientReady: false, wantPaused: false, closed: false, chain: Promise.resolve() };
      this.offers.set(producerId, offer);
    }
    if (!offer || offer.closed) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `no source ${producerId} for this agent`, { field: 'producerId' });
    if (!this.router.canConsume({ producerId, rtpCapabilities: this.clientCaps })) {
      throw new CcboxError('CCBOX_ERR_VALIDATION', 'the browser cannot receive this codec', { field: 'rtpCapabilities' });
    }
    offer.consumer?.close();
    const consumer = await this.request('consume', recv.consume({ producerId, rtpCapabilities: this.clientCaps, paused: true, appData: { callId: offer.callId } }));
    if (offer.closed) {
      consumer.close();
      throw new CcboxError('CCBOX_ERR_NOT_FOUND', `source ${producerId} is gone`, { field: 'producerId' });
    }
    offer.consumer = consumer;
    offer.clientReady = false;
    const gone = (): void => {
      if (offer.consumer !== consumer) return;
      offer.consumer = null;
      if (!this.closed) this.safeEmit('consumerClosed', { consumerId: consumer.id, producerId });
    };
    consumer.observer.once('close', gone);
    consumer.on('producerclose', () => this.closeOffer(offer));
    return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters, callId: offer.callId };
  }

  /** The browser's side of the consumer is ready: audio starts unless the call holds it. */
  async resumeConsumer(consumerId: string): Promise<void> {
    this.assertOpen();
    const offer = [...this.offers.values()].find((o) => o.consumer?.id === consumerId);
    if (!offer) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `no consumer ${consumerId}`, { field: 'consumerId' });
    offer.clientReady = true;
    await this.apply(offer);
  }

  /** The client's own pause (e.g. it stops listening to the self-monitor). */
  async pauseConsumer(consumerId: string): Promise<void> {
    this.assertOpen();
    const offer = [...this.offers.values()].find((o) => o.consumer?.id === consumerId);
    if (!offer) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `no consumer ${consumerId}`, { field: 'consumerId' });
    offer.clientReady = false;
    await this.apply(offer);
  }

  private setWanted(offer: Offer, paused: boolean): Promise<void> {
    offer.wantPaused = paused;
    return this.apply(offer);
  }

  /** Pause and resume of one consumer run in order; the consumer plays when both sides want it. */
  private apply(offer: Offer): Promise<void> {
    const run = offer.chain.then(async () => {
      const c = offer.consumer;
      if (!c || c.closed || offer.closed) return;
      const pause = offer.wantPaused || !offer.clientReady;
      if (pause && !c.paused) await this.request('consumer.pause', c.pause());
      else if (!pause && c.paused) await this.request('consumer.resume', c.resume());
    });
    offer.chain = run.catch(() => undefined);
    return run;
  }

  private closeOffer(offer: Offer): void {
    if (offer.closed) return;
    offer.closed = true;
    if (this.offers.get(offer.producerId) === offer) this.offers.delete(offer.producerId);
    offer.consumer?.close();
  }

  /** After a reconnect: what the browser may have missed while its WebSocket was down. */
  resync(): void {
    for (const o of this.offers.values()) {
      if (!o.closed && o.callId && o.legId && !o.clientReady) this.safeEmit('newProducer', { producerId: o.producerId, callId: o.callId, legId: o.legId });
    }
    for (const law of new Set(this.waiters.map((w) => w.law))) this.safeEmit('produceRequest', { law });
  }

  // ---- end ----

  private ended(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', `the agent's media closed (${reason})`));
    }
    for (const o of this.offers.values()) o.closed = true;
    this.offers.clear();
    this.transports.clear();
    this.producers.clear();
    if (!this.router.closed) this.router.close();
    this.safeEmit('closed', { reason });
  }

  /** Closes the router, and with it the transports, producers and every pipe into call routers. */
  close(reason: string): void {
    this.ended(reason);
  }
}
