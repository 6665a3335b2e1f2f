// Queues: priority then arrival, ${WaitNo} kept current, announcements on the interval, max wait and 无座席在线
// actions, the caller leaving, and queue callbacks that keep their place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnqueueOutcome, QueueAction, QueueAnnouncement } from '../../../src/acd/index.ts';
import { harness, ScriptedCallbackDialer, settingsWith, settle } from './acd-helpers.ts';

describe('queue order and ${WaitNo}', () => {
  it('orders by priority (1 first) then arrival, and reports every position change', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11);
    const seen: Record<string, number[]> = {};
    const events: string[] = [];
    h.acd.on('wait-no', (w) => events.push(`${w.callId}=${w.waitNo}`));
    const outcomes: Record<string, EnqueueOutcome> = {};
    const join = (callId: string, priority: number): void => {
      seen[callId] = [];
      void h.acd.enqueue({ callId, callerNumber: `1380000${callId}`, skillGroupId: 1, priority, onWaitNo: (n) => seen[callId]!.push(n) }).then((o) => (outcomes[callId] = o));
    };
    join('c1', 3);
    join('c2', 3);
    join('c3', 1);
    join('c4', 5);
    assert.deepEqual(seen, { c1: [1, 2], c2: [2, 3], c3: [1], c4: [4] });
    assert.deepEqual(h.acd.queueView(1).entries.map((e) => `${e.callId}:${e.waitNo}`), ['c3:1', 'c1:2', 'c2:3', 'c4:4']);
    assert.equal(h.acd.abandon('c3'), true);
    await settle();
    assert.deepEqual(outcomes.c3, { outcome: 'callerAbandoned', waitedMs: 0, ringing: false });
    assert.deepEqual(seen, { c1: [1, 2, 1], c2: [2, 3, 2], c3: [1], c4: [4, 3] });
    assert.deepEqual(events.slice(-3), ['c1=1', 'c2=2', 'c4=3']);
    assert.equal(h.acd.abandon('c3'), false, 'only once');
  });

  it('aborting the request signal is the caller hanging up', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11);
    const ac = new AbortController();
    const p = h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1, signal: ac.signal });
    await h.tick(3000);
    ac.abort();
    assert.deepEqual(await p, { outcome: 'callerAbandoned', waitedMs: 3000, ringing: false });
    assert.equal(h.acd.queueView(1).waiting, 0);
  });

  it('refuses a call already queued, an unknown group, and a request with neither group nor agents', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11);
    void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 });
    await assert.rejects(h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 }), /already queued/);
    await assert.rejects(h.acd.enqueue({ callId: 'c2', callerNumber: '1', skillGroupId: 99 }), (e: { field?: string }) => e.field === 'skillGroupId');
    await assert.rejects(h.acd.enqueue({ callId: 'c3', callerNumber: '1' }), (e: { field?: string }) => e.field === 'skillGroupId');
    await assert.rejects(h.acd.enqueue({ callId: 'c4', callerNumber: '1', skillGroupName: '没有' }), (e: { field?: string }) => e.field === 'skillGroupName');
  });
});

describe('announcements', () => {
  it('announce position and estimated wait at the configured interval', async () => {
    const h = await harness({ noDialer: true, settings: settingsWith({ queue: { announce: { intervalSec: 30, position: true, estimatedWait: true } } }) });
    await h.login(11);
    const heard: QueueAnnouncement[] = [];
    void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 });
    void h.acd.enqueue({ callId: 'c2', callerNumber: '2', skillGroupId: 1, onAnnounce: (a) => heard.push(a) });
    void h.acd.enqueue({ callId: 'c3', callerNumber: '3', skillGroupId: 1, announce: null, onAnnounce: (a) => heard.push(a) });
    await h.tick(29_900);
    assert.equal(heard.length, 0);
    await h.tick(100);
    // One agent online, default handle time 120 s: the 2nd in line waits about 2 × 120 s.
    assert.deepEqual(heard, [{ callId: 'c2', skillGroupId: 1, waitNo: 2, estimatedWaitMs: 240_000, position: true, estimatedWait: true }]);
    h.acd.abandon('c1');
    await h.tick(30_000);
    assert.deepEqual(heard.map((a) => a.waitNo), [2, 1]);
  });

  it('a request may set its own interval', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11);
    const at: number[] = [];
    const t0 = h.clock.monotonic();
    void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1, announce: { intervalMs: 5000, position: true, estimatedWait: false }, onAnnounce: () => at.push(h.clock.monotonic() - t0) });
    await h.tick(16_000);
    assert.deepEqual(at, [5000, 10_000, 15_000]);
  });
});

