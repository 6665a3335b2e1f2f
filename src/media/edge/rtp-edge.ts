// The RTP edge in the main thread: starts the worker threads, allocates port pairs, and
// creates legs on the workers — the legs of one group (a call) on the same thread, so the edge
// can relay between them directly; a new group goes to the thread with the fewest legs. It
// never touches a packet itself.
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CcboxError } from '../../platform/errors.ts';
import type { CreateLegMessage, CreateReply } from './edge-protocol.ts';
import { WorkerLegMux, type LegPort } from './leg-channel.ts';
import type { CreateLegOptions, RtpEdgeOptions, WorkerLegOptions } from './edge-types.ts';
import { PortAllocator } from './port-allocator.ts';
import { RtpEdgeLeg } from './rtp-edge-leg.ts';
import { startEdgeWorker } from './worker-launch.ts';

export const DEFAULT_EDGE_PORT_RANGE = { min: 40000, max: 47999 };
/** Bind attempts per leg before giving up (ports taken by other programs are skipped). */
const MAX_BIND_ATTEMPTS = 20;

interface EdgeWorker {
  index: number;
  worker: Worker;
  mux: WorkerLegMux;
  legs: Set<RtpEdgeLeg>;
  /** Legs placed or being placed on this worker (placement counts before the bind finishes). */
  load: number;
}

/**
 * Default edge threads: one per core but one (left to the main loop and the mediasoup workers),
 * at least 1, at most 4. Measured on 2 cores (docs/media-bench.md): one thread relaying 200
 * calls costs ~13 % less CPU than two, as each wake-up handles more packets.
 */
