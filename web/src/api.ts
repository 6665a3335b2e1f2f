// Typed client for the ccbox REST API v1 (docs/api-v1.md): JSON bodies, the CSRF header on every
// non-GET request, the uniform error shape, and one hook that sends the user back to login on 401.
// Each area's calls live beside it: api-auth, api-directory, api-settings, api-phones, api-channels, api-ivr,
// and the page folders' own *-api.ts.

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface ImportRowError { row: number; field: string; message: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly rows?: ImportRowError[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BASE = '/api/v1';

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** The token lives in memory only; a reload gets it again from GET /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  /** login and /auth/me handle their own 401 */
  own401?: boolean;
  /** set on the one retry after a CSRF refusal */
  retried?: boolean;
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (res.status === 401 && !opts.own401) unauthorizedHandler?.();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: a proxy error page, handled below */
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string; rows?: ImportRowError[] } } | undefined)?.error;
    // A token lost with a server restart or another tab's login: fetch the current one and retry once.
    if (err?.code === 'CCBOX_ERR_CSRF' && !opts.retried && !opts.own401) {
      const session = await request<{ csrfToken: string }>('GET', '/auth/me').catch(() => null);
      if (session) {
        setCsrfToken(session.csrfToken);
        return request<T>(method, path, { ...opts, retried: true });
      }
    }
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? '', err?.field, err?.rows);
  }
  return data as T;
}

/** A raw-body POST through XMLHttpRequest, for its upload progress (fetch has none). */
function upload<T>(path: string, file: Blob, contentType: string, onProgress: (fraction: number) => void, retried = false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', ''));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      if (xhr.status === 401) unauthorizedHandler?.();
      const err = (data as { error?: { code?: string; message?: string; field?: string; rows?: ImportRowError[] } } | undefined)?.error;
      if (err?.code === 'CCBOX_ERR_CSRF' && !retried) {
        request<{ csrfToken: string }>('GET', '/auth/me')
          .then((s) => {
            setCsrfToken(s.csrfToken);
            return upload<T>(path, file, contentType, onProgress, true);
          })
          .then(resolve, reject);
        return;
      }
      reject(new ApiError(xhr.status, err?.code ?? `HTTP_${xhr.status}`, err?.message ?? '', err?.field, err?.rows));
    };
    xhr.send(file);
  });
}

const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
const del = (path: string) => request<void>('DELETE', path);

/** The raw verbs, for the area clients (api-*.ts) and page folders that keep their own typed client beside them
 * (records, monitor, call settings). */
export const http = { get, post, patch, put, del, qs, request, upload, base: BASE, csrf: () => csrfToken };
