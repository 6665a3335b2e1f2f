// The site's number-mapping endpoint over HTTPS: POST {"Numbers":[…],"Mode":"PhoneToUID"|"UIDToPhone"} with
// BasicAuth or an OAuth2 client-credentials token (RFC 6749 4.4), answer {"Code":0,"Results":[{"Key","Value"}]}.
// Every request has a deadline; errors say what failed without ever carrying a number or a secret.
import { request } from 'node:https';
import { CcboxError } from '../platform/errors.ts';
import type { MappingEndpoint } from './privacy-types.ts';

export type MappingMode = 'PhoneToUID' | 'UIDToPhone';

const MAX_ANSWER_BYTES = 1024 * 1024;

interface HttpAnswer { status: number; body: string }

function post(url: string, o: { headers: Record<string, string>; body: string; ca: string | null; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST', headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
      ...(o.ca ? { ca: o.ca } : {}), timeout: o.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The deadline covers the whole exchange, not only socket idleness.
    const deadline = setTimeout(() => req.destroy(new CcboxError('CCBOX_ERR_TIMEOUT', 'deadline')), o.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new CcboxError('CCBOX_ERR_TIMEOUT', 'deadline')));
    req.on('error', reject);
    req.end(o.body);
  });
}

const unavailable = (why: string): CcboxError => new CcboxError('CCBOX_ERR_UNAVAILABLE', `号码映射服务不可用：${why} (the number mapping service failed: ${why})`);

function transportError(err: unknown, timeoutMs: number): CcboxError {
  if (err instanceof CcboxError && err.code === 'CCBOX_ERR_TIMEOUT') {
    return new CcboxError('CCBOX_ERR_TIMEOUT', `号码映射服务 ${timeoutMs} ms 内未响应 (the number mapping service did not answer within ${timeoutMs} ms)`);
  }
  const code = (err as { code?: string }).code;
  return unavailable(code ? String(code) : 'connection failed');
}

export class MappingClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly endpoint: MappingEndpoint,
    private readonly secret: string | null,
    private readonly now: () => number = Date.now,
  ) {}

  private async bearer(refresh: boolean): Promise<string> {
    const auth = this.endpoint.auth;
    if (auth.kind !== 'oauth2') throw new Error('not oauth2');
    if (!refresh && this.token && this.token.expiresAt > this.now()) return this.token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    // RFC 6749 2.3.1: the client authenticates with HTTP Basic (id and secret form-encoded first).
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(this.secret ?? '')}`).toString('base64');
    let res: HttpAnswer;
    try {
      res = await post(auth.tokenUrl, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body: form.toString(), ca: this.endpoint.caCertPem, timeoutMs: this.endpoint.timeoutMs,
      });
    } catch (err) {
      throw transportError(err, this.endpoint.timeoutMs);
    }
    if (res.status !== 200) throw unavailable(`OAuth2 token HTTP ${res.status}`);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      throw unavailable('OAuth2 token answer is not JSON');
    }
    if (typeof body.access_token !== 'string' || !body.access_token) throw unavailable('OAuth2 token answer has no access_token');
    const ttl = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 300_000;
    this.token = { value: body.access_token, expiresAt: this.now() + Math.max(0, ttl - 30_000) };
    return this.token.value;
  }

  private async authorization(refresh: boolean): Promise<string> {
    const auth = this.endpoint.auth;
    if (auth.kind === 'basic') return `Basic ${Buffer.from(`${auth.username}:${this.secret ?? ''}`).toString('base64')}`;
    return `Bearer ${await this.bearer(refresh)}`;
  }

  /** Maps `keys` (numbers in 0086… format, or user IDs); keys the endpoint does not know are absent from the map. */
  async map(mode: MappingMode, keys: string[]): Promise<Map<string, string>> {
    const body = JSON.stringify({ Numbers: keys, Mode: mode });
    let res: HttpAnswer | null = null;
    for (const refresh of [false, true]) {
      try {
        res = await post(this.endpoint.url, {
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization: await this.authorization(refresh) },
          body, ca: this.endpoint.caCertPem, timeoutMs: this.endpoint.timeoutMs,
        });
      } catch (err) {
        if (err instanceof CcboxError && err.code !== 'CCBOX_ERR_TIMEOUT') throw err;
        throw transportError(err, this.endpoint.timeoutMs);
      }
      // An expired or revoked bearer token gets one fresh token.
      if (res.status === 401 && this.endpoint.auth.kind === 'oauth2' && !refresh) continue;
      break;
    }
    if (!res || res.status !== 200) throw unavailable(`HTTP ${res?.status ?? 0}`);
    let answer: { Code?: unknown; Results?: unknown; Message?: unknown };
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      throw unavailable('the answer is not JSON');
    }
    if (answer.Code !== 0) throw unavailable(`Code ${typeof answer.Code === 'number' || typeof answer.Code === 'string' ? answer.Code : '?'}`);
    if (!Array.isArray(answer.Results)) throw unavailable('the answer has no Results');
    const out = new Map<string, string>();
    const asked = new Set(keys);
    for (const r of answer.Results as { Key?: unknown; Value?: unknown }[]) {
      if (typeof r?.Key === 'string' && typeof r.Value === 'string' && r.Value && asked.has(r.Key)) out.set(r.Key, r.Value);
    }
    return out;
  }
}
