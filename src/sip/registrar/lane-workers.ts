// The REGISTER lane's worker threads, seen from the main thread: started with their own descriptors of
// the SIP UDP sockets, a copy of the phones' credentials (kept current) and the nonce key; their jobs are
// decided by the main thread's RegisterLane and answered in one message per batch, and the datagrams
// they pass back are handled as if read here. A worker that fails is logged and not replaced: the main
// thread still reads the socket, so nothing is lost but the extra capacity.
import type { Worker } from 'node:worker_threads';
import type { PhoneChange, PhoneCredential } from '../../directory/phone-types.ts';
import type { Logger } from '../../platform/logger.ts';
import { startModuleWorker } from '../../platform/module-worker.ts';
import type { SipSource } from '../transport/index.ts';
import type { DigestFinding } from './digest-verifier.ts';
import type { LaneJob, LaneVerdict } from './lane-plain.ts';
import type { RegisterLane } from './register-lane.ts';

export interface LaneWorkerData {
  sockets: Array<{ fd: number; type: 'udp4' | 'udp6'; ip: string; port: number }>;
  realm: string;
  key: Uint8Array;
  nonceTtlMs: number;
  maxMessageBytes: number;
  credentials: PhoneCredential[];
}

export type FromLaneWorker =
  | { t: 'ready' }
  | { t: 'batch'; jobs: Array<[id: number, job: LaneJob, finding: DigestFinding]>; datagrams: Array<[bytes: Uint8Array, source: SipSource]> }
  | { t: 'error'; message: string }
  | { t: 'stopped' };

export type ToLaneWorker =
  /** `handled`: how many of the batch's datagrams the main thread has handled (the worker's backlog shrinks by it). */
  | { t: 'verdicts'; items: Array<[id: number, verdict: LaneVerdict]>; handled: number }
  | { t: 'credential'; change: PhoneChange }
  | { t: 'stop' };

export interface LaneWorkersOptions {
  count: number;
  lane: RegisterLane;
  /** New descriptors of the UDP sockets, one set per worker (the worker closes them). */
  duplicateSockets: () => LaneWorkerData['sockets'];
  /** A datagram a worker did not take (not a plain REGISTER): handled as if the main thread read it. */
  receiveForwarded: (bytes: Buffer, source: SipSource) => void;
  realm: string;
  key: Uint8Array;
  nonceTtlMs: number;
  maxMessageBytes: number;
  credentials: () => PhoneCredential[];
  log: Logger;
}

export class LaneWorkers {
  private readonly workers: Worker[] = [];
  /** Jobs decided and datagrams passed back by the workers. */
  readonly counts = { jobs: 0, datagrams: 0 };

  constructor(private readonly o: LaneWorkersOptions) {}

  get size(): number {
    return this.workers.length;
  }

  /** Starts the workers; each is listening when this resolves. */
  async start(): Promise<void> {
    for (let i = 0; i < this.o.count; i++) {
      const sockets = this.o.duplicateSockets();
      const workerData: LaneWorkerData = {
        sockets, realm: this.o.realm, key: this.o.key, nonceTtlMs: this.o.nonceTtlMs, maxMessageBytes: this.o.maxMessageBytes, credentials: this.o.credentials(),
      };
      const entry = new URL(import.meta.url.endsWith('.ts') ? './lane-worker.ts' : './lane-worker.js', import.meta.url);
      const worker = startModuleWorker(entry, { workerData, name: `ccbox-register-lane-${i + 1}` });
      this.workers.push(worker);
      await new Promise<void>((resolve, reject) => {
        worker.on('message', (m: FromLaneWorker) => {
          if (m.t === 'ready') resolve();
          else this.onMessage(worker, m);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`REGISTER lane worker exited (${code}) before it was listening`)));
      });
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      worker.on('error', (err) => this.o.log.error({ err }, 'REGISTER lane worker failed; the main thread takes its share'));
      worker.on('exit', () => this.forget(worker));
    }
  }

  /** Keeps the workers' copy of the credentials current. */
  credentialChanged(change: PhoneChange): void {
    for (const w of this.workers) w.postMessage({ t: 'credential', change } satisfies ToLaneWorker);
  }

  async stop(): Promise<void> {
    if (this.workers.length) this.o.log.info({ workers: this.workers.length, ...this.counts }, 'REGISTER lane workers stopping');
    await Promise.all(this.workers.splice(0).map(async (w) => {
      const stopped = new Promise<void>((resolve) => {
        w.on('message', (m: FromLaneWorker) => m.t === 'stopped' && resolve());
        w.once('exit', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      w.postMessage({ t: 'stop' } satisfies ToLaneWorker);
      await stopped;
      await w.terminate();
    }));
  }

  private onMessage(worker: Worker, m: FromLaneWorker): void {
    if (m.t === 'error') return void this.o.log.warn({ detail: m.message }, 'REGISTER lane worker socket error');
    if (m.t !== 'batch') return;
    for (const [bytes, source] of m.datagrams) {
      this.counts.datagrams++;
      try {
        this.o.receiveForwarded(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), source);
      } catch (err) {
        this.o.log.error({ err, ip: source.ip }, 'SIP datagram passed back by a lane worker failed');
      }
    }
    const items: Array<[number, LaneVerdict]> = [];
    for (const [id, job, finding] of m.jobs) {
      this.counts.jobs++;
      try {
        items.push([id, this.o.lane.decide(job, finding)]);
      } catch (err) {
        this.o.log.error({ err, ip: job.source.ip }, 'REGISTER from a lane worker failed');
        items.push([id, { drop: true }]);
      }
    }
    worker.postMessage({ t: 'verdicts', items, handled: m.datagrams.length } satisfies ToLaneWorker);
  }

  private forget(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
  }
}
