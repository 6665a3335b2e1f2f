// The worker side of one SIP leg: owns its UDP sockets (RTP, RTCP, loopback relay), wires the
// inbound and outbound paths, player, DTMF sender and recorder, and answers the main thread
// over the leg's MessagePort. Runs only inside an edge worker thread.
import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { SystemClock, type Clock, type TimerHandle } from '../../platform/clock.ts';
import { createRtcpSummary, summarizeRtcp } from '../codec/index.ts';
import { isDtmfDigit } from '../dtmf/index.ts';
import { PromptPlayer } from '../player/index.ts';
import { WavRecorder } from '../recorder/index.ts';
import type { LegMessage, LegOp, LegRequest, PlayArgs } from './edge-protocol.ts';
import type { WorkerSideLegPort } from './leg-channel.ts';
import type {
  LegRecordingOptions, LegStats, PlayResult, RelayTarget, RemoteMedia, SendDtmfOptions, WorkerLegOptions,
} from './edge-types.ts';
import { DtmfSender } from './dtmf-sender.ts';
import { FORWARD_PEER, FORWARD_ROUTER, FORWARD_UNCONSUMED, InboundPath, type InboundSinks } from './inbound-path.ts';
import { createLegStats } from './leg-stats.ts';
import { OutboundPath, newGeneratedKey, type OutboundSinks } from './outbound-path.ts';

const HOUSEKEEPING_MS = 250;
/**
 * Recordings of all legs of a thread are flushed together, once a second: the writes reach
 * libuv's pool as one burst (its threads wake once and drain them) instead of a hundred
 * separate wake-ups spread over the second, each of which can preempt the packet path.
 */
const RECORDER_FLUSH_MS = 1000;
/** A recorder flushes by itself only if the thread's flush is this late (a fallback). */
const RECORDER_SELF_FLUSH_MS = 1600;

/** The legs living in this worker thread, by id: the targets of direct relaying. */
const legsHere = new Map<string, LegWorker>();
/** Legs of this thread that record, flushed together by one timer. */
const recordingHere = new Set<LegWorker>();
let flushTimer: NodeJS.Timeout | undefined;

function recordingStarted(leg: LegWorker): void {
  recordingHere.add(leg);
  flushTimer ??= setInterval(() => {
    const now = performance.now();
    for (const l of recordingHere) l.flushRecording(now);
  }, RECORDER_FLUSH_MS);
}

function recordingEnded(leg: LegWorker): void {
  recordingHere.delete(leg);
  if (recordingHere.size === 0 && flushTimer) {
    clearInterval(flushTimer);
    flushTimer = undefined;
  }
}

/**
 * dgram resolves the destination of every send() through dns.lookup, which for an IP literal
 * still costs a deferred callback per packet. Destinations here are IP literals from SDP or
 * from a packet's source, so they are passed through at once; anything else is resolved.
 */
function udpLookup(family: 4 | 6): dgram.SocketOptions['lookup'] {
  // Addresses already seen to be IP literals of this family (a leg's destination is one string).
  const literals = new Set<string>();
  return ((hostname: string, options: unknown, callback: (err: Error | null, address: string, family: number) => void) => {
    if (literals.has(hostname)) return callback(null, hostname, family);
    if (isIP(hostname) !== family) return dnsLookup(hostname, { family }, (err, address, fam) => callback(err, address, fam));
    if (literals.size >= 4096) literals.clear();
    literals.add(hostname);
    callback(null, hostname, family);
  }) as unknown as dgram.SocketOptions['lookup'];
}

/** send() of `buf[offset, offset + length)`; a whole buffer goes without dgram making a view of it. */
function sendUdp(socket: dgram.Socket, buf: Buffer, offset: number, length: number, port: number, address: string): void {
  if (offset === 0 && length === buf.length) socket.send(buf, port, address);
  else socket.send(buf, offset, length, port, address);
}
const LOOKUP4 = udpLookup(4);
const LOOKUP6 = udpLookup(6);

