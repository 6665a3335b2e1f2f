// The IVR modules that take the call somewhere, on real calls from demo-trunk's address: 转外线 to a sipp "outside
// number" behind the carrier (127.0.0.2; the caller hears the connecting prompt while it rings, then the outside
// party — an echo of its own tone — and the flow goes on when the outside hangs up), the 外显号码 check at save
// and at run time, 转分机 to a registered sipp desk phone (a wrong extension first), and 语音信箱 (a message
// recorded from the caller, listed and downloadable with the call record).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { hrNow, type IvrCaller } from '../bench/ivr-ua.ts';
import type { ApiClient, TestBox } from '../helpers/box.ts';
import { callIn, deploy, file, FlowBuilder, hearHz, hearTone, ivrBox, NUMBER, pathTypes, recordOf, tonesHeard, uploadTones, whenCalls, type Tones } from './ivr-call-kit.ts';
import { freeMediaPort, freeSipPort, registerPhone, sipp, waitBound } from './sipp/calls/kit.ts';
import { analyseWav, pathScenario, PCAP } from './sipp/call-path/kit.ts';
import path from 'node:path';
import { ROOT } from '../helpers/process.ts';

const TONES: Tones = { ring: 500, after: 900, failed: 1300, ext: 1500, wrong: 1700, vm: 2100, vmEnd: 2300 };
/** What the caller says (and the echo brings back): not one of the prompts' tones. */
const VOICE_HZ = 700;
const OUTSIDE = '13900139000';

