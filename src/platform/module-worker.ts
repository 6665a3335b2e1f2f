// Starts a worker thread from an ES module of the project. Under tsx (the project runs its TypeScript
// sources directly), Node 20 workers do not inherit the loader hooks, so a tiny bootstrap registers tsx
// inside the worker before importing the entry; compiled JavaScript entries start directly.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startModuleWorker(entry: URL, options: Pick<WorkerOptions, 'name' | 'workerData'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = import.meta.resolve('tsx/esm/api');
  const code = [
    `import(${JSON.stringify(api)})`,
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
    '.catch((err) => { console.error(err); process.exit(1); });',
  ].join('');
  return new Worker(code, { ...options, eval: true });
}
