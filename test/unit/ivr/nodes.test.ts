// The other modules on a SimulatedCall: 放音, 语音识别导航 (with hot words), 转外线, 转分机, 语音信箱,
// 结束 in a self-service flow, caller hang-up and the deadline on every request.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeClock } from '../../../src/platform/clock.ts';
import { IvrInterpreter, SimulatedCall, type CallControl, type DialRequest, type RecognizeOptions } from '../../../src/ivr/runtime/index.ts';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';
import { HttpPeer } from './http-peer.ts';

let peer: HttpPeer;
before(async () => {
  peer = await HttpPeer.start();
});
after(async () => peer.close());

test('play: ${var} substitution, prompt file names, play count; the snapshot is frozen', async () => {
  const { def } = buildFlow(
    {
      start: { type: 'start', outlets: { next: 'a' } },
      a: { type: 'play', params: { prompt: tts('您好 ${Name}，来电 ${SystemCallerNumber}，未知 [${Nope}]'), playCount: 2 }, outlets: { next: 'b' } },
      b: { type: 'play', params: { prompt: { kind: 'file', promptId: 'p1' } }, outlets: { next: 'end' } },
      end: { type: 'end' },
    },
    [{ name: 'Name', default: '王女士' }],
  );
  // Validation refuses the undefined ${Nope}; at run time an unknown variable reads as empty.
  const snap = snapshotOf(def, { promptNames: { p1: '欢迎音乐.wav' }, unchecked: true });
  assert.ok(Object.isFrozen(snap.definition.nodes[1]!.params));
  const r = run(snap, { callerNumber: '13700000000' });
  await r.done;
  assert.deepEqual(r.plays(), ['您好 王女士，来电 13700000000，未知 [] (×2)', '[放音文件 欢迎音乐.wav]']);
});

