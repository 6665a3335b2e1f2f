// Every await has a deadline: a promise raced against a timer of the injected clock.
import type { Clock } from '../../platform/clock.ts';
import { CcboxError } from '../../platform/errors.ts';

export function withDeadline<T>(clock: Clock, ms: number, what: string, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new CcboxError('CCBOX_ERR_TIMEOUT', `${what}: no answer within ${ms} ms`)), ms);
    work.then(
      (v) => {
        clock.clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clock.clearTimeout(timer);
        reject(err);
      },
    );
  });
}
