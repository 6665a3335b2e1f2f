// Offering calls through a scripted in-memory dialer: answer, ring timeout → next agent (→ 小休 when set),
// reject, simultaneous ringing, reception limit, 上次接入人优先 with its 3-day memory, specifiedSeat,
// group phones, the ACD's own deadline, and box-wide order across groups.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAST_AGENT_TTL_MS, type EnqueueOutcome } from '../../../src/acd/index.ts';
import { baseDirectory, harness, settingsWith, settle } from './acd-helpers.ts';

const call = (callId: string, over: Record<string, unknown> = {}) => ({ callId, callerNumber: '13800138000', skillGroupId: 1, ...over });

describe('offering a call', () => {
  it('rings the highest-priority idle agent; on answer the call is connected and remembered', async () => {
    const h = await harness();
    await h.login(11, 12);
    h.dialer.script('agent:11', { result: 'answered', afterMs: 2000 });
    const offers: string[] = [];
    h.acd.on('offer', (o) => offers.push(`${o.callId}:${o.target.kind === 'agent' ? o.target.agentId : '-'}:${o.result ?? 'ringing'}`));
    const p = h.acd.enqueue(call('c1', { data: { order: 'A-1' } }));
    await settle();
    assert.equal(h.acd.status(11).dispatch, 'ringing');
    const rec = h.dialer.offers[0]!;
    assert.deepEqual(rec.target, { kind: 'agent', agentId: 11, web: true, phoneId: null });
    assert.deepEqual({ ...rec.call, offerId: '' }, { offerId: '', callId: 'c1', kind: 'inbound', callerNumber: '13800138000', calleeNumber: null, skillGroupId: 1, skillGroupName: '售前', waitedMs: 0, data: { order: 'A-1' } });
    assert.deepEqual(rec.opts, { timeoutMs: 20_000, autoAnswer: false });
    await h.tick(2000);
    const out = await p;
    assert.deepEqual(out, { outcome: 'connected', agentId: 11, phoneId: null, offerId: rec.call.offerId, waitedMs: 2000 });
    assert.equal(h.acd.status(11).dispatch, 'in-call');
    assert.equal(h.acd.status(11).callsToday, 1);
    assert.equal(h.acd.lastAgent('138 0013 8000')?.agentId, 11);
    assert.deepEqual(offers, ['c1:11:ringing', 'c1:11:answered']);
    await h.acd.flush();
    const dispatch = h.store.rows.filter((r) => r.axis === 'dispatch' && r.agentId === 11).map((r) => `${r.to}/${r.cause}`);
    assert.deepEqual(dispatch, ['reserved/reserve', 'ringing/offer', 'in-call/answered']);
    h.acd.callEnded('c1');
    assert.equal(h.acd.status(11).status, 'acw');
  });

  it('passes 呼入自动接听 to the device', async () => {
    const h = await harness({ settings: settingsWith({ answer: { autoAnswer: true } }) });
    await h.login(11);
    void h.acd.enqueue(call('c1'));
    await settle();
    assert.equal(h.dialer.offers[0]!.opts.autoAnswer, true);
  });

  for (const breakAfter of [true, false]) {
    it(`ring timeout moves the call to the next agent; the first goes to ${breakAfter ? '小休' : '示闲'}`, async () => {
      const h = await harness({ settings: settingsWith({ answer: { ringTimeout: { enabled: true, seconds: 10 }, breakAfterRingTimeout: breakAfter } }) });
      await h.login(11, 12);
      h.dialer.script('agent:12', { result: 'answered', afterMs: 1000 });
      const p = h.acd.enqueue(call('c1'));
      await settle();
      assert.deepEqual(h.dialer.ringing(), ['agent:11']);
      await h.tick(10_000);
      assert.deepEqual(h.dialer.ringing(), ['agent:12']);
      assert.equal(h.acd.status(11).status, breakAfter ? 'break' : 'idle');
      assert.equal(h.acd.status(11).breakReasonId, null);
      assert.equal(h.acd.status(11).dispatch, 'waiting');
      await h.tick(1000);
      assert.equal(((await p) as { agentId: number }).agentId, 12);
      await h.acd.flush();
      const causes = h.store.rows.filter((r) => r.agentId === 11).map((r) => r.cause);
      assert.deepEqual(causes, breakAfter ? ['login', 'reserve', 'offer', 'no-answer', 'ring-timeout'] : ['login', 'reserve', 'offer', 'no-answer']);
    });
  }

  it('a rejection moves on at once; everyone rejected → rung again only after the retry delay', async () => {
    const h = await harness();
    await h.login(11, 12);
    h.dialer.script('agent:11', { result: 'rejected', afterMs: 100 }, { result: 'answered', afterMs: 100 });
    h.dialer.script('agent:12', { result: 'rejected', afterMs: 100 });
    const p = h.acd.enqueue(call('c1'));
    await settle();
    await h.tick(200);
    assert.deepEqual(h.dialer.offers.map((o) => o.key), ['agent:11', 'agent:12']);
    await h.tick(900);
    assert.equal(h.dialer.offers.length, 2, 'no tight loop over agents who just rejected');
    await h.tick(200);
    assert.deepEqual(h.dialer.offers.map((o) => o.key), ['agent:11', 'agent:12', 'agent:11']);
    await h.tick(100);
    assert.equal(((await p) as { agentId: number }).agentId, 11);
  });

  it('the ACD gives up on an offer the device never settles (deadline) and cancels it', async () => {
    const h = await harness({ settings: settingsWith({ answer: { ringTimeout: { enabled: true, seconds: 5 } } }) });
    await h.login(11, 12);
    h.dialer.script('agent:11', { result: 'answered', afterMs: 3_600_000 });
    void h.acd.enqueue(call('c1'));
    await settle();
    await h.tick(5400);
    assert.equal(h.dialer.offers.length, 1);
    await h.tick(200);
    assert.equal(h.dialer.offers[0]!.cancelled, 'deadline');
    assert.deepEqual(h.dialer.ringing(), ['agent:12']);
  });

  it('a dialer that throws counts as failed, and the next agent rings', async () => {
    const h = await harness();
    await h.login(11, 12);
    const real = h.dialer.offer.bind(h.dialer);
    let first = true;
    h.dialer.offer = (t, c, o) => {
      if (first) {
        first = false;
        throw new Error('no route to device');
      }
      return real(t, c, o);
    };
    void h.acd.enqueue(call('c1'));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:12']);
    assert.equal(h.acd.status(11).dispatch, 'waiting');
    assert.equal(h.acd.status(11).status, 'idle');
  });

  it('同时振铃 rings two members together; the first to answer wins and the other stops', async () => {
    const dir = baseDirectory();
    dir.groups[0]!.ringMode = 'simultaneous';
    dir.members = dir.members.filter((m) => m.agentId !== 13);
    const h = await harness({ dir });
    await h.login(11, 12);
    h.dialer.script('agent:12', { result: 'answered', afterMs: 700 });
    const p = h.acd.enqueue(call('c1'));
    await settle();
    assert.deepEqual(h.dialer.ringing().sort(), ['agent:11', 'agent:12']);
    await h.tick(700);
    assert.equal(((await p) as { agentId: number }).agentId, 12);
    assert.equal(h.dialer.offers.find((o) => o.key === 'agent:11')!.cancelled, 'answered-elsewhere');
    assert.equal(h.acd.status(11).dispatch, 'waiting');
    assert.equal(h.acd.status(12).dispatch, 'in-call');
  });

  it('a late answer after the call went elsewhere is released', async () => {
    const dir = baseDirectory();
    dir.groups[0]!.ringMode = 'simultaneous';
    dir.members = dir.members.filter((m) => m.agentId !== 13);
    const h = await harness({ dir });
    await h.login(11, 12);
    h.dialer.script('agent:11', { result: 'answered', afterMs: 500 });
    h.dialer.script('agent:12', { result: 'answered', afterMs: 500 });
    const cancels: string[] = [];
    const cancel = h.dialer.cancel.bind(h.dialer);
    h.dialer.cancel = (id, r) => {
      cancels.push(`${h.dialer.offers.find((o) => o.call.offerId === id)!.key}:${r}`);
      cancel(id, r);
    };
    void h.acd.enqueue(call('c1'));
    await settle();
    await h.tick(500);
    assert.equal(h.acd.status(11).dispatch, 'in-call');
    assert.equal(h.acd.status(12).dispatch, 'waiting');
    // Both answered in the same instant: 12 is told to stop, and told again (released) when its answer arrives.
    assert.deepEqual(cancels, ['agent:12:answered-elsewhere', 'agent:12:answered-elsewhere']);
  });

  it('the caller hanging up while a device rings cancels it', async () => {
    const h = await harness();
    await h.login(11);
    const p = h.acd.enqueue(call('c1'));
    await h.tick(3000);
    h.acd.abandon('c1');
    assert.deepEqual(await p, { outcome: 'callerAbandoned', waitedMs: 3000, ringing: true });
    assert.equal(h.dialer.offers[0]!.cancelled, 'caller-abandoned');
    assert.equal(h.acd.status(11).dispatch, 'waiting');
  });

  it('only 示闲 agents who are reachable ring; the reception limit keeps a full agent out', async () => {
    const dir = baseDirectory();
    dir.groups[0]!.receptionLimit = 1;
    const h = await harness({ dir });
    await h.login(11, 12, 13);
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    // 12 still holds a session of an earlier call (e.g. the workbench keeps it open): at the limit of 1.
    (h.acd as unknown as { book: { agent(id: number): { openSessions: Set<string> } } }).book.agent(12)!.openSessions.add('old');
    void h.acd.enqueue(call('c1'));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:13']);
  });

  it('按客服接入电话数量 prefers the agent with the fewest calls today', async () => {
    const h = await harness({ settings: settingsWith({ routing: { distribution: 'fewestCalls', lastAgentFirst: false } }) });
    await h.login(11);
    h.dialer.script('agent:11', { result: 'answered', afterMs: 100 });
    void h.acd.enqueue(call('c1'));
    await settle();
    await h.tick(100);
    h.acd.callEnded('c1');
    h.acd.setStatus(11, 'idle', { by: 'agent' });
    await h.login(12);
    void h.acd.enqueue(call('c2'));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:12']);
  });

  it('按客服空闲时长 prefers the agent free the longest', async () => {
    const h = await harness({ settings: settingsWith({ routing: { distribution: 'longestIdle', lastAgentFirst: false } }) });
    await h.login(13);
    await h.tick(5000);
    await h.login(11);
    void h.acd.enqueue(call('c1'));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:13']);
  });
});