export function defaultEdgeWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class RtpEdge {
  private readonly allocator: PortAllocator;
  private readonly workers: EdgeWorker[] = [];
  /** Worker of each group with legs on it, and how many. */
  private readonly groups = new Map<string, { entry: EdgeWorker; legs: number }>();
  private nextLegId = 1;
  private closing = false;

  private constructor(private readonly options: Required<RtpEdgeOptions>) {
    this.allocator = new PortAllocator(options.portRange);
  }

  /** Starts the worker threads and resolves when each has reported ready. */
  static async start(options: RtpEdgeOptions = {}): Promise<RtpEdge> {
    const resolved: Required<RtpEdgeOptions> = {
      workers: options.workers ?? defaultEdgeWorkers(),
      portRange: options.portRange ?? DEFAULT_EDGE_PORT_RANGE,
      bindAddress: options.bindAddress ?? '0.0.0.0',
      relayAddress: options.relayAddress ?? '127.0.0.1',
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    };
    const edge = new RtpEdge(resolved);
    try {
      await Promise.all(Array.from({ length: resolved.workers }, (_, i) => edge.spawn(i)));
    } catch (err) {
      await edge.close();
      throw err;
    }
    return edge;
  }

  get legCount(): number {
    return this.workers.reduce((n, w) => n + w.legs.size, 0);
  }

  get workerCount(): number {
    return this.workers.length;
  }

  get portsInUse(): number {
    return this.allocator.used;
  }

  private spawn(index: number): Promise<void> {
    const worker = startEdgeWorker(`rtp-edge-${index}`);
    const entry: EdgeWorker = { index, worker, mux: new WorkerLegMux(worker), legs: new Set(), load: 0 };
    this.workers.push(entry);
    worker.on('error', (err) => this.onWorkerDeath(entry, err));
    worker.on('exit', (code) => this.onWorkerDeath(entry, new CcboxError('CCBOX_ERR_UNAVAILABLE', `edge worker exited (${code})`)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CcboxError('CCBOX_ERR_TIMEOUT', 'edge worker did not start')), this.options.requestTimeoutMs * 4);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private onWorkerDeath(entry: EdgeWorker, err: Error): void {
    for (const leg of [...entry.legs]) leg.fail(err);
    const i = this.workers.indexOf(entry);
    if (i >= 0) this.workers.splice(i, 1);
    for (const [g, v] of this.groups) if (v.entry === entry) this.groups.delete(g);
  }

  /** The group's worker while it has legs, else the least loaded one. */
  private place(group: string | undefined): EdgeWorker {
    const known = group === undefined ? undefined : this.groups.get(group);
    if (known && this.workers.includes(known.entry)) {
      known.legs++;
      return known.entry;
    }
    let entry = this.workers[0];
    for (const w of this.workers) if (w.load < entry.load) entry = w;
    if (group !== undefined) this.groups.set(group, { entry, legs: 1 });
    return entry;
  }

  private unplace(group: string | undefined, entry: EdgeWorker): void {
    entry.load--;
    if (group === undefined) return;
    const g = this.groups.get(group);
    if (g && g.entry === entry && --g.legs <= 0) this.groups.delete(group);
  }

  /**
   * Creates a leg (binds a port pair and a loopback relay socket) on its group's worker, or on
   * the least loaded one.
   */
  async createLeg(options: CreateLegOptions): Promise<RtpEdgeLeg> {
    if (this.closing || this.workers.length === 0) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'RTP edge is not running');
    const entry = this.place(options.group);
    entry.load++;
    let placed = false;
    try {
      const leg = await this.createOn(entry, options);
      placed = true;
      return leg;
    } finally {
      if (!placed) this.unplace(options.group, entry);
    }
  }

  private async createOn(entry: EdgeWorker, options: CreateLegOptions): Promise<RtpEdgeLeg> {
    const id = options.id ?? `leg-${this.nextLegId++}`;
    for (let attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
      const rtpPort = this.allocator.allocate();
      if (rtpPort === null) break;
      const key = entry.mux.newKey();
      const port1 = entry.mux.port(key);
      const reply = await this.askWorker(entry, key, this.workerOptions(id, options, rtpPort), port1);
      if (reply.type === 'created') {
        const leg = new RtpEdgeLeg({
          id, thread: entry.index, port: port1, ...reply, routerLaw: options.router.law, requestTimeoutMs: this.options.requestTimeoutMs,
          onClosed: () => {
            entry.legs.delete(leg);
            this.unplace(options.group, entry);
            this.allocator.release(rtpPort);
          },
        });
        entry.legs.add(leg);
        return leg;
      }
      port1.close();
      this.allocator.release(rtpPort);
      if (reply.code !== 'EADDRINUSE' && reply.code !== 'EACCES') {
        throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `edge leg ${id}: ${reply.message}`);
      }
    }
    throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `edge leg ${id}: no free RTP port pair`);
  }

  private askWorker(entry: EdgeWorker, key: number, options: WorkerLegOptions, port1: LegPort): Promise<CreateReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        port1.close();
        reject(new CcboxError('CCBOX_ERR_TIMEOUT', `edge leg ${options.id}: worker did not answer`));
      }, this.options.requestTimeoutMs);
      port1.on('message', (reply: CreateReply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      entry.worker.postMessage({ type: 'create', leg: key, options } satisfies CreateLegMessage);
    });
  }

  private workerOptions(id: string, o: CreateLegOptions, rtpPort: number): WorkerLegOptions {
    return {
      id, router: o.router, media: o.media, remote: o.remote ?? null, relay: o.relay ?? null,
      producerSsrc: o.producerSsrc >>> 0, phoneSsrc: (o.phoneSsrc ?? randomInt(1, 2 ** 32 - 1)) >>> 0,
      latchWindowMs: o.latchWindowMs ?? 2000, deadMediaMs: o.deadMediaMs ?? 30_000, statsIntervalMs: o.statsIntervalMs ?? 0,
      inbandDtmf: o.inbandDtmf ?? null, bindAddress: this.options.bindAddress, relayAddress: this.options.relayAddress, rtpPort,
      initialSeq: randomInt(0, 0x10000), initialTs: randomInt(0, 2 ** 32 - 1),
      phoneInitialSeq: randomInt(0, 0x10000), phoneInitialTs: randomInt(0, 2 ** 32 - 1),
    };
  }

  /** Closes every leg (finalizing recordings) and stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    const legs = this.workers.flatMap((w) => [...w.legs]);
    await Promise.allSettled(legs.map((leg) => leg.close()));
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
