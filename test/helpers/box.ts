// Starts a real box for a test: temp data dir, ephemeral ports, silent log; and a small API client
// that keeps the session cookie and CSRF token like the browser does.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBox, type Box } from '../../src/box.ts';
import { createLogger, loadConfig, type Config } from '../../src/platform/index.ts';

export interface TestBox {
  box: Box;
  base: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestBox(overrides: Partial<Config> = {}, opts: { dataDir?: string; keepDir?: boolean } = {}): Promise<TestBox> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ccbox-test-'));
  const config = loadConfig({}, { dataDir, bindHost: '127.0.0.1', httpPort: 0, httpsPort: 0, sipPort: 0, sipTlsPort: 0, webrtcPort: 0, logLevel: 'silent', ...overrides });
  const box = await startBox(config, { log: createLogger({ level: process.env.CCBOX_TEST_LOG ?? 'silent' }) });
  return {
    box,
    base: `http://127.0.0.1:${box.web.httpPort}`,
    dataDir,
    close: async () => {
      await box.stop();
      if (!opts.keepDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  cookie = '';
  csrf = '';
  bearer = '';
  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    let payload: BodyInit | undefined;
    if (body instanceof Buffer || typeof body === 'string') payload = body as BodyInit;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + '/api/v1' + path, { method, headers: h, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /ccbox_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `ccbox_session=${m[1]}` : '';
    }
    const text = await res.text();
    const ct = res.headers.get('content-type') ?? '';
    return { status: res.status, body: ct.includes('json') && text ? JSON.parse(text) : text, headers: res.headers };
  }

  get = <T = any>(p: string) => this.call<T>('GET', p);
  post = <T = any>(p: string, b?: unknown, h?: Record<string, string>) => this.call<T>('POST', p, b, h);
  patch = <T = any>(p: string, b?: unknown) => this.call<T>('PATCH', p, b);
  put = <T = any>(p: string, b?: unknown) => this.call<T>('PUT', p, b);
  del = <T = any>(p: string) => this.call<T>('DELETE', p);

  async login(username: string, password: string): Promise<ApiResponse> {
    const r = await this.post('/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}
