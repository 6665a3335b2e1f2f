// 服务记录 in Chromium against a real demo box: records written through the box's record store (one with a
// stereo recording, one with a voicemail, one internal) are listed on their tabs and found by the manual's
// filters; 查看详情 shows the fields, IVR path and rung agents; the recording plays in the page (the audio
// element's time advances) and downloads byte for byte; the CSV export carries the row; 录音保存期限 is saved and
// a bad value is refused beside its field; an agent role with 掩码保护 sees the customer number masked. Then a
// real call — sipp as the carrier, the demo IVR, key 1, a sipp desk phone answering as 1001 — appears with
// 正常结束 and its recording plays.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RecordInput } from '../../src/records/index.ts';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { OUT, startWebSession, webSkip, type WebSession } from '../helpers/web-session.ts';
import { legStatsWhen, SIPP } from '../integration/sipp/calls/kit.ts';
import { CUSTOMER, PATH_BOX, PathPeers, poke } from '../integration/sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-e2e-1';
/** Own media port ranges, so a colleague's box on this machine does not share them. */
const BOX = { ...PATH_BOX, mediaEdgePortMin: 42000, mediaEdgePortMax: 42499, mediaRtcPortMin: 49500, mediaRtcPortMax: 49699 };

/** A 16-bit PCM WAV of `seconds` at 8 kHz: a tone per channel (440 Hz left, 660 Hz right when stereo). */
function toneWav(file: string, channels: 1 | 2, seconds: number): { bytes: number; durationMs: number } {
  const rate = 8000;
  const frames = rate * seconds;
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * (c ? 660 : 440) * i) / rate)), (i * channels + c) * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([h, data]));
  return { bytes: 44 + data.length, durationMs: seconds * 1000 };
}

function record(over: Partial<RecordInput> & { id: string; startedAt: number }): RecordInput {
  const at = over.startedAt;
  return {
    direction: 'inbound', endedAt: at + 30_000, caller: '13911112222', callee: '02088880000', number: '02088880000', channelId: null, channelName: 'demo-trunk',
    agent: null, skillGroup: null, skillGroupIds: [], endStatus: 'normal', endCause: 'normal', hangupSide: 'caller',
    ringMs: 3000, talkMs: 20_000, queueMs: 4000, ivrKeys: '1', satisfaction: null, remark: '', recording: null, voicemail: null,
    detail: { legs: [], ivr: null, queue: [], offers: [], transfers: [], notes: [] },
    ...over,
  };
}