describe('IVR transfers on real calls: 转外线, 外显号码 check, 转分机, 语音信箱', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let ids: Record<string, string>;
  const callers: IvrCaller[] = [];

  before(async () => {
    ({ tb, admin } = await ivrBox());
    ids = await uploadTones(admin, TONES);
  });
  after(async () => {
    for (const c of callers) c.close();
    await tb?.close();
  });

  function toExternalFlow(callerNumber: string): { def: unknown; node: string } {
    const f = new FlowBuilder();
    const start = f.id(), dial = f.id(), afterPlay = f.id(), failed = f.id(), end = f.id();
    f.add('start', '开始', {}, { next: dial }, start);
    f.add('toExternal', '转外线', { callerNumber, callee: { mode: 'fixed', number: OUTSIDE }, connectingPrompt: file(ids.ring!), ringTimeoutSec: 10 }, { done: afterPlay, failed }, dial);
    f.add('play', '通话结束', { prompt: file(ids.after!) }, { next: end }, afterPlay);
    f.add('play', '呼叫失败', { prompt: file(ids.failed!) }, { next: end }, failed);
    f.add('end', '结束', {}, {}, end);
    return { def: f.definition, node: dial };
  }

  /** An outside number behind the carrier: demo-trunk now sends its outbound calls to this sipp. */
  async function outsideNumber(talkMs: number) {
    const port = await freeSipPort('127.0.0.2');
    const channel = (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    const r = await admin.patch(`/channels/${channel.id}`, { publicTrunk: { ...channel.publicTrunk, carrierPort: port } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const run = sipp({
      scenario: path.join(ROOT, 'test', 'integration', 'sipp', 'ivr-call', 'outside.xml'), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`,
      localIp: '127.0.0.2', port, mediaPort: await freeMediaPort('127.0.0.2'), service: OUTSIDE, rtpEcho: true, durationMs: talkMs, timeoutS: 60,
    });
    await waitBound(port, 'udp', '127.0.0.2');
    return run;
  }

  it('转外线: the connecting prompt while it rings, the outside party on answer, the flow goes on after its hang-up', async () => {
    await deploy(admin, 'ivr-call-external', toExternalFlow(NUMBER).def);
    const outside = await outsideNumber(3000);
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    // Ringing: the connecting prompt (700 ms) loops for the 1.5 s the outside number rings.
    const r0 = await hearTone(caller, TONES, 'ring', 0);
    const answered = await new Promise<number>((resolve) => {
      const calls = tb.box.callCenter.telephony.calls;
      const on = ({ call: c, leg }: { call: { id: string }; leg: { role: string } }): void => {
        if (c.id !== call.id || leg.role !== 'callee') return;
        calls.off('leg-answered', on);
        resolve(hrNow());
      };
      calls.on('leg-answered', on);
    });
    const ringPackets = caller.rx.filter((p) => p.at >= r0 && p.at < answered && Math.abs(p.hz - TONES.ring!) <= 60 && p.rms >= 300).length;
    assert.ok(ringPackets > 40, `the connecting prompt played on while it rang (${ringPackets} packets, one play is 35)`);
    // Talking: the caller's voice comes back from the outside party (sipp echoes it).
    caller.toneHz = VOICE_HZ;
    const echo = await caller.packetAfter(answered, (p) => p.rms >= 1000 && Math.abs(p.hz - VOICE_HZ) <= 60);
    assert.ok(echo.at > answered);
    // The outside party hangs up; the caller is still in the flow and hears the next prompt.
    const ro = await outside.done;
    assert.equal(ro.code, 0, ro.errors || ro.output);
    caller.toneHz = 0;
    await hearTone(caller, TONES, 'after', answered);
    assert.equal(await caller.ended, 'box');
    await written;
    assert.deepEqual(tonesHeard(caller, TONES).filter((t) => t !== 'ring'), ['after']);
    const rec = await recordOf(admin, call.id);
    assert.deepEqual(rec.detail.ivr.path.map((s: any) => `${s.type}:${s.outlet ?? ''}`), ['start:next', 'toExternal:done', 'play:next', 'end:']);
    assert.deepEqual(rec.detail.transfers.map((t: any) => [t.kind, t.to, t.result]), [['external', OUTSIDE, 'answered']]);
    const leg = rec.detail.legs.find((l: any) => l.party === OUTSIDE);
    assert.ok(leg?.answeredAt && leg.kind === 'trunk', JSON.stringify(rec.detail.legs));
  });

  it('外显号码: a number that is not the box\'s is refused at save (on the node); one removed since is refused at run time', async () => {
    const { def, node } = toExternalFlow('01099990000');
    const bad = await admin.post('/ivr/flows', { name: 'ivr-call-bad-number', kind: 'inbound', definition: def });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.equal(bad.body.error.field, `definition.nodes.${node}.params.callerNumber`);
    assert.match(bad.body.error.message, /不是本机可外呼的号码/);
    const v = await admin.post('/ivr/flows', { name: 'ivr-call-ok', kind: 'inbound' });
    const check = await admin.post(`/ivr/flows/${v.body.id}/validate`, { definition: def });
    assert.deepEqual(check.body.errors.map((e: any) => [e.nodeId, e.field]), [[node, 'params.callerNumber']]);

    // A second number of demo-trunk, effective: a flow may show it …
    const channel = (await admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    const added = await admin.post('/numbers', { number: '02088881111', channelId: channel.id });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal((await admin.post(`/numbers/${added.body.id}/activate`)).status, 200);
    await deploy(admin, 'ivr-call-second-number', toExternalFlow('02088881111').def);
    // … until the number is removed from the channel: the running flow's 转外线 then fails without dialling.
    assert.equal((await admin.del(`/numbers/${added.body.id}`)).status, 204);
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    await hearTone(caller, TONES, 'failed', 0);
    assert.equal(await caller.ended, 'box');
    await written;
    assert.deepEqual(tonesHeard(caller, TONES), ['failed']);
    const rec = await recordOf(admin, call.id);
    assert.deepEqual(rec.detail.ivr.path.map((s: any) => `${s.type}:${s.outlet ?? ''}`), ['start:next', 'toExternal:failed', 'play:next', 'end:']);
    assert.deepEqual(rec.detail.transfers.map((t: any) => [t.kind, t.result]), [['external', 'failed']]);
    assert.ok(rec.detail.notes.some((n: string) => n.includes('02088881111')), JSON.stringify(rec.detail.notes));
    assert.deepEqual(rec.detail.legs.map((l: any) => l.role), ['caller'], 'no outside leg was dialled');
  });

  it('转分机: a wrong extension → error prompt; then 1003, a registered desk phone, answers and talks', async () => {
    const f = new FlowBuilder();
    const start = f.id(), ext = f.id(), failed = f.id(), end = f.id();
    f.add('start', '开始', {}, { next: ext }, start);
    f.add('toExtension', '转分机', { prompt: file(ids.ext!), errorPrompt: file(ids.wrong!), timeoutPrompt: file(ids.wrong!), extensionLength: 4, maxErrors: 3, timeoutSec: 4, interDigitTimeoutSec: 2, ringTimeoutSec: 10 }, { done: end, failed }, ext);
    f.add('play', '转分机失败', { prompt: file(ids.failed!) }, { next: end }, failed);
    f.add('end', '结束', {}, {}, end);
    await deploy(admin, 'ivr-call-extension', f.definition);
    const port = await freeSipPort();
    await registerPhone(tb.box, '1003', port);
    const phone = sipp({ scenario: pathScenario('agent.xml'), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`, port, mediaPort: await freeMediaPort(), service: '1003', rtpEcho: true, timeoutS: 60, keys: { pcap2: PCAP('g711a.pcap') } });
    await waitBound(port);

    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    const e0 = await hearTone(caller, TONES, 'ext', 0);
    await caller.quiet(200);
    await caller.pressKeys('9999');
    const w0 = await hearTone(caller, TONES, 'wrong', e0);
    const e1 = await hearTone(caller, TONES, 'ext', w0);
    await caller.quiet(200);
    await caller.pressKeys('1003');
    const leg = await whenCalls(tb, 'the desk phone to answer', () => call.legs.find((l) => l.role === 'callee' && l.answeredAt !== null));
    assert.equal(leg.party, '1003');
    caller.toneHz = VOICE_HZ;
    await caller.packetAfter(e1, (p) => p.rms >= 1000 && Math.abs(p.hz - VOICE_HZ) <= 60);
    await caller.hangup();
    const rp = await phone.done;
    assert.equal(rp.code, 0, rp.errors || rp.output);
    await written;
    tb.box.sip.location.removeAll('1003', 'removed');
    assert.deepEqual(tonesHeard(caller, TONES), ['ext', 'wrong', 'ext']);
    const rec = await recordOf(admin, call.id);
    assert.deepEqual(pathTypes(rec), ['start', 'toExtension']);
    assert.equal(rec.detail.ivr.end.reason, 'callerHangup');
    assert.deepEqual(rec.detail.ivr.keys.map((k: any) => [k.digits, k.accepted]), [['9999', false], ['1003', true]]);
    assert.equal(rec.ivrKeys, '1003');
    assert.equal(rec.hangupSide, 'caller');
    assert.deepEqual(rec.detail.transfers.map((t: any) => [t.kind, t.to, t.result]), [['extension', '1003', 'answered']]);
  });

  it('语音信箱: prompt, beep, the caller speaks and presses #, end prompt; the message is on the record', async () => {
    const f = new FlowBuilder();
    const start = f.id(), vm = f.id(), end = f.id();
    f.add('start', '开始', {}, { next: vm }, start);
    f.add('voicemail', '语音信箱', { prompt: file(ids.vm!), beep: true, maxSeconds: 20, endPrompt: file(ids.vmEnd!) }, { next: end }, vm);
    f.add('end', '结束', {}, {}, end);
    await deploy(admin, 'ivr-call-voicemail', f.definition);
    const { caller, call, written } = await callIn(tb);
    callers.push(caller);
    const v0 = await hearTone(caller, TONES, 'vm', 0);
    // The beep (1 kHz) after the prompt, then the caller speaks for about 1.5 s and presses #.
    const beep = await hearHz(caller, 1000, v0);
    await caller.quiet(150);
    caller.toneHz = VOICE_HZ;
    await new Promise((r) => setTimeout(r, 1500));
    caller.toneHz = 0;
    const hash = await caller.pressKey('#');
    await hearTone(caller, TONES, 'vmEnd', hash.endAt);
    assert.equal(await caller.ended, 'box');
    await written;
    assert.ok(beep > v0);
    assert.deepEqual(tonesHeard(caller, TONES), ['vm', 'vmEnd']);

    const rec = await recordOf(admin, call.id);
    assert.deepEqual(pathTypes(rec), ['start', 'voicemail', 'end']);
    assert.ok(rec.voicemail && rec.voicemail.durationMs >= 1000, JSON.stringify(rec.voicemail));
    const listed = await admin.get('/records?voicemail=true');
    assert.ok(listed.body.items.some((r: any) => r.id === call.id), 'listed under 语音信箱');
    const res = await fetch(`${tb.base}/api/v1/records/${call.id}/voicemail`, { headers: { cookie: admin.cookie } });
    assert.equal(res.status, 200);
    const wav = path.join(tb.dataDir, `vm-${call.id}.wav`);
    writeFileSync(wav, Buffer.from(await res.arrayBuffer()));
    const a = analyseWav(wav);
    assert.equal(a.channels, 1);
    assert.ok(a.seconds >= 1 && a.rms[0]! > 1000, `message ${a.seconds.toFixed(1)} s at rms ${a.rms[0]!.toFixed(0)}`);
  });
});