export async function bindUdp(address: string, port: number): Promise<dgram.Socket> {
  const v6 = address.includes(':');
  const socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', lookup: v6 ? LOOKUP6 : LOOKUP4 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

export class LegWorker {
  private readonly clock: Clock = new SystemClock();
  private readonly stats: LegStats = createLegStats();
  private readonly inSinks: InboundSinks;
  private readonly outSinks: OutboundSinks;
  private readonly inbound: InboundPath;
  private readonly outbound: OutboundPath;
  private readonly player: PromptPlayer;
  private readonly dtmf: DtmfSender;
  private relay: RelayTarget | null;
  /** Direct relay: the leg of this thread that gets our cleaned stream instead of the router. */
  private directTo: LegWorker | null = null;
  /** Nothing on the router consumes this leg: its audio is not sent there. */
  private routerIdle = false;
  private recorder: WavRecorder | null = null;
  private lastRecorderTick = 0;
  private explicitHold = false;
  private remoteHold = false;
  private configured = false;
  private deadSince = -1;
  private liveSince: number;
  private playKey = 0;
  private playSlot = 0;
  private playLaw: PlayArgs['law'] = 'pcma';
  private readonly timers: TimerHandle[] = [];
  closed = false;

  private constructor(
    private readonly options: WorkerLegOptions,
    private readonly port: WorkerSideLegPort,
    private readonly rtp: dgram.Socket,
    private readonly rtcp: dgram.Socket,
    private readonly relaySocket: dgram.Socket,
  ) {
    const now = this.clock.monotonic();
    this.liveSince = now;
    this.relay = options.relay;
    this.inSinks = this.inboundSinks();
    this.outSinks = { toPhone: (buf, offset, length) => this.sendToPhone(buf, offset, length) };
    this.inbound = new InboundPath(options, this.inSinks, this.stats);
    this.outbound = new OutboundPath({
      router: options.router, media: options.media, phoneSsrc: options.phoneSsrc, clock: this.clock,
      initialSeq: options.phoneInitialSeq, initialTs: options.phoneInitialTs,
    }, this.outSinks, this.stats);
    this.player = new PromptPlayer({
      clock: this.clock,
      sink: (frame) => this.outbound.sendPlayerFrame(this.playKey, frame, this.playLaw, this.playSlot++, this.clock.monotonic()),
    });
    this.dtmf = new DtmfSender(this.clock, this.outbound, () => this.refreshMode());
    if (options.remote) this.applyRemote(options.remote, now);
    this.wireSockets();
    this.timers.push(this.clock.setInterval(() => this.housekeeping(), HOUSEKEEPING_MS));
    if (options.statsIntervalMs > 0) this.timers.push(this.clock.setInterval(() => this.emit('stats', this.stats), options.statsIntervalMs));
    port.on('message', (msg: LegRequest) => void this.onRequest(msg));
    port.on('close', () => void this.close());
    legsHere.set(options.id, this);
  }

  /** Binds the leg's sockets; on failure nothing stays bound. */
  static async create(options: WorkerLegOptions, port: WorkerSideLegPort): Promise<LegWorker> {
    const sockets: dgram.Socket[] = [];
    try {
      sockets.push(await bindUdp(options.bindAddress, options.rtpPort));
      sockets.push(await bindUdp(options.bindAddress, options.rtpPort + 1));
      sockets.push(await bindUdp(options.relayAddress, 0));
    } catch (err) {
      for (const s of sockets) s.close();
      throw err;
    }
    return new LegWorker(options, port, sockets[0], sockets[1], sockets[2]);
  }

  get ports(): { rtpPort: number; rtcpPort: number; relayPort: number } {
    return { rtpPort: this.rtp.address().port, rtcpPort: this.rtcp.address().port, relayPort: this.relaySocket.address().port };
  }

  private inboundSinks(): InboundSinks {
    return {
      toRouter: (buf, offset, length) => {
        const peer = this.directTo;
        if (peer !== null && !peer.closed) {
          peer.outbound.onPeerPacket(buf, offset, length, this.clock.monotonic());
          return FORWARD_PEER;
        }
        const relay = this.relay;
        // Not on the router (yet), or nothing there consumes it: the audio has nowhere to go.
        if (!relay || this.routerIdle) return FORWARD_UNCONSUMED;
        sendUdp(this.relaySocket, buf, offset, length, relay.port, relay.address);
        return FORWARD_ROUTER;
      },
      onDtmf: (e) => this.emit('dtmf', e),
      onDtmfBegin: (digit, source) => {
        // Barge-in right at the first packet or confirmed tone, not at the end of the press.
        this.player.onDtmf(digit);
        this.emit('dtmf-begin', { digit, source });
      },
      onSsrcChange: (from, to) => this.emit('ssrc-change', { from, to }),
      onLatched: (t) => this.emit('latched', { address: t.address, port: t.port }),
      onRtcp: () => this.stats.rtcpIn++,
    };
  }

  private wireSockets(): void {
    this.rtp.on('message', (msg, rinfo) => this.inbound.onPacket(msg, msg.length, rinfo.address, rinfo.port, this.clock.monotonic()));
    const summary = createRtcpSummary();
    this.rtcp.on('message', (msg, rinfo) => {
      if (!this.inbound.latch.acceptRtcp(rinfo.address, rinfo.port)) this.stats.droppedForeign++;
      else if (summarizeRtcp(msg, msg.length, summary)) this.stats.rtcpIn++;
      else this.stats.droppedMalformed++;
    });
    this.relaySocket.on('message', (msg, rinfo) => {
      const relay = this.relay;
      // Only the PlainTransport we relay to may feed the phone.
      if (!relay || rinfo.port !== relay.port || rinfo.address !== relay.address) {
        this.stats.droppedFromRouter++;
        return;
      }
      this.outbound.onRouterPacket(msg, msg.length, this.clock.monotonic());
    });
    for (const s of [this.rtp, this.rtcp, this.relaySocket]) s.on('error', () => undefined);
  }

  private sendToPhone(buf: Buffer, offset: number, length: number): boolean {
    const dest = this.inbound.latch.destination;
    if (!dest || this.closed) return false;
    sendUdp(this.rtp, buf, offset, length, dest.port, dest.address);
    return true;
  }

  private applyRemote(remote: RemoteMedia, nowMs: number): void {
    this.inbound.configure(remote, nowMs);
    this.outbound.setMedia(this.inbound.legMedia);
    // A peer that declared it will not send (we or it put the call on hold) is not dead.
    this.remoteHold = remote.direction === 'recvonly' || remote.direction === 'inactive';
    this.configured = true;
    this.liveSince = nowMs;
    this.updateHold(nowMs);
  }

  private updateHold(nowMs: number): void {
    this.recorder?.setHold(this.explicitHold || this.remoteHold, nowMs);
    if (!this.explicitHold && !this.remoteHold) this.liveSince = nowMs;
  }

  /** Writes the settled part of the recording (silence included, so time that passed is in the file). */
  flushRecording(now: number): void {
    if (!this.recorder) return;
    this.lastRecorderTick = now;
    this.recorder.tick(now);
  }

  private refreshMode(): void {
    this.outbound.mode = this.dtmf.active ? 'dtmf' : this.player.playing ? 'player' : 'relay';
  }

  private housekeeping(): void {
    const now = this.clock.monotonic();
    this.inbound.tick(now);
    // A recorder whose thread flush is late writes on its own (e.g. a test clock).
    if (this.recorder && now - this.lastRecorderTick >= RECORDER_SELF_FLUSH_MS) this.flushRecording(now);
    this.checkDeadMedia(now);
  }

  private checkDeadMedia(now: number): void {
    const limit = this.options.deadMediaMs;
    if (limit <= 0 || !this.configured) return;
    const last = Math.max(this.inbound.lastRtpAtMs, this.liveSince);
    if (this.deadSince >= 0) {
      if (this.inbound.lastRtpAtMs > this.deadSince) {
        this.deadSince = -1;
        this.emit('alive', undefined);
      }
      return;
    }
    if (this.explicitHold || this.remoteHold) return;
    if (now - last >= limit) {
      this.deadSince = now;
      this.emit('dead', { silentMs: Math.round(now - last) });
    }
  }

  private emit(name: string, data: unknown): void {
    if (!this.closed) this.port.postMessage({ type: 'event', name, data } satisfies LegMessage);
  }

  private async onRequest(msg: LegRequest): Promise<void> {
    if (msg?.type !== 'request') return;
    try {
      const result = await this.handle(msg.op, msg.args);
      this.port.postMessage({ type: 'response', id: msg.id, ok: true, result } satisfies LegMessage);
    } catch (err) {
      const e = err as Error & { code?: string };
      const reply: LegMessage = { type: 'response', id: msg.id, ok: false, error: { code: e.code ?? 'CCBOX_ERR_INTERNAL', message: e.message } };
      if (!this.closed) this.port.postMessage(reply);
    }
  }

  private async handle(op: LegOp, args: unknown): Promise<unknown> {
    const now = this.clock.monotonic();
    switch (op) {
      case 'update': return this.applyRemote(args as RemoteMedia, now);
      case 'relay': this.relay = (args as RelayTarget | null) ?? null; return undefined;
      case 'direct': return this.setDirect(args as string | null);
      case 'router-idle': this.routerIdle = Boolean(args); return undefined;
      case 'play': return this.play(args as PlayArgs);
      case 'stop-play': this.player.stop(); return undefined;
      case 'dtmf': return this.sendDtmf(args as { digits: string; options: SendDtmfOptions });
      case 'hold': this.explicitHold = Boolean(args); this.updateHold(now); return undefined;
      case 'mix': this.outbound.setMixing(Boolean(args)); return undefined;
      case 'rec-start': return this.startRecording(args as LegRecordingOptions, now);
      case 'rec-pause': this.requireRecorder().pause(now); return undefined;
      case 'rec-resume': this.requireRecorder().resume(now); return undefined;
      case 'rec-stop': return this.stopRecording(now);
      case 'stats': return this.stats;
      case 'close': return this.close();
      default: throw Object.assign(new Error(`unknown leg op ${String(op)}`), { code: 'CCBOX_ERR_VALIDATION' });
    }
  }

  private setDirect(peerId: string | null): boolean {
    const peer = peerId === null ? null : legsHere.get(peerId) ?? null;
    const to = peer && peer !== this && !peer.closed ? peer : null;
    if (to !== this.directTo) to?.outbound.relayPathChanged();
    this.directTo = to;
    return peerId === null || this.directTo !== null;
  }

  private play(args: PlayArgs): Promise<PlayResult> {
    const audio = new Uint8Array(args.audio);
    const frames: Uint8Array[] = [];
    for (let i = 0; i + args.frameBytes <= audio.length; i += args.frameBytes) frames.push(audio.subarray(i, i + args.frameBytes));
    return new Promise((resolve) => {
      const done = (result: PlayResult): void => {
        this.player.off('finished', onFinished).off('interrupted', onInterrupted).off('stopped', onStopped);
        this.refreshMode();
        resolve(result);
      };
      const onFinished = (e: { frames: number }): void => done({ reason: 'finished', frames: e.frames });
      const onInterrupted = (e: { frames: number; digit: PlayResult['digit'] }): void => done({ reason: 'interrupted', frames: e.frames, digit: e.digit });
      const onStopped = (e: { frames: number }): void => done({ reason: 'stopped', frames: e.frames });
      this.player.stop(); // a running prompt resolves as 'stopped' before this one starts
      this.playKey = newGeneratedKey();
      this.playSlot = 0;
      this.playLaw = args.law;
      this.player.on('finished', onFinished).on('interrupted', onInterrupted).on('stopped', onStopped);
      this.player.play(frames, args.options);
      this.refreshMode();
    });
  }

  private async sendDtmf(args: { digits: string; options: SendDtmfOptions }): Promise<void> {
    const digits = [...args.digits.toUpperCase()];
    const bad = digits.find((d) => !isDtmfDigit(d));
    if (bad !== undefined) throw Object.assign(new Error(`not a DTMF digit: ${bad}`), { code: 'CCBOX_ERR_VALIDATION' });
    await this.dtmf.send(digits.filter(isDtmfDigit), args.options ?? {});
  }

  private async startRecording(o: LegRecordingOptions, now: number): Promise<void> {
    if (this.recorder) throw Object.assign(new Error('already recording'), { code: 'CCBOX_ERR_CONFLICT' });
    const channels = o.channels ?? 2;
    const recorder = await WavRecorder.open({
      path: o.path, channels, startMs: now, flushIntervalMs: RECORDER_SELF_FLUSH_MS,
      onError: (err) => this.emit('recording-error', { message: err.message }),
    });
    if (this.closed) {
      await recorder.stop(this.clock.monotonic());
      throw Object.assign(new Error('leg closed'), { code: 'CCBOX_ERR_UNAVAILABLE' });
    }
    this.recorder = recorder;
    this.lastRecorderTick = now;
    recordingStarted(this);
    recorder.setHold(this.explicitHold || this.remoteHold, now);
    const inCh = channels === 1 ? 0 : (o.inboundChannel ?? 0);
    this.inSinks.tap = (table, buf, start, end, at, ts) => recorder.pushG711(inCh, table, buf, start, end, at, ts);
    const outCh = inCh === 0 ? 1 : 0;
    if (channels === 2) this.outSinks.tap = (table, buf, start, end, at, ts) => recorder.pushG711(outCh, table, buf, start, end, at, ts);
  }

  private requireRecorder(): WavRecorder {
    if (!this.recorder) throw Object.assign(new Error('not recording'), { code: 'CCBOX_ERR_CONFLICT' });
    return this.recorder;
  }

  private stopRecording(now: number): Promise<unknown> {
    const recorder = this.requireRecorder();
    this.recorder = null;
    recordingEnded(this);
    this.inSinks.tap = undefined;
    this.outSinks.tap = undefined;
    return recorder.stop(now);
  }

  /** Frees everything; a recording in progress is finalized so no `.part` is left behind. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (legsHere.get(this.options.id) === this) legsHere.delete(this.options.id);
    this.directTo = null;
    for (const t of this.timers) this.clock.clearInterval(t);
    this.player.stop();
    this.dtmf.cancel();
    this.outbound.close();
    for (const s of [this.rtp, this.rtcp, this.relaySocket]) s.close();
    if (this.recorder) await this.stopRecording(this.clock.monotonic()).catch(() => undefined);
  }
}
