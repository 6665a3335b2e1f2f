// The console API of issue 2 against a real box and a real SMTP server on loopback. The same suite runs
// on a fresh data dir and on one upgraded through every migration from the first.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { RecordInput } from '../../src/records/index.ts';
import { Database, loadMigrations, migrate } from '../../src/platform/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { passwordFrom, startSmtp, type TestSmtp } from '../helpers/smtp.ts';

const ADMIN_PW = 'Admin-test-Pw1';

/** An answered inbound call of one skill group, as the call side would hand it to the record store. */
function callRecord(id: string, groupId: number, groupName: string): RecordInput {
  const at = Date.now() - 60_000;
  return {
    id, direction: 'inbound', startedAt: at, endedAt: at + 30_000, caller: '13800138000', callee: '02088880000', number: '02088880000', channelId: null, channelName: null,
    agent: null, skillGroup: { id: groupId, name: groupName }, skillGroupIds: [groupId], endStatus: 'normal', endCause: '正常结束', hangupSide: 'caller',
    ringMs: 2000, talkMs: 20_000, queueMs: 5000, ivrKeys: '1', satisfaction: null, remark: '', recording: null, voicemail: null,
    detail: { legs: [], ivr: null, queue: [], offers: [], transfers: [], notes: [] },
  };
}

/** A data dir at schema version 1 holding a group, so booting it runs every later migration on real rows. */
async function oldDataDir(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-upgrade-'));
  const db = await Database.open({ file: path.join(dir, 'ccbox.db'), readers: 1 });
  await migrate(db, loadMigrations(), 1);
  await db.run("INSERT INTO skill_groups (name, ring_mode, reception_limit, created_at) VALUES ('旧组', 'sequential', 5, 0)");
  await db.close();
  return dir;
}

