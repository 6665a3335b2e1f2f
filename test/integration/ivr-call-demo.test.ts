// The demo profile's IVR (DESIGN.md): seeded as flow `demo` bound to 02088880000 (TTS welcome → 1 售前, 2 售后,
// 3 留言 → 满意度评价 after the agent), and a real call from the carrier that presses 3 leaves a voicemail the
// record lists and serves.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_NODE_IDS } from '../../src/ivr/index.ts';
import type { IvrCaller } from '../bench/ivr-ua.ts';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { callIn, hearHz, ivrBox, NUMBER, pathTypes, recordOf } from './ivr-call-kit.ts';
import { analyseWav } from './sipp/call-path/kit.ts';

describe('the demo IVR on a real call', { timeout: 180_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  const callers: IvrCaller[] = [];

  before(async () => {
    ({ tb, admin } = await ivrBox());
  });
  after(async () => {
    for (const c of callers) c.close();
    await tb?.close();
  });

  it('is seeded: flow `demo` (welcome → menu 1 售前 / 2 售后 / 3 留言), published and bound to 02088880000', async () => {
    const flows = (await admin.get('/ivr/flows')).body;
    const demo = (Array.isArray(flows) ? flows : flows.items).find((f: any) => f.name === 'demo');
    assert.ok(demo, 'flow demo exists');
    const binding = (await admin.get('/ivr/bindings')).body.find((b: any) => b.number === NUMBER);
    assert.equal(binding?.flowId, demo.id);
    const main = (await admin.get(`/ivr/flows/${demo.id}/versions/MAIN`)).body;
    const menu = main.definition.nodes.find((n: any) => n.id === DEMO_NODE_IDS.menu);
    assert.deepEqual(menu.params.keys.map((k: any) => [k.key, k.label]), [['1', '售前'], ['2', '售后'], ['3', '留言']]);
    const groups = Object.fromEntries((await admin.get('/skill-groups')).body.map((g: any) => [g.id, g.name]));
    const target = (key: string) => main.definition.nodes.find((n: any) => n.id === menu.outlets[`key:${key}`]);
    assert.equal(groups[target('1').params.skillGroupId], '售前');
    assert.equal(groups[target('2').params.skillGroupId], '售后');
    assert.equal(target('3').type, 'voicemail');
  });

  it('a caller presses 3 during the menu, speaks after the beep, presses #: the voicemail is on the record', async () => {
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    // Welcome, then the menu prompt (TTS): press 3 while the menu plays (barge-in).
    const welcome = await caller.audioAfter(0, 30_000);
    await caller.quiet(250, 30_000);
    await caller.audioAfter(welcome.at + 500, 30_000);
    const k = await caller.pressKey('3');
    // The voicemail prompt, then the 1 kHz beep; the caller speaks (a 700 Hz tone) for about 2 s.
    const beep = await hearHz(caller, 1000, k.endAt, 8, 30_000);
    await caller.quiet(150);
    caller.toneHz = 700;
    await new Promise((r) => setTimeout(r, 2000));
    caller.toneHz = 0;
    const hash = await caller.pressKey('#');
    // The goodbye prompt, then the box hangs up.
    const bye = await caller.audioAfter(hash.endAt, 30_000);
    assert.equal(await caller.ended, 'box');
    await written;
    assert.ok(beep > k.endAt && bye.at > hash.endAt);

    const rec = await recordOf(admin, call.id);
    assert.equal(rec.callee, NUMBER);
    assert.equal(rec.ivrKeys, '3');
    assert.deepEqual(pathTypes(rec), ['start', 'play', 'menu', 'voicemail', 'end']);
    assert.equal(rec.detail.ivr.flowName, 'demo');
    assert.ok(rec.voicemail && rec.voicemail.durationMs >= 1500, JSON.stringify(rec.voicemail));
    const listed = await admin.get('/records?voicemail=true');
    assert.deepEqual(listed.body.items.map((r: any) => r.id), [call.id], 'listed under 语音信箱');
    const res = await fetch(`${tb.base}/api/v1/records/${call.id}/voicemail`, { headers: { cookie: admin.cookie } });
    assert.equal(res.status, 200);
    const wav = path.join(tb.dataDir, `vm-${call.id}.wav`);
    writeFileSync(wav, Buffer.from(await res.arrayBuffer()));
    const a = analyseWav(wav);
    assert.ok(a.seconds >= 1.5 && a.rms[0]! > 1000, `message ${a.seconds.toFixed(1)} s at rms ${a.rms[0]!.toFixed(0)}`);
  });
});
