// Entry of an RTP edge worker thread: creates legs on request from the main thread; each leg then
// talks over the worker's channel in envelopes carrying its key (leg-channel.ts). Per-packet work
// stays in these threads, never on the main event loop (DESIGN.md: Processes).
import { parentPort } from 'node:worker_threads';
import type { CreateLegMessage, CreateReply, WorkerReadyMessage } from './edge-protocol.ts';
import { WorkerSideLegPort, type LegCloseMessage, type LegEnvelope } from './leg-channel.ts';
import { LegWorker } from './leg-worker.ts';

if (!parentPort) throw new Error('edge-worker.ts must run in a worker thread');
const parent = parentPort;
const ports = new Map<number, WorkerSideLegPort>();

parent.on('message', (msg: CreateLegMessage | LegEnvelope | LegCloseMessage) => {
  switch (msg?.type) {
    case 'leg':
      ports.get(msg.leg)?.deliver(msg.msg);
      return;
    case 'leg-close': {
      const port = ports.get(msg.leg);
      ports.delete(msg.leg);
      port?.close();
      return;
    }
    case 'create': {
      const port = new WorkerSideLegPort(parent, msg.leg);
      ports.set(msg.leg, port);
      LegWorker.create(msg.options, port).then(
        (leg) => port.postMessage({ type: 'created', ...leg.ports } satisfies CreateReply),
        (err: Error & { code?: string }) => {
          port.postMessage({ type: 'create-failed', code: err.code ?? 'UNKNOWN', message: err.message } satisfies CreateReply);
          ports.delete(msg.leg);
        },
      );
      return;
    }
    default:
  }
});

parent.postMessage({ type: 'ready' } satisfies WorkerReadyMessage);
