// 线路 and 号码管理 in Chromium against a real box: the demo trunk is listed with its number; a gateway
// channel (mode c) is added and shows its generated account; a number is added to it (待生效), made
// effective and bound to the demo IVR from the number's settings.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiClient } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

describe('channels and numbers pages in Chromium', { skip: webSkip }, () => {
  let web: WebSession;
  let api: ApiClient;
  let page: Page;

  before(async () => {
    web = await startWebSession({ context: { viewport: { width: 1440, height: 900 } } });
    ({ api, page } = web);
  });
  after(async () => {
    await web?.close();
  });

  it('lists the demo trunk with its number', async () => {
    const nav = page.getByTestId('nav-channels');
    assert.equal(await nav.getAttribute('aria-disabled'), null);
    await nav.click();
    const row = page.getByTestId('channel-row-demo-trunk');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-mode'), 'publicTrunk');
    assert.ok((await row.getByTestId('channel-numbers').innerText()).includes('02088880000'));
    await row.getByTestId('channel-toggle-details').click();
    await page.getByTestId('channel-details').waitFor();
  });

  it('adds a gateway channel that registers to the box and shows its account', async () => {
    await page.getByTestId('channel-add').click();
    await page.getByTestId('channel-field-name').fill('分公司网关');
    await page.getByTestId('channel-field-device-e1t1').check();
    await page.getByTestId('channel-field-capacity').fill('1');
    await page.getByTestId('channel-field-mode-registerIn').check();
    await page.getByTestId('channel-field-riUsername').fill('1001');
    await page.getByTestId('channel-dialog-submit').click();
    // An account that looks like an extension is refused beside the field.
    await page.getByTestId('field-error-registerIn.username').waitFor();
    await page.getByTestId('channel-field-riUsername').fill('branch-gw');
    await page.getByTestId('channel-dialog-submit').click();
    await page.getByTestId('channel-created-dialog').waitFor();
    assert.equal(await page.getByTestId('channel-gateway-account').innerText(), 'branch-gw');
    await page.getByTestId('channel-gateway-password-toggle').click();
    assert.ok((await page.getByTestId('channel-gateway-password-value').innerText()).length >= 8);
    await page.getByTestId('channel-created-close').click();
    const row = page.getByTestId('channel-row-分公司网关');
    await row.waitFor();
    assert.equal(await row.getByTestId('channel-registration').getAttribute('data-state'), 'unregistered');
    assert.match(await row.getByTestId('channel-calls').innerText(), /0 \/ 30/);
    await page.screenshot({ path: path.join(OUT, 'web-channels.png') });
  });

  it('adds a number (pending), activates it and binds it to the demo IVR', async () => {
    await page.getByTestId('nav-numbers').click();
    await page.getByTestId('number-row-02088880000').waitFor();
    await page.getByTestId('number-add').click();
    await page.getByTestId('number-field-number').fill('075588880000');
    await page.getByTestId('number-field-channel').selectOption({ label: '分公司网关' });
    await page.getByTestId('number-dialog-submit').click();
    const row = page.getByTestId('number-row-075588880000');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'pending');
    await row.getByTestId('number-activate').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid="number-row-075588880000"][data-state="effective"]').waitFor();

    await row.getByTestId('number-bind-ivr').click();
    await page.getByTestId('number-ivr-flow').selectOption({ label: 'demo' });
    await page.getByTestId('number-ivr-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="number-row-075588880000"] [data-testid="number-ivr"]')?.textContent?.includes('demo'));
    const b = (await api.get('/ivr/bindings')).body.find((x: { number: string }) => x.number === '075588880000');
    assert.equal(b.flowName, 'demo');
    await page.screenshot({ path: path.join(OUT, 'web-numbers.png') });
  });
});
