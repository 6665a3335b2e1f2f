// HTTPS (the console's home on the LAN: the browser softphone needs a secure context) and HTTP, which
// serves everything to loopback and redirects LAN clients to HTTPS.
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import type { TlsMaterial } from '../platform/tls.ts';

export interface WebServers {
  httpPort: number;
  httpsPort: number;
  /** The Node servers, for WebSocket upgrades (web/realtime); `secure` is the HTTPS one. */
  servers: { server: Server; secure: boolean }[];
  close(): Promise<void>;
}

const isLoopback = (ip: string): boolean => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');

function listen(server: ServerType): Promise<number> {
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve((server.address() as AddressInfo).port);
    server.once('error', reject);
    server.once('listening', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startWebServers(opts: {
  fetch: (req: Request, env: unknown) => Response | Promise<Response>;
  host: string;
  httpPort: number;
  httpsPort: number;
  tls: TlsMaterial;
}): Promise<WebServers> {
  const https = serve({
    fetch: opts.fetch,
    hostname: opts.host,
    port: opts.httpsPort,
    createServer: createHttpsServer,
    serverOptions: { cert: opts.tls.cert, key: opts.tls.key },
  });
  const httpsPort = await listen(https);

  const front = new Hono();
  front.all('*', (c) => {
    const ip = getConnInfo(c).remote.address ?? '';
    if (isLoopback(ip)) return opts.fetch(c.req.raw, c.env);
    const url = new URL(c.req.url);
    url.protocol = 'https:';
    url.port = String(httpsPort);
    return c.redirect(url.toString(), 308);
  });
  const http = serve({ fetch: front.fetch, hostname: opts.host, port: opts.httpPort });
  const httpPort = await listen(http);

  const closeOne = (s: ServerType): Promise<void> =>
    new Promise((resolve) => {
      (s as { closeAllConnections?: () => void }).closeAllConnections?.();
      s.close(() => resolve());
    });
  return { httpPort, httpsPort, servers: [{ server: https as Server, secure: true }, { server: http as Server, secure: false }], close: async () => void (await Promise.all([closeOne(http), closeOne(https)])) };
}
