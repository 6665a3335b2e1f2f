// Every IVR module that needs no agent, on real calls: a caller from demo-trunk's address (127.0.0.2) calls
// 02088880000 bound to a test flow, presses RFC 4733 keys, and hears the prompts — each prompt file a different
// tone, so the test knows which one reached the caller (and that it was audible). The path and keys come from the
// call's record. Timers are short (1–2 s). Here: 开始, 放音 (file; TTS interrupted by a key), 分支/按键 (timeout
// prompt, error prompt, max errors → hang-up; dynamic branches from a variable), 收号, 接口调用 against a loopback
// HTTP server (slow first answer → retry), 条件判断, 满意度评价 standalone, 服务时间 (open and closed), 结束.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IvrCaller } from '../bench/ivr-ua.ts';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { callIn, deploy, file, FlowBuilder, hearTone, ivrBox, pathTypes, recordOf, toneOf, tonesHeard, tts, uploadTones, type Tones } from './ivr-call-kit.ts';

const TONES: Tones = { t1: 500, menu: 700, timeout: 900, wrong: 1100, collect: 1300, gold: 1500, dyn: 1700, survey: 1900, thanks: 2100, bye: 2300, open: 2500, closed: 2700 };

describe('IVR nodes on real calls (RFC 4733 keys, prompts heard by the caller)', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let ids: Record<string, string>;
  let server: http.Server;
  let url: string;
  const posts: { body: any; at: number }[] = [];
  const callers: IvrCaller[] = [];

  before(async () => {
    ({ tb, admin } = await ivrBox());
    ids = await uploadTones(admin, TONES);
    // The CRM the flow asks: the first request of each call is answered too late (the node retries).
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        const body = JSON.parse(raw);
        posts.push({ body, at: Date.now() });
        const tries = posts.filter((p) => p.body.Session === body.Session).length;
        const answer = () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: { level: body.Account === '1234' ? 'gold' : 'basic', menu: JSON.stringify([{ digits: '7', name: 'survey', label: '评价', next: surveyId }]) } }));
        };
        if (tries === 1) setTimeout(answer, 1500);
        else answer();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`;
  });
  after(async () => {
    for (const c of callers) c.close();
    server?.closeAllConnections();
    server?.close();
    await tb?.close();
  });

  let surveyId = '';
  const f = new FlowBuilder();
  function flow(): FlowBuilder {
    if (f.nodes.length) return f;
    const start = f.id(), t1 = f.id(), hello = f.id(), menu = f.id(), collect = f.id(), crm = f.id(), cond = f.id(), gold = f.id(), dyn = f.id();
    const survey = f.id(), end = f.id(), hoursOpen = f.id(), openPlay = f.id(), hoursClosed = f.id(), closedEnd = f.id();
    surveyId = survey;
    f.add('start', '开始', {}, { next: t1 }, start);
    f.add('play', '放音 文件', { prompt: file(ids.t1!), interruptible: false }, { next: hello }, t1);
    // Long enough that the key surely lands while it plays.
    f.add('play', '放音 TTS', { prompt: tts('Welcome to the test line. Your call is important to us. Please hold on while we find your account.', 'en'), interruptible: true }, { next: menu }, hello);
    f.add('menu', '主菜单', {
      prompt: file(ids.menu!), timeoutPrompt: file(ids.timeout!), errorPrompt: file(ids.wrong!), maxErrors: 3, timeoutSec: 1.5, interDigitTimeoutSec: 1,
      keys: [{ key: '1', label: '查询' }, { key: '2', label: '营业时间' }],
    }, { 'key:1': collect, 'key:2': hoursOpen }, menu);
    f.add('collect', '收号', { prompt: file(ids.collect!), variable: 'Account', maxDigits: 6, minDigits: 4, endMode: 'hash', timeoutSec: 3, interDigitTimeoutSec: 2 }, { next: crm }, collect);
    f.add('http', '接口调用', {
      url, inputs: [{ name: 'Account', value: '${Account}' }, { name: 'Session', value: '${SystemSessionId}' }, { name: 'Caller', value: '${SystemCallerNumber}' }],
      outputs: [{ variable: 'Level', field: 'data.level', default: 'unknown' }, { variable: 'Menu', field: 'data.menu', default: '[]' }],
      timeoutSec: 0.8, maxErrors: 2,
    }, { next: cond }, crm);
    f.add('condition', '条件判断', { branches: [{ id: 'gold', label: '金卡', conditions: [{ left: '${Level}', op: 'eq', right: 'gold', compare: 'text' }] }] }, { 'branch:gold': gold, default: end }, cond);
    f.add('play', '金卡提示', { prompt: file(ids.gold!) }, { next: dyn }, gold);
    f.add('menu', '动态菜单', { prompt: file(ids.dyn!), timeoutSec: 2, maxErrors: 2, dynamicVariable: 'Menu' }, {}, dyn);
    f.add('survey', '满意度评价', { prompt: file(ids.survey!), thanksPrompt: file(ids.thanks!), timeoutSec: 2, options: [{ key: '1', label: '满意' }, { key: '2', label: '不满意' }] }, { next: end }, survey);
    f.add('end', '结束', { prompt: file(ids.bye!) }, {}, end);
    const everyDay = [{ days: [1, 2, 3, 4, 5, 6, 7], ranges: [{ from: '00:00', to: '24:00' }] }];
    const far = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    f.add('hours', '服务时间 全天', { weekly: everyDay }, { open: openPlay, closed: end }, hoursOpen);
    f.add('play', '工作时间', { prompt: file(ids.open!) }, { next: hoursClosed }, openPlay);
    // A holiday from yesterday to tomorrow (UTC dates): closed whatever the box's zone.
    f.add('hours', '服务时间 假日', { weekly: everyDay, holidays: [{ from: far(-1), to: far(1), name: '测试假日' }] }, { open: end, closed: closedEnd }, hoursClosed);
    f.add('end', '结束 非工作时间', { prompt: file(ids.closed!) }, {}, closedEnd);
    f.variables.push({ name: 'Account', default: '' }, { name: 'Level', default: '' }, { name: 'Menu', default: '[]' });
    return f;
  }

  it('deploys a flow with every module (validated, published, bound to 02088880000)', async () => {
    await deploy(admin, 'ivr-call-nodes', flow().definition);
  });

  it('key during the TTS stops it and picks the menu branch; 收号 → 接口调用 (retry) → 条件判断 → 动态分支 → 满意度评价 → 结束', async () => {
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    const t0 = await hearTone(caller, TONES, 't1', 0);
    // The TTS welcome: speech, not a tone. A key while it plays stops it (barge-in) and is the menu's answer.
    const speech = await caller.audioAfter(t0 + 800);
    await new Promise((r) => setTimeout(r, 600));
    const k1 = await caller.pressKey('1');
    // The menu prompt is skipped (the key was typed ahead); the 收号 prompt comes next.
    const c0 = await hearTone(caller, TONES, 'collect', k1.endAt);
    const speechAfterKey = caller.rx.filter((p) => p.at > k1.endAt && p.at < c0 && p.rms >= 300).length;
    assert.ok(speechAfterKey < 25, `the TTS stopped at the key (${speechAfterKey} packets of it after the key)`);
    assert.ok(caller.rx.filter((p) => p.at > speech.at && p.at < k1.startAt && p.rms >= 300).length > 20, 'speech was heard before the key');
    await caller.quiet(200);
    await caller.pressKeys('1234#');
    await hearTone(caller, TONES, 'gold', c0);
    const d0 = await hearTone(caller, TONES, 'dyn', c0);
    await caller.quiet(200);
    await caller.pressKey('7');
    const s0 = await hearTone(caller, TONES, 'survey', d0);
    await caller.quiet(200);
    await caller.pressKey('1');
    await hearTone(caller, TONES, 'thanks', s0);
    assert.equal(await caller.ended, 'box', 'the end node hangs up');
    await written;
    assert.deepEqual(tonesHeard(caller, TONES), ['t1', 'collect', 'gold', 'dyn', 'survey', 'thanks', 'bye']);
    // Each tone prompt reaches the caller whole (700 ms ≈ 35 packets) and at its level (−6 dBFS sine ≈ 11,500 rms).
    for (const s of caller.heard().filter((x) => toneOf(x, TONES) && toneOf(x, TONES) !== 'collect')) {
      assert.ok(s.rms > 8000 && s.packets >= 30, `${toneOf(s, TONES)}: ${s.packets} packets at rms ${s.rms.toFixed(0)}`);
    }

    const rec = await recordOf(admin, call.id);
    assert.deepEqual(pathTypes(rec), ['start', 'play', 'play', 'menu', 'collect', 'http', 'condition', 'play', 'menu', 'survey', 'end']);
    assert.deepEqual(rec.detail.ivr.path.map((s: any) => s.outlet ?? null), ['next', 'next', 'next', 'key:1', 'next', 'next', 'branch:gold', 'next', 'dynamic:7', 'next', null]);
    assert.equal(rec.ivrKeys, '1123471');
    assert.deepEqual(rec.satisfaction, { key: '1', label: '满意' });
    assert.equal(rec.detail.ivr.end.reason, 'hangup');
    assert.equal(rec.endStatus, 'ivrEnd', 'ended in the IVR');
    // The CRM saw the collected digits and the system variables; its slow first answer was retried.
    const mine = posts.filter((p) => p.body.Session === call.id);
    assert.equal(mine.length, 2);
    assert.deepEqual(mine[0]!.body, { Account: '1234', Session: call.id, Caller: '13800138000' });
  });

  it('no key → timeout prompt, a wrong key → error prompt, the third miss hangs up (max errors)', async () => {
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    const m0 = await hearTone(caller, TONES, 'menu', 0, 30_000);
    const to = await hearTone(caller, TONES, 'timeout', m0);
    const m1 = await hearTone(caller, TONES, 'menu', to);
    await caller.quiet(200);
    await caller.pressKey('9');
    const w = await hearTone(caller, TONES, 'wrong', m1);
    await hearTone(caller, TONES, 'menu', w);
    assert.equal(await caller.ended, 'box', 'the box hangs up after the third miss');
    await written;
    assert.deepEqual(tonesHeard(caller, TONES), ['t1', 'menu', 'timeout', 'menu', 'wrong', 'menu']);
    const rec = await recordOf(admin, call.id);
    assert.deepEqual(pathTypes(rec), ['start', 'play', 'play', 'menu']);
    assert.deepEqual(rec.detail.ivr.end, { reason: 'hangup', cause: 'maxErrors', nodeId: rec.detail.ivr.path[3].nodeId });
    assert.deepEqual(rec.detail.ivr.keys.map((k: any) => [k.digits, k.accepted]), [['9', false]]);
    assert.equal(rec.ivrKeys, '');
  });

  it('服务时间: 工作时间 (every day) and 非工作时间 (a holiday) outlets', async () => {
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    const m0 = await hearTone(caller, TONES, 'menu', 0, 30_000);
    await caller.quiet(200);
    await caller.pressKey('2');
    await hearTone(caller, TONES, 'closed', m0);
    assert.equal(await caller.ended, 'box');
    await written;
    assert.deepEqual(tonesHeard(caller, TONES), ['t1', 'menu', 'open', 'closed']);
    const rec = await recordOf(admin, call.id);
    assert.deepEqual(rec.detail.ivr.path.map((s: any) => `${s.type}:${s.outlet ?? ''}`), ['start:next', 'play:next', 'play:next', 'menu:key:2', 'hours:open', 'play:next', 'hours:closed', 'end:']);
  });
});
