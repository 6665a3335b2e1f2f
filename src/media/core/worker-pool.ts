// The mediasoup worker pool: one worker per core by default, one router per call on the least
// loaded worker, deadlines on every request, and a dead worker replaced while the calls it
// carried are reported so they can end with a recorded cause.
import { availableParallelism } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import { DEFAULT_MEDIA_REQUEST_TIMEOUT_MS, withDeadline } from './deadline.ts';
import type { MediaWorkerPoolEvents, MediaWorkerPoolOptions } from './media-types.ts';

export const DEFAULT_RTC_PORT_RANGE = { min: 48000, max: 49999 };

/**
 * The router's codecs. SIP legs use PCMU/PCMA at their static payload types (the edge maps
 * each phone's numbers onto these); Opus is for browser-only paths. No telephone-event:
 * DTMF never crosses mediasoup (Consumers drop it), the edge lifts and regenerates it.
 */
export const ROUTER_MEDIA_CODECS: ms.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/PCMU', clockRate: 8000, preferredPayloadType: 0 },
  { kind: 'audio', mimeType: 'audio/PCMA', clockRate: 8000, preferredPayloadType: 8 },
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
];

const load = (s: PoolWorker): number => s.calls.size + s.others.size + s.reserved;

interface PoolWorker {
  index: number;
  worker: ms.Worker;
  /** Routers of calls (by call id) and other routers (agents' WebRTC routers) on this worker. */
  calls: Map<string, ms.Router>;
  others: Set<ms.Router>;
  /** Routers being created here (counted as load so concurrent calls spread out). */
  reserved: number;
}

export class MediaWorkerPool extends TypedEmitter<MediaWorkerPoolEvents> {
  readonly requestTimeoutMs: number;
  readonly rtcPortRange: { min: number; max: number };
  private readonly slots: (PoolWorker | null)[];
  private readonly pendingRouters = new Map<string, Promise<ms.Router>>();
  private readonly restarting = new Set<number>();
  private stopped = false;

  private constructor(private readonly options: Required<MediaWorkerPoolOptions>) {
    super();
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.rtcPortRange = options.rtcPortRange;
    this.slots = Array.from({ length: options.workers }, () => null);
  }

  static async start(options: MediaWorkerPoolOptions = {}): Promise<MediaWorkerPool> {
    const resolved: Required<MediaWorkerPoolOptions> = {
      workers: options.workers && options.workers > 0 ? options.workers : availableParallelism(),
      rtcPortRange: options.rtcPortRange ?? DEFAULT_RTC_PORT_RANGE,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_MEDIA_REQUEST_TIMEOUT_MS,
      logLevel: options.logLevel ?? 'error',
      restart: options.restart ?? true,
    };
    const pool = new MediaWorkerPool(resolved);
    try {
      await Promise.all(pool.slots.map((_, i) => pool.spawn(i)));
    } catch (err) {
      await pool.stop();
      throw err;
    }
    return pool;
  }

  /** Live workers in slot order (a slot being restarted is skipped). */
  get workers(): ms.Worker[] {
    return this.slots.filter((s): s is PoolWorker => s !== null).map((s) => s.worker);
  }

  get size(): number {
    return this.slots.length;
  }

  get callCount(): number {
    return this.slots.reduce((n, s) => n + (s?.calls.size ?? 0), 0);
  }

  /** The listen info for transports on these workers: loopback or `ip`, ports from the rtc range. */
  listenInfo(ip = '127.0.0.1', announcedAddress?: string): ms.TransportListenInfo {
    return { protocol: 'udp', ip, ...(announcedAddress ? { announcedAddress } : {}), portRange: this.rtcPortRange };
  }

  /** Wraps a mediasoup request with the pool's deadline. */
  request<T>(what: string, work: Promise<T>): Promise<T> {
    return withDeadline(work, this.requestTimeoutMs, `mediasoup ${what}`);
  }

