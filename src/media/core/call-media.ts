// The media of one call: its router (made on first use), its legs (SIP legs through the RTP edge, or
// legs added by other parts such as WebRTC), the flows between them, prompts, DTMF, recording and
// supervision. Flow changes run one at a time so concurrent requests cannot interleave consumer set-up.
//
// Direct relay (docs/DESIGN.md, "Media path"): while two SIP legs hear each other and nothing
// else — no other flow touches them, nothing else on the router consumes their producers, no
// hold, no mute, no mixing — the edge relays their audio straight from one leg to the other in
// its thread, and the router idles. Any change that needs the router (a listener, a browser
// leg, whisper, hold, a paused producer) switches the pair back to the router first; the
// edge's re-basing makes either switch seamless for the phones.
import type { types as ms } from 'mediasoup';
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { G711Law } from '../codec/index.ts';
import { isDtmfDigit, type DtmfDigit } from '../dtmf/index.ts';
import type { RtpEdge } from '../edge/index.ts';
import { openAudioTap } from './audio-tap.ts';
import { LegFlows } from './leg-flows.ts';
import type {
  AudioTap, CallMedia, CallMediaEvents, LegRole, MediaFailureCause, MediaLeg, MediaPlayOptions, MediaPlayResult, PromptSource,
  RecordingInfo, RecordingOptions, SdpUpdateResult, SipLegRequest, SipLegResult, SupervisionMode, SupervisionTargets,
} from './media-types.ts';
import type { PromptLoader } from './prompt-loader.ts';
import { SipLeg } from './sip-leg.ts';
import { CallRecording } from './call-recording.ts';
import { DirectRelay } from './direct-relay.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

export interface CallMediaSettings {
  announcedAddress: string;
  /** Loopback address shared by the edge's relay sockets and the PlainTransports. */
  relayIp: string;
  /** Law offered first when the call's law is not fixed yet. */
  preferredLaw: G711Law;
  recordingsDir: string;
  deadMediaMs?: number;
  latchWindowMs?: number;
}

export interface CallMediaDeps {
  callId: string;
  pool: MediaWorkerPool;
  edge: RtpEdge;
  prompts: PromptLoader;
  settings: CallMediaSettings;
  log?: Logger;
}

interface Playing {
  interruptible: boolean;
  digits: readonly DtmfDigit[] | undefined;
  /** A SIP INFO digit that stopped the prompt (the edge only sees RTP digits). */
  infoDigit?: DtmfDigit;
}

export class CallMediaSession extends TypedEmitter<CallMediaEvents> implements CallMedia {
  readonly callId: string;
  private router: ms.Router | null = null;
  private routerPending: Promise<ms.Router> | null = null;
  private callLaw: G711Law | null = null;
  private readonly legs = new Map<string, MediaLeg>();
  private readonly flows: LegFlows;
  private readonly supervisors = new Map<string, { mode: SupervisionMode; targets: SupervisionTargets }>();
  private readonly playing = new Map<string, Playing>();
  private readonly holdMusic = new Set<string>();
  /** stopPlay calls per leg: a prompt whose loading (TTS, file) outlived a stop does not start. */
  private readonly stops = new Map<string, number>();
  private readonly recorder: CallRecording;
  private queue: Promise<unknown> = Promise.resolve();
  private nextLeg = 1;
  private closing: Promise<RecordingInfo | null> | null = null;
  private readonly direct: DirectRelay;

  constructor(private readonly deps: CallMediaDeps) {
    super();
    this.callId = deps.callId;
    this.recorder = new CallRecording(deps.callId, deps.settings.recordingsDir);
    this.flows = new LegFlows((id) => this.requireLeg(id));
    this.direct = new DirectRelay(this.legs, this.flows, () => this.closing !== null, (err, what) => {
      if (!this.closing) this.deps.log?.error({ callId: this.callId, err }, what);
    });
  }

  get routerIfAny(): ms.Router | null {
    return this.router;
  }

