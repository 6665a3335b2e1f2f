// The console API of SIP phones (SIP 话机与内线号码) and SIP bans against a real box (demo profile):
// validation with field names, duplicates, bindings, password reset reaching the registrar, permissions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStrongSipPassword } from '../../src/directory/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-api-1';

describe('phones and SIP bans API', () => {
  let tb: TestBox;
  let admin: ApiClient;
  const ids: Record<string, number> = {};
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(() => tb?.close());

  it('lists the demo extensions 1001–1004 bound to their agents, with passwords and registration state', async () => {
    const r = await admin.get('/phones');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.map((p: any) => [p.extension, p.password, p.binding?.kind, p.binding?.staffNo, p.registration.state]),
      ['1001', '1002', '1003', '1004'].map((n) => [n, `Ext${n}-demo`, 'agent', n, 'unregistered']),
    );
    const doc = await admin.get('/openapi.json');
    for (const p of ['/phones', '/phones/{id}', '/phones/{id}/reset-password', '/phones/{id}/binding', '/sip/bans', '/sip/bans/{key}', '/sip/status']) assert.ok(doc.body.paths[p], p);
  });

  it('creates a phone with a generated password that follows the rule, and names the field on bad input', async () => {
    const r = await admin.post('/phones', { extension: '8001', name: '前台' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.front = r.body.id;
    assert.ok(isStrongSipPassword(r.body.password) && r.body.password.length >= 8, r.body.password);
    assert.equal(r.body.binding, null);
    assert.equal(tb.box.sip.credentials.passwordOf('8001'), r.body.password, 'the registrar knows it at once');
    for (const extension of ['0123', '123', '9123', '1234567', '12a4']) {
      const bad = await admin.post('/phones', { extension, name: 'x' });
      assert.equal(bad.status, 400, extension);
      assert.equal(bad.body.error.field, 'extension');
    }
    const weak = await admin.post('/phones', { extension: '8002', name: 'x', password: 'password1' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.field, 'password');
    const noName = await admin.post('/phones', { extension: '8002', name: '' });
    assert.equal(noName.body.error.field, 'name');
    const dup = await admin.post('/phones', { extension: '1001', name: 'again' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'extension');
    assert.equal((await admin.get('/phones')).body.length, 5, 'nothing half-written');
  });

  it('binds a phone to an agent (one phone per agent) or to a skill group, and unbinds', async () => {
    const agents = (await admin.get('/agents?staffNo=1001')).body.items;
    const taken = await admin.put(`/phones/${ids.front}/binding`, { kind: 'agent', id: agents[0].id });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.field, 'binding');
    const missing = await admin.put(`/phones/${ids.front}/binding`, { kind: 'skillGroup', id: 9999 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'binding.id');
    const group = await admin.post('/skill-groups', { name: '前台组', ringMode: 'sequential', receptionLimit: 3 });
    const bound = await admin.put(`/phones/${ids.front}/binding`, { kind: 'skillGroup', id: group.body.id });
    assert.equal(bound.status, 200);
    assert.deepEqual(bound.body.binding, { kind: 'skillGroup', id: group.body.id, name: '前台组' });
    // Deleting the group unbinds the phone (it is not a member that blocks the deletion).
    assert.equal((await admin.del(`/skill-groups/${group.body.id}`)).status, 204);
    assert.equal((await admin.get(`/phones/${ids.front}`)).body.binding, null);
    const badKind = await admin.put(`/phones/${ids.front}/binding`, { kind: 'desk' });
    assert.equal(badKind.status, 400);
  });

  it('edits name and extension (duplicates refused) and the registrar follows', async () => {
    const dup = await admin.patch(`/phones/${ids.front}`, { extension: '1002' });
    assert.equal(dup.status, 409);
    const r = await admin.patch(`/phones/${ids.front}`, { extension: '8101', name: '前台 2' });
    assert.equal(r.status, 200);
    assert.equal(r.body.extension, '8101');
    assert.equal(tb.box.sip.credentials.passwordOf('8001'), undefined);
    assert.equal(tb.box.sip.credentials.passwordOf('8101'), r.body.password);
    assert.equal((await admin.patch(`/phones/${ids.front}`, { colour: 'red' })).status, 400);
  });

  it('resets the password (generated or given); the old one stops working at once', async () => {
    const before = (await admin.get(`/phones/${ids.front}`)).body.password;
    const gen = await admin.post(`/phones/${ids.front}/reset-password`);
    assert.equal(gen.status, 200);
    assert.notEqual(gen.body.password, before);
    assert.ok(isStrongSipPassword(gen.body.password));
    const given = await admin.post(`/phones/${ids.front}/reset-password`, { password: 'Front-desk#9' });
    assert.equal(given.body.password, 'Front-desk#9');
    assert.equal(tb.box.sip.credentials.passwordOf('8101'), 'Front-desk#9');
    const weak = await admin.post(`/phones/${ids.front}/reset-password`, { password: 'short' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.field, 'password');
  });

  it('deletes a phone; it is gone from the API and the registrar', async () => {
    assert.equal((await admin.del(`/phones/${ids.front}`)).status, 204);
    assert.equal((await admin.get(`/phones/${ids.front}`)).status, 404);
    assert.equal((await admin.del(`/phones/${ids.front}`)).status, 404);
    assert.equal(tb.box.sip.credentials.has('8101'), false);
  });

  it('reports the signalling addresses and lists no bans on a quiet box', async () => {
    const s = await admin.get('/sip/status');
    assert.equal(s.status, 200);
    assert.equal(s.body.realm, 'ccbox');
    assert.deepEqual(s.body.listening.map((l: any) => l.transport).sort(), ['tcp', 'tls', 'udp']);
    assert.deepEqual((await admin.get('/sip/bans')).body, []);
  });

  it('refuses agents without the phones permission, and phone managers without settings', async () => {
    const agent = new ApiClient(tb.base);
    assert.equal((await agent.login('1003', 'Agent1003-demo')).status, 200);
    for (const [m, p] of [['GET', '/phones'], ['POST', '/phones'], ['GET', '/sip/bans'], ['DELETE', '/sip/bans/ip%3A127.0.0.9'], ['GET', '/sip/status']] as const) {
      const r = await agent.call(m, p, m === 'POST' ? { extension: '8300', name: 'x' } : undefined);
      assert.equal(r.status, 403, `${m} ${p}`);
    }
    const role = await admin.post('/roles', { name: '话机管理员', permissions: ['phones'], scopeSkillGroupIds: null });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    const a4 = (await admin.get('/agents?staffNo=1004')).body.items[0];
    assert.equal((await admin.patch(`/agents/${a4.id}`, { roleId: role.body.id })).status, 200);
    const manager = new ApiClient(tb.base);
    assert.equal((await manager.login('1004', 'Agent1004-demo')).status, 200);
    assert.equal((await manager.get('/phones')).status, 200);
    assert.equal((await manager.post('/phones', { extension: '8300', name: '仓库' })).status, 201);
    assert.equal((await manager.get('/sip/status')).status, 200);
    assert.equal((await manager.get('/sip/bans')).status, 403);
  });
});
