// The click-to-call SDK (PC 端点击呼出): `GET /sdk/tccc.js`, a script business systems include to get the
// cloud product's `tccc` surface, and `GET /sdk/frame`, the box page that script embeds (the workbench's call
// bar, built from web/workbench.html). Mounted before the console's security headers: these paths answer with
// their own (the same, but CORP and frame-ancestors as a cross-origin script and an embedded frame need).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv, WebDeps } from '../web-types.ts';
import { IntegrationStore } from './integration-store.ts';

export { IntegrationStore, checkHttpsUrl, checkOrigin, HTTPS_ONLY_MSG, type ScreenPopPage, type ScreenPopInput, type ScreenPopMode } from './integration-store.ts';

const SCRIPT = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'tccc.js'), 'utf8');

export function mountSdk(app: Hono<AppEnv>, deps: Pick<WebDeps, 'db' | 'config'>): void {
  const store = new IntegrationStore(deps.db);

  // The console's headers, except what these two need: a <script src> from the business system's origin
  // (no-cors, so CORP cross-origin) and a frame the allowed origins may embed (frame-ancestors).
  app.use('/sdk/*', async (c, next) => {
    const frame = c.req.path === '/sdk/frame';
    const ancestors = frame ? await store.allowedOrigins() : [];
    return secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameSrc: ['https:'],
        connectSrc: ["'self'"],
        frameAncestors: ancestors.length ? ancestors : ["'none'"],
      },
      xFrameOptions: frame ? false : 'DENY',
      crossOriginResourcePolicy: c.req.path === '/sdk/tccc.js' ? 'cross-origin' : 'same-origin',
      referrerPolicy: 'same-origin',
    })(c, next);
  });

  app.get('/sdk/tccc.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('access-control-allow-origin', '*');
    c.header('cache-control', 'no-cache');
    return c.body(SCRIPT);
  });

  app.get('/sdk/frame', (c) => {
    const file = path.join(path.resolve(deps.config.webDist), 'workbench.html');
    if (!existsSync(file)) return c.text('ccbox: the workbench is not built (run npm run build:web)', 503);
    c.header('cache-control', 'no-cache');
    return c.html(readFileSync(file, 'utf8'));
  });
}
