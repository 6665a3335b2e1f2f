// The workbench softphone: mediasoup-client over the workbench socket. At login it brings up the
// agent's send and receive transports (microphone produced in G.711, a paused self-monitor
// consumer so the receive side's ICE/DTLS is up too), so a call only adds consumers. It plays
// what calls offer, produces in another law when the box asks, and after a network blip restarts
// ICE on the same transports (the call and its recording go on).
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import { WorkbenchSocket, type WelcomeData } from './workbench-socket';

export type Law = 'pcmu' | 'pcma';
export type SoftphoneState = 'idle' | 'starting' | 'ready' | 'reconnecting' | 'failed' | 'stopped';

export interface SoftphoneOptions {
  socket: WorkbenchSocket;
  /** Microphone constraints (device selection). */
  audio?: MediaTrackConstraints;
  /** Law of the first microphone producer (the box asks for the other when a call needs it). */
  law?: Law;
  /** Where remote audio plays (default: a hidden <audio> per source appended to the body). */
  attachAudio?: (track: MediaStreamTrack, info: { consumerId: string; callId: string | null }) => () => void;
}

export interface RemoteSource {
  consumer: types.Consumer;
  callId: string | null;
  detach: () => void;
}

interface ConsumeAnswer {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  callId: string | null;
}

const MIME: Record<Law, string> = { pcmu: 'audio/pcmu', pcma: 'audio/pcma' };

function defaultAttach(track: MediaStreamTrack): () => void {
  const el = document.createElement('audio');
  el.autoplay = true;
  el.srcObject = new MediaStream([track]);
  el.style.display = 'none';
  document.body.appendChild(el);
  void el.play().catch(() => undefined);
  return () => el.remove();
}

export class Softphone {
  readonly socket: WorkbenchSocket;
  private device: Device | null = null;
  private send: types.Transport | null = null;
  private recv: types.Transport | null = null;
  private mic: MediaStreamTrack | null = null;
  private readonly producers = new Map<Law, types.Producer>();
  private readonly sources = new Map<string, RemoteSource>();
  private selfMonitor: types.Consumer | null = null;
  private stateValue: SoftphoneState = 'idle';
  private readonly listeners = new Set<(s: SoftphoneState) => void>();
  private readonly offs: (() => void)[] = [];
  private restarting: Promise<void> | null = null;

  constructor(private readonly opts: SoftphoneOptions) {
    this.socket = opts.socket;
  }

  get state(): SoftphoneState {
    return this.stateValue;
  }

