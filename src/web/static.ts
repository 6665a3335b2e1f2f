// Serves the built console (web/dist) with history-routing fallback to index.html.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './web-types.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

export function serveConsole(app: Hono<AppEnv>, dist: string): void {
  const root = path.resolve(dist);
  app.get('*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname);
    const file = path.resolve(root, '.' + rel);
    if (file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) {
      c.header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
      // Vite puts a content hash in asset names, so they can be cached for good.
      c.header('cache-control', rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return c.body(readFileSync(file));
    }
    const index = path.join(root, 'index.html');
    if (!existsSync(index)) return c.text('ccbox: the web console is not built (run npm run build:web)', 503);
    c.header('cache-control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
  });
}
