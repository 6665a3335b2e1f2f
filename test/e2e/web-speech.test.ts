// 语音设置 (IVR 管理 tab) in Chromium against a real box: the defaults load; the server's refusals show beside
// their fields (腾讯云识别 without an account, a non-numeric AppId) and write nothing; an account is saved, the page
// reloaded shows it with the secrets only as hints, a change without the secrets keeps them; 试听 renders on the box;
// an agent without the ivr permission has no such tab.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { loginInPage, OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

const ADMIN_PW = 'Admin-speech-e2e-1';
const SECRET_ID = 'AKIDconsoleTest0042';
const SECRET_KEY = 'ConsoleTestSecretKey77';

describe('语音设置 page in Chromium', { skip: webSkip, timeout: 180_000 }, () => {
  let web: WebSession;
  let tb: TestBox;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  const saved = () => page.getByTestId('toast').filter({ hasText: '已保存' }).first().waitFor();

  before(async () => {
    web = await startWebSession({ adminPassword: ADMIN_PW, context: { viewport: { width: 1440, height: 1000 } }, defaultTimeout: 20_000 });
    ({ tb, api, browser, page } = web);
  });
  after(async () => {
    await web?.close();
  });

  it('opens from the IVR page and shows the defaults', async () => {
    await page.getByTestId('nav-ivr').click();
    await page.getByTestId('ivr-tab-speech').click();
    await page.waitForURL(/\/ivr\/speech$/);
    await page.getByTestId('speech-form').waitFor();
    assert.equal(await page.getByTestId('ivr-tab-speech').innerText(), '语音设置');
    assert.equal(await page.getByTestId('speech-asr-auto').isChecked(), true);
    assert.equal(await page.getByTestId('speech-tts-local').isChecked(), true);
    assert.equal(await page.getByTestId('speech-use-tencent').isChecked(), false);
    assert.equal(await page.getByTestId('speech-app-id').count(), 0, 'no account fields without an account');
  });

  it('shows the server refusals beside their fields and writes nothing', async () => {
    await page.getByTestId('speech-asr-tencent').check();
    await page.getByTestId('speech-save').click();
    const asrError = page.getByTestId('field-error-asrEngine');
    await asrError.waitFor();
    assert.match(await asrError.innerText(), /腾讯云账号/);
    assert.doesNotMatch(await asrError.innerText(), /Tencent/, 'only the Chinese half of the server message');

    await page.getByTestId('speech-use-tencent').check();
    await page.getByTestId('speech-app-id').fill('12ab');
    await page.getByTestId('speech-secret-id').fill(SECRET_ID);
    await page.getByTestId('speech-secret-key').fill(SECRET_KEY);
    await page.getByTestId('speech-save').click();
    const idError = page.getByTestId('field-error-tencent.appId');
    await idError.waitFor();
    assert.equal(await idError.innerText(), 'AppId 为数字');
    assert.equal(await asrError.count(), 0, 'the earlier error is gone');
    assert.deepEqual((await api.get('/ivr/speech/settings')).body, { asrEngine: 'auto', ttsEngine: 'local', tencent: null }, 'nothing was written');
  });

  it('saves an account and the engine; after a reload the page shows them, the secrets only as hints', async () => {
    await page.getByTestId('speech-app-id').fill('1250000001');
    await page.getByTestId('speech-region').fill('ap-beijing');
    await page.getByTestId('speech-voice-zh').fill('101002');
    await page.getByTestId('speech-save').click();
    await saved();
    await page.getByTestId('field-error-tencent.appId').waitFor({ state: 'detached' });
    const view = (await api.get('/ivr/speech/settings')).body;
    assert.deepEqual(view, {
      asrEngine: 'tencent', ttsEngine: 'local',
      tencent: { appId: '1250000001', region: 'ap-beijing', asrModel: '8k_zh', ttsVoiceZh: 101002, ttsVoiceEn: 101050, secretIdHint: 'AKID****0042', secretKeySet: true },
    });
    assert.equal(tb.box.speech.settings.current().tencent?.secretKey, SECRET_KEY, 'the providers get the key');

    await page.reload();
    await page.getByTestId('speech-form').waitFor();
    assert.equal(await page.getByTestId('speech-asr-tencent').isChecked(), true);
    assert.equal(await page.getByTestId('speech-tts-local').isChecked(), true);
    assert.equal(await page.getByTestId('speech-use-tencent').isChecked(), true);
    assert.equal(await page.getByTestId('speech-app-id').inputValue(), '1250000001');
    assert.equal(await page.getByTestId('speech-region').inputValue(), 'ap-beijing');
    assert.equal(await page.getByTestId('speech-asr-model').inputValue(), '8k_zh');
    assert.equal(await page.getByTestId('speech-voice-zh').inputValue(), '101002');
    assert.equal(await page.getByTestId('speech-voice-en').inputValue(), '101050');
    assert.equal(await page.getByTestId('speech-secret-id').inputValue(), '', 'secrets are never filled in');
    assert.equal(await page.getByTestId('speech-secret-key').inputValue(), '');
    assert.match(await page.getByTestId('speech-secret-id-state').innerText(), /AKID\*\*\*\*0042/);
    assert.match(await page.getByTestId('speech-secret-key-state').innerText(), /已保存/);
    const html = await page.content();
    assert.ok(!html.includes(SECRET_KEY) && !html.includes(SECRET_ID), 'no secret in the page');
    await page.screenshot({ path: path.join(OUT, 'web-speech.png'), fullPage: true });
  });

  it('a change without the secrets keeps them', async () => {
    await page.getByTestId('speech-asr-model').fill('8k_en');
    await page.getByTestId('speech-save').click();
    await page.waitForFunction(async () => (await (await fetch('/api/v1/ivr/speech/settings')).json()).tencent?.asrModel === '8k_en');
    const current = tb.box.speech.settings.current().tencent;
    assert.equal(current?.secretId, SECRET_ID);
    assert.equal(current?.secretKey, SECRET_KEY);
  });

  it('试听 renders a text with the saved (local) TTS engine', async () => {
    await page.getByTestId('speech-test-text').fill('您好，这是语音设置的试听。');
    const preview = page.waitForResponse((r) => r.url().endsWith('/api/v1/ivr/tts/preview'));
    await page.getByTestId('speech-test-play').click();
    const res = await preview;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'audio/wav');
    assert.match(await page.getByTestId('speech-test-result').innerText(), /已合成 \d+\.\d 秒语音/);
  });

  it('removing the account while 腾讯云识别 is chosen is refused beside the engine; with the box engine it is removed', async () => {
    await page.getByTestId('speech-use-tencent').uncheck();
    await page.getByTestId('speech-remove-note').waitFor();
    await page.getByTestId('speech-save').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('field-error-asrEngine').waitFor();
    assert.notEqual((await api.get('/ivr/speech/settings')).body.tencent, null, 'the account is kept');
    await page.getByTestId('speech-asr-auto').check();
    await page.getByTestId('speech-save').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('field-error-asrEngine').waitFor({ state: 'detached' });
    await page.waitForFunction(async () => (await (await fetch('/api/v1/ivr/speech/settings')).json()).tencent === null);
    assert.equal((await api.get('/ivr/speech/settings')).body.asrEngine, 'auto');
    assert.equal(await page.getByTestId('speech-secret-id-state').count(), 0);
  });

  it('an agent without the ivr permission has no IVR page nor 语音设置', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await loginInPage(p, tb.base, '1001@demo.local', 'Agent1001-demo');
    assert.equal(await p.getByTestId('nav-ivr').count(), 0);
    await p.goto(tb.base + '/ivr/speech');
    await p.getByTestId('page-message').waitFor();
    assert.equal(await p.getByTestId('speech-form').count(), 0);
    await ctx.close();
  });
});