  onState(fn: (s: SoftphoneState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setState(s: SoftphoneState): void {
    this.stateValue = s;
    for (const fn of this.listeners) fn(s);
  }

  /** Remote sources playing now (one per party the agent hears). */
  get remoteSources(): RemoteSource[] {
    return [...this.sources.values()];
  }

  /** The microphone producers by law. */
  producerFor(law: Law): types.Producer | undefined {
    return this.producers.get(law);
  }

  get transports(): { send: types.Transport | null; recv: types.Transport | null } {
    return { send: this.send, recv: this.recv };
  }

  /** Microphone permission, transports, microphone producer and self-monitor: ready for calls. */
  async start(): Promise<void> {
    this.setState('starting');
    try {
      this.listen();
      this.mic ??= (await navigator.mediaDevices.getUserMedia({ audio: this.opts.audio ?? true, video: false })).getAudioTracks()[0] ?? null;
      if (!this.mic) throw new Error('no microphone');
      await this.setup();
      this.setState('ready');
    } catch (err) {
      this.setState('failed');
      throw err;
    }
  }

  private listen(): void {
    if (this.offs.length) return;
    const s = this.socket;
    this.offs.push(
      s.on('newProducer', (d: { producerId: string; callId: string }) => void this.consume(d.producerId, d.callId).catch((e) => console.error('consume failed', e))),
      s.on('consumerClosed', (d: { consumerId: string }) => this.dropSource(d.consumerId)),
      s.on('produceRequest', (d: { law: Law }) => void this.produce(d.law).catch((e) => console.error('produce failed', e))),
      // Only ours: a new page's createTransport closes the transports of the page it replaced, and the box
      // reports those too (restarting then would tear down the transports being set up).
      s.on('transportClosed', (d: { transportId?: string }) => {
        if (d?.transportId && (d.transportId === this.send?.id || d.transportId === this.recv?.id)) void this.restart();
      }),
      s.on('mediaReset', () => void this.restart()),
      s.on('close', (d: { final: boolean }) => {
        if (this.stateValue === 'ready') this.setState(d.final ? 'failed' : 'reconnecting');
      }),
      s.on('welcome', (w: WelcomeData) => void this.onWelcome(w)),
    );
  }

  /** After a reconnect: the same transports still exist on the box → ICE restart; else start over. */
  private async onWelcome(w: WelcomeData): Promise<void> {
    if (this.stateValue !== 'reconnecting' && this.stateValue !== 'failed') return;
    if (this.restarting) return;
    const ids = new Set(w.transports.map((t) => t.id));
    if (!(this.send && this.recv && ids.has(this.send.id) && ids.has(this.recv.id))) return void (await this.restart());
    this.restarting = this.restartIce().then(
      () => this.setState('ready'),
      (err: unknown) => console.error('softphone ICE restart failed', err),
    ).finally(() => (this.restarting = null));
    await this.restarting;
    if ((this.stateValue as SoftphoneState) !== 'ready') await this.restart();
  }

  /** New ICE credentials on both transports (network change); DTLS and the media go on. */
  async restartIce(): Promise<void> {
    for (const t of [this.send, this.recv]) {
      if (!t) continue;
      const { iceParameters } = await this.socket.request<{ iceParameters: types.IceParameters }>('restartIce', { transportId: t.id });
      await t.restartIce({ iceParameters });
    }
  }

  private async setup(): Promise<void> {
    const { rtpCapabilities } = await this.socket.request<{ rtpCapabilities: types.RtpCapabilities }>('getRouterRtpCapabilities');
    const device = new Device();
    await device.load({ routerRtpCapabilities: rtpCapabilities });
    this.device = device;
    this.send = device.createSendTransport(await this.socket.request('createTransport', { direction: 'send' }));
    this.recv = device.createRecvTransport(await this.socket.request('createTransport', { direction: 'recv' }));
    for (const t of [this.send, this.recv]) {
      t.on('connect', ({ dtlsParameters }, ok, fail) => {
        this.socket.request('connectTransport', { transportId: t.id, dtlsParameters }).then(() => ok(), fail);
      });
    }
    this.send.on('produce', ({ kind, rtpParameters }, ok, fail) => {
      this.socket.request<{ id: string }>('produce', { transportId: this.send!.id, kind, rtpParameters }).then(ok, fail);
    });
    await this.produce(this.opts.law ?? 'pcma');
    // A paused consumer of our own microphone: the receive transport connects now, not at the first call.
    const own = this.producers.get(this.opts.law ?? 'pcma')!;
    const self = await this.socket.request<ConsumeAnswer>('consume', { producerId: own.id, rtpCapabilities: device.rtpCapabilities });
    this.selfMonitor = await this.recv.consume({ id: self.id, producerId: self.producerId, kind: self.kind, rtpParameters: self.rtpParameters });
  }

  /** The microphone in `law` (each law once; the box asks for the call's law). */
  async produce(law: Law): Promise<types.Producer> {
    const existing = this.producers.get(law);
    if (existing && !existing.closed) return existing;
    if (!this.device || !this.send || !this.mic) throw new Error('softphone not started');
    const codec = this.device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === MIME[law]);
    if (!codec) throw new Error(`the browser cannot send ${law}`);
    const producer = await this.send.produce({ track: this.mic.clone(), codec, stopTracks: true });
    this.producers.set(law, producer);
    return producer;
  }

  private async consume(producerId: string, callId: string): Promise<void> {
    if (!this.recv || !this.device) return;
    const p = await this.socket.request<ConsumeAnswer>('consume', { producerId, rtpCapabilities: this.device.rtpCapabilities });
    const consumer = await this.recv.consume({ id: p.id, producerId: p.producerId, kind: p.kind, rtpParameters: p.rtpParameters });
    const detach = (this.opts.attachAudio ?? defaultAttach)(consumer.track, { consumerId: consumer.id, callId });
    this.sources.set(consumer.id, { consumer, callId, detach });
    await this.socket.request('resume', { consumerId: consumer.id });
  }

  private dropSource(consumerId: string): void {
    const s = this.sources.get(consumerId);
    if (!s) return;
    this.sources.delete(consumerId);
    s.detach();
    s.consumer.close();
  }

  /** Mutes the microphone (the producers stop sending). */
  async setMuted(muted: boolean): Promise<void> {
    for (const p of this.producers.values()) {
      if (muted) p.pause();
      else p.resume();
    }
  }

  /** Switches the microphone device without renegotiation. */
  async setInputDevice(deviceId: string): Promise<void> {
    const track = (await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } })).getAudioTracks()[0];
    if (!track) throw new Error('no such microphone');
    this.mic?.stop();
    this.mic = track;
    for (const p of this.producers.values()) await p.replaceTrack({ track: track.clone() });
  }

  /** The receive transport's RTCPeerConnection stats (inbound-rtp per source). */
  async inboundStats(): Promise<{ packetsReceived: number; bytesReceived: number }> {
    let packetsReceived = 0;
    let bytesReceived = 0;
    for (const s of this.sources.values()) {
      (await s.consumer.getStats()).forEach((r: { type: string; packetsReceived?: number; bytesReceived?: number }) => {
        if (r.type !== 'inbound-rtp') return;
        packetsReceived += r.packetsReceived ?? 0;
        bytesReceived += r.bytesReceived ?? 0;
      });
    }
    return { packetsReceived, bytesReceived };
  }

  private teardown(): void {
    for (const id of [...this.sources.keys()]) this.dropSource(id);
    this.selfMonitor?.close();
    this.selfMonitor = null;
    for (const p of this.producers.values()) p.close();
    this.producers.clear();
    this.send?.close();
    this.recv?.close();
    this.send = this.recv = null;
    this.device = null;
  }

  /** Starts over with new transports (the box lost them: worker restart, long disconnect). */
  restart(): Promise<void> {
    this.restarting ??= (async () => {
      this.setState('reconnecting');
      this.teardown();
      try {
        if (!this.socket.connected) return;
        await this.setup();
        this.setState('ready');
      } catch (err) {
        console.error('softphone restart failed', err);
        this.setState('failed');
      }
    })().finally(() => (this.restarting = null));
    return this.restarting;
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.teardown();
    this.mic?.stop();
    this.mic = null;
    this.setState('stopped');
  }
}
