// Starts an edge worker thread. Under tsx (the project runs its TypeScript sources directly),
// Node 20 workers do not inherit the loader hooks, so a tiny bootstrap registers tsx inside
// the worker before importing the entry; compiled JavaScript entries start directly.
import { Worker } from 'node:worker_threads';

export function startEdgeWorker(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./edge-worker.js', import.meta.url), { name });
  const entry = new URL('./edge-worker.ts', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const code = [
    `import(${JSON.stringify(api)})`,
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
    '.catch((err) => { console.error(err); process.exit(1); });',
  ].join('');
  return new Worker(code, { eval: true, name });
}
