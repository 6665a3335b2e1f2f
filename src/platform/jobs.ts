// Long jobs (imports, exports) run in the background; the UI polls their progress.
import { uuid } from './ids.ts';
import { CcboxError } from './errors.ts';

export interface JobView {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed';
  progress: number;
  total: number;
  done: number;
  result?: unknown;
  error?: ReturnType<CcboxError['toJSON']>;
}

export interface JobProgress {
  setTotal(n: number): void;
  advance(n?: number): void;
}

interface Job extends JobView {
  ownerId: number;
  finishedAt?: number;
}

export class Jobs {
  private readonly jobs = new Map<string, Job>();
  constructor(private readonly keepMs = 3600_000) {}

  start(kind: string, ownerId: number, work: (p: JobProgress) => Promise<unknown>): string {
    this.prune();
    const job: Job = { id: uuid(), kind, ownerId, state: 'running', progress: 0, total: 0, done: 0 };
    this.jobs.set(job.id, job);
    const p: JobProgress = {
      setTotal: (n) => {
        job.total = n;
      },
      advance: (n = 1) => {
        job.done += n;
        job.progress = job.total ? Math.min(1, job.done / job.total) : 0;
      },
    };
    work(p).then(
      (result) => Object.assign(job, { state: 'done', progress: 1, result, finishedAt: Date.now() }),
      (err: unknown) => {
        const e = err instanceof CcboxError ? err : new CcboxError('CCBOX_ERR_INTERNAL', (err as Error).message);
        Object.assign(job, { state: 'failed', error: e.toJSON(), finishedAt: Date.now() });
      },
    );
    return job.id;
  }

  /** A job is visible to the account that started it only. */
  view(id: string, userId: number): JobView | undefined {
    const j = this.jobs.get(id);
    if (!j || j.ownerId !== userId) return undefined;
    const { ownerId: _o, finishedAt: _f, ...view } = j;
    return view;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.finishedAt && now - j.finishedAt > this.keepMs) this.jobs.delete(id);
  }
}