for (const mode of ['fresh', 'upgraded'] as const) {
  describe(`directory API (${mode} data dir)`, () => {
    let tb: TestBox;
    let smtp: TestSmtp;
    let admin: ApiClient;
    const ids: Record<string, number> = {};

    before(async () => {
      smtp = await startSmtp();
      const dataDir = mode === 'upgraded' ? await oldDataDir() : undefined;
      tb = await startTestBox({ adminPassword: ADMIN_PW, loginMaxFailures: 3 }, { dataDir });
      admin = new ApiClient(tb.base);
      assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    });
    after(async () => {
      await tb?.close();
      await smtp?.close();
    });

    it('is healthy and publishes its OpenAPI document', async () => {
      const h = await fetch(tb.base + '/healthz');
      assert.equal(h.status, 200);
      const health = (await h.json()) as { status: string; components: Record<string, string> };
      assert.equal(health.status, 'ok');
      // Every part that is up reports itself; none may be failing.
      for (const part of ['db', 'web']) assert.equal(health.components[part], 'ok', part);
      for (const [part, state] of Object.entries(health.components)) assert.equal(state, 'ok', part);
      const doc = await admin.get('/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.body.openapi, '3.1.0');
      for (const p of ['/auth/login', '/agents', '/agents/{id}', '/roles', '/skill-groups/{id}/members', '/break-reasons/{id}']) {
        assert.ok(doc.body.paths[p], `openapi lists ${p}`);
      }
      assert.ok(doc.body.paths['/agents'].post.requestBody.content['application/json'].schema.properties.staffNo);
    });

    it('refuses to add an agent before an SMTP relay is configured, and writes nothing', async () => {
      const groups = await admin.get('/skill-groups');
      const r = await admin.post('/agents', { name: '王五', nickname: '小王', staffNo: '3001', email: 'wang@site.local', roleId: 2 });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'CCBOX_ERR_SMTP_NOT_CONFIGURED');
      assert.equal((await admin.get('/agents?staffNo=3001')).body.total, 0);
      assert.equal(groups.status, 200);
    });

    it('configures the relay without ever returning its password', async () => {
      const r = await admin.put('/settings/smtp', { host: '127.0.0.1', port: smtp.port, secure: false, user: 'relay', password: 'relay-secret', from: 'ccbox@site.local' });
      assert.equal(r.status, 200);
      assert.equal(r.body.passwordSet, true);
      assert.ok(!JSON.stringify(r.body).includes('relay-secret'));
      const bad = await admin.put('/settings/smtp', { host: 'bad host!', port: 25, secure: false, from: 'x@y' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'host');
    });

    it('creates skill groups and enforces the simultaneous-ring limit', async () => {
      for (const name of ['售前', '售后']) {
        const r = await admin.post('/skill-groups', { name, ringMode: 'sequential', receptionLimit: 5 });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids[name] = r.body.id;
      }
      const dup = await admin.post('/skill-groups', { name: '售前', ringMode: 'sequential', receptionLimit: 5 });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.field, 'name');
      const bad = await admin.post('/skill-groups', { name: 'x', ringMode: 'round-robin', receptionLimit: 0 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'ringMode');
    });

    it('adds an agent, mails the password, and the agent logs in with it', async () => {
      const r = await admin.post('/agents', { name: '张三', nickname: '小张', staffNo: '2001', email: 'Zhang@Site.local', roleId: 2, mobile: '13800138000', skillGroupIds: [ids['售前']] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.email, 'zhang@site.local');
      assert.deepEqual(r.body.skillGroups, [{ id: ids['售前'], name: '售前', priority: 3 }]);
      ids.zhang = r.body.id;
      const mail = await smtp.next('zhang@site.local');
      assert.match(mail.subject, /客服账号已创建/);
      const agent = new ApiClient(tb.base);
      const login = await agent.login('2001', passwordFrom(mail));
      assert.equal(login.status, 200);
      assert.deepEqual(login.body.user.permissions, ['workbench']);
      // An agent role has no console permissions: every admin route is refused on the server.
      assert.equal((await agent.get('/agents')).status, 403);
      assert.equal((await agent.post('/skill-groups', { name: 'x', ringMode: 'sequential', receptionLimit: 1 })).status, 403);
    });

    it('names the field on duplicates and bad input, and writes nothing', async () => {
      const base = { name: '李四', nickname: '小李', staffNo: '2002', email: 'li@site.local', roleId: 2 };
      const dupStaff = await admin.post('/agents', { ...base, staffNo: '2001' });
      assert.equal(dupStaff.status, 409);
      assert.equal(dupStaff.body.error.field, 'staffNo');
      const dupMail = await admin.post('/agents', { ...base, email: 'ZHANG@site.local' });
      assert.equal(dupMail.status, 409);
      assert.equal(dupMail.body.error.field, 'email');
      const badMail = await admin.post('/agents', { ...base, email: 'not-an-email' });
      assert.equal(badMail.status, 400);
      assert.equal(badMail.body.error.field, 'email');
      const missing = await admin.post('/agents', { name: '李四' });
      assert.equal(missing.status, 400);
      assert.ok(missing.body.error.field);
      const badJson = await admin.call('POST', '/agents', '{"name":', { 'content-type': 'application/json' });
      assert.equal(badJson.status, 400);
      const noRole = await admin.post('/agents', { ...base, roleId: 999 });
      assert.equal(noRole.status, 400);
      assert.equal(noRole.body.error.field, 'roleId');
      assert.equal((await admin.get('/agents?staffNo=2002')).body.total, 0);
    });

    it('resets a password by mail; the old one stops working', async () => {
      const old = passwordFrom(smtp.mails.find((m) => m.to.includes('zhang@site.local'))!);
      assert.equal((await admin.post(`/agents/${ids.zhang}/reset-password`)).status, 204);
      const mail = await smtp.next('zhang@site.local');
      assert.match(mail.subject, /密码已重置/);
      assert.equal((await new ApiClient(tb.base).login('zhang@site.local', old)).status, 401);
      assert.equal((await new ApiClient(tb.base).login('zhang@site.local', passwordFrom(mail))).status, 200);
    });

    it('forces an agent offline (sessions end, login refused) and restores', async () => {
      const mail = smtp.mails.filter((m) => m.to.includes('zhang@site.local')).at(-1)!;
      const agent = new ApiClient(tb.base);
      assert.equal((await agent.login('2001', passwordFrom(mail))).status, 200);
      assert.equal((await agent.get('/auth/me')).status, 200);
      assert.equal((await admin.post(`/agents/${ids.zhang}/force-offline`)).status, 204);
      assert.equal((await agent.get('/auth/me')).status, 401);
      const refused = await new ApiClient(tb.base).login('2001', passwordFrom(mail));
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'CCBOX_ERR_FORCED_OFFLINE');
      assert.equal((await admin.get(`/agents/${ids.zhang}`)).body.state, 'forced_offline');
      assert.equal((await admin.post(`/agents/${ids.zhang}/restore`)).status, 204);
      assert.equal((await new ApiClient(tb.base).login('2001', passwordFrom(mail))).status, 200);
    });

    it('edits an agent and filters the list by the manual’s fields', async () => {
      const r = await admin.patch(`/agents/${ids.zhang}`, { nickname: '张老师', skillGroupIds: [ids['售前'], ids['售后']], mobileAnswer: { enabled: true, outbound: false } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.nickname, '张老师');
      assert.equal(r.body.skillGroups.length, 2);
      assert.equal(r.body.mobileAnswer.enabled, true);
      assert.equal((await admin.get('/agents?name=张')).body.total, 1);
      assert.equal((await admin.get('/agents?mobile=138001')).body.total, 1);
      assert.equal((await admin.get(`/agents?skillGroupId=${ids['售后']}`)).body.total, 1);
      assert.equal((await admin.get('/agents?email=nobody')).body.total, 0);
      assert.equal((await admin.get('/agents?page=0')).status, 400);
      const unknown = await admin.patch(`/agents/${ids.zhang}`, { staffNo: '9' });
      assert.equal(unknown.status, 400);
    });

    it('imports agents from CSV all-or-nothing with row-numbered errors', async () => {
      const tpl = await admin.get('/agents/import-template?format=csv');
      assert.equal(tpl.status, 200);
      assert.match(String(tpl.body), /姓名,昵称,工号,邮箱,角色,手机号,技能组/);
      const bad = ['姓名,昵称,工号,邮箱,角色,手机号,技能组', '甲,甲,4001,jia@site.local,普通座席,,售前', '乙,乙,4001,yi@site.local,普通座席,,售前', '丙,丙,4003,bing@site,普通座席,,不存在的组', '丁,丁,2001,ding@site.local,普通座席,,'].join('\n');
      const job = await admin.post('/agents/import', bad, { 'content-type': 'text/csv' });
      assert.equal(job.status, 202);
      const failed = await waitJob(admin, job.body.jobId);
      assert.equal(failed.state, 'failed');
      const rows = failed.error.rows.map((e: any) => `${e.row}:${e.field}`);
      assert.deepEqual(rows, ['3:staffNo', '4:email', '4:skillGroups']);
      assert.equal((await admin.get('/agents?staffNo=400')).body.total, 0, 'nothing imported');
      // Row 5 duplicates an existing agent: found in the database pass, still nothing imported.
      const dbDup = ['姓名,昵称,工号,邮箱,角色,手机号,技能组', '甲,甲,4001,jia@site.local,普通座席,,售前', '丁,丁,2001,ding@site.local,普通座席,,'].join('\n');
      const j2 = await waitJob(admin, (await admin.post('/agents/import', dbDup, { 'content-type': 'text/csv' })).body.jobId);
      assert.equal(j2.state, 'failed');
      assert.deepEqual(j2.error.rows.map((e: any) => `${e.row}:${e.field}`), ['3:staffNo']);
      assert.equal((await admin.get('/agents?staffNo=4001')).body.total, 0);
      const good = ['姓名,昵称,工号,邮箱,角色,手机号,技能组', '甲,甲,4001,jia@site.local,普通座席,,售前', '"乙, 二",乙,4002,yi@site.local,普通座席,13900000000,售前;售后'].join('\r\n');
      const ok = await waitJob(admin, (await admin.post('/agents/import', good, { 'content-type': 'text/csv' })).body.jobId);
      assert.equal(ok.state, 'done', JSON.stringify(ok));
      assert.deepEqual(ok.result, { imported: 2, mailFailures: [] });
      assert.equal(ok.progress, 1);
      const yi = (await admin.get('/agents?staffNo=4002')).body.items[0];
      assert.equal(yi.name, '乙, 二');
      assert.equal(yi.skillGroups.length, 2);
      const mail = await smtp.next('yi@site.local');
      assert.equal((await new ApiClient(tb.base).login('4002', passwordFrom(mail))).status, 200);
      await smtp.next('jia@site.local');
    });

    it('imports agents from the XLSX template', async () => {
      const tpl = await fetch(tb.base + '/api/v1/agents/import-template?format=xlsx', { headers: { cookie: admin.cookie } });
      assert.equal(tpl.status, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await tpl.arrayBuffer());
      const ws = wb.worksheets[0]!;
      assert.equal(ws.getRow(1).getCell(3).value, '工号');
      ws.spliceRows(2, 1);
      ws.addRow(['戊', '戊', '5001', 'wu@site.local', '普通座席', '', '售后']);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      const job = await admin.post('/agents/import', buf, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const done = await waitJob(admin, job.body.jobId);
      assert.equal(done.state, 'done', JSON.stringify(done));
      assert.equal((await admin.get('/agents?staffNo=5001')).body.items[0].skillGroups[0].name, '售后');
      await smtp.next('wu@site.local');
      const junk = await admin.post('/agents/import', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2]), { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      assert.equal(junk.status, 400);
      assert.equal(junk.body.error.field, 'file');
    });

    it('keeps a 售前-scoped role away from 售后 through every route', async () => {
      const role = await admin.post('/roles', { name: '售前主管', permissions: ['agents', 'skillGroups', 'records', 'monitor'], scopeSkillGroupIds: [ids['售前']] });
      assert.equal(role.status, 201, JSON.stringify(role.body));
      const sup = await admin.post('/agents', { name: '主管', nickname: '主管', staffNo: '6001', email: 'sup@site.local', roleId: role.body.id, skillGroupIds: [ids['售前']] });
      assert.equal(sup.status, 201);
      const c = new ApiClient(tb.base);
      assert.equal((await c.login('6001', passwordFrom(await smtp.next('sup@site.local')))).status, 200);
      const wu = (await admin.get('/agents?staffNo=5001')).body.items[0]; // only in 售后
      // Reads: the list, the filters and the single-row route see only 售前 members.
      const list = await c.get('/agents?pageSize=200');
      assert.equal(list.status, 200);
      assert.ok(list.body.items.length > 0);
      for (const a of list.body.items) assert.ok(a.skillGroups.some((g: any) => g.id === ids['售前']), `${a.staffNo} is in 售前`);
      assert.equal((await c.get(`/agents?skillGroupId=${ids['售后']}&pageSize=200`)).body.items.filter((a: any) => a.id === wu.id).length, 0);
      assert.equal((await c.get(`/agents/${wu.id}`)).status, 404);
      assert.deepEqual((await c.get('/skill-groups')).body.map((g: any) => g.name), ['售前']);
      assert.equal((await c.get(`/skill-groups/${ids['售后']}`)).status, 404);
      assert.equal((await c.get(`/skill-groups/${ids['售后']}/members`)).status, 404);
      // Writes on 售后 or its members are refused.
      assert.equal((await c.patch(`/agents/${wu.id}`, { nickname: 'x' })).status, 404);
      assert.equal((await c.del(`/agents/${wu.id}`)).status, 404);
      assert.equal((await c.post(`/agents/${wu.id}/reset-password`)).status, 404);
      assert.equal((await c.post(`/agents/${wu.id}/force-offline`)).status, 404);
      assert.ok([403, 404].includes((await c.put(`/skill-groups/${ids['售后']}/members`, { members: [] })).status));
      assert.ok([403, 404].includes((await c.patch(`/skill-groups/${ids['售后']}`, { receptionLimit: 1 })).status));
      assert.equal((await c.put(`/skill-groups/${ids['售前']}/members`, { members: [{ kind: 'agent', id: wu.id, priority: 1 }] })).status, 400);
      assert.equal((await c.post('/agents', { name: 'x', nickname: 'x', staffNo: '6002', email: 'x6002@site.local', roleId: 2, skillGroupIds: [ids['售后']] })).status, 403);
      assert.equal((await c.patch(`/agents/${ids.zhang}`, { skillGroupIds: [ids['售后']] })).status, 403);
      // No escalation: the supervisor cannot hand out the admin role, nor manage roles at all.
      assert.equal((await c.patch(`/agents/${ids.zhang}`, { roleId: 1 })).status, 403);
      assert.equal((await c.post('/roles', { name: 'x', permissions: ['agents'], scopeSkillGroupIds: null })).status, 403);
      // Inside the scope it works, and memberships in 售后 survive an edit by the 售前 supervisor.
      const edit = await c.patch(`/agents/${ids.zhang}`, { nickname: '张工', skillGroupIds: [ids['售前']] });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      const zhang = await admin.get(`/agents/${ids.zhang}`);
      assert.deepEqual(zhang.body.skillGroups.map((g: any) => g.name).sort(), ['售前', '售后'].sort());
      // 服务记录 (issue 6): a call answered in 售后 is not there for the 售前 supervisor — list, detail,
      // recording and export alike — while the admin sees both.
      const records = tb.box.callCenter.records;
      const pre = randomUUID();
      const post = randomUUID();
      await records.write(callRecord(pre, ids['售前']!, '售前'), Date.now());
      await records.write(callRecord(post, ids['售后']!, '售后'), Date.now());
      assert.deepEqual((await c.get('/records')).body.items.map((r: any) => r.id), [pre]);
      assert.equal((await c.get(`/records?skillGroupId=${ids['售后']}`)).body.total, 0);
      assert.equal((await c.get(`/records/${post}`)).status, 404);
      assert.equal((await c.get(`/records/${post}/recording`)).status, 404);
      assert.equal((await c.get(`/records/${pre}`)).body.skillGroupName, '售前');
      const csv = await c.get('/records/export.csv');
      assert.ok(csv.body.includes(pre) && !csv.body.includes(post), 'the export holds only 售前');
      assert.deepEqual((await admin.get('/records')).body.items.map((r: any) => r.id).sort(), [pre, post].sort());
    });

    it('manages roles: built-ins are fixed, a role with members cannot be deleted', async () => {
      const roles = await admin.get('/roles');
      const builtins = roles.body.filter((r: any) => r.builtin).map((r: any) => r.name);
      assert.deepEqual(builtins, ['管理员', '普通座席']);
      assert.equal((await admin.patch('/roles/1', { name: 'x' })).status, 403);
      const sup = roles.body.find((r: any) => r.name === '售前主管');
      assert.equal(sup.memberCount, 1);
      assert.equal((await admin.del(`/roles/${sup.id}`)).status, 409);
      assert.equal((await admin.get(`/roles/${sup.id}/members`)).body[0].staffNo, '6001');
      assert.equal((await admin.post('/roles', { name: 'bad', permissions: ['fly'], scopeSkillGroupIds: null })).body.error.field, 'permissions.0');
      const perms = await admin.get('/permissions');
      assert.ok(perms.body.find((p: any) => p.key === 'records' && p.zh === '服务记录' && p.scoped));
    });

    it('manages skill-group members with priorities; a group with members cannot be deleted', async () => {
      const yi = (await admin.get('/agents?staffNo=4002')).body.items[0];
      const jia = (await admin.get('/agents?staffNo=4001')).body.items[0];
      const set = await admin.put(`/skill-groups/${ids['售后']}/members`, { members: [{ kind: 'agent', id: yi.id, priority: 1 }, { kind: 'agent', id: jia.id }, { kind: 'agent', id: ids.zhang, priority: 5 }] });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual(set.body.map((m: any) => [m.staffNo, m.priority]), [['4002', 1], ['4001', 3], ['2001', 5]]);
      const bad = await admin.put(`/skill-groups/${ids['售后']}/members`, { members: [{ kind: 'agent', id: yi.id, priority: 9 }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'members.0.priority');
      const g = await admin.post('/skill-groups', { name: '同振', ringMode: 'simultaneous', receptionLimit: 2 });
      const three = await admin.put(`/skill-groups/${g.body.id}/members`, { members: [yi, jia, { id: ids.zhang }].map((a) => ({ kind: 'agent', id: a.id })) });
      assert.equal(three.status, 400);
      assert.match(three.body.error.message, /同时振铃.*最多支持 2 个/);
      assert.equal((await admin.put(`/skill-groups/${g.body.id}/members`, { members: [{ kind: 'agent', id: yi.id }, { kind: 'agent', id: jia.id }] })).status, 200);
      const toSim = await admin.patch(`/skill-groups/${ids['售后']}`, { ringMode: 'simultaneous' });
      assert.equal(toSim.status, 400);
      const del = await admin.del(`/skill-groups/${ids['售后']}`);
      assert.equal(del.status, 409);
      assert.equal(del.body.error.code, 'CCBOX_ERR_GROUP_NOT_EMPTY');
      assert.equal((await admin.put(`/skill-groups/${g.body.id}/members`, { members: [] })).status, 200);
      assert.equal((await admin.del(`/skill-groups/${g.body.id}`)).status, 204);
    });

    it('keeps the default status and break reasons', async () => {
      assert.equal((await admin.put('/settings/status', { defaultStatus: 'busy' })).status, 204);
      const s = await admin.get('/settings/status');
      assert.equal(s.body.defaultStatus, 'busy');
      const r = await admin.post('/break-reasons', { name: '午餐' });
      assert.equal(r.status, 201);
      assert.equal((await admin.post('/break-reasons', { name: '午餐' })).status, 409);
      assert.equal((await admin.patch(`/break-reasons/${r.body.id}`, { name: '用餐', enabled: false })).body.enabled, false);
      const after = await admin.get('/settings/status');
      assert.deepEqual(after.body.breakReasons.find((b: any) => b.id === r.body.id), { id: r.body.id, name: '用餐', enabled: false });
      assert.equal((await admin.put('/settings/status', { defaultStatus: 'away' })).body.error.field, 'defaultStatus');
    });

    it('deletes an agent, who can no longer log in', async () => {
      const mail = smtp.mails.filter((m) => m.to.includes('wu@site.local')).at(-1)!;
      const wu = (await admin.get('/agents?staffNo=5001')).body.items[0];
      assert.equal((await admin.del(`/agents/${wu.id}`)).status, 204);
      assert.equal((await new ApiClient(tb.base).login('5001', passwordFrom(mail))).status, 401);
      assert.equal((await admin.get(`/agents/${wu.id}`)).status, 404);
    });

    it('requires the CSRF token on session writes and honours scoped API tokens', async () => {
      const noCsrf = new ApiClient(tb.base);
      noCsrf.cookie = admin.cookie;
      const r = await noCsrf.post('/break-reasons', { name: '无令牌' });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'CCBOX_ERR_CSRF');
      const t = await admin.post('/tokens', { name: 'HQ', scopes: ['agents'] });
      assert.equal(t.status, 201);
      const hq = new ApiClient(tb.base);
      hq.bearer = t.body.token;
      assert.equal((await hq.get('/agents')).status, 200);
      assert.equal((await hq.get('/roles')).status, 200, 'agent managers read the role list for their forms');
      assert.equal((await hq.post('/break-reasons', { name: 'HQ' })).status, 403);
      assert.equal((await hq.get('/tokens')).status, 403);
      const list = await admin.get('/tokens');
      assert.ok(!JSON.stringify(list.body).includes(t.body.token));
      assert.equal((await admin.del(`/tokens/${t.body.id}`)).status, 204);
      assert.equal((await hq.get('/agents')).status, 401);
      assert.equal((await new ApiClient(tb.base).get('/agents')).status, 401);
    });

    it('locks an account after repeated failed logins', async () => {
      const c = new ApiClient(tb.base);
      for (let i = 0; i < 3; i++) assert.equal((await c.login('4001', 'wrong-password')).status, 401);
      const locked = await c.login('4001', 'wrong-password');
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error.code, 'CCBOX_ERR_LOCKED');
      // Unknown accounts get the same answer as known ones.
      const unknown = await c.login('nobody@site.local', 'x');
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error.message, '账号或密码错误 (wrong username or password)');
    });

    it('logs out', async () => {
      const c = new ApiClient(tb.base);
      await c.login('admin', ADMIN_PW);
      assert.equal((await c.post('/auth/logout')).status, 204);
      assert.equal((await c.get('/auth/me')).status, 401);
    });
  });
}

async function waitJob(c: ApiClient, id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await c.get(`/jobs/${id}`);
    if (r.body.state !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('job did not finish');
}
