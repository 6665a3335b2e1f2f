// The browser suites' shared start: a demo box serving the built console (web/dist), an API client logged in
// as admin, and Chromium (zh-CN) on a page logged in through the login form — and the one call that stops both.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Config } from '../../src/platform/index.ts';
import { ApiClient, startTestBox, type TestBox } from './box.ts';
import { haveChromium, launchChromium } from './browser.ts';
import { ROOT } from './process.ts';

export const WEB_DIST = path.join(ROOT, 'web', 'dist');
/** Screenshots of the browser suites. */
export const OUT = path.join(ROOT, 'test-output');
/** The `skip` of a browser suite: no Chromium, or no built console. */
export const webSkip: string | false = !haveChromium
  ? 'Debian chromium is not installed (npm test installs it)'
  : !existsSync(path.join(WEB_DIST, 'index.html')) ? 'web/dist is not built' : false;

export interface WebSessionOptions {
  /** the demo admin's password for this box (default 'Admin-e2e-1') */
  adminPassword?: string;
  /** more box config, e.g. the suite's own media port ranges */
  box?: Partial<Config>;
  /** Chromium flags beyond the offline ones */
  browserArgs?: string[];
  /** the page's context; locale zh-CN unless given */
  context?: BrowserContextOptions;
  /** page.setDefaultTimeout, when the suite wants one */
  defaultTimeout?: number;
  /** log the page in as admin (default true); the login page's own suite says false */
  login?: boolean;
}

export interface WebSession {
  tb: TestBox;
  /** logged in as admin */
  api: ApiClient;
  browser: Browser;
  page: Page;
  adminPassword: string;
  close(): Promise<void>;
}

/** Logs `page` in through the console's login form and waits for the signed-in header. */
export async function loginInPage(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}

export async function startWebSession(opts: WebSessionOptions = {}): Promise<WebSession> {
  const adminPassword = opts.adminPassword ?? 'Admin-e2e-1';
  const tb = await startTestBox({ adminPassword, webDist: WEB_DIST, profile: 'demo', ...opts.box });
  let browser: Browser | undefined;
  try {
    const api = new ApiClient(tb.base);
    const login = await api.login('admin', adminPassword);
    if (login.status !== 200) throw new Error(`admin login to the test box answered ${login.status}`);
    browser = await launchChromium(opts.browserArgs);
    const ctx = await browser.newContext({ locale: 'zh-CN', ...opts.context });
    const page = await ctx.newPage();
    if (opts.defaultTimeout !== undefined) page.setDefaultTimeout(opts.defaultTimeout);
    mkdirSync(OUT, { recursive: true });
    if (opts.login !== false) await loginInPage(page, tb.base, 'admin', adminPassword);
    const b = browser;
    return {
      tb, api, browser: b, page, adminPassword,
      close: async () => {
        await b.close();
        await tb.close();
      },
    };
  } catch (e) {
    // A half-started session must not leave a box or a browser behind.
    await browser?.close().catch(() => undefined);
    await tb.close().catch(() => undefined);
    throw e;
  }
}