  private async spawn(index: number): Promise<PoolWorker> {
    const worker = await withDeadline(mediasoup.createWorker({ logLevel: this.options.logLevel, appData: { index } }), this.requestTimeoutMs * 2, 'mediasoup worker start');
    const slot: PoolWorker = { index, worker, calls: new Map(), others: new Set(), reserved: 0 };
    if (this.stopped) {
      worker.close();
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'media worker pool is stopped');
    }
    this.slots[index] = slot;
    worker.on('died', (error) => this.onDied(slot, error));
    return slot;
  }

  private onDied(slot: PoolWorker, error: Error): void {
    if (this.slots[slot.index] !== slot) return;
    this.slots[slot.index] = null;
    const calls = [...slot.calls.keys()];
    slot.calls.clear();
    slot.others.clear();
    this.safeEmit('worker-died', { index: slot.index, pid: slot.worker.pid, calls, error });
    if (this.stopped || !this.options.restart) return;
    void this.restart(slot.index);
  }

  private async restart(index: number): Promise<void> {
    if (this.restarting.has(index)) return;
    this.restarting.add(index);
    try {
      // A worker that cannot start right away (resources exhausted) is retried with a backoff.
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          const slot = await this.spawn(index);
          this.safeEmit('worker-replaced', { index, worker: slot.worker });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)).unref());
        }
      }
    } finally {
      this.restarting.delete(index);
    }
  }

  private leastLoaded(): PoolWorker {
    let best: PoolWorker | null = null;
    for (const s of this.slots) {
      if (!s || s.worker.closed) continue;
      if (!best || load(s) < load(best)) best = s;
    }
    if (!best) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'no media worker is running');
    return best;
  }

  /** The call's router, created on the least loaded worker on first use (one router per call). */
  getRouterForCall(callId: string): Promise<ms.Router> {
    if (this.stopped) return Promise.reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', 'media worker pool is stopped'));
    const existing = this.routerOf(callId);
    if (existing) return Promise.resolve(existing);
    const pending = this.pendingRouters.get(callId);
    if (pending) return pending;
    const creating = this.createCallRouter(callId).finally(() => this.pendingRouters.delete(callId));
    this.pendingRouters.set(callId, creating);
    return creating;
  }

  private async createCallRouter(callId: string): Promise<ms.Router> {
    const slot = this.leastLoaded();
    slot.reserved++;
    let router: ms.Router;
    try {
      router = await this.request('createRouter', slot.worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData: { callId } }));
    } finally {
      slot.reserved--;
    }
    if (this.slots[slot.index] !== slot) {
      router.close();
      throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `media worker died while creating the router of call ${callId}`);
    }
    slot.calls.set(callId, router);
    router.observer.once('close', () => {
      // When the worker dies its routers close first; 'died' still needs to know the calls.
      if (!slot.worker.died && slot.calls.get(callId) === router) slot.calls.delete(callId);
    });
    return router;
  }

  routerOf(callId: string): ms.Router | undefined {
    for (const s of this.slots) {
      const r = s?.calls.get(callId);
      if (r && !r.closed) return r;
    }
    return undefined;
  }

  /** The call ids whose router lives on the worker with this pid. */
  callsOnWorker(pid: number): string[] {
    const slot = this.slots.find((s) => s?.worker.pid === pid);
    return slot ? [...slot.calls.keys()] : [];
  }

  /** Closes the call's router (and with it every transport, producer and consumer on it). */
  releaseCall(callId: string): void {
    for (const s of this.slots) {
      const r = s?.calls.get(callId);
      if (!r) continue;
      s!.calls.delete(callId);
      r.close();
    }
  }

  /** A router that is not a call's (e.g. a browser agent's, piped into call routers). */
  async createRouter(appData: Record<string, unknown> = {}): Promise<ms.Router> {
    const slot = this.leastLoaded();
    slot.reserved++;
    const router = await this.request('createRouter', slot.worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData })).finally(() => {
      slot.reserved--;
    });
    slot.others.add(router);
    router.observer.once('close', () => slot.others.delete(router));
    return router;
  }

  /** Throws when a slot has no live worker (health check). */
  check(): void {
    const down = this.slots.map((s, i) => (s && !s.worker.closed ? -1 : i)).filter((i) => i >= 0);
    if (down.length) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `media workers down: ${down.join(', ')}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const slots = this.slots.splice(0, this.slots.length, ...this.slots.map(() => null));
    await Promise.all(slots.map(async (s) => {
      if (!s || s.worker.closed) return;
      const exited = new Promise<void>((resolve) => {
        s.worker.once('subprocessclose', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      s.worker.close();
      await exited;
    }));
  }
}
