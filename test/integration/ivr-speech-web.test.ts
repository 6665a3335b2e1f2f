// 点击试听 on the canvas in Chromium: the demo flow's welcome node (TTS) has a 试听 button; clicking it posts
// the text to the box, which renders it with its TTS, and the page plays what comes back — a WAV that
// Chromium itself decodes to as many seconds as the box reported rendering.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_NODE_IDS } from '../../src/ivr/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { haveChromium, launchChromium } from '../helpers/browser.ts';
import { ROOT } from '../helpers/process.ts';

const dist = path.join(ROOT, 'web', 'dist');
const skip = !haveChromium ? 'Debian chromium is not installed (npm test installs it)' : !existsSync(path.join(dist, 'index.html')) ? 'web/dist is not built' : false;
const PW = 'Admin-speech-3';

describe('TTS 试听 on the IVR canvas in Chromium', { skip, timeout: 120_000 }, () => {
  let tb: TestBox;
  let browser: Browser;
  let page: Page;

  before(async () => {
    tb = await startTestBox({ adminPassword: PW, webDist: dist, profile: 'demo' });
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.goto(tb.base + '/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
  });
  after(async () => {
    await browser?.close();
    await tb?.close();
  });

  it('plays the welcome text rendered by the box', async () => {
    const api = new ApiClient(tb.base);
    await api.login('admin', PW);
    const demo = (await api.get('/ivr/flows')).body.find((f: { name: string }) => f.name === 'demo');
    // Watches (does not replace) the page's audio: what it played and whether it got to the end.
    await page.addInitScript(() => {
      const w = window as unknown as { audioLog: string[] };
      w.audioLog = [];
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        for (const ev of ['playing', 'ended']) this.addEventListener(ev, () => w.audioLog.push(ev));
        this.addEventListener('error', () => w.audioLog.push(`error ${this.error?.code}`));
        return play.call(this).catch((e: Error) => {
          w.audioLog.push(`rejected ${e.name}`);
          throw e;
        });
      };
    });
    await page.goto(`${tb.base}/ivr/flows/${demo.id}`);
    await page.locator('[data-testid="ivr-designer"][data-loaded="true"]').waitFor();
    await page.getByTestId(`ivr-node-${DEMO_NODE_IDS.welcome}`).click();
    await page.getByTestId('node-panel').waitFor();
    const button = page.getByTestId('param-prompt-preview');
    assert.equal(await button.innerText(), '试听');
    // The exchange passes through unchanged; the test keeps a copy of what the box answered.
    const seen: { status: number; type: string; body: Buffer; posted: unknown }[] = [];
    let answered!: () => void;
    const got = new Promise<void>((r) => (answered = r));
    await page.route('**/api/v1/ivr/tts/preview', async (route) => {
      const r = await route.fetch();
      seen.push({ status: r.status(), type: r.headers()['content-type'] ?? '', body: await r.body(), posted: JSON.parse(route.request().postData() ?? '{}') });
      await route.fulfill({ response: r });
      answered();
    });
    await button.click();
    await got;
    assert.equal(seen.length, 1);
    const res = seen[0]!;
    assert.equal(res.status, 200);
    assert.equal(res.type, 'audio/wav');
    const wav = res.body;
    assert.deepEqual(res.posted, { text: '您好，欢迎致电 ccbox 演示中心。', voice: 'cmn' });
    // What the box rendered is what a call would play; Chromium decodes it (8 kHz 16-bit WAV).
    const seconds = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const decoded = await new OfflineAudioContext(1, 8000, 8000).decodeAudioData(bytes.buffer);
      return decoded.duration;
    }, wav.toString('base64'));
    const expected = (wav.length - 44) / 16000;
    assert.ok(Math.abs(seconds - expected) < 0.1 && seconds > 1, `decoded ${seconds} s, rendered ${expected} s`);
    // The page played it to the end, and the button reads 试听 again.
    await page.waitForFunction(() => (window as unknown as { audioLog: string[] }).audioLog.some((e) => e !== 'playing'), undefined, { timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => (window as unknown as { audioLog: string[] }).audioLog), ['playing', 'ended']);
    await page.waitForFunction(() => document.querySelector('[data-testid="param-prompt-preview"]')?.textContent === '试听');
    assert.equal(await page.getByTestId('param-prompt-preview-error').count(), 0);
  });
});
