// Starts an edge worker thread (src/platform/module-worker.ts: under tsx the TypeScript entry, else the compiled one).
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../platform/module-worker.ts';

export function startEdgeWorker(name: string): Worker {
  return startModuleWorker(new URL(import.meta.url.endsWith('.ts') ? './edge-worker.ts' : './edge-worker.js', import.meta.url), { name });
}