function speechFlow(extra: Record<string, unknown> = {}) {
  return buildFlow({
    start: { type: 'start', outlets: { next: 'sm' } },
    sm: {
      type: 'speechMenu',
      params: {
        prompt: tts('请说出您要办理的业务'),
        nomatchPrompt: tts('没有听清'),
        timeoutPrompt: tts('请说话'),
        maxRetries: 2,
        branches: [{ key: '1', label: '售前', keywords: ['购买', '售前'] }, { key: '2', label: '售后', keywords: ['维修', 'repair'] }],
        hotWordListId: 5,
        ...extra,
      },
      outlets: { 'key:1': 'one', 'key:2': 'two', fallthrough: 'other' },
    },
    one: { type: 'play', params: { prompt: tts('售前') }, outlets: { next: 'end' } },
    two: { type: 'play', params: { prompt: tts('售后') }, outlets: { next: 'end' } },
    other: { type: 'play', params: { prompt: tts('兜底') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
}

test('speech menu: keywords pick branches, hot words reach the recognizer, retries then fall through', async () => {
  const { def } = speechFlow();
  const snap = snapshotOf(def, { hotWords: { 5: [{ word: '维修', weight: 8 }] } });
  const clock = new FakeClock();
  const call = new SimulatedCall({ clock });
  const seen: RecognizeOptions[] = [];
  const recognize = call.recognizeSpeech!;
  (call as { recognizeSpeech?: CallControl['recognizeSpeech'] }).recognizeSpeech = (o) => (seen.push(o), recognize(o));
  const done = new IvrInterpreter(snap, call, { clock }).run();
  await call.settled();
  call.say('我的空调需要 REPAIR');
  await done;
  assert.deepEqual(seen[0]!.keywords, ['购买', '售前', '维修', 'repair']);
  assert.deepEqual(seen[0]!.hotWords, [{ word: '维修', weight: 8 }]);
  assert.ok(call.transcript.some((l) => l.text === '售后'));

  const r = run(snapshotOf(def));
  await r.step();
  r.call.say('你好');
  assert.deepEqual(await r.step(), ['没有听清', '请说出您要办理的业务']);
  r.clock.tick(5000);
  const trace = await r.done;
  assert.equal(r.plays().at(-1), '兜底');
  assert.deepEqual(trace.events.filter((e) => e.event === 'speech').map((e) => e.detail?.result), ['nomatch', 'timeout']);
});

test('speech menu: the default key replaces the fall-through; keys work, also without a recognizer', async () => {
  const { def } = speechFlow({ defaultKey: '2' });
  delete def.nodes[1]!.outlets.fallthrough;
  const r = run(snapshotOf(def));
  await r.step();
  r.call.say('嗯');
  await r.step();
  r.call.say('啊');
  await r.done;
  assert.equal(r.plays().at(-1), '售后');

  const r2 = run(snapshotOf(def), { speech: false });
  await r2.step();
  assert.equal(r2.call.waiting?.kind, 'digits');
  r2.call.pressDigits('1');
  const t2 = await r2.done;
  assert.equal(r2.plays().at(-1), '售前');
  assert.deepEqual(t2.keys.map((k) => [k.digits, k.accepted]), [['1', true]]);
});

test('to-external: fixed callee with connecting audio; callee from a callback with fallback', async () => {
  const dials: DialRequest[] = [];
  const flow = (callee: Record<string, unknown>) =>
    buildFlow({
      start: { type: 'start', outlets: { next: 'ext' } },
      ext: { type: 'toExternal', params: { callerNumber: '02088880000', callee, connectingPrompt: tts('正在为您转接 ${Dept}'), ringTimeoutSec: 20 }, outlets: { done: 'bye', failed: 'fail' } },
      bye: { type: 'play', params: { prompt: tts('通话结束') }, outlets: { next: 'end' } },
      fail: { type: 'play', params: { prompt: tts('转接失败') }, outlets: { next: 'end' } },
      end: { type: 'end' },
    }, [{ name: 'Dept', default: '值班室' }]).def;
  const r = run(snapshotOf(flow({ mode: 'fixed', number: '13800138000' })), { outcomes: { dialExternal: (req) => (dials.push(req), { result: 'answered', talkMs: 1000 }) } });
  await r.done;
  assert.deepEqual(dials[0], { callerId: '02088880000', callee: '13800138000', ringTimeoutMs: 20000, connectingPrompt: { kind: 'tts', text: '正在为您转接 值班室' } });
  assert.deepEqual(r.plays(), ['正在为您转接 值班室', '通话结束']);

  const cb = flow({ mode: 'callback', url: `${peer.url}/callee`, timeoutSec: 1, fallbackNumber: '4008000000' });
  const r2 = run(snapshotOf(cb), { callerNumber: '13911112222', outcomes: { dialExternal: (req) => (dials.push(req), { result: 'busy' }) } });
  const req = await peer.next();
  assert.equal(req.json().Caller, '13911112222');
  req.reply(200, { Callee: '13600000000' });
  await r2.done;
  assert.equal(dials[1]!.callee, '13600000000');
  assert.equal(r2.plays().at(-1), '转接失败');

  const r3 = run(snapshotOf(cb), { outcomes: { dialExternal: (req) => (dials.push(req), { result: 'answered', talkMs: 1 }) } });
  await peer.next(); // never answered: the 1 s timeout on the fake clock gives up
  r3.clock.tick(1000);
  await r3.done;
  assert.equal(dials[2]!.callee, '4008000000');
});

test('to-extension: fixed length, a missing extension is retried, busy fails', async () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'x' } },
    x: { type: 'toExtension', params: { prompt: tts('请拨分机号'), errorPrompt: tts('分机号不存在'), timeoutPrompt: tts('请输入'), extensionLength: 4, maxErrors: 3 }, outlets: { done: 'end', failed: 'fail' } },
    fail: { type: 'play', params: { prompt: tts('转分机失败') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
  const rang: string[] = [];
  const r = run(snapshotOf(def), { outcomes: { transferToExtension: (e) => (rang.push(e), e === '1001' ? { result: 'answered', talkMs: 5 } : e === '1002' ? { result: 'busy' } : { result: 'notFound' }) } });
  await r.step();
  r.call.pressDigits('9999');
  assert.deepEqual(await r.step(), ['分机号不存在', '请拨分机号']);
  r.call.pressDigits('1001');
  const trace = await r.done;
  assert.deepEqual(rang, ['9999', '1001']);
  assert.equal(trace.path[1]!.outlet, 'done');
  assert.deepEqual(trace.keys.map((k) => [k.digits, k.accepted]), [['9999', false], ['1001', true]]);

  const r2 = run(snapshotOf(def), { outcomes: { transferToExtension: () => ({ result: 'busy' }) } });
  await r2.step();
  r2.call.pressDigits('1002');
  await r2.done;
  assert.equal(r2.plays().at(-1), '转分机失败');
  void ids;
});

test('voicemail: beep, record until #, end prompt; the message is in the trace', async () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'vm' } },
    vm: { type: 'voicemail', params: { prompt: tts('请留言'), endPrompt: tts('留言已保存'), maxSeconds: 30 }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
  const r = run(snapshotOf(def));
  await r.step();
  assert.equal(r.call.waiting?.kind, 'outcome');
  r.clock.tick(7000);
  r.call.pressDigits('#');
  const trace = await r.done;
  assert.deepEqual(r.plays(), ['请留言', '[嘀]', '留言已保存']);
  assert.deepEqual(trace.voicemail, { nodeId: ids.vm, recordingId: `sim-${r.call.sessionId}`, seconds: 7 });
});

test('a self-service flow ends by returning the caller, not hanging up', async () => {
  const { def, ids } = buildFlow({ start: { type: 'start', outlets: { next: 'end' } }, end: { type: 'end', params: { prompt: tts('即将为您转回客服') } } });
  const r = run(snapshotOf(def, { kind: 'selfService' }));
  const trace = await r.done;
  assert.deepEqual(trace.end, { reason: 'returned', nodeId: ids.end });
  assert.equal(r.call.ended, null);
});

test('a caller hang-up ends the flow quietly; a request with no answer hits its deadline and hangs up', async () => {
  const { def, ids } = buildFlow({
    start: { type: 'start', outlets: { next: 'menu' } },
    menu: { type: 'menu', params: { prompt: tts('请按键'), keys: [{ key: '1' }], timeoutSec: 5 }, outlets: { 'key:1': 'end' } },
    end: { type: 'end' },
  });
  const r = run(snapshotOf(def));
  await r.step();
  r.call.callerHangup();
  assert.deepEqual((await r.done).end, { reason: 'callerHangup', nodeId: ids.menu });

  // A call whose digit collection never answers (a broken leg): the 5 s timeout + 3 s × 1 + 5 s grace.
  const clock = new FakeClock();
  const call = new SimulatedCall({ clock, autoTimeouts: false });
  const done = new IvrInterpreter(snapshotOf(def), call, { clock }).run();
  await call.settled();
  clock.tick(12_999);
  assert.equal(call.ended, null);
  clock.tick(1);
  const trace = await done;
  assert.equal(trace.end?.reason, 'error');
  assert.match((trace.end as { message: string }).message, /collectDigits: no answer within 13000 ms/);
  assert.deepEqual(call.ended, { by: 'flow', cause: 'deadline' });
});