  /** The call's router on the least loaded worker, made the first time a leg or a tap needs it. */
  ensureRouter(): Promise<ms.Router> {
    if (this.router) return Promise.resolve(this.router);
    if (this.closing) return Promise.reject(new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} media is closed`));
    this.routerPending ??= (async () => {
      try {
        const router = await this.deps.pool.getRouterForCall(this.callId);
        if (this.closing) {
          this.deps.pool.releaseCall(this.callId);
          throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} media is closed`);
        }
        router.on('workerclose', () => this.fail('media-worker-died'));
        this.direct.watch(router);
        this.router = router;
        return router;
      } finally {
        this.routerPending = null;
      }
    })();
    return this.routerPending;
  }

  get law(): G711Law {
    return this.callLaw ?? this.deps.settings.preferredLaw;
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  leg(legId: string): MediaLeg | undefined {
    return this.legs.get(legId);
  }

  private requireLeg(legId: string): MediaLeg {
    const leg = this.legs.get(legId);
    if (!leg) throw new CcboxError('CCBOX_ERR_NOT_FOUND', `leg ${legId} not found in call ${this.callId}`);
    return leg;
  }

  private requireSipLeg(legId: string): SipLeg {
    const leg = this.requireLeg(legId);
    if (!(leg instanceof SipLeg)) throw new CcboxError('CCBOX_ERR_VALIDATION', `leg ${legId} is not a SIP leg`);
    return leg;
  }

  private assertOpen(): void {
    if (this.closing) throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} media is closed`);
  }

  /**
   * Runs flow changes one at a time; a failed one does not block the next. After each, the
   * direct relays are brought in line with the flows.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const step = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        await this.direct.sync();
      }
    };
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---- legs ----

  async createSipLeg(request: SipLegRequest): Promise<SipLegResult> {
    this.assertOpen();
    const id = request.id ?? `${this.callId}:${this.nextLeg++}`;
    if (this.legs.has(id)) throw new CcboxError('CCBOX_ERR_CONFLICT', `leg ${id} already exists`);
    const role: LegRole = request.role ?? (this.legs.size === 0 ? 'customer' : 'agent');
    // The caller's law becomes the call's (mediasoup does not transcode); later legs that
    // cannot speak it are converted A↔µ by the edge.
    if (this.callLaw === null) {
      this.callLaw = request.offer === null ? this.deps.settings.preferredLaw : SipLeg.lawForOffer(request.offer, null, this.deps.settings.preferredLaw);
    }
    const s = this.deps.settings;
    const { leg, sdp, type } = await SipLeg.create({
      callId: this.callId, pool: this.deps.pool, edge: this.deps.edge, router: () => this.ensureRouter(), law: this.callLaw, announcedAddress: request.address ?? s.announcedAddress,
      relayIp: s.relayIp, deadMediaMs: s.deadMediaMs, latchWindowMs: s.latchWindowMs,
    }, { id, role, offer: request.offer, latch: request.latch ?? false });
    if (this.closing) {
      await leg.close();
      this.assertOpen();
    }
    this.register(leg);
    this.wireSipLeg(leg);
    await this.direct.sync(); // nothing consumes the new leg yet: its audio stays off the router
    return { legId: id, sdp, type };
  }

  private register(leg: MediaLeg): void {
    this.legs.set(leg.id, leg);
    if (leg instanceof SipLeg) {
      // Mute (a paused producer) must take effect: the pair goes back to the router, which drops it.
      leg.onRouted((producer) => {
        producer.observer.on('pause', () => void this.direct.sync());
        producer.observer.on('resume', () => void this.direct.sync());
      });
    }
    leg.onClosed(() => void this.legEnded(leg));
  }

  /** A leg ended (hung up here, or its media failed): its recording is finalized, then it closes. */
  private async legEnded(leg: MediaLeg): Promise<void> {
    if (this.closing || this.legs.get(leg.id) !== leg) return;
    if (leg instanceof SipLeg && this.recorder.isOn(leg)) {
      await this.stopRecording().catch((err: unknown) => this.deps.log?.error({ callId: this.callId, legId: leg.id, err }, 'recording could not be finalized'));
    }
    await leg.close().catch(() => undefined);
    await this.forget(leg.id);
  }

  private wireSipLeg(leg: SipLeg): void {
    const legId = leg.id;
    leg.edgeLeg.on('dtmf', (e) => this.safeEmit('dtmf', { legId, ...e }));
    leg.edgeLeg.on('dtmf-begin', (e) => this.safeEmit('dtmf-begin', { legId, digit: e.digit }));
    leg.edgeLeg.on('dead', (e) => this.safeEmit('leg-dead', { legId, silentMs: e.silentMs }));
    leg.edgeLeg.on('alive', () => this.safeEmit('leg-alive', { legId }));
    leg.edgeLeg.on('recording-error', (e) => this.deps.log?.error({ callId: this.callId, legId, err: e.message }, 'recording write failed'));
  }

  addLeg(leg: MediaLeg): void {
    this.assertOpen();
    if (this.legs.has(leg.id)) throw new CcboxError('CCBOX_ERR_CONFLICT', `leg ${leg.id} already exists`);
    this.register(leg);
  }

  updateSipLeg(legId: string, sdp: string, options: { latch?: boolean } = {}): Promise<SdpUpdateResult> {
    this.assertOpen();
    return this.requireSipLeg(legId).applyRemoteSdp(sdp, options);
  }

  async reofferSipLeg(legId: string, options: { hold?: boolean } = {}): Promise<string> {
    this.assertOpen();
    return this.requireSipLeg(legId).reoffer(options.hold ?? false);
  }

  /** A leg left the call (closed by us or on its own): its flows go, the others re-mix. */
  private async forget(legId: string): Promise<void> {
    if (!this.legs.has(legId)) return;
    this.legs.delete(legId);
    this.supervisors.delete(legId);
    this.playing.delete(legId);
    this.stops.delete(legId);
    const affected = this.flows.removeLeg(legId);
    if (!this.closing) await this.serial(() => this.flows.refreshMixing(affected, (id) => this.legs.has(id))).catch(() => undefined);
    this.safeEmit('leg-closed', { legId });
  }

  async removeLeg(legId: string): Promise<void> {
    const leg = this.requireLeg(legId);
    if (leg instanceof SipLeg && this.recorder.isOn(leg)) await this.stopRecording().catch(() => null);
    await leg.close();
    await this.forget(legId);
  }

  // ---- flows ----

  connect(a: string, b: string): Promise<void> {
    this.assertOpen();
    return this.serial(async () => {
      await this.flows.add(a, b);
      await this.flows.add(b, a);
      await this.remix([a, b]);
    });
  }

  disconnect(a: string, b: string): Promise<void> {
    this.assertOpen();
    return this.serial(() => this.direct.routed([a, b], async () => {
      this.flows.remove(a, b);
      this.flows.remove(b, a);
      await this.remix([a, b]);
    }));
  }

  private remix(legs: Iterable<string>): Promise<void> {
    return this.flows.refreshMixing(legs, (id) => this.legs.has(id));
  }

  async hold(legId: string, on: boolean, options: { music?: PromptSource } = {}): Promise<void> {
    this.assertOpen();
    const leg = this.requireLeg(legId);
    await this.serial(() => this.direct.routed([legId], async () => {
      const touched = await this.flows.setHeld(legId, on);
      await leg.setHold(on);
      await this.remix(touched);
    }));
    if (on && options.music) {
      this.holdMusic.add(legId);
      // Music loops until the hold ends; its result is of no interest.
      void this.play(legId, options.music, { loop: true, interruptible: false }).catch((err: unknown) => {
        this.deps.log?.warn({ callId: this.callId, legId, err }, 'hold music failed');
      });
    } else if (!on && this.holdMusic.delete(legId)) {
      await this.stopPlay(legId);
    }
  }

  // ---- prompts and DTMF ----

  async play(legId: string, prompt: PromptSource, options: MediaPlayOptions = {}): Promise<MediaPlayResult> {
    this.assertOpen();
    const leg = this.requireLeg(legId);
    if (!leg.play) throw new CcboxError('CCBOX_ERR_VALIDATION', `leg ${legId} (${leg.kind}) cannot play prompts`);
    const stopsBefore = this.stops.get(legId) ?? 0;
    const { frames, law } = await this.deps.prompts.load(prompt, this.law);
    // Stopped while it was loading (hold music of a hold already ended, a prompt the caller skipped).
    if ((this.stops.get(legId) ?? 0) !== stopsBefore || this.closing || this.legs.get(legId) !== leg) return { reason: 'stopped', frames: 0 };
    const state: Playing = { interruptible: options.interruptible ?? true, digits: options.interruptDigits };
    const mix = options.mixWithCall === true;
    if (mix) {
      this.flows.forceMix(legId, 1);
      await this.serial(() => this.remix([legId]));
    }
    this.playing.set(legId, state);
    try {
      let r;
      try {
        r = await leg.play(frames, {
          law, repeat: options.repeat, loop: options.loop, interruptible: state.interruptible,
          ...(options.interruptDigits ? { interruptDigits: options.interruptDigits } : {}),
        });
      } catch (err) {
        // The leg went away under the prompt (hang-up): for the IVR that is a stopped prompt.
        if (this.closing || !this.legs.has(legId) || this.legs.get(legId) !== leg) return { reason: 'stopped', frames: 0 };
        throw err;
      }
      if (r.reason === 'stopped' && state.infoDigit) return { reason: 'interrupted', interruptedBy: state.infoDigit, frames: r.frames };
      return r.digit ? { reason: r.reason, interruptedBy: r.digit, frames: r.frames } : { reason: r.reason, frames: r.frames };
    } finally {
      if (this.playing.get(legId) === state) this.playing.delete(legId);
      if (mix) {
        this.flows.forceMix(legId, -1);
        if (this.legs.has(legId) && !this.closing) await this.serial(() => this.remix([legId])).catch(() => undefined);
      }
    }
  }

  async stopPlay(legId: string): Promise<void> {
    const leg = this.requireLeg(legId);
    this.stops.set(legId, (this.stops.get(legId) ?? 0) + 1);
    this.holdMusic.delete(legId);
    await leg.stopPlay?.();
  }

  async sendDtmf(legId: string, digits: string): Promise<void> {
    const leg = this.requireLeg(legId);
    if (!leg.sendDtmf) throw new CcboxError('CCBOX_ERR_VALIDATION', `leg ${legId} (${leg.kind}) cannot send DTMF`);
    await leg.sendDtmf(digits);
  }

  injectSipInfoDtmf(legId: string, digit: string, durationMs = 100): void {
    const d = digit.toUpperCase();
    if (!isDtmfDigit(d)) throw new CcboxError('CCBOX_ERR_VALIDATION', `not a DTMF digit: ${digit}`, { field: 'digit' });
    this.requireLeg(legId);
    const playing = this.playing.get(legId);
    if (playing?.interruptible && (!playing.digits || playing.digits.includes(d)) && !playing.infoDigit) {
      playing.infoDigit = d;
      void this.legs.get(legId)?.stopPlay?.().catch(() => undefined);
    }
    this.safeEmit('dtmf-begin', { legId, digit: d });
    this.safeEmit('dtmf', { legId, digit: d, durationMs, source: 'info' });
  }

  async setMuted(legId: string, on: boolean): Promise<void> {
    this.assertOpen();
    const producer = await this.producerOf(this.requireLeg(legId));
    if (on) await producer.pause();
    else await producer.resume();
  }

  private async producerOf(leg: MediaLeg): Promise<ms.Producer> {
    const producer = leg.producer ?? (leg.route ? await leg.route() : null);
    if (!producer) throw new CcboxError('CCBOX_ERR_CONFLICT', `leg ${leg.id} has no media yet`);
    return producer;
  }

  // ---- audio tap (speech recognition) ----

  async tapAudio(legId: string, onAudio: (payload: Uint8Array, law: G711Law) => void): Promise<AudioTap> {
    this.assertOpen();
    const producer = await this.producerOf(this.requireLeg(legId));
    const router = await this.ensureRouter();
    return openAudioTap({ pool: this.deps.pool, router, producer, relayIp: this.deps.settings.relayIp, law: this.law }, onAudio);
  }

  // ---- recording ----

  private recordedLeg(legId?: string): SipLeg {
    if (legId) return this.requireSipLeg(legId);
    const sip = [...this.legs.values()].filter((l): l is SipLeg => l instanceof SipLeg);
    const leg = sip.find((l) => l.role === 'customer') ?? sip[0];
    if (!leg) throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} has no SIP leg to record`);
    return leg;
  }

  async startRecording(options: RecordingOptions = {}): Promise<{ path: string }> {
    this.assertOpen();
    return this.recorder.start(this.recordedLeg(options.legId), options);
  }

  pauseRecording(): Promise<void> {
    return this.recorder.pause();
  }

  resumeRecording(): Promise<void> {
    return this.recorder.resume();
  }

  stopRecording(): Promise<RecordingInfo | null> {
    return this.recorder.stop();
  }

  // ---- supervision ----

  listen(supervisorLegId: string, targets: SupervisionTargets): Promise<void> {
    return this.supervise(supervisorLegId, 'listen', targets);
  }

  whisper(supervisorLegId: string, targets: SupervisionTargets): Promise<void> {
    return this.supervise(supervisorLegId, 'whisper', targets);
  }

  barge(supervisorLegId: string, targets: SupervisionTargets): Promise<void> {
    return this.supervise(supervisorLegId, 'barge', targets);
  }

  /**
   * The supervisor always hears customer and agent; whisper adds supervisor → agent, barge
   * supervisor → both. Moving between modes only adds or drops the flows that differ.
   */
  private supervise(sup: string, mode: SupervisionMode, targets: SupervisionTargets): Promise<void> {
    this.assertOpen();
    const { customer, agent } = targets;
    for (const id of [sup, customer, agent]) this.requireLeg(id);
    if (sup === customer || sup === agent || customer === agent) throw new CcboxError('CCBOX_ERR_VALIDATION', 'supervisor, customer and agent must be three different legs');
    const want: [string, string][] = [[customer, sup], [agent, sup]];
    if (mode !== 'listen') want.push([sup, agent]);
    if (mode === 'barge') want.push([sup, customer]);
    const wanted = new Set(want.map(([a, b]) => `${a}>${b}`));
    return this.serial(async () => {
      for (const [src, sink] of this.flows.involving(sup)) if (!wanted.has(`${src}>${sink}`)) this.flows.remove(src, sink);
      for (const [src, sink] of want) await this.flows.add(src, sink);
      this.supervisors.set(sup, { mode, targets });
      await this.remix([sup, customer, agent]);
    });
  }

  // ---- end ----

  private fail(cause: MediaFailureCause): void {
    if (this.closing) return;
    this.deps.log?.error({ callId: this.callId, cause }, 'call media failed');
    this.safeEmit('failed', { cause });
    void this.close(cause);
  }

  close(cause: string): Promise<RecordingInfo | null> {
    if (!this.closing) this.closing = this.shutdown(cause);
    return this.closing;
  }

  private async shutdown(cause: string): Promise<RecordingInfo | null> {
    await this.queue.catch(() => undefined);
    if (this.recorder.active) {
      await this.stopRecording().catch((err: unknown) => {
        this.deps.log?.error({ callId: this.callId, err }, 'recording could not be finalized');
      });
    }
    this.flows.closeAll();
    await Promise.allSettled([...this.legs.values()].map((l) => l.close()));
    this.legs.clear();
    await this.routerPending?.catch(() => undefined);
    if (this.router && !this.router.closed) this.deps.pool.releaseCall(this.callId);
    this.safeEmit('closed', { cause });
    return this.recorder.last;
  }
}
