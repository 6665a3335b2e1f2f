// The IVR console API against a real box (demo profile): the seeded demo IVR walked in the simulator,
// flows from templates, validation errors naming the node, versions and publishing, number bindings,
// prompt uploads converted by ffmpeg (real wav/mp3 made by sox/ffmpeg; a corrupt file refused), hot
// words, and the `ivr` permission.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_IVR, DEMO_NODE_IDS } from '../../src/ivr/index.ts';
import { readWav } from '../../src/media/codec/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-ivr-1';

describe('IVR API', () => {
  let tb: TestBox;
  let admin: ApiClient;
  let tmp: string;
  const groups: Record<string, number> = {};
  const ids: Record<string, number | string> = {};

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    for (const g of (await admin.get('/skill-groups')).body) groups[g.name] = g.id;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ccbox-ivr-audio-'));
  });
  after(async () => {
    await tb?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('seeds the demo IVR, published and bound to 02088880000, and lists the IVR routes in OpenAPI', async () => {
    const flows = await admin.get('/ivr/flows');
    assert.equal(flows.status, 200);
    const demo = flows.body.find((f: any) => f.name === DEMO_IVR.name);
    assert.ok(demo, 'demo flow exists');
    assert.deepEqual(demo.bindings, [{ number: '02088880000', version: 'MAIN' }]);
    assert.equal(demo.versions[0].published.revision, 1);
    ids.demo = demo.id;
    const bindings = await admin.get('/ivr/bindings');
    assert.deepEqual(bindings.body.map((b: any) => [b.number, b.flowName, b.version]), [['02088880000', 'demo', 'MAIN']]);
    const snap = await tb.box.storage.db.get<{ n: number }>('SELECT count(*) AS n FROM ivr_published');
    assert.equal(snap!.n, 1);
    const doc = await admin.get('/openapi.json');
    for (const p of ['/ivr/flows', '/ivr/flows/{id}/versions/{version}', '/ivr/flows/{id}/versions/{version}/publish', '/ivr/bindings/{number}', '/ivr/prompts', '/ivr/hot-words', '/ivr/flows/{id}/simulate', '/ivr/flows/{id}/simulate/{sessionId}']) {
      assert.ok(doc.body.paths[p], p);
    }
  });

  it('walks the demo IVR in the simulator: 1 → 售前 → agent hangs up → survey answer in the trace', async () => {
    const start = await admin.post(`/ivr/flows/${ids.demo}/simulate`, { callerNumber: '13800138000', from: 'published' });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    assert.deepEqual(start.body.lines.map((l: any) => l.text), ['您好，欢迎致电 ccbox 演示中心。', '售前咨询请按 1，售后服务请按 2，留言请按 3。']);
    assert.equal(start.body.waitingFor.kind, 'digits');
    const url = `/ivr/flows/${ids.demo}/simulate/${start.body.sessionId}`;
    const toAgent = await admin.post(url, { digits: '1' });
    assert.equal(toAgent.status, 200);
    assert.deepEqual(toAgent.body.lines.map((l: any) => l.text), ['按键 1', '正在为您转接售前客服，请稍候。', `转人工 → 技能组 ${groups['售前']}`]);
    assert.equal(toAgent.body.waitingFor.op, 'transferToQueue');
    assert.deepEqual(toAgent.body.waitingFor.request.target, { kind: 'skillGroup', skillGroupId: groups['售前'] });
    const survey = await admin.post(url, { outcome: 'agentHungUp', staffNo: '1001' });
    assert.equal(survey.body.lines.at(-1).text, '请对本次服务进行评价：满意请按 1，一般请按 2，不满意请按 3。');
    assert.equal(survey.body.variables.StaffNo, '1001');
    const done = await admin.post(url, { digits: '1' });
    assert.equal(done.body.ended, true);
    assert.deepEqual(done.body.end, { reason: 'hangup', cause: 'normal', nodeId: DEMO_NODE_IDS.end });
    assert.deepEqual(done.body.trace.survey.map((s: any) => [s.key, s.label]), [['1', '满意']]);
    assert.deepEqual(done.body.trace.keys.map((k: any) => k.digits), ['1', '1']);
    assert.deepEqual(
      done.body.trace.path.map((p: any) => p.nodeId),
      [DEMO_NODE_IDS.start, DEMO_NODE_IDS.welcome, DEMO_NODE_IDS.menu, DEMO_NODE_IDS.presales, DEMO_NODE_IDS.survey, DEMO_NODE_IDS.end],
    );
    const bad = await admin.post(url, { digits: '1', speech: 'x' });
    assert.equal(bad.status, 400);
    assert.equal((await admin.post(`/ivr/flows/${ids.demo}/simulate/00000000-0000-4000-8000-000000000000`, { digits: '1' })).status, 404);
  });

  it('walks 3 → voicemail and a timeout with the simulator', async () => {
    const start = await admin.post(`/ivr/flows/${ids.demo}/simulate`, {});
    const url = `/ivr/flows/${ids.demo}/simulate/${start.body.sessionId}`;
    const t = await admin.post(url, { timeout: true });
    assert.deepEqual(t.body.lines.map((l: any) => l.text), ['超时', '您没有按键。', '售前咨询请按 1，售后服务请按 2，留言请按 3。']);
    const vm = await admin.post(url, { digits: '3' });
    assert.equal(vm.body.waitingFor.op, 'recordVoicemail');
    const end = await admin.post(url, { outcome: 'finished', seconds: 12 });
    assert.equal(end.body.ended, true);
    assert.equal(end.body.trace.voicemail.seconds, 12);
    assert.equal((await admin.del(url)).status, 204);
  });

  it('creates a flow from a template, refuses an invalid save naming the node, and validates on request', async () => {
    const dup = await admin.post('/ivr/flows', { name: 'demo', kind: 'inbound' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'name');
    const r = await admin.post('/ivr/flows', { name: '售后热线', kind: 'inbound', template: 'welcomeMenuAgent', skillGroupId: groups['售后'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.flow = r.body.id;
    assert.deepEqual(r.body.versions.map((v: any) => [v.version, v.published]), [['MAIN', null]]);
    const main = await admin.get(`/ivr/flows/${ids.flow}/versions/MAIN`);
    const def = main.body.definition;
    assert.deepEqual(def.nodes.map((n: any) => n.type), ['start', 'play', 'menu', 'toAgent', 'end']);
    const menu = def.nodes.find((n: any) => n.type === 'menu');
    const broken = structuredClone(def);
    broken.nodes.find((n: any) => n.type === 'menu').params.keys.push({ key: '9', label: '新' });
    const v = await admin.post(`/ivr/flows/${ids.flow}/validate`, { definition: broken });
    assert.equal(v.status, 200);
    assert.equal(v.body.ok, false);
    assert.deepEqual(v.body.errors.map((e: any) => [e.nodeId, e.field]), [[menu.id, 'outlets.key:9']]);
    const save = await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: broken });
    assert.equal(save.status, 400);
    assert.equal(save.body.error.code, 'CCBOX_ERR_VALIDATION');
    assert.ok(save.body.error.message.includes(menu.id), save.body.error.message);
    assert.equal(save.body.error.field, `definition.nodes.${menu.id}.outlets.key:9`);
    const missingGroup = structuredClone(def);
    missingGroup.nodes.find((n: any) => n.type === 'toAgent').params.skillGroupId = 9999;
    const mg = await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: missingGroup });
    assert.equal(mg.status, 400);
    assert.match(mg.body.error.message, /技能组 9999 不存在/);
    assert.equal((await admin.post(`/ivr/flows/${ids.flow}/validate`, {})).body.ok, true, 'the saved MAIN is valid');
  });

  it('versions: create from MAIN with a note, publish, bind; a published revision does not change with later edits', async () => {
    const v1 = await admin.post(`/ivr/flows/${ids.flow}/versions`, { from: 'MAIN', note: '春节版' });
    assert.equal(v1.status, 201);
    assert.deepEqual([v1.body.version, v1.body.basedOn, v1.body.note, v1.body.published], ['1', 'MAIN', '春节版', null]);
    const early = await admin.put('/ivr/bindings/4008001234', { flowId: ids.flow, version: '1' });
    assert.equal(early.status, 409, 'an unpublished version cannot be bound');
    const pub = await admin.post(`/ivr/flows/${ids.flow}/versions/1/publish`);
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.body.published.revision, 1);
    const bind = await admin.put('/ivr/bindings/4008001234', { flowId: ids.flow, version: '1' });
    assert.equal(bind.status, 200, JSON.stringify(bind.body));
    assert.deepEqual([bind.body.number, bind.body.flowName, bind.body.version], ['4008001234', '售后热线', '1']);
    assert.equal((await admin.put('/ivr/bindings/12ab', { flowId: ids.flow })).body.error.field, 'number');

    // A call starting now gets revision 1; editing and republishing version 1 makes revision 2 for new calls only.
    const ivr = await import('../../src/ivr/index.ts');
    const service = new ivr.IvrService({ db: tb.box.storage.db, dataDir: tb.dataDir });
    const running = await service.snapshotForNumber('4008001234');
    assert.equal(running!.revision, 1);
    const edited = (await admin.get(`/ivr/flows/${ids.flow}/versions/1`)).body.definition;
    edited.nodes.find((n: any) => n.type === 'play').params.prompt.text = '春节期间服务时间调整。';
    assert.equal((await admin.put(`/ivr/flows/${ids.flow}/versions/1`, { definition: edited })).status, 200);
    const listed = (await admin.get(`/ivr/flows/${ids.flow}/versions`)).body;
    assert.deepEqual(listed.map((v: any) => [v.version, v.unpublishedChanges]), [['MAIN', true], ['1', true]]);
    assert.equal((await service.snapshotForNumber('4008001234'))!.revision, 1, 'unpublished edits do not reach calls');
    assert.equal((await admin.post(`/ivr/flows/${ids.flow}/versions/1/publish`)).body.published.revision, 2);
    const next = await service.snapshotForNumber('4008001234');
    assert.equal(next!.revision, 2);
    assert.equal((next!.definition.nodes.find((n) => n.type === 'play')!.params.prompt as any).text, '春节期间服务时间调整。');
    assert.equal((running!.definition.nodes.find((n) => n.type === 'play')!.params.prompt as any).text, '您好，欢迎致电。', 'the running call keeps its snapshot');
    assert.ok(Object.isFrozen(running!.definition));

    assert.equal((await admin.del(`/ivr/flows/${ids.flow}`)).status, 409, 'a bound flow cannot be deleted');
    assert.equal((await admin.del(`/ivr/flows/${ids.flow}/versions/1`)).status, 409, 'a bound version cannot be deleted');
  });

  it('uploads a real wav and mp3, converts them to 8 kHz A-law, refuses corrupt files, and guards prompts in use', async () => {
    const wav = path.join(tmp, 'welcome.wav');
    const mp3 = path.join(tmp, 'music.mp3');
    execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', wav, 'synth', '1.25', 'sine', '440']);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=660:duration=2', '-c:a', 'libmp3lame', '-y', mp3]);
    const up = await admin.post('/ivr/prompts?name=欢迎语&fileName=welcome.wav', readFileSync(wav), { 'content-type': 'audio/wav' });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.deepEqual([up.body.name, up.body.originalName, up.body.durationMs, up.body.usedBy], ['欢迎语', 'welcome.wav', 1250, []]);
    const up2 = await admin.post(`/ivr/prompts?name=${encodeURIComponent('等待音乐')}&fileName=music.mp3`, readFileSync(mp3), { 'content-type': 'audio/mpeg' });
    assert.equal(up2.status, 201, JSON.stringify(up2.body));
    assert.ok(Math.abs(up2.body.durationMs - 2000) < 100, String(up2.body.durationMs));
    const audio = await fetch(`${tb.base}/api/v1/ivr/prompts/${up.body.id}/audio`, { headers: { cookie: admin.cookie } });
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    const { info, data } = readWav(new Uint8Array(await audio.arrayBuffer()));
    assert.deepEqual([info.format, info.sampleRate, info.channels, data.length], ['alaw', 8000, 1, 10000]);

    const corrupt = Buffer.concat([readFileSync(mp3).subarray(0, 400), randomBytes(20000)]);
    const bad = await admin.post('/ivr/prompts?name=坏文件', corrupt, { 'content-type': 'audio/mpeg' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'file');
    assert.match(bad.body.error.message, /文件已损坏或无法解码/);
    const text = await admin.post('/ivr/prompts?name=文本', Buffer.from('hello, not audio'), { 'content-type': 'audio/wav' });
    assert.match(text.body.error.message, /只支持 mp3 或 wav/);
    const type = await admin.post('/ivr/prompts?name=视频', readFileSync(wav), { 'content-type': 'video/mp4' });
    assert.equal(type.body.error.field, 'content-type');
    const big = await admin.post('/ivr/prompts?name=大文件', Buffer.alloc(5 * 1024 * 1024 + 1, 1), { 'content-type': 'audio/wav' });
    assert.match(big.body.error.message, /5 MB/);
    assert.equal((await admin.post('/ivr/prompts?name=欢迎语', readFileSync(wav), { 'content-type': 'audio/wav' })).status, 409);
    assert.deepEqual((await admin.get('/ivr/prompts')).body.map((p: any) => p.name).sort(), ['欢迎语', '等待音乐'].sort());

    // Used by a flow: the delete is refused naming the flow; after removing the use it goes through.
    const def = (await admin.get(`/ivr/flows/${ids.flow}/versions/MAIN`)).body.definition;
    const play = def.nodes.find((n: any) => n.type === 'play');
    play.params.prompt = { kind: 'file', promptId: up.body.id };
    assert.equal((await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: def })).status, 200);
    const inUse = await admin.del(`/ivr/prompts/${up.body.id}`);
    assert.equal(inUse.status, 409);
    assert.match(inUse.body.error.message, /售后热线 \(MAIN\)/);
    assert.deepEqual((await admin.get(`/ivr/prompts/${up.body.id}`)).body.usedBy, [{ flowId: ids.flow, flowName: '售后热线', versions: ['MAIN'] }]);
    play.params.prompt = { kind: 'tts', text: '您好' };
    await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: def });
    assert.equal((await admin.del(`/ivr/prompts/${up.body.id}`)).status, 204);
    assert.equal((await admin.del(`/ivr/prompts/${up2.body.id}`)).status, 204);
    play.params.prompt = { kind: 'file', promptId: up.body.id };
    const gone = await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: def });
    assert.equal(gone.status, 400);
    assert.ok(gone.body.error.message.includes(play.id));
  });

  it('hot words: lists with weights, word rules, import that reports bad lines, attached to a speech menu', async () => {
    const bad = await admin.post('/ivr/hot-words', { name: '业务', words: [{ word: '这是一个超过十个汉字的热词啊', weight: 5 }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'words.0.word');
    const r = await admin.post('/ivr/hot-words', { name: '业务', words: [{ word: '售前', weight: 8 }, { word: 'repair', weight: 3 }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.hot = r.body.id;
    const imp = await fetch(`${tb.base}/api/v1/ivr/hot-words/${ids.hot}/import`, {
      method: 'PUT',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'text/plain' },
      body: '维修|9\n退款|11\n坏的词!|2\n',
    });
    assert.equal(imp.status, 422);
    const err = (await imp.json()).error;
    assert.deepEqual(err.rows.map((x: any) => x.row), [2, 3]);
    assert.equal((await admin.get(`/ivr/hot-words/${ids.hot}`)).body.words.length, 2, 'nothing replaced');
    const ok = await admin.call('PUT', `/ivr/hot-words/${ids.hot}/import`, '维修|9\n退款|4\n', { 'content-type': 'text/plain' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.words, [{ word: '维修', weight: 9 }, { word: '退款', weight: 4 }]);
    const exp = await admin.get(`/ivr/hot-words/${ids.hot}/export`);
    assert.equal(exp.body, '维修|9\n退款|4\n');

    const def = (await admin.get(`/ivr/flows/${ids.flow}/versions/MAIN`)).body.definition;
    const end = def.nodes.find((n: any) => n.type === 'end');
    const start = def.nodes.find((n: any) => n.type === 'start');
    const sm = { id: '01JSPEECH00000000000000000', type: 'speechMenu', label: '语音导航', params: { prompt: { kind: 'tts', text: '请说业务' }, branches: [{ key: '1', keywords: ['维修'] }], hotWordListId: ids.hot }, outlets: { 'key:1': end.id, fallthrough: end.id } };
    def.nodes.push(sm);
    start.outlets.next = sm.id;
    const saved = await admin.put(`/ivr/flows/${ids.flow}/versions/MAIN`, { definition: def });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const inUse = await admin.del(`/ivr/hot-words/${ids.hot}`);
    assert.equal(inUse.status, 409);
    assert.match(inUse.body.error.message, /售后热线/);
    const sim = await admin.post(`/ivr/flows/${ids.flow}/simulate`, {});
    assert.equal(sim.body.waitingFor.kind, 'speech');
    const said = await admin.post(`/ivr/flows/${ids.flow}/simulate/${sim.body.sessionId}`, { speech: '我要维修' });
    assert.deepEqual(said.body.trace.events.find((e: any) => e.event === 'speech').detail, { result: 'keyword', keyword: '维修', text: '我要维修' });
  });

  it('an agent without the ivr permission gets 403 everywhere under /ivr', async () => {
    const agent = new ApiClient(tb.base);
    assert.equal((await agent.login('1001@demo.local', 'Agent1001-demo')).status, 200);
    for (const [m, p] of [['GET', '/ivr/flows'], ['POST', `/ivr/flows/${ids.demo}/simulate`], ['GET', '/ivr/prompts'], ['DELETE', '/ivr/bindings/02088880000'], ['GET', '/ivr/catalog']] as const) {
      const r = await agent.call(m, p, m === 'POST' ? {} : undefined);
      assert.equal(r.status, 403, `${m} ${p}`);
      assert.equal(r.body.error.code, 'CCBOX_ERR_FORBIDDEN');
    }
    assert.equal((await admin.get('/ivr/bindings')).body.length, 2, 'nothing changed');
    const catalog = await admin.get('/ivr/catalog');
    assert.equal(catalog.body.nodeTypes.length, 14);
    assert.ok(catalog.body.skillGroups.some((g: any) => g.name === '售前'));
  });
});
