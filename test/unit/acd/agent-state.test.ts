// The two axes of an agent's state: every legal and illegal move, events and history, login via web or phone,
// DND, 话后整理 with its countdown, 继续整理 and 恢复接待.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentRuntime } from '../../../src/acd/agent-state.ts';
import { AGENT_STATUSES, DISPATCH_STATES, canMoveDispatch, canMoveStatus, type AgentStateChange, type AgentStatus, type DispatchState } from '../../../src/acd/index.ts';
import { harness, settingsWith, settle } from './acd-helpers.ts';

const LEGAL_STATUS: [AgentStatus, AgentStatus][] = [
  ['offline', 'idle'], ['offline', 'busy'],
  ['idle', 'busy'], ['idle', 'break'], ['idle', 'acw'], ['idle', 'offline'],
  ['busy', 'idle'], ['busy', 'break'], ['busy', 'offline'],
  ['break', 'idle'], ['break', 'busy'], ['break', 'break'], ['break', 'offline'],
  ['acw', 'idle'], ['acw', 'busy'], ['acw', 'break'], ['acw', 'offline'],
];
const LEGAL_DISPATCH: [DispatchState, DispatchState][] = [
  ['waiting', 'reserved'], ['waiting', 'ringing'], ['waiting', 'in-call'],
  ['reserved', 'ringing'], ['reserved', 'in-call'], ['reserved', 'waiting'],
  ['ringing', 'in-call'], ['ringing', 'waiting'],
  ['in-call', 'waiting'],
];

/** An agent runtime put into `from` through legal moves. */
function runtimeIn(axis: 'status' | 'dispatch', from: string, changes: AgentStateChange[]): AgentRuntime {
  const rt = new AgentRuntime(7, 1000, (c) => changes.push(c));
  const paths: Record<string, string[]> = { offline: [], idle: ['idle'], busy: ['busy'], break: ['idle', 'break'], acw: ['idle', 'acw'], waiting: [], reserved: ['reserved'], ringing: ['ringing'], 'in-call': ['in-call'] };
  for (const s of paths[from]!) {
    if (axis === 'status') rt.transitionStatus(s as AgentStatus, { cause: 'agent', at: 1000, breakReasonId: s === 'break' ? 1 : null });
    else rt.transitionDispatch(s as DispatchState, { cause: 'offer', at: 1000, callId: 'c1' });
  }
  changes.length = 0;
  return rt;
}

describe('agent status axis', () => {
  for (const from of AGENT_STATUSES) {
    for (const to of AGENT_STATUSES) {
      const legal = LEGAL_STATUS.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'refused'}`, () => {
        assert.equal(canMoveStatus(from, to), legal);
        const changes: AgentStateChange[] = [];
        const rt = runtimeIn('status', from, changes);
        const move = (): void => rt.transitionStatus(to, { cause: 'agent', at: 2000, breakReasonId: to === 'break' ? 2 : null });
        if (!legal) {
          assert.throws(move, (e: { code?: string; field?: string }) => e.code === 'CCBOX_ERR_CONFLICT' && e.field === 'status');
          assert.equal(rt.status, from, 'an illegal move changes nothing');
          assert.equal(changes.length, 0);
          return;
        }
        move();
        assert.equal(rt.status, to);
        assert.equal(rt.statusSince, 2000);
        assert.deepEqual(changes.map((c) => [c.axis, c.from, c.to, c.breakReasonId]), [['status', from, to, to === 'break' ? 2 : null]]);
      });
    }
  }
  it('refuses 小休 → 小休 with the same reason (nothing would change)', () => {
    const rt = runtimeIn('status', 'break', []);
    assert.throws(() => rt.transitionStatus('break', { cause: 'agent', at: 1, breakReasonId: 1 }), /小休/);
  });
});

describe('agent dispatch axis', () => {
  for (const from of DISPATCH_STATES) {
    for (const to of DISPATCH_STATES) {
      const legal = LEGAL_DISPATCH.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'refused'}`, () => {
        assert.equal(canMoveDispatch(from, to), legal);
        const changes: AgentStateChange[] = [];
        const rt = runtimeIn('dispatch', from, changes);
        const move = (): void => rt.transitionDispatch(to, { cause: 'answered', at: 3000, callId: 'c1' });
        if (!legal) {
          assert.throws(move, (e: { code?: string }) => e.code === 'CCBOX_ERR_CONFLICT');
          assert.equal(rt.dispatch, from);
          assert.equal(changes.length, 0);
          return;
        }
        move();
        assert.equal(rt.dispatch, to);
        assert.equal(rt.callId, to === 'waiting' ? null : 'c1');
        assert.deepEqual(changes.map((c) => [c.axis, c.from, c.to, c.callId]), [['dispatch', from, to, 'c1']]);
      });
    }
  }
});