describe('上次接入人优先', () => {
  it('rings the last agent of the number first, for 3 days, and survives a restart', async () => {
    const h = await harness();
    await h.login(11, 12);
    h.acd.agentCallStarted(12, 'out', { direction: 'outbound', remoteNumber: '13900000000' });
    h.acd.callEnded('out');
    h.acd.setStatus(12, 'idle', { by: 'agent' });
    void h.acd.enqueue(call('c1', { callerNumber: '13900000000' }));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:12'], 'the last agent before the higher-priority one');
    h.acd.abandon('c1');
    // A restart keeps the memory (persisted).
    const h2 = await harness({ store: h.store });
    assert.equal(h2.acd.lastAgent('13900000000')?.agentId, 12);
    await h2.login(11, 12);
    h2.clock.tick(LAST_AGENT_TTL_MS - 1000); // one jump: nothing is queued, only the daily purge runs
    await settle();
    void h2.acd.enqueue(call('c2', { callerNumber: '13900000000' }));
    await settle();
    assert.deepEqual(h2.dialer.ringing(), ['agent:12'], 'still within 3 days');
    h2.acd.abandon('c2');
    h2.clock.tick(1000);
    await settle();
    assert.equal(h2.acd.lastAgent('13900000000'), null, 'forgotten after 3 days');
    void h2.acd.enqueue(call('c3', { callerNumber: '13900000000' }));
    await settle();
    assert.deepEqual(h2.dialer.ringing(), ['agent:11']);
  });

  it('is skipped when the setting is off or the last agent is not free', async () => {
    const h = await harness({ settings: settingsWith({ routing: { distribution: 'sequential', lastAgentFirst: false } }) });
    await h.login(11, 12);
    h.acd.agentCallStarted(12, 'out', { direction: 'outbound', remoteNumber: '13900000000' });
    h.acd.callEnded('out');
    h.acd.setStatus(12, 'idle', { by: 'agent' });
    void h.acd.enqueue(call('c1', { callerNumber: '13900000000' }));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:11']);
    h.acd.abandon('c1');
    await h.acd.saveSettings(null, settingsWith({}));
    h.acd.setStatus(12, 'busy', { by: 'agent' });
    void h.acd.enqueue(call('c2', { callerNumber: '13900000000' }));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:11']);
  });
});

