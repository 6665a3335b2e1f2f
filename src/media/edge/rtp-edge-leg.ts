// Main-thread handle of one SIP leg of the RTP edge. Every call is a message to the leg's
// worker over its LegPort (the worker's channel), with a deadline; worker events come back as typed events.
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { G711Law } from '../codec/index.ts';
import type { LegMessage, LegOp, PlayArgs } from './edge-protocol.ts';
import type { LegPort } from './leg-channel.ts';
import type {
  LegPlayOptions, LegRecordingOptions, LegStats, PlayResult, RecordingResult, RelayTarget, RemoteMedia,
  RtpEdgeLegEvents, SendDtmfOptions,
} from './edge-types.ts';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface LegHandleInit {
  id: string;
  /** Index of the edge worker thread that owns the leg. */
  thread: number;
  port: LegPort;
  rtpPort: number;
  rtcpPort: number;
  relayPort: number;
  routerLaw: G711Law;
  requestTimeoutMs: number;
  onClosed: () => void;
}

export class RtpEdgeLeg extends TypedEmitter<RtpEdgeLegEvents> {
  readonly id: string;
  /** Index of the edge worker thread that owns the leg's sockets. */
  readonly thread: number;
  /** The even port to put in the SDP (m= line). */
  readonly localPort: number;
  readonly localRtcpPort: number;
  /** Loopback port of the relay socket: what the PlainTransport must `connect()` to. */
  readonly relayPort: number;
  private readonly port: LegPort;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly init: LegHandleInit) {
    super();
    this.id = init.id;
    this.thread = init.thread;
    this.localPort = init.rtpPort;
    this.localRtcpPort = init.rtcpPort;
    this.relayPort = init.relayPort;
    this.port = init.port;
    this.port.on('message', (msg: LegMessage) => this.onMessage(msg));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Applies an offer/answer: the peer's address and codec; re-opens the latch window. */
  update(remote: RemoteMedia): Promise<void> {
    return this.request('update', remote) as Promise<void>;
  }

  /** Where the cleaned stream goes: the PlainTransport's tuple (ip, port); null stops relaying. */
  setRelay(target: RelayTarget | null): Promise<void> {
    return this.request('relay', target) as Promise<void>;
  }

  /**
   * Direct relay: the cleaned stream from this leg's peer goes straight to the leg `peerLegId`
   * of the same worker thread (one receive and one send per packet) instead of through the
   * router; null goes back to the router. Resolves false when that leg is not on this leg's
   * thread (or gone): the stream then keeps going to the router.
   */
  setDirect(peerLegId: string | null): Promise<boolean> {
    return this.request('direct', peerLegId) as Promise<boolean>;
  }

  /**
   * Nothing on the router consumes this leg (it is alone, in an IVR or a queue): its audio is
   * not sent there at all (`true`) until something does (`false`). Detection, DTMF and
   * recording go on as usual.
   */
  setRouterIdle(idle: boolean): Promise<void> {
    return this.request('router-idle', idle) as Promise<void>;
  }

  /** Plays G.711 frames to the peer; resolves when the prompt finishes, is interrupted or stopped. */
  playFrames(frames: readonly Uint8Array[], options: LegPlayOptions = {}): Promise<PlayResult> {
    const frameBytes = frames[0]?.length ?? 160;
    const audio = new Uint8Array(frames.length * frameBytes);
    frames.forEach((f, i) => audio.set(f.subarray(0, frameBytes), i * frameBytes));
    const { law = this.init.routerLaw, ...playOptions } = options;
    const args: PlayArgs = { audio: audio.buffer, frameBytes, law, options: playOptions };
    // A prompt may loop until stopped, so it has no deadline; closing the leg settles it.
    return this.request('play', args, [audio.buffer], 0) as Promise<PlayResult>;
  }

  stopPlaying(): Promise<void> {
    return this.request('stop-play') as Promise<void>;
  }

  /** Sends digits to the peer (RFC 4733 if negotiated, else in-band); resolves when sent. */
  sendDtmf(digits: string, options: SendDtmfOptions = {}): Promise<void> {
    const perDigit = (options.durationMs ?? 100) + (options.gapMs ?? 60) + 100;
    return this.request('dtmf', { digits, options }, [], this.init.requestTimeoutMs + digits.length * perDigit) as Promise<void>;
  }

  setHold(on: boolean): Promise<void> {
    return this.request('hold', on) as Promise<void>;
  }

  /** Mix every source towards the peer (whisper, barge) instead of passing one through. */
  setMixing(on: boolean): Promise<void> {
    return this.request('mix', on) as Promise<void>;
  }

  startRecording(options: LegRecordingOptions): Promise<void> {
    return this.request('rec-start', options) as Promise<void>;
  }

  pauseRecording(): Promise<void> {
    return this.request('rec-pause') as Promise<void>;
  }

  resumeRecording(): Promise<void> {
    return this.request('rec-resume') as Promise<void>;
  }

  stopRecording(): Promise<RecordingResult> {
    return this.request('rec-stop') as Promise<RecordingResult>;
  }

  getStats(): Promise<LegStats> {
    return this.request('stats') as Promise<LegStats>;
  }

  /** Frees the sockets and the port pair; a running recording is finalized first. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.request('close');
    } finally {
      this.shutdown(() => new CcboxError('CCBOX_ERR_UNAVAILABLE', `leg ${this.id} closed`));
    }
  }

  /** Called by the edge when the worker died: everything pending fails. */
  fail(err: Error): void {
    this.shutdown(err);
  }

  private shutdown(reason: Error | (() => Error)): void {
    if (this.closed) return;
    this.closed = true;
    // Made only when something is still waiting (closing a leg is the common case, and nothing is).
    const err = this.pending.size && typeof reason === 'function' ? reason() : reason;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err as Error);
    }
    this.pending.clear();
    this.port.close();
    this.init.onClosed();
    this.safeEmit('closed');
  }

  private request(op: LegOp, args?: unknown, transfer: ArrayBuffer[] = [], timeoutMs = this.init.requestTimeoutMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', `leg ${this.id} is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs > 0
        ? setTimeout(() => {
          this.pending.delete(id);
          reject(new CcboxError('CCBOX_ERR_TIMEOUT', `edge leg ${this.id}: ${op} timed out after ${timeoutMs} ms`));
        }, timeoutMs)
        : undefined;
      this.pending.set(id, { resolve, reject, timer });
      this.port.postMessage({ type: 'request', id, op, args }, transfer);
    });
  }

  private onMessage(msg: LegMessage): void {
    if (msg.type === 'event') {
      // The worker only sends names and payloads of RtpEdgeLegEvents.
      const args = (msg.data === undefined ? [] : [msg.data]) as RtpEdgeLegEvents['dtmf'];
      this.safeEmit(msg.name as 'dtmf', ...args);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new CcboxError(isKnownCode(msg.error.code) ? msg.error.code : 'CCBOX_ERR_INTERNAL', msg.error.message));
  }
}

const PASSED_CODES = ['CCBOX_ERR_VALIDATION', 'CCBOX_ERR_CONFLICT', 'CCBOX_ERR_TIMEOUT', 'CCBOX_ERR_UNAVAILABLE'] as const;
function isKnownCode(code: string): code is (typeof PASSED_CODES)[number] {
  return (PASSED_CODES as readonly string[]).includes(code);
}
