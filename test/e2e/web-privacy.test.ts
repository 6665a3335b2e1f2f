// 号码隐私保护 settings page in Chromium against a real box: site IT picks 真实号码映射为用户 ID, an http:// endpoint is
// refused beside its field, the https:// one with BasicAuth and a password is saved (the password never comes
// back: the field stays empty and says 已设置), OAuth2 client credentials replace it, and 掩码保护 / 不开启 switch.
// An agent has no such page (the settings permission).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, type TestBox } from '../helpers/box.ts';
import { loginInPage, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

const ADMIN_PW = 'Admin-privacy-e2e-1';

describe('号码隐私保护 page in Chromium', { skip: webSkip }, () => {
  let web: WebSession;
  let tb: TestBox;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  before(async () => {
    web = await startWebSession({ adminPassword: ADMIN_PW, defaultTimeout: 20_000 });
    ({ tb, api, browser, page } = web);
  });
  after(async () => {
    await web?.close();
  });

  it('真实号码映射为用户 ID: http:// is refused beside the field, https:// with BasicAuth is saved, the password never returns', async () => {
    await page.getByTestId('nav-privacy').click();
    await page.getByTestId('privacy-form').waitFor();
    assert.equal(await page.getByTestId('privacy-mode-off').isChecked(), true);
    await page.getByTestId('privacy-mode-uid').check();
    await page.getByTestId('privacy-url').fill('http://crm.example.com/map');
    await page.getByTestId('privacy-username').fill('ccbox');
    await page.getByTestId('privacy-secret').fill('Map-secret-1');
    await page.getByTestId('privacy-save').click();
    await page.getByTestId('field-error-endpoint.url').waitFor();
    assert.match(await page.getByTestId('field-error-endpoint.url').innerText(), /HTTPS/);
    assert.equal((await api.get('/settings/privacy')).body.mode, 'off', 'nothing was written');

    await page.getByTestId('privacy-url').fill('https://crm.example.com/map');
    await page.getByTestId('privacy-save').click();
    await page.getByTestId('toast').filter({ hasText: '已保存' }).first().waitFor();
    const saved = (await api.get('/settings/privacy')).body;
    assert.equal(saved.mode, 'uid');
    assert.deepEqual(saved.endpoint.auth, { kind: 'basic', username: 'ccbox' });
    assert.equal(saved.secretSet, true);

    await page.reload();
    await page.getByTestId('privacy-form').waitFor();
    assert.equal(await page.getByTestId('privacy-url').inputValue(), 'https://crm.example.com/map');
    assert.equal(await page.getByTestId('privacy-secret').inputValue(), '', 'the password is write-only');
    assert.match(await page.getByTestId('privacy-secret-state').innerText(), /已设置/);
    assert.ok(!(await page.content()).includes('Map-secret-1'));
  });

  it('OAuth2 client credentials replace BasicAuth; 掩码保护 and 不开启 switch the mode', async () => {
    await page.getByTestId('privacy-auth-kind').selectOption('oauth2');
    await page.getByTestId('privacy-token-url').fill('https://auth.example.com/oauth/token');
    await page.getByTestId('privacy-client-id').fill('ccbox-client');
    await page.getByTestId('privacy-secret').fill('Client-secret-9');
    await page.getByTestId('privacy-save').click();
    await page.getByTestId('toast').filter({ hasText: '已保存' }).first().waitFor();
    const saved = (await api.get('/settings/privacy')).body;
    assert.deepEqual(saved.endpoint.auth, { kind: 'oauth2', tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'ccbox-client', scope: null });
    assert.equal(saved.secretSet, true);

    await page.getByTestId('privacy-mode-mask').check();
    await page.getByTestId('privacy-mask-hint').waitFor();
    await page.getByTestId('privacy-save').click();
    await page.getByTestId('toast').filter({ hasText: '已保存' }).nth(0).waitFor();
    for (let i = 0; i < 50 && (await api.get('/settings/privacy')).body.mode !== 'mask'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await api.get('/settings/privacy')).body.mode, 'mask');
    await page.getByTestId('privacy-mode-off').check();
    await page.getByTestId('privacy-save').click();
    for (let i = 0; i < 50 && (await api.get('/settings/privacy')).body.mode !== 'off'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await api.get('/settings/privacy')).body.mode, 'off');
  });

  it('an agent has no 号码隐私保护 page and the API refuses them', async () => {
    const agent = new ApiClient(tb.base);
    await agent.login('1001@demo.local', 'Agent1001-demo');
    assert.equal((await agent.get('/settings/privacy')).status, 403);
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await loginInPage(p, tb.base, '1001@demo.local', 'Agent1001-demo');
    assert.equal(await p.getByTestId('nav-privacy').count(), 0);
    await ctx.close();
  });
});