describe('specifiedSeat, group phones, order across groups', () => {
  it('rings only the named agents, in the callback’s order', async () => {
    const h = await harness();
    await h.login(11, 12, 13);
    void h.acd.enqueue(call('c1', { agentEmails: ['A13@t.local', 'a12@t.local', 'nobody@t.local'] }));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:13']);
    await h.tick(20_000);
    assert.deepEqual(h.dialer.ringing(), ['agent:12']);
    await h.tick(20_000 + 1000);
    assert.deepEqual(h.dialer.ringing(), ['agent:13'], 'round again after the retry delay, never agent 11');
  });

  it('falls back to the group when no named agent exists; without a group that is 无座席在线', async () => {
    const h = await harness();
    await h.login(11);
    void h.acd.enqueue(call('c1', { agentEmails: ['nobody@t.local'] }));
    await settle();
    assert.deepEqual(h.dialer.ringing(), ['agent:11']);
    const out: EnqueueOutcome = await h.acd.enqueue({ callId: 'c2', callerNumber: '1', agentEmails: ['nobody@t.local'] });
    assert.equal(out.outcome, 'hangup');
    // Named agents without a group wait in the 指定座席 queue.
    await h.login(22);
    void h.acd.enqueue({ callId: 'c3', callerNumber: '1', agentEmails: ['a22@t.local'] });
    await settle();
    assert.deepEqual(h.dialer.ringing().sort(), ['agent:11', 'agent:22']);
    assert.equal(h.acd.snapshot().queues.find((q) => q.skillGroupId === null)?.name, '指定座席');
  });

  it('a phone bound to a group rings as an idle member while registered', async () => {
    const h = await harness();
    await h.acd.phoneRegistration('2001', true);
    h.dialer.script('phone:201', { result: 'answered', afterMs: 300 });
    const p = h.acd.enqueue(call('c1', { skillGroupId: 2 }));
    await settle();
    assert.deepEqual(h.dialer.offers[0]!.target, { kind: 'phone', phoneId: 201 });
    await h.tick(300);
    const out = await p;
    assert.equal(out.outcome === 'connected' && out.phoneId, 201);
    assert.equal(h.acd.snapshot().phones[0]!.dispatch, 'in-call');
    h.acd.callEnded('c1');
    assert.equal(h.acd.snapshot().phones[0]!.dispatch, 'waiting');
    await h.acd.phoneRegistration('2001', false);
    assert.equal((await h.acd.enqueue(call('c2', { skillGroupId: 2 }))).outcome, 'hangup');
  });

  it('an agent bound to a desk phone and not logged in on the web rings on the phone', async () => {
    const h = await harness();
    await h.acd.phoneRegistration('1011', true);
    void h.acd.enqueue(call('c1'));
    await settle();
    assert.deepEqual(h.dialer.offers[0]!.target, { kind: 'agent', agentId: 11, web: false, phoneId: 101 });
  });

  it('an agent in two groups takes the call with the better priority, then the earlier one', async () => {
    const dir = baseDirectory();
    dir.members.push({ groupId: 2, agentId: 11, priority: 1 });
    const h = await harness({ dir, noDialer: true });
    await h.login(11);
    void h.acd.enqueue(call('g2-early', { skillGroupId: 2 }));
    void h.acd.enqueue(call('g1-late', { skillGroupId: 1 }));
    void h.acd.enqueue(call('g2-vip', { skillGroupId: 2, priority: 1 }));
    h.acd.attachDialer(h.dialer);
    await settle();
    assert.deepEqual(h.dialer.offers.map((o) => o.call.callId), ['g2-vip']);
    h.acd.abandon('g2-vip');
    await settle();
    assert.deepEqual(h.dialer.offers.map((o) => o.call.callId), ['g2-vip', 'g2-early']);
  });
});

