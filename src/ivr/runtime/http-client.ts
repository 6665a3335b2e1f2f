// HTTP POST of JSON made by IVR nodes (接口调用, specifiedSeat, callee callback): node's fetch with a
// per-try timeout on the injected clock, the call's AbortSignal, a capped response, and retries.
import type { Clock } from '../../platform/clock.ts';

export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface PostJsonOptions {
  url: string;
  body: unknown;
  timeoutMs: number;
  tries: number;
  clock: Clock;
  /** Aborted when the caller hangs up. */
  signal?: AbortSignal;
}

export interface TryResult {
  status?: number;
  error?: string;
  ms: number;
}

export interface PostJsonResult {
  ok: boolean;
  /** The parsed body of the successful try. */
  json?: unknown;
  tries: TryResult[];
}

async function readCapped(res: Response, signal: AbortSignal): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function oneTry(opts: PostJsonOptions): Promise<{ result: TryResult; json?: unknown }> {
  const started = opts.clock.monotonic();
  const ac = new AbortController();
  const timer = opts.clock.setTimeout(() => ac.abort(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const onCallAbort = (): void => ac.abort(new Error('call ended'));
  opts.signal?.addEventListener('abort', onCallAbort, { once: true });
  try {
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(opts.body),
      signal: ac.signal,
      redirect: 'error',
    });
    const text = await readCapped(res, ac.signal);
    const ms = opts.clock.monotonic() - started;
    if (res.status < 200 || res.status > 299) return { result: { status: res.status, error: `HTTP ${res.status}`, ms } };
    try {
      return { result: { status: res.status, ms }, json: JSON.parse(text) as unknown };
    } catch {
      return { result: { status: res.status, error: 'malformed JSON', ms } };
    }
  } catch (err) {
    const reason = ac.signal.aborted ? ac.signal.reason : err;
    return { result: { error: (reason as Error)?.message ?? String(reason), ms: opts.clock.monotonic() - started } };
  } finally {
    opts.clock.clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallAbort);
  }
}

/** Tries up to `tries` times; the first 2xx answer with a JSON body wins. Never throws. */
export async function postJson(opts: PostJsonOptions): Promise<PostJsonResult> {
  const tries: TryResult[] = [];
  for (let i = 0; i < Math.max(1, opts.tries); i++) {
    if (opts.signal?.aborted) break;
    const { result, json } = await oneTry(opts);
    tries.push(result);
    if (!result.error) return { ok: true, json, tries };
  }
  return { ok: false, tries };
}

/** A field of a JSON answer by dot path (`data.items.0.name`); objects come back as JSON text. */
export function fieldOf(json: unknown, path: string): string | undefined {
  let cur: unknown = json;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}
