// The console as site IT sees it: Chromium logs in (zh-CN by default), adds an agent through the dialog,
// finds it in the list with its Chinese name rendered, and switches to English.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestBox } from '../helpers/box.ts';
import { passwordFrom, startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

describe('web console in Chromium', { skip: webSkip }, () => {
  let web: WebSession;
  let tb: TestBox;
  let smtp: TestSmtp;
  let page: Page;

  before(async () => {
    smtp = await startSmtp();
    // The login page is this suite's first test: the page starts logged out.
    web = await startWebSession({ context: { viewport: { width: 1366, height: 850 } }, login: false });
    ({ tb, page } = web);
    await web.api.put('/settings/smtp', { host: '127.0.0.1', port: smtp.port, secure: false, user: 'relay', password: 'relay-secret', from: 'ccbox@site.local' });
  });
  after(async () => {
    await web?.close();
    await smtp?.close();
  });

  it('has a CJK font for Chromium to render Chinese', () => {
    const font = execFileSync('fc-match', ['sans-serif:lang=zh-cn', 'family']).toString();
    assert.match(font, /Noto Sans CJK|Noto Sans SC/);
  });

  it('shows the login page in Chinese and logs in', async () => {
    await page.goto(tb.base + '/');
    await page.waitForURL(/\/login/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.match(await page.getByTestId('login-error').innerText(), /账号或密码错误/);
    await page.getByTestId('login-password').fill('Admin-e2e-1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    const nav = await page.getByTestId('nav').innerText();
    for (const label of ['概览', '数据分析', '服务记录', '实时监控', '客服管理', '技能组管理']) assert.ok(nav.includes(label), `nav has ${label}`);
  });

  it('adds an agent through the dialog and finds it in the list', async () => {
    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agent-row-1001').waitFor();
    await page.getByTestId('agent-add').click();
    await page.getByTestId('agent-field-name').fill('测试客服');
    await page.getByTestId('agent-field-nickname').fill('小测');
    await page.getByTestId('agent-field-staffNo').fill('7001');
    await page.getByTestId('agent-field-email').fill('1001@demo.local');
    await page.getByTestId('agent-field-role').selectOption({ label: '普通座席' });
    await page.locator('[data-testid^="agent-field-skillGroups-"]').first().check();
    await page.getByTestId('agent-dialog-submit').click();
    // The e-mail is taken: the server's message appears beside the field and nothing is added.
    await page.getByTestId('field-error-email').waitFor();
    assert.match(await page.getByTestId('field-error-email').innerText(), /已存在/);
    await page.getByTestId('agent-field-email').fill('ceshi@site.local');
    await page.getByTestId('agent-dialog-submit').click();
    const row = page.getByTestId('agent-row-7001');
    await row.waitFor();
    const text = await row.innerText();
    assert.ok(text.includes('测试客服') && text.includes('ceshi@site.local') && text.includes('售前'), text);
    const mail = await smtp.next('ceshi@site.local');
    assert.ok(passwordFrom(mail).length >= 8);
    // The row's Chinese text has real glyph widths (not empty boxes of one width).
    const widths = await row.locator('text=测试客服').evaluate((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return r.getBoundingClientRect().width;
    });
    assert.ok(widths > 30, `rendered width ${widths}`);
    await page.screenshot({ path: path.join(OUT, 'console-agents-zh.png') });
  });

  it('switches to English', async () => {
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const nav = await page.getByTestId('nav').innerText();
    assert.ok(/Agents/.test(nav), nav);
    await page.screenshot({ path: path.join(OUT, 'console-agents-en.png') });
  });
});