describe('monitor snapshot', () => {
  it('shows both axes with since-when, and queues with waiting times, filtered by group', async () => {
    const h = await harness({ noDialer: true });
    await h.login(11, 21);
    await h.tick(1000);
    void h.acd.enqueue(call('c1'));
    await h.tick(4000);
    const all = h.acd.snapshot();
    assert.deepEqual(all.agents.map((a) => `${a.agentId}:${a.status}:${a.dispatch}`), ['11:idle:waiting', '12:offline:waiting', '13:offline:waiting', '21:idle:waiting', '22:offline:waiting']);
    assert.equal(all.agents[0]!.name, 'A11');
    assert.deepEqual(all.agents[0]!.skillGroupIds, [1]);
    const q = all.queues.find((x) => x.skillGroupId === 1)!;
    assert.equal(q.waiting, 1);
    assert.equal(q.longestWaitMs, 4000);
    assert.equal(q.onlineAgents, 1);
    assert.equal(q.idleAgents, 1);
    const scoped = h.acd.snapshot(new Set([2]));
    assert.deepEqual(scoped.agents.map((a) => a.agentId), [21, 22]);
    assert.deepEqual(scoped.queues.map((x) => x.skillGroupId), [2]);
  });
});

describe('calls ending', () => {
  it('callEnded for a call still ringing is the caller leaving: no 话后整理 for the agent who was rung', async () => {
    const h = await harness();
    await h.login(11);
    const p = h.acd.enqueue(call('c1'));
    await h.tick(1000);
    assert.equal(h.acd.callEnded('c1'), true);
    assert.deepEqual(await p, { outcome: 'callerAbandoned', waitedMs: 1000, ringing: true });
    assert.equal(h.acd.status(11).status, 'idle');
    assert.equal(h.acd.status(11).dispatch, 'waiting');
    assert.equal(h.acd.callEnded('nope'), false);
  });

  it('talk time feeds the estimated wait', async () => {
    const h = await harness({ settings: settingsWith({ queue: { announce: { intervalSec: 10, position: true, estimatedWait: true } } }) });
    await h.login(11);
    h.dialer.script('agent:11', { result: 'answered', afterMs: 100 });
    void h.acd.enqueue(call('c1'));
    await settle();
    await h.tick(100);
    await h.tick(60_000);
    h.acd.callEnded('c1');
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    const heard: number[] = [];
    void h.acd.enqueue(call('c2', { onAnnounce: (a: { estimatedWaitMs: number }) => heard.push(a.estimatedWaitMs) }));
    await h.tick(10_000);
    assert.deepEqual(heard, [60_000]);
  });
});