describe('服务记录 page in Chromium', { skip: webSkip, timeout: 300_000 }, () => {
  let web: WebSession;
  let tb: TestBox;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, number> = {};
  const withRecording = randomUUID();
  const withVoicemail = randomUUID();
  const internal = randomUUID();
  let wavFile = '';

  before(async () => {
    web = await startWebSession({
      adminPassword: ADMIN_PW, box: BOX, browserArgs: ['--autoplay-policy=no-user-gesture-required'],
      context: { viewport: { width: 1500, height: 900 }, acceptDownloads: true },
    });
    ({ tb, api, browser, page } = web);
    for (const a of (await api.get('/agents?pageSize=100')).body.items) ids[a.staffNo] = a.id;
    for (const g of (await api.get('/skill-groups')).body) ids[g.name] = g.id;

    const now = Date.now();
    wavFile = path.join(tb.dataDir, 'e2e-recording.wav');
    const rec = toneWav(wavFile, 2, 3);
    const vmFile = path.join(tb.dataDir, 'e2e-voicemail.wav');
    const vm = toneWav(vmFile, 1, 2);
    const store = tb.box.callCenter.records;
    await store.write(record({
      id: withRecording, startedAt: now - 600_000, agent: { agentId: ids['1001']!, name: '张三', staffNo: '1001', device: 'phone' },
      skillGroup: { id: ids['售前']!, name: '售前' }, skillGroupIds: [ids['售前']!], satisfaction: { key: '1', label: '满意' }, remark: '回访客户',
      recording: { path: wavFile, channels: 2, ...rec },
      detail: {
        legs: [
          { id: 'l1', role: 'caller', kind: 'trunk', party: '13911112222', startedAt: now - 600_000, answeredAt: now - 599_900, endedAt: now - 570_000, cause: 'normal' },
          { id: 'l2', role: 'callee', kind: 'phone', party: '1001', startedAt: now - 590_000, answeredAt: now - 587_000, endedAt: now - 570_000, cause: 'normal' },
        ],
        ivr: {
          flowId: 1, flowName: 'demo', version: 'main', end: { reason: 'transferred' }, keys: [{ nodeId: 'm', digits: '1', at: now - 595_000, accepted: true }],
          path: [
            { nodeId: 's', type: 'start', label: '开始', at: now - 600_000 }, { nodeId: 'p', type: 'play', label: '欢迎语', at: now - 599_900 },
            { nodeId: 'm', type: 'menu', label: '主菜单', at: now - 597_000, outlet: '1' }, { nodeId: 'a', type: 'toAgent', label: '转售前', at: now - 595_000 },
          ],
        },
        queue: [{ skillGroupId: ids['售前']!, skillGroupName: '售前', enteredAt: now - 595_000, leftAt: now - 590_000, outcome: 'connected' }],
        offers: [{ agentId: ids['1001']!, staffNo: '1001', device: 'phone', at: now - 590_000, endedAt: now - 587_000, result: 'answered' }],
        transfers: [], notes: [],
      },
    }), now);
    await store.write(record({
      id: withVoicemail, startedAt: now - 300_000, caller: '13722223333', endStatus: 'ivrEnd', ivrKeys: '3', talkMs: 0, ringMs: 0, hangupSide: 'caller',
      voicemail: { path: vmFile, channels: 1, ...vm },
    }), now);
    await store.write(record({
      id: internal, startedAt: now - 120_000, direction: 'internal', caller: '1002', callee: '1003', number: null, channelName: null, ivrKeys: '', talkMs: 9000,
    }), now);
  });
  after(async () => {
    await web?.close();
  });

  it('lists the records on their tabs and filters them', async () => {
    await page.getByTestId('nav-records').click();
    await page.waitForURL(/\/records$/);
    const row = page.getByTestId(`rec-row-${withRecording}`);
    await row.waitFor();
    const text = await row.innerText();
    for (const s of ['呼入', '13911112222', '02088880000', '张三', '话机', '售前', '正常结束', '0:20', '满意', '回访客户']) assert.ok(text.includes(s), `row has ${s}: ${text}`);
    // 内线 and voicemail records are on the calls tab too (every record); the tabs narrow.
    await page.getByTestId(`rec-row-${internal}`).waitFor();
    assert.equal(await page.getByTestId('pager-total').innerText(), '共 3 条');

    await page.getByTestId('rec-filter-caller').fill('1372222');
    await page.getByTestId('rec-search').click();
    await page.getByTestId(`rec-row-${withRecording}`).waitFor({ state: 'detached' });
    await page.getByTestId(`rec-row-${withVoicemail}`).waitFor();
    assert.equal(await page.getByTestId('pager-total').innerText(), '共 1 条');
    await page.getByTestId('rec-reset').click();
    await page.getByTestId('rec-filter-endStatus').selectOption('normal');
    await page.getByTestId('rec-filter-skillGroup').selectOption({ label: '售前' });
    await page.getByTestId('rec-search').click();
    await page.getByTestId(`rec-row-${withVoicemail}`).waitFor({ state: 'detached' });
    await page.getByTestId(`rec-row-${withRecording}`).waitFor();
    assert.equal(await page.getByTestId('pager-total').innerText(), '共 1 条');
    await page.getByTestId('rec-reset').click();
    await page.getByTestId(`rec-row-${internal}`).waitFor();

    await page.getByTestId('rec-tab-internal').click();
    await page.locator('[data-testid="rec-table"][data-tab="internal"]').waitFor();
    await page.getByTestId(`rec-row-${withRecording}`).waitFor({ state: 'detached' });
    assert.ok((await page.getByTestId(`rec-row-${internal}`).innerText()).includes('1003'));
    assert.equal(await page.getByTestId('pager-total').innerText(), '共 1 条');

    await page.getByTestId('rec-tab-voicemail').click();
    const vmRow = page.getByTestId(`rec-row-${withVoicemail}`);
    await vmRow.waitFor();
    await page.getByTestId(`rec-row-${internal}`).waitFor({ state: 'detached' });
    assert.ok((await vmRow.innerText()).includes('IVR 后直接结束'));
    assert.ok((await vmRow.innerText()).includes('0:02'), 'the message length');
    await vmRow.getByTestId('rec-play').click();
    const audio = page.getByTestId('rec-row-voicemail-audio');
    await audio.waitFor();
    await audio.evaluate((el: HTMLAudioElement) => el.play());
    await page.waitForFunction(() => ((document.querySelector('[data-testid="rec-row-voicemail-audio"]') as HTMLAudioElement | null)?.currentTime ?? 0) > 0.3);
    assert.equal(Math.round(await audio.evaluate((el: HTMLAudioElement) => el.duration)), 2);
    await page.getByTestId('rec-tab-calls').click();
  });

  it('shows 查看详情 and plays and downloads the recording', async () => {
    const row = page.getByTestId(`rec-row-${withRecording}`);
    await row.getByTestId('rec-open').click();
    const dlg = page.getByTestId('rec-detail');
    await dlg.waitFor();
    await dlg.getByTestId('rec-detail-endStatus').filter({ hasText: '正常结束' }).waitFor();
    assert.equal(await dlg.getByTestId('rec-detail-agent').innerText(), '张三（1001）');
    assert.equal(await dlg.getByTestId('rec-detail-satisfaction').innerText(), '满意（1）');
    assert.match(await dlg.getByTestId('rec-detail-timings').innerText(), /振铃 0:03 · 排队 0:04 · 通话 0:20 · 总计 0:30/);
    assert.deepEqual(await dlg.getByTestId('rec-ivr-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))), ['start', 'play', 'menu', 'toAgent']);
    assert.match(await dlg.getByTestId('rec-ivr-keys').innerText(), /1/);
    assert.equal(await dlg.getByTestId('rec-offer').getAttribute('data-result'), 'answered');
    assert.ok((await dlg.getByTestId('rec-detail-legs').innerText()).includes('13911112222'));
    assert.ok((await dlg.getByTestId('rec-detail-queue').innerText()).includes('售前'));
    await page.screenshot({ path: path.join(OUT, 'web-records-detail.png') });

    // Playback: the element loads the stereo WAV from the recording endpoint and its clock runs.
    const audio = dlg.getByTestId('rec-recording-audio');
    await audio.evaluate((el: HTMLAudioElement) => el.play());
    await page.waitForFunction(() => ((document.querySelector('[data-testid="rec-recording-audio"]') as HTMLAudioElement | null)?.currentTime ?? 0) > 0.5);
    assert.equal(Math.round(await audio.evaluate((el: HTMLAudioElement) => el.duration)), 3);
    assert.equal(await audio.evaluate((el: HTMLAudioElement) => el.error), null);
    await audio.evaluate((el: HTMLAudioElement) => el.pause());

    const [download] = await Promise.all([page.waitForEvent('download'), dlg.getByTestId('rec-recording-download').click()]);
    const saved = path.join(tb.dataDir, 'downloaded.wav');
    await download.saveAs(saved);
    assert.equal(download.suggestedFilename(), `${withRecording}.wav`);
    assert.ok(readFileSync(saved).equals(readFileSync(wavFile)), 'the download is the recording, byte for byte');

    // 备注 edited in the detail lands on the record.
    await dlg.getByTestId('rec-remark-input').fill('已回访');
    await dlg.getByTestId('rec-remark-save').click();
    await page.getByTestId(`rec-row-${withRecording}`).filter({ hasText: '已回访' }).waitFor();
    assert.equal((await api.get(`/records/${withRecording}`)).body.remark, '已回访');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
  });

  it('exports the filtered records as CSV', async () => {
    await page.getByTestId('rec-filter-caller').fill('13911112222');
    await page.getByTestId('rec-search').click();
    await page.getByTestId(`rec-row-${internal}`).waitFor({ state: 'detached' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rec-export').click()]);
    const file = path.join(tb.dataDir, 'export.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 2, csv);
    assert.ok(lines[1]!.includes('13911112222') && lines[1]!.includes('正常结束') && lines[1]!.includes('已回访'), lines[1]);
    await page.getByTestId('rec-reset').click();
  });

  it('saves 录音保存期限 and refuses a bad value beside its field', async () => {
    await page.getByTestId('rec-retention').click();
    const dlg = page.getByTestId('rec-retention-dialog');
    await dlg.getByTestId('rec-retention-records').waitFor();
    assert.equal(await dlg.getByTestId('rec-retention-records').inputValue(), '730');
    await dlg.getByTestId('rec-retention-records').fill('5000');
    await dlg.getByTestId('rec-retention-save').click();
    await dlg.getByTestId('field-error-recordDays').waitFor();
    await dlg.getByTestId('rec-retention-records').fill('365');
    await dlg.getByTestId('rec-retention-recordings').fill('90');
    await dlg.getByTestId('rec-retention-save').click();
    await dlg.waitFor({ state: 'detached' });
    assert.deepEqual((await api.get('/records/retention')).body, { recordDays: 365, recordingDays: 90 });
  });

  it('masks the customer number for an agent role when 号码隐私保护 is on', async () => {
    // A 组长 role: the workbench and 服务记录; with 掩码保护 its users see the customer's number masked.
    const role = await api.post('/roles', { name: '组长', permissions: ['workbench', 'records'], scopeSkillGroupIds: null });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    assert.equal((await api.patch(`/agents/${ids['1001']}`, { roleId: role.body.id })).status, 200);
    assert.equal((await api.put('/settings/privacy', { mode: 'mask' })).status, 200);
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 900 } });
    try {
      const agent = await ctx.newPage();
      await agent.goto(tb.base + '/login?next=/records');
      await agent.getByTestId('login-username').fill('1001@demo.local');
      await agent.getByTestId('login-password').fill('Agent1001-demo');
      await agent.getByTestId('login-submit').click();
      const row = agent.getByTestId(`rec-row-${withRecording}`);
      await row.waitFor();
      const masked = row.locator('[data-masked="true"]');
      assert.match(await masked.first().innerText(), /^139\*{4}2222$/);
      assert.ok(!(await row.innerText()).includes('13911112222'), 'the real number is not on the page');
      await row.getByTestId('rec-open').click();
      const dlg = agent.getByTestId('rec-detail');
      await dlg.getByTestId('rec-detail-caller').waitFor();
      assert.match(await dlg.getByTestId('rec-detail-caller').innerText(), /^139\*{4}2222$/);
      assert.ok(!(await dlg.getByTestId('rec-detail-legs').innerText()).includes('13911112222'));
    } finally {
      await ctx.close();
      await api.put('/settings/privacy', { mode: 'off' });
    }
  });

  it('a real call through the demo IVR to 1001 appears with 正常结束 and its recording plays', { skip: existsSync(SIPP) ? false : 'sipp is not installed' }, async () => {
    const p = new PathPeers(tb, api);
    await p.loadIds();
    const settings = (await api.get('/acd/settings')).body.global;
    settings.answer.afterCallIdle = { enabled: true, seconds: 1 };
    assert.equal((await api.put('/acd/settings', { skillGroupId: null, settings })).status, 200);
    const agent = await p.agentPhone('1001');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    await p.agentAnswered(call);
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    // The customer talks (g711a.pcap) and the phone echoes: some seconds of sound both ways, then hang up.
    await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (s) => s.rtpIn >= 150 && s.rtpToPhone >= 150, 30_000);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const [rc, ra] = await Promise.all([carrier.run.done, agent.run.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    await written;
    p.unregister('1001');

    await page.getByTestId('rec-filter-caller').fill(CUSTOMER);
    await page.getByTestId('rec-search').click();
    const row = page.getByTestId(`rec-row-${call.id}`);
    await row.waitFor();
    const text = await row.innerText();
    for (const s of ['正常结束', '售前', '1001', '话机']) assert.ok(text.includes(s), `row has ${s}: ${text}`);
    await row.getByTestId('rec-open').click();
    const dlg = page.getByTestId('rec-detail');
    await dlg.getByTestId('rec-detail-ivrKeys').filter({ hasText: '1' }).waitFor();
    const steps = await dlg.getByTestId('rec-ivr-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    assert.deepEqual(steps.slice(0, 4), ['start', 'play', 'menu', 'toAgent']);
    assert.equal(await dlg.getByTestId('rec-offer').first().getAttribute('data-result'), 'answered');
    const audio = dlg.getByTestId('rec-recording-audio');
    await audio.evaluate((el: HTMLAudioElement) => el.play());
    await page.waitForFunction(() => ((document.querySelector('[data-testid="rec-recording-audio"]') as HTMLAudioElement | null)?.currentTime ?? 0) > 0.5);
    assert.ok((await audio.evaluate((el: HTMLAudioElement) => el.duration)) > 1);
    await page.screenshot({ path: path.join(OUT, 'web-records-real-call.png') });
  });
});
