// 座席工作台 in Chromium, with the box and the browser inside a network namespace that has only `lo` (the
// softphone's WebRTC stays on loopback): site IT configures a 来电弹屏 page (an http:// URL is refused), agent
// 1001 logs in over HTTPS, the softphone comes up, 示闲/示忙/小休 land in the ACD, the queues panel shows the
// agent's groups, the screen-pop page is a tab that receives the agent in its URL hash and can ask for a call,
// and a business page drives the agent through the click-to-call SDK (tccc.js).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { CHROMIUM, haveChromium } from '../helpers/browser.ts';
import { ROOT } from '../helpers/process.ts';
import { FixtureProcess } from '../helpers/fixture-process.ts';

const canNetns = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const built = existsSync(path.join(ROOT, 'web', 'dist', 'workbench.html'));
/** iptables blocks the browser's UDP in the mid-call blip (without it the blip is the socket drop alone). */
const haveIptables = ((): boolean => {
  try {
    execFileSync('iptables', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !haveChromium ? 'Debian chromium is not installed' : !canNetns ? 'needs root and ip netns' : !built ? 'web/dist is not built' : false;

/** The fixture process inside the namespace. */
class Fixture extends FixtureProcess {
  api(as: 'admin' | 'agent', method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
    return this.call('api', { as, method, path: p, body });
  }
}

describe('agent workbench in Chromium (loopback-only namespace)', { skip }, () => {
  const ns = `ccbox-wb-${process.pid}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccbox-wb-'));
  let fixture: Fixture;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let agentCtx: BrowserContext;
  let admin: Page;
  let agent: Page;
  let box = '';
  let pages = '';
  let agentId = 0;
  let popId = 0;
  let webrtcUdpPort = 0;

  before(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', path.join(ROOT, 'test/e2e/workbench-fixture.ts')], {
      cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CCBOX_LOG_LEVEL: 'silent' },
    });
    fixture = new Fixture(child);
    const ready = await fixture.ready;
    box = `https://127.0.0.1:${ready.httpsPort}`;
    pages = `https://127.0.0.1:${ready.pagesPort}`;
    webrtcUdpPort = (ready.webrtc as { protocol: string; port: number }[]).find((x) => x.protocol === 'udp')?.port ?? 0;
    // Chromium runs in the namespace too; playwright talks to it over its pipe, which crosses namespaces.
    const wrapper = path.join(tmp, 'chromium-in-netns.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
    browser = await chromium.launch({
      executablePath: wrapper, headless: true, timeout: 60_000,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required', '--ignore-certificate-errors',
      ],
    });
    const opts = { locale: 'zh-CN', viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true };
    adminCtx = await browser.newContext(opts);
    agentCtx = await browser.newContext({ ...opts, permissions: ['microphone'] });
    admin = await adminCtx.newPage();
    agent = await agentCtx.newPage();
    admin.setDefaultTimeout(60_000);
    agent.setDefaultTimeout(60_000);
    const me = await fixture.api('agent', 'GET', '/auth/me');
    agentId = me.body.user.id;
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (fixture) {
      await fixture.call('stop', {}, 20_000).catch(() => undefined);
      fixture.child.kill('SIGKILL');
    }
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  async function login(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${box}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
  }

  it('site IT adds a 来电弹屏 page: an http:// URL is refused with a clear message, the https:// one is listed', async () => {
    await login(admin, 'admin', 'Admin-e2e-1');
    await admin.getByTestId('nav-screen-pop').click();
    await admin.getByTestId('sp-table').waitFor();
    await admin.getByTestId('sp-add').click();
    await admin.getByTestId('sp-field-name').fill('客户资料');
    await admin.getByTestId('sp-field-url').fill(`http://127.0.0.1:${new URL(pages).port}/pop.html`);
    await admin.getByTestId('sp-field-mode-always').check();
    await admin.getByTestId('sp-dialog-submit').click();
    await admin.getByTestId('field-error-url').waitFor();
    assert.match(await admin.getByTestId('field-error-url').innerText(), /只支持 HTTPS 地址/);
    const none = await fixture.api('admin', 'GET', '/screen-pops');
    assert.deepEqual(none.body, [], 'nothing was written');
    await admin.getByTestId('sp-field-url').fill(`${pages}/pop.html?from=ccbox`);
    await admin.getByTestId('sp-dialog-submit').click();
    const row = admin.getByTestId('sp-row-客户资料');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-mode'), 'always');
    const list = await fixture.api('admin', 'GET', '/screen-pops');
    popId = list.body[0].id;
    assert.equal(list.body[0].url, `${pages}/pop.html?from=ccbox`);
    // The CRM page may embed the SDK's call bar.
    await admin.getByTestId('sdk-origins').fill(pages);
    await admin.getByTestId('sdk-origins-save').click();
    await admin.getByTestId('toast').filter({ hasText: '已保存' }).first().waitFor();
    assert.deepEqual((await fixture.api('admin', 'GET', '/settings/sdk')).body.allowedOrigins, [pages]);
  });

  it('agent 1001 logs in over HTTPS and lands on the workbench with the softphone ready', async () => {
    await login(agent, '1001@demo.local', 'Agent1001-demo');
    await agent.waitForURL(/\/workbench$/);
    await agent.getByTestId('workbench').waitFor();
    assert.match(await agent.getByTestId('breadcrumb').innerText(), /座席工作台/);
    await agent.locator('[data-testid="wb-phone"][data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(await agent.getByTestId('wb-phone').getAttribute('data-socket'), 'up');
  });

  it('after the socket drops the page reconnects and the softphone keeps its transports (ICE restart)', async () => {
    const before = await agent.evaluate(() => {
      const wb = (window as any).ccboxWorkbench;
      return { send: wb.phone.transports.send.id as string, recv: wb.phone.transports.recv.id as string };
    });
    await agent.evaluate(() => (window as any).ccboxWorkbench.socket.drop());
    await agent.locator('[data-testid="wb-phone"][data-socket="down"]').waitFor();
    await agent.locator('[data-testid="wb-phone"][data-state="ready"][data-socket="up"]').waitFor({ timeout: 30_000 });
    const after = await agent.evaluate(() => {
      const wb = (window as any).ccboxWorkbench;
      return { send: wb.phone.transports.send.id as string, recv: wb.phone.transports.recv.id as string };
    });
    assert.deepEqual(after, before, 'the same transports, restarted rather than rebuilt');
  });

  it('示闲, 示忙 and 小休 with a reason go through PUT /agents/{id}/status and show in GET', async () => {
    await agent.getByTestId('wb-status-idle').click();
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();
    assert.equal(await agent.getByTestId('wb-status-label').innerText(), '示闲');
    let s = await fixture.api('admin', 'GET', `/agents/${agentId}/status`);
    assert.equal(s.body.status, 'idle');

    await agent.getByTestId('wb-status-busy').click();
    await agent.locator('[data-testid="wb-status"][data-status="busy"]').waitFor();
    s = await fixture.api('admin', 'GET', `/agents/${agentId}/status`);
    assert.equal(s.body.status, 'busy');

    const reasons = (await fixture.api('admin', 'GET', '/settings/status')).body.breakReasons.filter((r: { enabled: boolean }) => r.enabled);
    assert.ok(reasons.length > 0, 'the demo box has enabled break reasons');
    await agent.getByTestId('wb-status-break').click();
    await agent.getByTestId(`wb-break-reason-${reasons[0].id}`).click();
    await agent.locator('[data-testid="wb-status"][data-status="break"]').waitFor();
    assert.ok((await agent.getByTestId('wb-status-label').innerText()).includes(reasons[0].name));
    s = await fixture.api('admin', 'GET', `/agents/${agentId}/status`);
    assert.equal(s.body.status, 'break');
    assert.equal(s.body.breakReasonId, reasons[0].id);

    await agent.getByTestId('wb-status-idle').click();
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();
    assert.equal((await fixture.api('admin', 'GET', `/agents/${agentId}/status`)).body.status, 'idle');
  });

  it('您所在的技能组排队情况 lists the agent’s skill group with its waiting count', async () => {
    const panel = agent.getByTestId('wb-queues');
    await panel.waitFor();
    assert.match(await panel.innerText(), /您所在的技能组排队情况/);
    const queues = (await fixture.api('agent', 'GET', '/queues')).body as { skillGroupId: number; name: string; waiting: number }[];
    const presales = queues.find((q) => q.name === '售前');
    assert.ok(presales, JSON.stringify(queues));
    const row = agent.getByTestId(`wb-queue-${presales.skillGroupId}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-waiting'), String(presales.waiting));
    assert.match(await row.innerText(), /售前/);
    assert.equal(await agent.locator('[data-testid^="wb-queue-"]').count(), queues.length);
  });

  let popFrame: Frame;
  it('the 来电弹屏 page is a tab of the workbench and its URL hash carries the agent and the box’s ID', async () => {
    await agent.reload();
    const tab = agent.getByTestId(`wb-pop-tab-${popId}`);
    await tab.waitFor();
    assert.equal(await tab.innerText(), '客户资料');
    await agent.getByTestId(`wb-pop-frame-${popId}`).waitFor();
    const frame = await (await agent.getByTestId(`wb-pop-frame-${popId}`).elementHandle())!.contentFrame();
    assert.ok(frame);
    popFrame = frame;
    await popFrame.waitForFunction(() => (window as any).hashes !== undefined);
    const hash = new URLSearchParams(((await popFrame.evaluate(() => location.hash)) as string).slice(1));
    const sdkAppId = (await fixture.api('admin', 'GET', '/settings/sdk')).body.sdkAppId;
    assert.equal(hash.get('agentEmail'), '1001@demo.local');
    assert.equal(hash.get('agentNickName'), 'Agent 1001');
    assert.equal(hash.get('type'), 'phone');
    assert.equal(hash.get('sdkAppId'), sdkAppId);
    assert.equal(hash.get('status'), '', 'no call yet');
    assert.equal(new URL(popFrame.url()).searchParams.get('from'), 'ccbox', 'the page keeps its own query');
  });

  it('the page’s callOut message (source ccc-sdk, from its own origin) places the call: the carrier answers, 张三 is shown', async () => {
    await fixture.call('outsideAnswer');
    const dialed = agent.waitForRequest((r) => r.url().endsWith('/api/v1/calls') && r.method() === 'POST');
    await popFrame.evaluate(() => (window as any).callOut('13800138000', '张三'));
    const req = await dialed;
    assert.deepEqual(req.postDataJSON(), { to: '13800138000' });
    const res = await req.response();
    assert.equal(res?.status(), 201, await res?.text());
    await agent.locator('[data-testid="wb-call"][data-state="connected"]').waitFor({ timeout: 30_000 });
    assert.match(await agent.getByTestId('wb-call-party').innerText(), /张三/);
    await agent.getByTestId('wb-hangup').click();
    const out = await fixture.call('outsideDone', {}, 60_000);
    assert.equal(out.code, 0, out.errors);
    assert.match(out.ruri, /^sip:13800138000@127\.0\.0\.2/);
  });

  it('a business page drives the agent through the click-to-call SDK (tccc.js)', async () => {
    const crm = await agentCtx.newPage();
    crm.setDefaultTimeout(30_000);
    await crm.goto(`${pages}/crm.html`);
    await crm.waitForFunction(() => (window as any).sdkEvents.some((e: { name: string }) => e.name === 'ready'), undefined, { timeout: 30_000 });
    const ready = (await crm.evaluate(() => (window as any).sdkEvents.find((e: { name: string }) => e.name === 'ready').data)) as { sdkAppId: string; userId: string; softphone: boolean };
    assert.equal(ready.userId, '1001@demo.local');
    assert.equal(ready.softphone, true, JSON.stringify(ready));
    assert.equal(ready.sdkAppId, (await fixture.api('admin', 'GET', '/settings/sdk')).body.sdkAppId);
    // One live page per agent: the call bar took over from the workbench tab, which says so.
    await agent.getByTestId('wb-replaced').waitFor();

    const r = await crm.evaluate(() => (window as any).tccc.Agent.setStatus({ status: 'notReady' }));
    assert.equal(r.status, 'success');
    assert.equal((await fixture.api('admin', 'GET', `/agents/${agentId}/status`)).body.status, 'busy');
    await crm.waitForFunction(() => (window as any).sdkEvents.some((e: { name: string; data: { status: string } }) => e.name === 'statusChanged' && e.data.status === 'notReady'));

    await fixture.call('outsideAnswer');
    const out = await crm.evaluate(() => (window as any).tccc.Call.startOutboundCall({ phoneNumber: '13800138000', phoneDesc: '张三' }).then(
      (x: unknown) => ({ ok: true, x }), (e: { status: string; errorMsg: string }) => ({ ok: false, e })));
    assert.equal(out.ok, true, JSON.stringify(out));
    const sessionId = (out as any).x.data.sessionId as string;
    assert.ok(sessionId);
    await crm.waitForFunction((id) => (window as any).sdkEvents.some((e: { name: string; data: { sessionId: string } }) => e.name === 'userAccessed' && e.data.sessionId === id), sessionId);
    const hung = await crm.evaluate((id) => (window as any).tccc.Call.hungUp({ sessionId: id }), sessionId);
    assert.equal(hung.status, 'success');
    const carrier = await fixture.call('outsideDone', {}, 60_000);
    assert.equal(carrier.code, 0, carrier.errors);
    assert.match(carrier.ruri, /^sip:13800138000@127\.0\.0\.2/);
    await crm.waitForFunction((id) => (window as any).sdkEvents.some((e: { name: string; data: { sessionId: string } }) => e.name === 'sessionEnded' && e.data.sessionId === id), sessionId);
    await crm.close();
  });

  it('switches the workbench to English', async () => {
    await agent.reload();
    await agent.getByTestId('workbench').waitFor();
    await agent.getByTestId('lang-switch').click();
    await agent.getByText('Queues of your skill groups').waitFor();
    assert.match(await agent.getByTestId('wb-status-idle').innerText(), /Available/);
    await agent.getByTestId('lang-switch').click();
  });

  it('an inbound call through the demo IVR rings in the page (caller, number), the screen pop gets status 100 then 400', async () => {
    await agent.locator('[data-testid="wb-phone"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await agent.getByTestId('wb-status-idle').click();
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();
    const { callId } = await fixture.call('carrierCall', {}, 60_000);
    const incoming = agent.getByTestId('wb-incoming');
    await incoming.waitFor({ timeout: 30_000 });
    assert.equal(await incoming.getAttribute('data-call-id'), callId);
    assert.equal(await agent.getByTestId('wb-incoming-number').innerText(), '13800138000');
    assert.match(await incoming.innerText(), /售前/);
    // 归属地 from the box's offline number data (13800138000: 北京市, 中国移动).
    await agent.locator('[data-testid="wb-incoming-location"]', { hasText: '北京市' }).waitFor();
    await agent.getByTestId(`wb-session-${callId}`).waitFor();
    const frame = (await (await agent.getByTestId(`wb-pop-frame-${popId}`).elementHandle())!.contentFrame())!;
    const hashWith = (status: string) => frame.waitForFunction((st) => {
      const h = new URLSearchParams(location.hash.slice(1));
      return h.get('status') === st && h.get('mobile') === '13800138000' ? location.hash : null;
    }, status);
    const ringing = new URLSearchParams(String(await (await hashWith('100')).jsonValue()).slice(1));
    assert.equal(ringing.get('sessionId'), callId);
    assert.equal(ringing.get('agentEmail'), '1001@demo.local');

    // 接听 goes to POST /calls/{id}/answer; whatever the box says is shown.
    const answer = agent.waitForResponse((r) => r.url().endsWith(`/api/v1/calls/${encodeURIComponent(callId)}/answer`));
    await agent.getByTestId('wb-answer').click();
    const res = await answer;
    if (res.status() >= 400) await agent.locator('[data-testid="toast"][data-kind="error"]').first().waitFor();
    else await agent.locator('[data-testid="wb-call"][data-state="connected"]').waitFor();

    // The caller hangs up: the session ends, the page stops ringing and the screen pop gets 400.
    await fixture.call('carrierHangup', { callId }, 60_000);
    await agent.getByTestId('wb-incoming').waitFor({ state: 'detached', timeout: 30_000 });
    await agent.getByTestId('wb-sessions-ended').click();
    await agent.locator(`[data-testid="wb-session-${callId}"][data-state="ended"]`).waitFor();
    await hashWith('400');
    await agent.getByTestId('wb-after').waitFor();
  });

  it('answers in the page: RTP both ways, hold and retrieve, the caller hangs up, 话后整理 counts down, the record says 电脑', async (t) => {
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor({ timeout: 30_000 }).catch(async () => {
      await agent.getByTestId('wb-acw-resume').click().catch(() => agent.getByTestId('wb-status-idle').click());
    });
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();

    const { callId } = await fixture.call('carrierCall', {}, 60_000);
    await agent.getByTestId('wb-answer').click();
    await agent.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();
    const rtp = await fixture.call('carrierTalk', { callId, min: 100 }, 60_000);
    t.diagnostic(`caller leg: rtp in ${rtp.rtpIn}, to the customer ${rtp.rtpToPhone}`);
    await agent.waitForFunction(async () => ((await (window as any).ccboxWorkbench.phone.inboundStats()).packetsReceived as number) >= 100, undefined, { timeout: 20_000, polling: 200 });

    await agent.getByTestId('wb-hold').click();
    await agent.locator('[data-testid="wb-call"][data-state="held"]').waitFor();
    assert.equal(await agent.getByTestId('wb-hold').innerText(), '取回');
    await agent.getByTestId('wb-hold').click();
    await agent.locator('[data-testid="wb-call"][data-state="connected"]').waitFor();

    // A network blip mid-call: the socket drops and the browser's UDP to the box is cut for 5 s; the page
    // reconnects, restarts ICE on the same transports, and the call and its recording go on.
    const inbound = (): Promise<number> => agent.evaluate(async () => (await (window as any).ccboxWorkbench.phone.inboundStats()).packetsReceived as number);
    const rules = [['--dport', String(webrtcUdpPort)], ['--sport', String(webrtcUdpPort)]];
    const iptables = (op: '-I' | '-D') => {
      for (const r of rules) execFileSync('ip', ['netns', 'exec', ns, 'iptables', op, 'INPUT', '-p', 'udp', ...r, '-j', 'DROP']);
    };
    const blockUdp = haveIptables && webrtcUdpPort > 0;
    if (blockUdp) iptables('-I');
    await agent.evaluate(() => (window as any).ccboxWorkbench.socket.drop());
    await agent.locator('[data-testid="wb-phone"][data-socket="down"]').waitFor();
    try {
      await new Promise((r) => setTimeout(r, 5_000)); // the blip's length, not a synchronisation
    } finally {
      if (blockUdp) iptables('-D');
    }
    await agent.locator('[data-testid="wb-phone"][data-state="ready"][data-socket="up"]').waitFor({ timeout: 30_000 });
    const afterBlip = await inbound();
    const base = await fixture.call('legStats', { callId });
    // The customer talks again and hears the agent: both directions move past where they were after the blip.
    const rtp2 = await fixture.call('carrierTalk', { callId, minIn: base.rtpIn + 50, minOut: base.rtpToPhone + 100 }, 60_000);
    await agent.waitForFunction(async (n) => ((await (window as any).ccboxWorkbench.phone.inboundStats()).packetsReceived as number) >= n + 100, afterBlip, { timeout: 30_000, polling: 200 });
    t.diagnostic(`after the blip${blockUdp ? ' (UDP cut 5 s)' : ''}: to the customer ${rtp2.rtpToPhone}, page inbound ≥ ${afterBlip + 100}`);
    assert.equal(await agent.getByTestId('wb-call').getAttribute('data-call-id'), callId, 'the same call');

    await fixture.call('carrierHangup', { callId }, 60_000);
    await agent.getByTestId('wb-after').waitFor();
    await agent.locator('[data-testid="wb-status"][data-status="acw"]').waitFor();
    const left = Number(await agent.getByTestId('wb-acw-countdown').getAttribute('data-seconds'));
    assert.ok(left > 0, `话后整理 ${left} s left`);
    // 继续整理 adds time; 恢复接待 ends it.
    await agent.getByTestId('wb-acw-extend').click();
    await agent.waitForFunction((l) => Number(document.querySelector('[data-testid="wb-acw-countdown"]')?.getAttribute('data-seconds')) > l, left);
    await agent.getByTestId('wb-acw-resume').click();
    await agent.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();
    assert.equal((await fixture.api('admin', 'GET', `/agents/${agentId}/status`)).body.status, 'idle');

    await fixture.call('recordWritten', { callId }, 40_000);
    const rec = (await fixture.api('admin', 'GET', `/records/${callId}`)).body;
    assert.equal(rec.agentDevice, 'web', '服务记录 device 电脑');
    assert.equal(rec.staffNo, '1001');
    assert.equal(rec.endStatus, 'normal');
    assert.ok(rec.recording && rec.recording.durationMs > 5_000, `the recording spans the blip: ${JSON.stringify(rec.recording)}`);
  });
  /** The agent is available again once the last call left them (话后整理 ended by 恢复接待 if it runs). */
  async function backToIdle(page: Page, id: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await fixture.api('admin', 'GET', `/agents/${id}/status`)).body.dispatch === 'waiting') break;
      await new Promise((r) => setTimeout(r, 100)); // polling the box's state, bounded
    }
    // The page learns of 话后整理 by polling: ask for 示闲 (or 恢复接待) until the page says idle.
    const idle = page.locator('[data-testid="wb-status"][data-status="idle"]');
    for (let i = 0; i < 10; i++) {
      const acw = (await page.getByTestId('wb-status').getAttribute('data-status')) === 'acw';
      await page.getByTestId(acw ? 'wb-acw-resume' : 'wb-status-idle').click({ timeout: 2_000 }).catch(() => undefined);
      if (await idle.waitFor({ timeout: 3_000 }).then(() => true, () => false)) return;
    }
    await idle.waitFor();
  }

  async function answerInbound(page: Page): Promise<string> {
    const { callId } = await fixture.call('carrierCall', {}, 60_000);
    await page.locator(`[data-testid="wb-incoming"][data-call-id="${callId}"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('wb-answer').click();
    await page.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();
    return callId;
  }

  const liveCall = async (callId: string) => ((await fixture.api('admin', 'GET', '/calls')).body as { id: string; muted: boolean }[]).find((c) => c.id === callId);

  it('静音, 输分机号, 自助服务 and 转外线 act on the real call; the customer goes on with the outside number', async () => {
    await backToIdle(agent, agentId);
    const callId = await answerInbound(agent);
    const muted = agent.waitForResponse((r) => r.url().endsWith(`/calls/${callId}/mute`));
    await agent.getByTestId('wb-mute').click();
    assert.equal((await muted).status(), 204);
    await agent.locator('[data-testid="wb-mute"][data-muted="true"]').waitFor();
    assert.equal((await liveCall(callId))?.muted, true, 'the box muted the agent’s leg');
    await agent.getByTestId('wb-mute').click();
    await agent.locator('[data-testid="wb-mute"][data-muted="false"]').waitFor();
    assert.equal((await liveCall(callId))?.muted, false);

    await agent.getByTestId('wb-dtmf').click();
    const dtmf = agent.waitForResponse((r) => r.url().endsWith(`/calls/${callId}/dtmf`));
    await agent.getByTestId('wb-dtmf-key-5').click();
    assert.equal((await dtmf).status(), 204, 'RFC 4733 digit sent to the customer');
    assert.equal((await agent.getByTestId('wb-dtmf-typed').innerText()).trim(), '5');

    // 自助服务: a published self-service flow runs for the customer, who then comes back to the agent.
    const flow = await fixture.api('admin', 'POST', '/ivr/flows', { name: '自助查询', kind: 'selfService' });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    const v = (await fixture.api('admin', 'GET', `/ivr/flows/${flow.body.id}/versions/MAIN`)).body;
    v.definition.nodes.find((n: { type: string }) => n.type === 'end').params.prompt = { kind: 'tts', text: '查询完成，正在为您转回客服。' };
    assert.equal((await fixture.api('admin', 'PUT', `/ivr/flows/${flow.body.id}/versions/MAIN`, { definition: v.definition })).status, 200);
    assert.equal((await fixture.api('admin', 'POST', `/ivr/flows/${flow.body.id}/versions/MAIN/publish`)).status, 200);
    assert.equal((await fixture.api('admin', 'POST', '/call-settings/self-service', { name: '账户查询', flowId: flow.body.id })).status, 201);
    await agent.getByTestId('wb-self-service').click();
    await agent.getByTestId('wb-self-service-target').selectOption({ label: '账户查询' });
    const started = agent.waitForResponse((r) => r.url().endsWith(`/calls/${callId}/self-service`));
    await agent.getByTestId('wb-self-service-submit').click();
    assert.equal((await started).status(), 202);
    await agent.getByTestId('wb-self-service-dialog').waitFor({ state: 'detached' });
    for (let i = 0; i < 300 && (await fixture.call('aside', { callId })).aside !== null; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await fixture.call('aside', { callId })).aside, null, 'the customer is back with the agent');
    await agent.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();

    await fixture.call('outsideAnswer');
    await agent.getByTestId('wb-transfer-external').click();
    await agent.getByTestId('wb-transfer-number').fill('13900139000');
    await agent.getByTestId('wb-transfer-submit').click();
    await agent.getByTestId('wb-transfer-dialog').waitFor({ state: 'detached', timeout: 40_000 });
    await agent.locator(`[data-testid="wb-after"][data-call-id="${callId}"]`).waitFor();
    await fixture.call('carrierHangup', { callId }, 60_000);
    const out = await fixture.call('outsideDone', {}, 60_000);
    assert.equal(out.code, 0, out.errors);
    assert.match(out.ruri, /^sip:13900139000@127\.0\.0\.2/);
    await fixture.call('recordWritten', { callId }, 40_000);
    const rec = (await fixture.api('admin', 'GET', `/records/${callId}`)).body;
    assert.ok(rec.detail.transfers.some((x: { kind: string; result: string }) => x.kind === 'external' && x.result === 'answered'), JSON.stringify(rec.detail.transfers));
  });

  it('转座席 to agent 1002’s workbench, then 转技能组 售前 back to 1001: each page rings and answers', async () => {
    const ctx2 = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true, permissions: ['microphone'] });
    try {
      const other = await ctx2.newPage();
      other.setDefaultTimeout(60_000);
      await login(other, '1002@demo.local', 'Agent1002-demo');
      await other.locator('[data-testid="wb-phone"][data-state="ready"]').waitFor({ timeout: 30_000 });
      await other.getByTestId('wb-status-busy').click();
      await other.locator('[data-testid="wb-status"][data-status="busy"]').waitFor();
      await backToIdle(agent, agentId);
      const callId = await answerInbound(agent);
      await other.getByTestId('wb-status-idle').click();
      await other.locator('[data-testid="wb-status"][data-status="idle"]').waitFor();

      await agent.getByTestId('wb-transfer-agent').click();
      await agent.getByTestId('wb-transfer-target').selectOption({ label: '客服1002 (1002)' });
      await agent.getByTestId('wb-transfer-submit').click();
      await other.locator(`[data-testid="wb-incoming"][data-call-id="${callId}"]`).waitFor({ timeout: 30_000 });
      await other.getByTestId('wb-answer').click();
      await other.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();
      const before = await fixture.call('legStats', { callId });
      await fixture.call('carrierTalk', { callId, minIn: before.rtpIn + 50, minOut: before.rtpToPhone + 50 }, 60_000);
      await other.waitForFunction(async () => ((await (window as any).ccboxWorkbench.phone.inboundStats()).packetsReceived as number) >= 50, undefined, { timeout: 20_000, polling: 200 });

      await backToIdle(agent, agentId);
      await other.getByTestId('wb-transfer-group').click();
      await other.getByTestId('wb-transfer-target').selectOption({ label: '售前' });
      await other.getByTestId('wb-transfer-submit').click();
      await agent.locator(`[data-testid="wb-incoming"][data-call-id="${callId}"]`).waitFor({ timeout: 30_000 });
      await agent.getByTestId('wb-answer').click();
      await agent.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();
      await fixture.call('carrierHangup', { callId }, 60_000);
      await fixture.call('recordWritten', { callId }, 40_000);
      const kinds = (await fixture.api('admin', 'GET', `/records/${callId}`)).body.detail.transfers.map((x: { kind: string }) => x.kind);
      assert.deepEqual(kinds, ['agent', 'skillGroup']);
      await other.getByTestId('wb-status-busy').click().catch(() => undefined);
    } finally {
      await ctx2.close();
    }
  });

  it('after the call: 备注, the agent’s recent calls, 添加至黑名单 (the box keeps the number) and 再次拨打', async () => {
    await backToIdle(agent, agentId);
    const callId = await answerInbound(agent);
    await fixture.call('carrierHangup', { callId }, 60_000);
    await agent.locator(`[data-testid="wb-after"][data-call-id="${callId}"]`).waitFor();
    await fixture.call('recordWritten', { callId }, 40_000);

    await agent.getByTestId('wb-remark').fill('客户要求明天回电');
    await agent.getByTestId('wb-remark-save').click();
    await agent.getByTestId('toast').filter({ hasText: '备注' }).first().waitFor().catch(() => undefined);
    for (let i = 0; i < 100 && (await fixture.api('admin', 'GET', `/records/${callId}`)).body.remark !== '客户要求明天回电'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await fixture.api('admin', 'GET', `/records/${callId}`)).body.remark, '客户要求明天回电');
    await agent.locator('[data-testid="wb-recent-row"]', { hasText: '客户要求明天回电' }).first().waitFor({ timeout: 20_000 });

    const added = agent.waitForResponse((r) => r.url().endsWith(`/workbench/calls/${callId}/blacklist`));
    await agent.getByTestId('wb-blacklist').click();
    await agent.getByTestId('confirm-ok').click();
    assert.equal((await added).status(), 201);
    const list = (await fixture.api('admin', 'GET', '/call-settings/blacklist?page=1&pageSize=50')).body.items as { id: number; number: string }[];
    const entry = list.find((x) => x.number === '13800138000');
    assert.ok(entry, JSON.stringify(list));
    assert.equal((await fixture.api('admin', 'DELETE', `/call-settings/blacklist/${entry.id}`)).status, 204);

    await fixture.call('outsideAnswer');
    await agent.getByTestId('wb-redial').click();
    assert.equal(await agent.getByTestId('wb-dial-input').inputValue(), '13800138000');
    const dialled = agent.waitForResponse((r) => r.url().endsWith('/api/v1/calls') && r.request().method() === 'POST');
    await agent.getByTestId('wb-dial-call').click();
    const res = await dialled;
    assert.equal(res.status(), 201, await res.text());
    await agent.locator('[data-testid="wb-call"][data-state="connected"]').waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      const live = (await fixture.api('admin', 'GET', '/calls')).body;
      throw new Error(`${err.message}\nlive calls: ${JSON.stringify(live)}\ncall card: ${await agent.getByTestId('wb-call').getAttribute('data-state').catch(() => 'none')}`);
    });
    await agent.getByTestId('wb-hangup').click();
    const out = await fixture.call('outsideDone', {}, 60_000);
    assert.equal(out.code, 0, out.errors);
    assert.match(out.ruri, /^sip:13800138000@127\.0\.0\.2/);
  });

  it('号码隐私保护 掩码保护 set in the console: the ringing page and the screen-pop hash show 138****8000, 归属地 and the last 备注 still show', async () => {
    await admin.goto(`${box}/settings/privacy`);
    await admin.getByTestId('privacy-form').waitFor();
    await admin.getByTestId('privacy-mode-mask').check();
    await admin.getByTestId('privacy-save').click();
    await admin.getByTestId('toast').filter({ hasText: '已保存' }).first().waitFor();
    assert.equal((await fixture.api('admin', 'GET', '/settings/privacy')).body.mode, 'mask');
    try {
      await backToIdle(agent, agentId);
      const { callId } = await fixture.call('carrierCall', {}, 60_000);
      await agent.locator(`[data-testid="wb-incoming"][data-call-id="${callId}"]`).waitFor({ timeout: 30_000 });
      assert.equal(await agent.getByTestId('wb-incoming-number').innerText(), '138****8000');
      await agent.locator('[data-testid="wb-incoming-location"]', { hasText: '北京市' }).waitFor();
      // The remark left on this customer's last call shows again.
      assert.match(await agent.getByTestId('wb-incoming-remark').innerText(), /客户要求明天回电/);
      const frame = (await (await agent.getByTestId(`wb-pop-frame-${popId}`).elementHandle())!.contentFrame())!;
      const hash = await frame.waitForFunction(() => (new URLSearchParams(location.hash.slice(1)).get('status') === '100' ? location.hash : null));
      assert.equal(new URLSearchParams(String(await hash.jsonValue()).slice(1)).get('mobile'), '138****8000');
      assert.ok(!(await agent.getByTestId('wb-incoming').innerText()).includes('13800138000'), 'the ringing card shows no real number');
      await agent.getByTestId('wb-answer').click();
      await agent.locator(`[data-testid="wb-call"][data-state="connected"][data-call-id="${callId}"]`).waitFor();
      await fixture.call('carrierHangup', { callId }, 60_000);
      await agent.locator(`[data-testid="wb-after"][data-call-id="${callId}"]`).waitFor();
      await fixture.call('recordWritten', { callId }, 40_000);
      assert.equal((await fixture.api('agent', 'GET', `/records/${callId}`)).body.caller, '138****8000');
      assert.equal((await fixture.api('admin', 'GET', `/records/${callId}`)).body.caller, '13800138000');
    } finally {
      await fixture.api('admin', 'PUT', '/settings/privacy', { mode: 'off' });
    }
  });
});
