// A prompt file used by 通话设置 (hold music, blacklist prompt, surveys, 外呼指定分配 failure prompt, 收号 templates)
// cannot be deleted from the prompt library: the HTTP API answers 409 naming every place that uses it, and
// the delete goes through once nothing refers to it any more.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-prompt-use-1';
const NUMBER = '02088880000';

describe('prompt files in use by the call settings', { timeout: 120_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let tmp: string;
  let wav: Buffer;

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, mediaWorkers: 1, mediaEdgeWorkers: 1 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ccbox-prompt-use-'));
    const file = path.join(tmp, 'tone.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', '0.5', 'sine', '440']);
    wav = readFileSync(file);
  });
  after(async () => {
    await tb?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const upload = async (name: string): Promise<string> => {
    const r = await admin.post(`/ivr/prompts?name=${encodeURIComponent(name)}&fileName=tone.wav`, wav, { 'content-type': 'audio/wav' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const put = async (url: string, body: unknown): Promise<void> => {
    const r = await admin.put(url, body);
    assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
  };

  it('hold music, blacklist prompt, a number\'s survey and failure prompt, a 收号 template: 409 naming each, 204 once unused', async () => {
    const id = await upload('保持音乐');
    const file = { kind: 'file', promptId: id };
    await put('/call-settings/hold-music', { mode: 'custom', prompt: file });
    await put('/call-settings/general', { blacklistPrompt: file });
    const n = (await admin.get(`/call-settings/numbers/${NUMBER}`)).body;
    const { number: _n, ...numberInput } = n;
    numberInput.inboundSurvey = { ...numberInput.inboundSurvey, enabled: true, thanksPrompt: file };
    numberInput.lastAgentRouting = { mode: 'only', failurePrompt: file };
    await put(`/call-settings/numbers/${NUMBER}`, numberInput);
    const tpl = await admin.post('/call-settings/digit-collection', {
      name: '身份证号', prompt: file, minDigits: 15, maxDigits: 18, terminator: '#', timeoutSec: 10, callbackUrl: 'http://127.0.0.1:9/digits',
    });
    assert.equal(tpl.status, 201, JSON.stringify(tpl.body));

    const inUse = await admin.del(`/ivr/prompts/${id}`);
    assert.equal(inUse.status, 409);
    const msg: string = inUse.body.error.message;
    for (const place of ['通话设置-通话保持放音', '通话设置-黑名单提示音', `号码 ${NUMBER} 呼入评价`, `号码 ${NUMBER} 外呼指定分配失败提示`, '收号设置「身份证号」']) {
      assert.ok(msg.includes(place), `${place} missing from: ${msg}`);
    }
    assert.ok(!msg.includes('呼出评价'), msg);
    assert.equal((await admin.get(`/ivr/prompts/${id}`)).status, 200, 'still there');

    // Take the uses away one by one: still refused while one is left.
    const tts = { kind: 'tts', text: '请稍候' };
    await put('/call-settings/hold-music', { mode: 'default', prompt: null });
    await put('/call-settings/general', { blacklistPrompt: tts });
    numberInput.inboundSurvey.thanksPrompt = tts;
    numberInput.lastAgentRouting = { mode: 'off', failurePrompt: tts };
    await put(`/call-settings/numbers/${NUMBER}`, numberInput);
    const last = await admin.del(`/ivr/prompts/${id}`);
    assert.equal(last.status, 409);
    assert.match(last.body.error.message, /^放音文件正在使用中: 收号设置「身份证号」/);
    assert.equal((await admin.del(`/call-settings/digit-collection/${tpl.body.id}`)).status, 204);
    assert.equal((await admin.del(`/ivr/prompts/${id}`)).status, 204);
    assert.equal((await admin.get(`/ivr/prompts/${id}`)).status, 404);
  });

  it('outbound prompts count too, and an unused prompt deletes at once', async () => {
    const used = await upload('外呼提示');
    const free = await upload('未使用');
    const outbound = (await admin.get('/call-settings/outbound')).body;
    await put('/call-settings/outbound', { ...outbound, customerHangupPrompt: { kind: 'file', promptId: used } });
    const r = await admin.del(`/ivr/prompts/${used}`);
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, /通话设置-客户挂机提示/);
    assert.equal((await admin.del(`/ivr/prompts/${free}`)).status, 204);
  });
});