describe('max wait and no agent online', () => {
  const actions: { action: QueueAction; want: EnqueueOutcome }[] = [
    { action: { action: 'overflow', skillGroupId: 2 }, want: { outcome: 'overflow', skillGroupId: 2, reason: 'max-wait' } },
    { action: { action: 'voicemail' }, want: { outcome: 'voicemail', reason: 'max-wait' } },
    { action: { action: 'hangup', prompt: '请稍后再拨' }, want: { outcome: 'hangup', reason: 'max-wait', prompt: '请稍后再拨' } },
  ];
  for (const t of actions) {
    it(`max wait → ${t.action.action}`, async () => {
      const h = await harness({ settings: settingsWith({ queue: { maxWaitSec: 60, maxWaitAction: t.action } }) });
      await h.login(11);
      h.acd.setStatus(11, 'busy', { by: 'agent' });
      let out: EnqueueOutcome | null = null;
      void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 }).then((o) => (out = o));
      await h.tick(59_900);
      assert.equal(out, null);
      await h.tick(100);
      assert.deepEqual(out, t.want);
      assert.equal(h.acd.queueView(1).waiting, 0);
    });
  }

  it('max wait from the request wins over the settings, and cancels a ringing device', async () => {
    const h = await harness();
    await h.login(11);
    const p = h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1, maxWaitMs: 10_000, maxWaitAction: { action: 'voicemail' } });
    await h.tick(10_000);
    assert.deepEqual(await p, { outcome: 'voicemail', reason: 'max-wait' });
    assert.equal(h.dialer.offers[0]!.cancelled, 'max-wait');
    assert.equal(h.acd.status(11).dispatch, 'waiting');
  });

  it('无座席在线 at once when nobody of the group is online (busy counts as online)', async () => {
    const h = await harness({ settings: settingsWith({ queue: { noAgentAction: { action: 'overflow', skillGroupId: 2 } } }) });
    assert.deepEqual(await h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 }), { outcome: 'overflow', skillGroupId: 2, reason: 'no-agent-online' });
    await h.login(12);
    h.acd.setStatus(12, 'busy', { by: 'agent' });
    let out: EnqueueOutcome | null = null;
    void h.acd.enqueue({ callId: 'c2', callerNumber: '1', skillGroupId: 1, noAgentAction: { action: 'voicemail' } }).then((o) => (out = o));
    await settle();
    assert.equal(out, null, 'waits while a 示忙 agent is online');
    await h.acd.webLogout(12);
    await settle();
    assert.deepEqual(out, { outcome: 'voicemail', reason: 'no-agent-online' }, 'the last agent leaving ends the wait');
  });

  it('default 无座席在线 action hangs up with the prompt', async () => {
    const h = await harness();
    assert.deepEqual(await h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 2 }), { outcome: 'hangup', reason: 'no-agent-online', prompt: '当前无客服在线，请稍后再拨' });
  });
});

