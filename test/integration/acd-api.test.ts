// The ACD's control API against a real demo box: who may set whose status (own; a 售前-scoped supervisor not a
// 售后 agent), the queues and monitor views filtered by scope, answer-settings validation with field names, and
// state history and settings that survive a restart of the box.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACD_SETTINGS } from '../../src/acd/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-acd-Pw1';

describe('ACD control API (demo box)', () => {
  let tb: TestBox;
  let admin: ApiClient;
  let a1001: ApiClient;
  let sup: ApiClient;
  const id: Record<string, number> = {};

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW }, { keepDir: true });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    for (const a of (await admin.get('/agents?pageSize=100')).body.items) id[a.staffNo] = a.id;
    for (const g of (await admin.get('/skill-groups')).body) id[g.name] = g.id;
    a1001 = new ApiClient(tb.base);
    assert.equal((await a1001.login('1001@demo.local', 'Agent1001-demo')).status, 200);
  });
  after(async () => {
    await tb?.close();
  });

  it('publishes its routes in the OpenAPI document', async () => {
    const doc = (await admin.get('/openapi.json')).body;
    for (const p of ['/agents/{id}/status', '/agents/{id}/status/history', '/queues', '/monitor/snapshot', '/acd/settings']) assert.ok(doc.paths[p], p);
  });

  it('an agent sees and sets their own status', async () => {
    const me = await a1001.get(`/agents/${id['1001']}/status`);
    assert.equal(me.status, 200);
    assert.equal(me.body.status, 'offline');
    assert.equal(me.body.dispatch, 'waiting');
    const on = await a1001.put(`/agents/${id['1001']}/status`, { status: 'idle' });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.status, 'idle');
    assert.equal(on.body.presence.web, true);
    assert.deepEqual(on.body.skillGroupIds, [id['售前']]);
    const noReason = await a1001.put(`/agents/${id['1001']}/status`, { status: 'break' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.field, 'breakReasonId');
    const brk = await a1001.put(`/agents/${id['1001']}/status`, { status: 'break', breakReasonId: 1 });
    assert.equal(brk.status, 200);
    assert.equal(brk.body.breakReasonName, '休息');
    const acw = await a1001.put(`/agents/${id['1001']}/status`, { status: 'acw' });
    assert.equal(acw.status, 409);
    assert.equal(acw.body.error.field, 'status');
    const bad = await a1001.put(`/agents/${id['1001']}/status`, { status: 'sleeping' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'status');
    // A plain agent cannot read or change anyone else.
    assert.equal((await a1001.get(`/agents/${id['1002']}/status`)).status, 403);
    assert.equal((await a1001.put(`/agents/${id['1003']}/status`, { status: 'busy' })).status, 403);
    assert.equal((await a1001.get('/monitor/snapshot')).status, 403);
    assert.equal((await a1001.get('/acd/settings')).status, 403);
  });

  it('a 售前-scoped supervisor sets 售前 agents but cannot reach 售后 agents', async () => {
    const role = await admin.post('/roles', { name: '售前主管', permissions: ['monitor', 'skillGroups'], scopeSkillGroupIds: [id['售前']] });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    assert.equal((await admin.patch(`/agents/${id['1002']}`, { roleId: role.body.id })).status, 200);
    sup = new ApiClient(tb.base);
    assert.equal((await sup.login('1002', 'Agent1002-demo')).status, 200);
    const set = await sup.put(`/agents/${id['1001']}/status`, { status: 'busy' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.status, 'busy');
    assert.equal((await sup.get(`/agents/${id['1001']}/status`)).body.status, 'busy');
    assert.equal((await sup.put(`/agents/${id['1003']}/status`, { status: 'busy' })).status, 404);
    assert.equal((await sup.get(`/agents/${id['1003']}/status`)).status, 404);
    assert.equal((await sup.get(`/agents/${id['1003']}/status/history`)).status, 404);
    // Nobody signs an offline agent in on their behalf.
    const off = await admin.put(`/agents/${id['1004']}/status`, { status: 'idle' });
    assert.equal(off.status, 409);
    assert.equal((await admin.put(`/agents/999999/status`, { status: 'idle' })).status, 404);
  });

  it('lists queues and the monitor snapshot within the caller’s scope', async () => {
    const names = (r: { body: { name: string }[] }): string[] => r.body.map((q) => q.name);
    assert.deepEqual(names(await a1001.get('/queues')), ['售前'], 'an agent sees the groups they are in');
    assert.deepEqual(names(await sup.get('/queues')), ['售前']);
    assert.deepEqual(names(await admin.get('/queues')), ['售前', '售后']);
    const q = (await admin.get('/queues')).body[0];
    assert.deepEqual(Object.keys(q).sort(), ['callbacks', 'idleAgents', 'longestWaitMs', 'name', 'onlineAgents', 'skillGroupId', 'waiting']);
    assert.equal(q.onlineAgents, 1);
    const snap = await sup.get('/monitor/snapshot');
    assert.equal(snap.status, 200);
    assert.deepEqual(snap.body.agents.map((a: { staffNo: string }) => a.staffNo), ['1001', '1002']);
    assert.deepEqual(snap.body.queues.map((x: { name: string }) => x.name), ['售前']);
    const a = snap.body.agents[0];
    assert.equal(a.status, 'busy');
    assert.equal(typeof a.statusSince, 'number');
    assert.equal(a.dispatch, 'waiting');
    const all = await admin.get('/monitor/snapshot');
    assert.equal(all.body.agents.length, 4);
  });

  it('validates answer settings with field names, and keeps a scoped role to its groups', async () => {
    const view = await admin.get('/acd/settings');
    assert.equal(view.status, 200);
    assert.deepEqual(view.body.global, DEFAULT_ACD_SETTINGS);
    assert.deepEqual(view.body.groups.map((g: { name: string; settings: unknown }) => [g.name, g.settings]), [['售前', null], ['售后', null]]);
    const s = structuredClone(DEFAULT_ACD_SETTINGS);
    const put = (skillGroupId: number | null, settings: unknown, client = admin) => client.put('/acd/settings', { skillGroupId, settings });
    const cases: [unknown, number | null, string][] = [
      [{ ...s, answer: { ...s.answer, ringTimeout: { enabled: true, seconds: 1 } } }, null, 'settings.answer.ringTimeout.seconds'],
      [{ ...s, routing: { ...s.routing, distribution: 'random' } }, null, 'settings.routing.distribution'],
      [{ answer: s.answer, queue: s.queue }, null, 'settings.routing'],
      [{ ...s, queue: { ...s.queue, noAgentAction: { action: 'overflow', skillGroupId: 999 } } }, null, 'settings.queue.noAgentAction.skillGroupId'],
      [{ ...s, queue: { ...s.queue, maxWaitAction: { action: 'overflow', skillGroupId: id['售前'] } } }, id['售前'], 'settings.queue.maxWaitAction.skillGroupId'],
      [{ ...s, queue: { ...s.queue, maxWaitAction: { action: 'fly' } } }, null, 'settings.queue.maxWaitAction.action'],
      [s, 999, 'skillGroupId'],
      [null, null, 'settings'],
    ];
    for (const [settings, group, field] of cases) {
      const r = await put(group, settings);
      assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.field, field);
    }
    assert.deepEqual((await admin.get('/acd/settings')).body.global, DEFAULT_ACD_SETTINGS, 'nothing was written');
    const mine = { ...s, answer: { ...s.answer, autoAnswer: true, breakAfterRingTimeout: true }, queue: { ...s.queue, noAgentAction: { action: 'overflow', skillGroupId: id['售后'] } } };
    const ok = await put(id['售前'], mine, sup);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.groups, [{ skillGroupId: id['售前'], name: '售前', settings: mine }], 'a scoped role sees only its groups');
    assert.equal((await put(null, s, sup)).status, 403, 'global settings need an unscoped role');
    assert.equal((await put(id['售后'], s, sup)).status, 404, 'another group is out of reach');
  });

  it('keeps state history and settings across a restart of the box', async () => {
    const agent = id['1001'];
    await tb.box.stop();
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW }, { dataDir: tb.dataDir });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    assert.equal((await admin.get(`/agents/${agent}/status`)).body.status, 'offline', 'hot state starts fresh');
    const h = await admin.get(`/agents/${agent}/status/history?limit=50`);
    assert.equal(h.status, 200);
    const statusRows = h.body.filter((r: { axis: string }) => r.axis === 'status').reverse().map((r: { from: string; to: string; cause: string }) => `${r.from}>${r.to}:${r.cause}`);
    assert.deepEqual(statusRows, ['offline>idle:agent', 'idle>break:agent', 'break>busy:supervisor', 'busy>offline:shutdown']);
    const settings = (await admin.get('/acd/settings')).body;
    assert.equal(settings.groups.find((g: { name: string }) => g.name === '售前').settings.answer.autoAnswer, true);
  });
});