describe('agent state in the ACD', () => {
  it('starts offline; a workbench login lands in the default status; every change is evented and kept', async () => {
    const h = await harness({ dir: { ...(await import('./acd-helpers.ts')).baseDirectory(), defaultStatus: 'busy' } });
    const seen: string[] = [];
    h.acd.on('agent-state', (c, v) => seen.push(`${c.agentId}:${c.axis}:${c.from}>${c.to}:${c.cause}:${v.status}`));
    assert.equal(h.acd.status(11).status, 'offline');
    await h.acd.webLogin(11);
    assert.equal(h.acd.status(11).status, 'busy');
    h.acd.setStatus(11, 'break', { breakReasonId: 1, by: 'agent' });
    h.acd.setStatus(11, 'idle', { by: 'supervisor' });
    await h.acd.webLogout(11);
    await h.acd.flush();
    assert.deepEqual(seen, ['11:status:offline>busy:login:busy', '11:status:busy>break:agent:break', '11:status:break>idle:supervisor:idle', '11:status:idle>offline:logout:offline']);
    assert.deepEqual(h.store.rows.map((r) => `${r.to}/${r.cause}/${r.breakReasonId}`), ['busy/login/null', 'break/agent/1', 'idle/supervisor/null', 'offline/logout/null']);
    assert.equal(h.store.current.get(11)?.status, 'offline');
  });

  it('checks break reasons: required, must exist and be enabled', async () => {
    const h = await harness();
    await h.login(11);
    assert.throws(() => h.acd.setStatus(11, 'break', { by: 'agent' }), (e: { field?: string }) => e.field === 'breakReasonId');
    assert.throws(() => h.acd.setStatus(11, 'break', { breakReasonId: 2, by: 'agent' }), /未启用|not/);
    assert.throws(() => h.acd.setStatus(11, 'break', { breakReasonId: 99, by: 'agent' }), (e: { field?: string }) => e.field === 'breakReasonId');
    assert.equal(h.acd.status(11).status, 'idle');
  });

  it('an agent sets themselves online from 离线; a supervisor cannot; 话后整理 cannot be entered by hand', async () => {
    const h = await harness();
    assert.throws(() => h.acd.setStatus(12, 'idle', { by: 'supervisor' }), /不在线/);
    h.acd.setStatus(12, 'break', { breakReasonId: 1, by: 'agent' });
    assert.equal(h.acd.status(12).status, 'break');
    assert.equal(h.acd.status(12).presence.web, true);
    assert.throws(() => h.acd.setStatus(12, 'acw', { by: 'agent' }), /话后整理/);
    assert.equal(h.acd.setStatus(12, 'break', { breakReasonId: 1, by: 'agent' }).status, 'break', 'same status again is a no-op');
  });

  it('works from the desk phone alone: registration signs in, DND is 示忙, unregistering signs out', async () => {
    const h = await harness();
    await h.acd.phoneRegistration('1011', true);
    assert.equal(h.acd.status(11).status, 'idle');
    assert.deepEqual(h.acd.status(11).presence, { web: false, phoneRegistered: true, dnd: false, phoneId: 101 });
    await h.acd.phoneDnd('1011', true);
    assert.equal(h.acd.status(11).status, 'busy');
    await h.acd.phoneDnd('1011', false);
    assert.equal(h.acd.status(11).status, 'idle');
    await h.acd.webLogin(11);
    await h.acd.phoneRegistration('1011', false);
    assert.equal(h.acd.status(11).status, 'idle', 'the workbench keeps the agent in');
    await h.acd.webLogout(11);
    assert.equal(h.acd.status(11).status, 'offline');
    await h.acd.phoneDnd('1011', true);
    await h.acd.phoneRegistration('1011', true);
    assert.equal(h.acd.status(11).status, 'busy', 'a phone on DND signs in as 示忙');
  });

  it('话后整理 counts down after a call, 继续整理 adds time, 恢复接待 ends it', async () => {
    const h = await harness({ settings: settingsWith({ answer: { afterCallIdle: { enabled: true, seconds: 10 } } }) });
    await h.login(11);
    h.acd.agentCallStarted(11, 'out-1', { direction: 'outbound', remoteNumber: '13800000001' });
    assert.equal(h.acd.status(11).dispatch, 'in-call');
    await h.tick(5000);
    h.acd.callEnded('out-1');
    const v = h.acd.status(11);
    assert.equal(v.status, 'acw');
    assert.equal(v.dispatch, 'waiting');
    assert.equal(v.acwEndsAt, h.clock.now() + 10_000);
    await h.tick(6000);
    h.acd.setStatus(11, 'acw', { by: 'agent' }); // 继续整理: 4 s left + 10 s
    assert.equal(h.acd.status(11).acwEndsAt, h.clock.now() + 14_000);
    await h.tick(13_900);
    assert.equal(h.acd.status(11).status, 'acw');
    await h.tick(200);
    assert.equal(h.acd.status(11).status, 'idle');
    // 恢复接待 before the countdown: the timer is disarmed and does not fire later.
    h.acd.agentCallStarted(11, 'out-2', { direction: 'outbound' });
    h.acd.callEnded('out-2');
    h.acd.setStatus(11, 'idle', { by: 'agent' });
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    await h.tick(20_000);
    assert.equal(h.acd.status(11).status, 'busy');
    const causes = h.store.rows.filter((r) => r.axis === 'status').map((r) => r.cause);
    assert.deepEqual(causes, ['login', 'acw-start', 'acw-timer', 'acw-start', 'agent', 'agent']);
  });

  it('without 话后恢复空闲, 话后整理 waits for 恢复接待 — except for a phone-only agent, who cannot press it', async () => {
    const h = await harness({ settings: settingsWith({ answer: { afterCallIdle: { enabled: false, seconds: 10 } } }) });
    await h.login(11);
    h.acd.agentCallStarted(11, 'c', { direction: 'internal' });
    h.acd.callEnded('c');
    await h.tick(60_000);
    assert.equal(h.acd.status(11).status, 'acw');
    assert.equal(h.acd.status(11).acwEndsAt, null);
    await h.acd.phoneRegistration('2001', true);
    await h.acd.webLogout(11);
    await h.acd.phoneRegistration('1011', true);
    h.acd.agentCallStarted(11, 'd', { direction: 'internal' });
    h.acd.callEnded('d');
    assert.equal(h.acd.status(11).status, 'idle');
  });

  it('示忙 or 小休 chosen during a call stays after it (no 话后整理)', async () => {
    const h = await harness();
    await h.login(11);
    h.acd.agentCallStarted(11, 'c', { direction: 'outbound' });
    h.acd.setStatus(11, 'busy', { by: 'agent' });
    h.acd.callEnded('c');
    assert.equal(h.acd.status(11).status, 'busy');
    await settle();
  });

  it('reserves an agent for an outbound call and releases it', async () => {
    const h = await harness();
    await h.login(11);
    assert.equal(h.acd.reserve(11, 'o1'), true);
    assert.equal(h.acd.status(11).dispatch, 'reserved');
    assert.equal(h.acd.reserve(11, 'o2'), false);
    h.acd.release(11);
    assert.equal(h.acd.status(11).dispatch, 'waiting');
  });

  it('closes states an unclean stop left open, and signs everyone out at a clean stop', async () => {
    const h = await harness();
    await h.login(11, 12);
    h.acd.agentCallStarted(12, 'x', { direction: 'outbound' });
    await h.acd.flush();
    // Simulate a crash: a new ACD on the same store without stop().
    const h2 = await harness({ store: h.store });
    const boot = h.store.rows.filter((r) => r.cause === 'boot').map((r) => `${r.agentId}:${r.axis}:${r.from}>${r.to}`).sort();
    assert.deepEqual(boot, ['11:status:idle>offline', '12:dispatch:in-call>waiting', '12:status:idle>offline']);
    await h2.login(13);
    await h2.acd.stop();
    assert.ok(h.store.rows.some((r) => r.agentId === 13 && r.cause === 'shutdown' && r.to === 'offline'));
    assert.deepEqual(await h.store.openStates(), []);
  });
});
