// A real node:http server on 127.0.0.1 for the IVR's HTTP nodes: each request is handed to the test,
// which answers it (or not) when it wants — no sleeps, the test waits for the request itself.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PeerRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): any;
  reply(status: number, body: string | object, contentType?: string): void;
}

export class HttpPeer {
  private readonly queue: PeerRequest[] = [];
  private readonly waiters: ((r: PeerRequest) => void)[] = [];
  /** When set, requests are answered at once by this function instead of being queued. */
  auto: ((r: PeerRequest) => void) | null = null;
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<HttpPeer> {
    const server = http.createServer();
    const peer = new HttpPeer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: PeerRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          json: () => JSON.parse(body),
          reply: (status, b, ct = 'application/json') => {
            if (res.writableEnded || res.destroyed) return;
            res.writeHead(status, { 'content-type': ct });
            res.end(typeof b === 'string' ? b : JSON.stringify(b));
          },
        };
        if (peer.auto) return peer.auto(r);
        const w = peer.waiters.shift();
        if (w) w(r);
        else peer.queue.push(r);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next request that arrives (or has arrived). */
  next(): Promise<PeerRequest> {
    const r = this.queue.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close').catch(() => undefined);
  }
}
