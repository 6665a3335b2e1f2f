// 实时监控 in Chromium against a real demo box: agents appear on both axes as they sign in; a real call (sipp as
// the carrier, the demo IVR, key 1) waits in 售前's queue while its only online agent is 示忙 — the queue, its
// caller, the live call and the chart's waiting line show it — and the supervisor's 强拆 ends it (the carrier gets
// the BYE). The forced status menu moves the agent to 示闲, 小休 (with a reason) and signs them out.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';
import { SIPP } from '../integration/sipp/calls/kit.ts';
import { CUSTOMER, PATH_BOX, PathPeers, poke } from '../integration/sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-e2e-1';
const BOX = { ...PATH_BOX, mediaEdgePortMin: 42500, mediaEdgePortMax: 42999, mediaRtcPortMin: 49700, mediaRtcPortMax: 49899 };

describe('实时监控 page in Chromium', { skip: webSkip, timeout: 300_000 }, () => {
  let web: WebSession;
  let tb: TestBox;
  let api: ApiClient;
  let p: PathPeers;
  let page: Page;

  const statusOf = async (staffNo: string): Promise<string> => (await api.get(`/agents/${p.ids[staffNo]}/status`)).body.status;

  before(async () => {
    web = await startWebSession({ adminPassword: ADMIN_PW, box: BOX, context: { viewport: { width: 1440, height: 1000 } } });
    ({ tb, api, page } = web);
    p = new PathPeers(tb, api);
    await p.loadIds();
  });
  after(async () => {
    await web?.close();
  });

  it('shows the agents offline, then 1001 示忙 once signed in', async () => {
    await page.getByTestId('nav-monitor').click();
    await page.waitForURL(/\/monitor$/);
    for (const n of ['1001', '1002', '1003', '1004']) await page.locator(`[data-testid="mon-agent-${n}"][data-status="offline"]`).waitFor();
    await page.locator('[data-testid="mon-stat-online"][data-value="0"]').waitFor();
    await p.setStatus('1001', 'busy');
    // The page polls: the row follows without a reload.
    await page.locator('[data-testid="mon-agent-1001"][data-status="busy"][data-dispatch="waiting"]').waitFor();
    assert.match(await page.getByTestId('mon-agent-1001').getByTestId('mon-agent-status').innerText(), /示忙/);
    await page.locator('[data-testid="mon-stat-online"][data-value="1"]').waitFor();
    await page.locator('[data-testid="mon-queue-售前"][data-waiting="0"]').waitFor();
  });

  it('a real call waits in 售前: queue, caller, live call and chart show it; 强拆 ends it', { skip: existsSync(SIPP) ? false : 'sipp is not installed' }, async () => {
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    await poke('127.0.0.2', carrier.port, call.legs[0]!.sipCallId, 1);
    const queue = page.locator('[data-testid="mon-queue-售前"][data-waiting="1"]');
    await queue.waitFor();
    await page.locator('[data-testid="mon-stat-waiting"][data-value="1"]').waitFor();
    await page.locator('[data-testid="mon-chart-waiting"][data-last="1"]').waitFor();
    await queue.getByTestId('mon-queue-toggle').click();
    const entry = page.getByTestId('mon-queue-entry');
    await entry.waitFor();
    assert.match(await entry.innerText(), new RegExp(`#1 ${CUSTOMER}`));
    const live = page.getByTestId(`mon-call-${call.id}`);
    await live.waitFor();
    assert.ok((await live.innerText()).includes(CUSTOMER));
    assert.ok(Number(await page.getByTestId('mon-chart').getAttribute('data-samples')) >= 2);
    await page.screenshot({ path: path.join(OUT, 'web-monitor-waiting.png') });

    const written = p.recordWritten(call.id);
    await live.getByTestId('mon-call-hangup').click();
    await page.getByTestId('confirm-ok').click();
    // The box hangs up on the carrier: its scenario ends on our BYE.
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    await live.waitFor({ state: 'detached' });
    await page.locator('[data-testid="mon-queue-售前"][data-waiting="0"]').waitFor();
    await page.locator('[data-testid="mon-chart-waiting"][data-last="0"]').waitFor();
    const rec = (await api.get(`/records/${call.id}`)).body;
    assert.equal(rec.hangupSide, 'system');
  });

  it('forces 1001 to 示闲, 小休 with a reason, and signs them out', async () => {
    const row = page.getByTestId('mon-agent-1001');
    await row.getByTestId('mon-agent-force').selectOption('idle');
    await page.locator('[data-testid="mon-agent-1001"][data-status="idle"]').waitFor();
    assert.equal(await statusOf('1001'), 'idle');
    await page.locator('[data-testid="mon-chart-idle"][data-last="1"]').waitFor();

    await row.getByTestId('mon-agent-force').selectOption({ label: '小休：会议' });
    await page.locator('[data-testid="mon-agent-1001"][data-status="break"]').waitFor();
    assert.match(await row.getByTestId('mon-agent-status').innerText(), /小休 · 会议/);
    const s = (await api.get(`/agents/${p.ids['1001']}/status`)).body;
    assert.equal(s.status, 'break');
    assert.equal(s.breakReasonName, '会议');
    const history = (await api.get(`/agents/${p.ids['1001']}/status/history?limit=5`)).body;
    assert.equal(history.find((h: any) => h.axis === 'status' && h.to === 'break')?.cause, 'supervisor');

    await row.getByTestId('mon-agent-force').selectOption('offline');
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid="mon-agent-1001"][data-status="offline"]').waitFor();
    assert.equal(await statusOf('1001'), 'offline');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('mon-agents').filter({ hasText: 'Offline' }).waitFor();
    await page.screenshot({ path: path.join(OUT, 'web-monitor-en.png') });
  });
});
