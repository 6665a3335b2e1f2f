// 通话设置 pages in Chromium against a real demo box: 黑名单 (add, duplicate refused beside the field, find,
// remove, its prompt), 通话保持放音 (custom TTS needs text), 外呼设置 (rule, agent choice, a skill group's numbers),
// 号码设置 (外呼指定分配 and 呼入评价 on 02088880000), 收号设置 (a bad URL refused beside its field, then saved),
// 自助服务 (a self-service flow added to the list) and 呼入接听设置 (global ring timeout, a group's own settings and back).
// Each change is read back from the API, as the call path would see it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiClient } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';

const ADMIN_PW = 'Admin-e2e-1';

describe('通话设置 pages in Chromium', { skip: webSkip, timeout: 300_000 }, () => {
  let web: WebSession;
  let api: ApiClient;
  let page: Page;
  const groups: Record<string, number> = {};

  const open = async (nav: string, url: RegExp): Promise<void> => {
    await page.getByTestId(nav).click();
    await page.waitForURL(url);
  };

  before(async () => {
    web = await startWebSession({ adminPassword: ADMIN_PW, context: { viewport: { width: 1440, height: 1000 } } });
    ({ api, page } = web);
    for (const g of (await api.get('/skill-groups')).body) groups[g.name] = g.id;
  });
  after(async () => {
    await web?.close();
  });

  it('黑名单: adds a number, refuses it twice beside the field, finds and removes it; saves the prompt', async () => {
    await open('nav-cs-blacklist', /\/settings\/blacklist$/);
    await page.getByTestId('cs-bl-number').fill('139 1111 2222');
    await page.getByTestId('cs-bl-remark').fill('骚扰电话');
    await page.getByTestId('cs-bl-add').click();
    const row = page.getByTestId('cs-bl-row-13911112222');
    await row.waitFor();
    assert.ok((await row.innerText()).includes('骚扰电话') && (await row.innerText()).includes('永久'));
    await page.getByTestId('cs-bl-number').fill('+8613911112222');
    await page.getByTestId('cs-bl-add').click();
    await page.getByTestId('field-error-number').waitFor();
    assert.equal((await api.get('/call-settings/blacklist')).body.total, 1);

    await page.getByTestId('cs-bl-number').fill('13722223333');
    await page.getByTestId('cs-bl-add').click();
    await page.getByTestId('cs-bl-row-13722223333').waitFor();
    await page.getByTestId('cs-bl-search').fill('1372');
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('cs-bl-row-13722223333').getByTestId('cs-bl-remove').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('cs-bl-row-13722223333').waitFor({ state: 'detached' });
    assert.deepEqual((await api.get('/call-settings/blacklist')).body.items.map((b: any) => b.number), ['13911112222']);

    await page.getByTestId('cs-bl-prompt-field-text').fill('您的号码已被限制，再见。');
    await page.getByTestId('cs-bl-prompt-save').click();
    await page.waitForFunction(async () => (await (await fetch('/api/v1/call-settings/general')).json()).blacklistPrompt?.text === '您的号码已被限制，再见。');
  });

  it('通话保持放音: custom needs its text; a TTS text is saved', async () => {
    await open('nav-cs-hold', /\/call-settings\/hold-music$/);
    await page.getByTestId('cs-hold-mode-custom').check();
    await page.getByTestId('cs-hold-save').click();
    await page.getByTestId('cs-hold-prompt-row-error').waitFor();
    assert.equal((await api.get('/call-settings/hold-music')).body.mode, 'default', 'nothing was written');
    await page.getByTestId('cs-hold-prompt-text').fill('请稍候，马上为您服务。');
    await page.getByTestId('cs-hold-save').click();
    await page.getByTestId('cs-hold-prompt-row-error').waitFor({ state: 'detached' });
    await page.waitForFunction(async () => (await (await fetch('/api/v1/call-settings/hold-music')).json()).mode === 'custom');
    assert.deepEqual((await api.get('/call-settings/hold-music')).body.prompt, { kind: 'tts', text: '请稍候，马上为您服务。' });
  });

  it('外呼设置: the caller-ID rule, agent choice, and 售前 showing 02088880000', async () => {
    await open('nav-cs-outbound', /\/call-settings\/outbound$/);
    await page.getByTestId('cs-outbound-rule-region').check();
    await page.getByTestId('cs-outbound-choice').uncheck();
    await page.getByTestId('cs-outbound-save').click();
    await page.waitForFunction(async () => (await (await fetch('/api/v1/call-settings/outbound')).json()).callerIdRule === 'region');
    assert.equal((await api.get('/call-settings/outbound')).body.allowAgentChoice, false);

    const group = page.getByTestId('cs-outbound-group-售前');
    await group.getByTestId('cs-outbound-number-02088880000').check();
    await group.getByTestId('cs-outbound-group-save').click();
    await page.waitForFunction(async (id) => {
      const list = (await (await fetch('/api/v1/calls/outbound-numbers')).json()) as { skillGroupId: number; numbers: string[] }[];
      return list.some((b) => b.skillGroupId === id && b.numbers.includes('02088880000'));
    }, groups['售前']);
  });

  it('号码设置: 外呼指定分配 "only" and the inbound survey on 02088880000', async () => {
    await open('nav-cs-numbers', /\/call-settings\/numbers$/);
    const row = page.getByTestId('cs-number-row-02088880000');
    await row.getByTestId('cs-number-edit').click();
    const dlg = page.getByTestId('cs-number-dialog');
    await dlg.getByTestId('cs-number-mode-only').check();
    await dlg.getByTestId('cs-number-tab-inbound').click();
    await dlg.getByTestId('cs-survey-inbound-enabled').check();
    await dlg.getByTestId('cs-survey-inbound-option-label').first().fill('非常满意');
    await dlg.getByTestId('cs-survey-inbound-option-add').click();
    // The new option takes the first free key (0); its empty label is refused by the server, shown in the survey.
    await dlg.getByTestId('cs-number-save').click();
    await dlg.getByTestId('cs-survey-inbound').locator('[role="alert"]').first().waitFor();
    await dlg.getByTestId('cs-survey-inbound-option-label').last().fill('无所谓');
    await dlg.getByTestId('cs-number-save').click();
    await dlg.waitFor({ state: 'detached' });
    // The list reloads after the dialog closes.
    await row.getByTestId('cs-number-inbound').filter({ hasText: '启用' }).waitFor();
    const s = (await api.get('/call-settings/numbers/02088880000')).body;
    assert.equal(s.lastAgentRouting.mode, 'only');
    assert.equal(s.inboundSurvey.enabled, true);
    assert.deepEqual(s.inboundSurvey.options, [{ key: '1', label: '非常满意' }, { key: '2', label: '一般' }, { key: '3', label: '不满意' }, { key: '0', label: '无所谓' }]);
  });

  it('收号设置: a bad callback URL is refused beside its field, then the template is saved', async () => {
    await open('nav-cs-digits', /\/call-settings\/digit-collection$/);
    await page.getByTestId('cs-dg-add').click();
    const dlg = page.getByTestId('cs-dg-dialog');
    await dlg.getByTestId('cs-dg-name').fill('身份证后六位');
    await dlg.getByTestId('cs-dg-prompt-text').fill('请输入身份证后六位，以井号结束。');
    await dlg.getByTestId('cs-dg-min').fill('6');
    await dlg.getByTestId('cs-dg-max').fill('6');
    await dlg.getByTestId('cs-dg-url').fill('ftp://crm.example.com/x');
    await dlg.getByTestId('cs-dg-save').click();
    await dlg.getByTestId('field-error-callbackUrl').waitFor();
    await dlg.getByTestId('cs-dg-url').fill('https://crm.example.com/ccbox/digits');
    await dlg.getByTestId('cs-dg-save').click();
    await page.getByTestId('cs-dg-row-身份证后六位').waitFor();
    const [tpl] = (await api.get('/call-settings/digit-collection')).body;
    assert.equal(tpl.minDigits, 6);
    assert.equal(tpl.terminator, '#');
    assert.equal(tpl.callbackUrl, 'https://crm.example.com/ccbox/digits');
  });

  it('自助服务: a published self-service flow joins the list', async () => {
    const flow = await api.post('/ivr/flows', { name: '查询余额', kind: 'selfService', template: 'empty' });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    const pub = await api.post(`/ivr/flows/${flow.body.id}/versions/MAIN/publish`);
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
    await open('nav-cs-self-service', /\/call-settings\/self-service$/);
    await page.getByTestId('cs-ss-add').click();
    const dlg = page.getByTestId('cs-ss-dialog');
    await dlg.getByTestId('cs-ss-name').fill('余额查询');
    await dlg.getByTestId('cs-ss-flow').selectOption({ label: '查询余额' });
    await dlg.getByTestId('cs-ss-save').click();
    const row = page.getByTestId('cs-ss-row-余额查询');
    await row.waitFor();
    assert.ok((await row.innerText()).includes('查询余额'));
    const [entry] = (await api.get('/call-settings/self-service')).body;
    assert.equal(entry.flowId, flow.body.id);
  });

  it('呼入接听设置: the global ring timeout, then 售后 with its own settings and back to global', async () => {
    await open('nav-cs-answer', /\/call-settings\/answer$/);
    await page.getByTestId('cs-ans-ring-s').fill('2');
    await page.getByTestId('cs-ans-save').click();
    await page.getByTestId('cs-ans-error').waitFor();
    assert.equal((await api.get('/acd/settings')).body.global.answer.ringTimeout.seconds, 20, 'nothing was written');
    await page.getByTestId('cs-ans-ring-s').fill('25');
    await page.getByTestId('cs-ans-break').check();
    await page.getByTestId('cs-ans-save').click();
    await page.getByTestId('cs-ans-error').waitFor({ state: 'detached' });
    await page.waitForFunction(async () => (await (await fetch('/api/v1/acd/settings')).json()).global.answer.ringTimeout.seconds === 25);
    assert.equal((await api.get('/acd/settings')).body.global.answer.breakAfterRingTimeout, true);

    await page.getByTestId('cs-ans-scope').selectOption(String(groups['售后']));
    await page.getByTestId('cs-ans-override').click();
    await page.getByTestId('cs-ans-distribution').selectOption('longestIdle');
    await page.getByTestId('cs-ans-noagent-action').selectOption('overflow');
    await page.getByTestId('cs-ans-noagent-group').selectOption({ label: '售前' });
    await page.getByTestId('cs-ans-save').click();
    await page.getByTestId('cs-ans-revert').waitFor();
    const g = (await api.get('/acd/settings')).body.groups.find((x: any) => x.skillGroupId === groups['售后']);
    assert.equal(g.settings.routing.distribution, 'longestIdle');
    assert.deepEqual(g.settings.queue.noAgentAction, { action: 'overflow', skillGroupId: groups['售前'] });
    assert.equal(g.settings.answer.ringTimeout.seconds, 25, 'the override started from the global settings');
    await page.screenshot({ path: path.join(OUT, 'web-callsettings-answer.png') });
    await page.getByTestId('cs-ans-revert').click();
    await page.getByTestId('cs-ans-follows').waitFor();
    assert.equal((await api.get('/acd/settings')).body.groups.find((x: any) => x.skillGroupId === groups['售后']).settings, null);
  });
});