describe('queue callback (排队回呼)', () => {
  const withCallback = settingsWith({ queue: { callback: { enabled: true, maxAttempts: 2 } } });

  it('keeps the caller’s place: nobody behind jumps ahead, the callback is offered in turn', async () => {
    const cb = new ScriptedCallbackDialer(['connected']);
    const h = await harness({ settings: withCallback, callbackDialer: cb });
    await h.login(11);
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    const out: Record<string, EnqueueOutcome> = {};
    for (const id of ['c1', 'c2', 'c3']) void h.acd.enqueue({ callId: id, callerNumber: `139${id}`, skillGroupId: 1 }).then((o) => (out[id] = o));
    await settle();
    const states: string[] = [];
    h.acd.on('callback', (c) => states.push(c.state));
    const { callbackId, waitNo } = h.acd.requestCallback('c2', '13911112222');
    await settle();
    assert.equal(waitNo, 2);
    assert.deepEqual(out.c2, { outcome: 'callbackScheduled', callbackId, waitNo: 2 });
    assert.deepEqual(h.acd.queueView(1).entries.map((e) => `${e.callId}:${e.kind}:${e.waitNo}`), ['c1:caller:1', 'c2:callback:2', 'c3:caller:3']);
    await h.tick(600_000 - 1000); // far past max wait: a callback no longer times out
    assert.equal(out.c3?.outcome, 'voicemail');
    assert.equal(out.c1?.outcome, 'voicemail');
    void h.acd.enqueue({ callId: 'c4', callerNumber: '1', skillGroupId: 1 });
    h.dialer.script('agent:11', { result: 'answered', afterMs: 1000 });
    h.acd.setStatus(11, 'idle', { by: 'agent' });
    await settle();
    await h.tick(1000);
    const first = h.dialer.offers[0]!;
    assert.equal(first.call.callId, 'c2', 'the callback is served before the later caller');
    assert.equal(first.call.kind, 'callback');
    assert.equal(first.call.callerNumber, '13911112222');
    assert.deepEqual(cb.calls, [{ number: '13911112222', agentId: 11 }]);
    assert.deepEqual(states, ['scheduled', 'dialing', 'connected']);
    assert.equal(h.acd.status(11).dispatch, 'in-call');
    assert.equal(h.acd.lastAgent('13911112222')?.agentId, 11);
  });

  it('a customer who does not answer goes back to the same place, then gives up after the attempts', async () => {
    const cb = new ScriptedCallbackDialer(['no-answer', 'failed']);
    const h = await harness({ settings: withCallback, callbackDialer: cb });
    await h.login(11);
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 });
    void h.acd.enqueue({ callId: 'c2', callerNumber: '2', skillGroupId: 1 });
    await settle();
    const states: string[] = [];
    h.acd.on('callback', (c) => states.push(c.state));
    h.acd.requestCallback('c1');
    h.dialer.script('agent:11', { result: 'answered', afterMs: 500 }, 'ring', { result: 'answered', afterMs: 500 });
    h.acd.setStatus(11, 'idle', { by: 'agent' });
    await settle();
    await h.tick(500);
    assert.deepEqual(states, ['scheduled', 'dialing', 'retry']);
    assert.equal(h.acd.status(11).status, 'idle', 'no 话后整理 for a callback nobody answered');
    assert.deepEqual(h.acd.queueView(1).entries.map((e) => `${e.callId}:${e.waitNo}`), ['c1:1', 'c2:2'], 'back in its place');
    assert.equal(h.dialer.offers[1]!.call.callId, 'c2', 'the caller behind is served while the callback waits to retry');
    h.acd.abandon('c2');
    await h.tick(29_000);
    assert.equal(h.dialer.offers.length, 2);
    await h.tick(1500);
    assert.equal(h.dialer.offers[2]!.call.callId, 'c1');
    assert.deepEqual(states, ['scheduled', 'dialing', 'retry', 'dialing', 'failed']);
    assert.deepEqual(h.acd.queueView(1).entries, [], 'given up');
  });

  it('refused when the group has it off; a scheduled callback can be cancelled', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11);
    void h.acd.enqueue({ callId: 'c1', callerNumber: '1', skillGroupId: 1 });
    assert.throws(() => h.acd.requestCallback('c1'), (e: { field?: string }) => e.field === 'callback');
    await h.acd.saveSettings(1, withCallback);
    const { callbackId } = h.acd.requestCallback('c1');
    assert.equal(h.acd.cancelCallback(callbackId), true);
    assert.equal(h.acd.queueView(1).entries.length, 0);
    assert.equal(h.acd.cancelCallback(callbackId), false);
  });
});
