// Every await on mediasoup has a deadline (CONVENTIONS.md): a worker that stops answering must
// fail the request with CCBOX_ERR_TIMEOUT instead of hanging a call forever.
import { CcboxError } from '../../platform/errors.ts';

export const DEFAULT_MEDIA_REQUEST_TIMEOUT_MS = 5000;

export function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  if (timeoutMs <= 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CcboxError('CCBOX_ERR_TIMEOUT', `${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  // The late result of a timed-out request is dropped; its rejection must not go unhandled.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
