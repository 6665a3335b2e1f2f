// The whole inbound call path on a demo box with real peers: sipp as the carrier on 127.0.0.2 calls
// 02088880000, the demo IVR answers, the caller presses 1 (RFC 2833 pcap), the ACD rings agent 1001's desk
// phone (a sipp UAS registered as 1001), audio flows both ways, someone hangs up; the record, its stereo
// recording and the agent's 话后整理 are checked from the API and the file. The test drives the peers at
// the points it observed (INFO "Play: n" to sipp), never by sleeping.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AgentStateChange } from '../../src/acd/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { legStatsWhen } from './sipp/calls/kit.ts';
import { analyseWav, CUSTOMER, NUMBER, PATH_BOX, PathPeers, poke, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-path-1';

describe('inbound call path: carrier → demo IVR → ACD → agent desk phone', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  let p: PathPeers;
  const states: AgentStateChange[] = [];

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...PATH_BOX });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    p = new PathPeers(tb, admin);
    await p.loadIds();
    // 话后整理 ends on its own after 1 s here; the ring timeout is the default 20 s (nobody lets it ring out).
    const settings = (await admin.get('/acd/settings')).body.global;
    settings.answer.afterCallIdle = { enabled: true, seconds: 1 };
    settings.routing.lastAgentFirst = false;
    assert.equal((await admin.put('/acd/settings', { skillGroupId: null, settings })).status, 200);
    tb.box.acd.on('agent-state', (c) => states.push(c));
  });
  after(() => tb?.close());

  it('presses 1, talks with 1001 and hangs up: record, stereo recording and 话后整理', async (t) => {
    const agent = await p.agentPhone('1001');
    states.length = 0;
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const answeredAt = performance.now();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    await p.agentAnswered(call);
    const agentAt = performance.now();
    // The customer talks (g711a.pcap); the agent's phone echoes: both directions cross the call's router.
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    const stats = await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (s) => s.rtpIn >= 150 && s.rtpToPhone >= 150, 30_000);
    const written = p.recordWritten(call.id);
    await poke('127.0.0.2', carrier.port, callerSipId, 9);
    const [rc, ra] = await Promise.all([carrier.run.done, agent.run.done]);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    await written;
    t.diagnostic(`INVITE → IVR answered ${(answeredAt - carrier.started).toFixed(0)} ms; key 1 → agent answered ${(agentAt - answeredAt).toFixed(0)} ms; caller leg rtp in ${stats.rtpIn}, out ${stats.rtpToPhone}`);

    const list = await admin.get(`/records?caller=${CUSTOMER}`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const rec = list.body.items.find((r: any) => r.id === call.id);
    assert.ok(rec, 'the call has a record');
    assert.equal(rec.direction, 'inbound');
    assert.equal(rec.callee, NUMBER);
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.endStatusText, '正常结束');
    assert.equal(rec.ivrKeys, '1');
    assert.equal(rec.staffNo, '1001');
    assert.equal(rec.agentDevice, 'phone');
    assert.equal(rec.skillGroupName, '售前');
    assert.equal(rec.hangupSide, 'caller');
    assert.ok(rec.talkMs > 1000, `talk ${rec.talkMs} ms`);
    assert.ok(rec.ringMs >= 0 && rec.totalMs >= rec.talkMs + rec.ringMs, JSON.stringify(rec));
    assert.equal(rec.recording?.channels, 2);
    const detail = (await admin.get(`/records/${call.id}`)).body;
    assert.deepEqual(detail.detail.ivr.path.map((s: any) => s.type).slice(0, 4), ['start', 'play', 'menu', 'toAgent']);
    assert.equal(detail.detail.offers[0].result, 'answered');
    const at0 = detail.startedAt;
    t.diagnostic(`IVR path ${detail.detail.ivr.path.map((s: any) => `${s.type}@${s.at - at0}`).join(' → ')}; offered @${detail.detail.offers[0].at - at0} ms`);

    const res = await fetch(`${tb.base}/api/v1/records/${call.id}/recording`, { headers: { cookie: admin.cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    const file = `${tb.dataDir}/downloaded-${call.id}.wav`;
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const a = analyseWav(file);
    assert.equal(a.channels, 2);
    assert.equal(a.sampleRate, 8000);
    assert.ok(a.seconds > 1, `${a.seconds} s`);
    assert.ok(a.rms[0]! > 200 && a.rms[1]! > 200, `energy per channel ${a.rms.map((x) => x.toFixed(0)).join(', ')}`);

    // 1001: 话后整理 after the call, then 示闲 again when the countdown ran out.
    await until('1001 back to idle after 话后整理', (fire) => {
      tb.box.acd.on('agent-state', fire);
      return () => void tb.box.acd.off('agent-state', fire);
    }, () => {
      const mine = states.filter((s) => s.agentId === p.ids['1001'] && s.axis === 'status');
      const acw = mine.findIndex((s) => s.to === 'acw');
      return acw >= 0 && mine.slice(acw + 1).some((s) => s.to === 'idle') ? true : undefined;
    }, 30_000);
    p.unregister('1001');
  });

  it('the agent hangs up first: the caller hears the survey, presses 1, and the record says 满意', async () => {
    const agent = await p.agentPhone('1001');
    const carrier = await p.carrierCall();
    const call = await p.answeredByBox();
    const callerSipId = call.legs[0]!.sipCallId;
    await poke('127.0.0.2', carrier.port, callerSipId, 1);
    const agentLeg = await p.agentAnswered(call);
    await poke('127.0.0.2', carrier.port, callerSipId, 2);
    await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (s) => s.rtpIn >= 50 && s.rtpToPhone >= 50, 30_000);
    const written = p.recordWritten(call.id);
    // 1001 hangs up; once its leg is gone the survey plays to the caller, who presses 1 (满意).
    await poke('127.0.0.1', agent.port, agentLeg.sipCallId, 9);
    const ra = await agent.run.done;
    assert.equal(ra.code, 0, ra.errors || ra.output);
    await until('the agent leg to end', p.onCalls, () => (agentLeg.endedAt !== null ? true : undefined));
    await poke('127.0.0.2', carrier.port, callerSipId, 3);
    // Thanks prompt, then the flow's end hangs up: the carrier's scenario ends on the box's BYE.
    const rc = await carrier.run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await written;
    const rec = (await admin.get(`/records/${call.id}`)).body;
    assert.equal(rec.endStatus, 'normal');
    assert.equal(rec.hangupSide, 'agent');
    assert.equal(rec.ivrKeys, '11', 'the menu key and the survey key');
    assert.deepEqual(rec.satisfaction, { key: '1', label: '满意' });
    assert.ok(rec.detail.ivr.path.some((s: any) => s.type === 'survey'));
    assert.equal(rec.detail.ivr.end.reason, 'hangup');
    p.unregister('1001');
  });
});
