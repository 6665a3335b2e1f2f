// Entry of an RTP edge worker thread: creates legs on request from the main thread; each leg
// then talks over its own MessagePort. Per-packet work stays in these threads, never on the
// main event loop (DESIGN.md: Processes).
import { parentPort } from 'node:worker_threads';
import type { CreateLegMessage, CreateReply, WorkerReadyMessage } from './edge-protocol.ts';
import { LegWorker } from './leg-worker.ts';

if (!parentPort) throw new Error('edge-worker.ts must run in a worker thread');
const parent = parentPort;

parent.on('message', (msg: CreateLegMessage) => {
  if (msg?.type !== 'create') return;
  LegWorker.create(msg.options, msg.port).then(
    (leg) => msg.port.postMessage({ type: 'created', ...leg.ports } satisfies CreateReply),
    (err: Error & { code?: string }) => {
      msg.port.postMessage({ type: 'create-failed', code: err.code ?? 'UNKNOWN', message: err.message } satisfies CreateReply);
      msg.port.close();
    },
  );
});

parent.postMessage({ type: 'ready' } satisfies WorkerReadyMessage);
