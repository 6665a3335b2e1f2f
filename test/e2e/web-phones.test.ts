// SIP 话机 and SIP 安全 in Chromium against a real box: add a phone (generated password), see it listed
// with its state, bind it to a skill group, reset its password, delete it; the SIP status and bans page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiClient } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

describe('SIP phones page in Chromium', { skip: webSkip }, () => {
  let web: WebSession;
  let api: ApiClient;
  let page: Page;

  before(async () => {
    web = await startWebSession({ context: { viewport: { width: 1366, height: 850 } } });
    ({ api, page } = web);
  });
  after(async () => {
    await web?.close();
  });

  it('lists phones with registration state and the box SIP addresses', async () => {
    const nav = page.getByTestId('nav-phones');
    assert.equal(await nav.getAttribute('aria-disabled'), null);
    await nav.click();
    await page.waitForURL(/\/phones$/);
    await page.getByTestId('phone-table').waitFor();
    await page.getByTestId('sip-realm').waitFor();
    assert.ok((await page.getByTestId('sip-listening').innerText()).includes('UDP'));
    // The demo profile's extensions, not registered.
    const row = page.getByTestId('phone-row-1001');
    await row.waitFor();
    assert.equal(await row.getByTestId('phone-registration').getAttribute('data-state'), 'unregistered');
  });

  it('refuses a bad extension beside the field, then adds a phone with a generated password', async () => {
    await page.getByTestId('phone-add').click();
    await page.getByTestId('phone-field-extension').fill('9001');
    await page.getByTestId('phone-field-name').fill('前台话机');
    await page.getByTestId('phone-dialog-submit').click();
    await page.getByTestId('field-error-extension').waitFor();
    await page.getByTestId('phone-field-extension').fill('1001');
    await page.getByTestId('phone-dialog-submit').click();
    // Taken by the demo profile: the server's 409 shows beside the field.
    await page.getByTestId('field-error-extension').waitFor();
    assert.match(await page.getByTestId('field-error-extension').innerText(), /1001|已存在|exists/);
    await page.getByTestId('phone-field-extension').fill('2001');
    await page.getByTestId('phone-bind-kind-skillGroup').check();
    await page.getByTestId('phone-bind-group').selectOption({ label: '售前' });
    await page.getByTestId('phone-dialog-submit').click();
    await page.getByTestId('phone-created-dialog').waitFor();
    await page.getByTestId('phone-created-password-toggle').click();
    const shown = await page.getByTestId('phone-created-password-value').innerText();
    assert.equal(shown.length, 12);
    await page.getByTestId('phone-created-close').click();

    const row = page.getByTestId('phone-row-2001');
    await row.waitFor();
    const text = await row.innerText();
    assert.ok(text.includes('前台话机') && text.includes('售前') && text.includes('未注册'), text);
    const listed = (await api.get('/phones')).body.find((p: { extension: string }) => p.extension === '2001');
    assert.equal(listed.password, shown);
    await page.screenshot({ path: path.join(OUT, 'web-phones.png') });
  });

  it('binds to an agent, resets the password, and deletes with a confirmation', async () => {
    const row = page.getByTestId('phone-row-2001');
    await row.getByTestId('phone-bind').click();
    await page.getByTestId('phone-bind-kind-agent').check();
    await page.getByTestId('phone-bind-agent-search').fill('1004');
    await page.locator('[data-testid="phone-bind-agent"] option', { hasText: '1004' }).waitFor({ state: 'attached' });
    await page.getByTestId('phone-bind-agent').selectOption({ index: 1 });
    await page.getByTestId('phone-bind-submit').click();
    // The demo profile binds agent 1004 to extension 1004: the server's 409 shows beside the binding.
    await page.getByTestId('field-error-binding').waitFor();
    assert.match(await page.getByTestId('field-error-binding').innerText(), /1004/);
    const demo = (await api.get('/phones')).body.find((p: { extension: string }) => p.extension === '1004');
    assert.equal((await api.put(`/phones/${demo.id}/binding`, { kind: 'none' })).status, 200);
    await page.getByTestId('phone-bind-submit').click();
    await page.getByTestId('phone-bind-dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-testid="phone-row-2001"] [data-testid="phone-binding"]')?.textContent?.includes('1004'));

    const before = (await api.get('/phones')).body.find((p: { extension: string }) => p.extension === '2001').password;
    await row.getByTestId('phone-reset-password').click();
    await page.getByTestId('phone-reset-submit').click();
    await page.getByTestId('phone-reset-done').waitFor();
    const after = (await api.get('/phones')).body.find((p: { extension: string }) => p.extension === '2001').password;
    assert.notEqual(after, before);
    await page.getByTestId('phone-reset-close').click();

    await row.getByTestId('phone-delete').click();
    await page.getByTestId('confirm-ok').click();
    await row.waitFor({ state: 'detached' });
  });

  it('shows the SIP security page with the ban list', async () => {
    await page.getByTestId('nav-sip-security').click();
    await page.waitForURL(/\/settings\/sip$/);
    await page.getByTestId('sip-ban-table').waitFor();
    await page.getByTestId('sip-realm').waitFor();
    assert.match(await page.getByTestId('sip-ban-table').innerText(), /当前没有封禁/);
  });
});
