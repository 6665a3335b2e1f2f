// Media through the core with sipp as the phones: sipp's RTP (play_pcap_audio with the pcaps
// Debian ships, -rtp_echo) enters the RTP edge, crosses the call's mediasoup router and leaves
// at the other leg. The test plays the box's SIP side itself, with SDP from the media core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMedia, type MediaCoreService, type SipLeg, type CallMedia } from '../../src/media/core/index.ts';
import { deinterleave, pcmFromBytesLE, readWav, seqDelta } from '../../src/media/codec/index.ts';
import { Rfc4733Receiver, type DtmfEvent } from '../../src/media/dtmf/index.ts';
import type { LegStats } from '../../src/media/edge/index.ts';
import { buildOffer, serializeSdp } from '../../src/sip/core/index.ts';
import { createLogger, loadConfig } from '../../src/platform/index.ts';
import {
  MiniSipPeer, PCAP_DIR, RtpParty, freeMediaPort, readPcapRtp, rms, startSipp, toneLevels, writePcapAsNewStream, type SippRun,
} from '../helpers/sipp-media.ts';

const G711A = path.join(PCAP_DIR, 'g711a.pcap');
const pcap = (name: string): string => path.join(PCAP_DIR, name);
const PCAP_AUDIO = readPcapRtp(G711A);

/** SDP of a plain RTP party (what its phone would answer or offer). */
function partySdp(port: number, codec: 'PCMA' | 'PCMU' = 'PCMA'): string {
  return serializeSdp(buildOffer({ address: '127.0.0.1', port, codecs: [codec], origin: { sessionId: '7', sessionVersion: '1' } }));
}

async function statsWhen(call: CallMedia, legId: string, ok: (s: LegStats) => boolean, limitMs = 15_000): Promise<LegStats> {
  const leg = call.leg(legId) as SipLeg;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await leg.edgeLeg.getStats();
    if (ok(s)) return s;
    if (Date.now() > deadline) assert.fail(`stats of ${legId} never matched: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25)); // a poll interval: each poll is a round trip to the edge thread
  }
}

describe('media core with sipp phones', { timeout: 120_000 }, () => {
  let media: MediaCoreService;
  let dataDir: string;
  const cleanup: (() => unknown)[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccbox-media-sipp-'));
    const config = loadConfig({}, {
      dataDir, mediaWorkers: 1, mediaEdgeWorkers: 1, mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1',
      mediaEdgePortMin: 43000, mediaEdgePortMax: 43999, mediaRtcPortMin: 48000, mediaRtcPortMax: 48999,
    });
    media = await startMedia({ config, log: createLogger({ level: process.env.CCBOX_TEST_LOG ?? 'silent' }), tts: null });
  });
  after(async () => {
    for (const fn of cleanup.reverse()) await fn();
    await media.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A sipp caller on a new call: returns the call, the caller's leg and the SIP peer driving sipp. */
  async function sippCaller(callId: string, pcaps: [string, string, string]): Promise<{ call: CallMedia; legA: string; sip: MiniSipPeer; sipp: SippRun }> {
    const call = await media.createCall(callId);
    const sip = await MiniSipPeer.open();
    const sipp = startSipp({
      scenario: 'uac.xml', target: `127.0.0.1:${sip.port}`, sipPort: await freeMediaPort(), mediaPort: await freeMediaPort(),
      keys: { pcap1: pcaps[0], pcap2: pcaps[1], pcap3: pcaps[2] },
    });
    cleanup.push(() => sipp.kill(), () => sip.close(), () => call.close('test over'));
    let legA = '';
    const exited = sipp.done.then((r) => Promise.reject(new Error(`sipp exited early (${r.code}): ${r.errors}\n${r.output}`)));
    await Promise.race([exited, sip.answerInvite(async (offer) => {
      const r = await call.createSipLeg({ offer });
      legA = r.legId;
      return r.sdp;
    })]);
    exited.catch(() => undefined);
    return { call, legA, sip, sipp };
  }

  async function partyLeg(call: CallMedia, codec: 'PCMA' | 'PCMU' = 'PCMA'): Promise<{ party: RtpParty; legB: string }> {
    const party = await RtpParty.open();
    cleanup.push(() => party.close());
    const b = await call.createSipLeg({ offer: null });
    assert.equal(b.type, 'offer');
    assert.match(b.sdp, /m=audio \d+ RTP\/AVP 8 0 101/);
    await call.updateSipLeg(b.legId, partySdp(party.port, codec));
    return { party, legB: b.legId };
  }

  async function hangUp(sip: MiniSipPeer, sipp: SippRun): Promise<void> {
    const bye = await sip.request('BYE');
    assert.equal(bye.status, 200);
    const r = await sipp.done;
    assert.equal(r.code, 0, `sipp failed: ${r.errors}\n${r.output}`);
  }

  test('the caller\'s audio (g711a.pcap) arrives byte for byte at the other leg, on one SSRC', async () => {
    const { call, legA, sip, sipp } = await sippCaller('sipp-audio', [G711A, G711A, G711A]);
    assert.equal(call.law, 'pcma', 'the caller\'s law is the call\'s');
    const { party, legB } = await partyLeg(call);
    await call.connect(legA, legB);
    await sip.request('INFO', ['Play: 1']);
    await party.until(PCAP_AUDIO.length, 8);
    const got = party.received.filter((r) => r.pt === 8);
    assert.deepEqual(got.map((r) => r.payload.toString('hex')), PCAP_AUDIO.map((p) => p.payload.toString('hex')));
    assert.equal(new Set(got.map((r) => r.ssrc)).size, 1);
    got.slice(1).forEach((r, i) => assert.equal(seqDelta(r.seq, got[i].seq), 1));
    await hangUp(sip, sipp);
  });

  test('sipp caller ↔ sipp agent (PCMU, rtp_echo): audio crosses the router both ways with A↔µ conversion', async () => {
    const { call, legA, sip, sipp } = await sippCaller('sipp-echo', [G711A, G711A, G711A]);
    const agentSip = await MiniSipPeer.open();
    const uasSipPort = await freeMediaPort();
    const agent = startSipp({ scenario: 'uas-echo.xml', target: `127.0.0.1:${agentSip.port}`, sipPort: uasSipPort, mediaPort: await freeMediaPort(), rtpEcho: true });
    cleanup.push(() => agent.kill(), () => agentSip.close());
    const b = await call.createSipLeg({ offer: null, role: 'agent' });
    // sipp needs a moment to bind; the INVITE is retransmitted until it answers.
    const answer = await agentSip.invite({ address: '127.0.0.1', port: uasSipPort }, b.sdp);
    assert.match(answer, /RTP\/AVP 0 101/);
    await call.updateSipLeg(b.legId, answer);
    await call.connect(legA, b.legId);
    await sip.request('INFO', ['Play: 1']);
    const n = 150;
    const statsB = await statsWhen(call, b.legId, (s) => s.rtpToPhone >= n && s.rtpIn >= n);
    const statsA = await statsWhen(call, legA, (s) => s.rtpIn >= n && s.rtpToPhone >= n);
    assert.equal(statsB.droppedForeign, 0);
    assert.equal(statsA.droppedUnknownPt, 0);
    await hangUp(sip, sipp);
    const bye = await agentSip.request('BYE');
    assert.equal(bye.status, 200);
    assert.equal((await agent.done).code, 0);
  });

  test('RFC 2833 digits from sipp\'s dtmf pcaps are detected once each and never reach the other leg; digits sent to a leg arrive', async () => {
    const { call, legA, sip, sipp } = await sippCaller('sipp-dtmf', [pcap('dtmf_2833_1.pcap'), pcap('dtmf_2833_5.pcap'), pcap('dtmf_2833_pound.pcap')]);
    const { party, legB } = await partyLeg(call);
    await call.connect(legA, legB);
    const events: DtmfEvent[] = [];
    call.on('dtmf', (e) => {
      if (e.legId === legA) events.push({ digit: e.digit, durationMs: e.durationMs, source: e.source });
    });
    // The pcaps come from one capture: their RTP timestamps rise in the order 1, 5, #.
    for (const [i, digit] of [[1, '1'], [2, '5'], [3, '#']] as const) {
      const next = call.waitFor('dtmf', 10_000);
      await sip.request('INFO', [`Play: ${i}`]);
      const [e] = await next;
      assert.equal(e.digit, digit);
    }
    assert.deepEqual(events.map((e) => [e.digit, e.source]), [['1', 'rfc2833'], ['5', 'rfc2833'], ['#', 'rfc2833']]);
    assert.ok(events.every((e) => e.durationMs === 280), JSON.stringify(events));
    assert.equal(party.received.filter((r) => r.pt === 101).length, 0);
    // The other way: the box sends digits to the party's phone as telephone-event.
    const heard: string[] = [];
    const rx = new Rfc4733Receiver({ onDigit: (e) => heard.push(e.digit) });
    const from = party.mark();
    await call.sendDtmf(legB, '5#');
    for (const r of party.received.slice(from).filter((x) => x.pt === 101)) rx.onPacket(r.ts, false, r.payload, 0, r.payload.length, r.at);
    assert.deepEqual(heard, ['5', '#']);
    await hangUp(sip, sipp);
  });

  test('a caller that changes SSRC mid-call (a gateway switch-over) keeps audio flowing on one continuous stream', async () => {
    const switched = path.join(dataDir, 'g711a-new-ssrc.pcap');
    writePcapAsNewStream(G711A, switched, { ssrc: 0x5eed0001, seqOffset: 30_000, tsOffset: 123_456_789 });
    const { call, legA, sip, sipp } = await sippCaller('sipp-ssrc', [G711A, switched, pcap('dtmf_2833_1.pcap')]);
    const { party, legB } = await partyLeg(call);
    await call.connect(legA, legB);
    const changes: { from: number; to: number }[] = [];
    (call.leg(legA) as SipLeg).edgeLeg.on('ssrc-change', (e) => changes.push(e));
    await sip.request('INFO', ['Play: 1']);
    await party.until(60, 8);
    const mark = party.received.filter((r) => r.pt === 8).length;
    await sip.request('INFO', ['Play: 2']); // the same audio from a new SSRC, sequence and timestamp base
    await party.until(mark + 60, 8);
    const digit = call.waitFor('dtmf', 10_000);
    await sip.request('INFO', ['Play: 3']); // and digits from yet another SSRC are still detected
    assert.equal((await digit)[0].digit, '1');
    const got = party.received.filter((r) => r.pt === 8);
    assert.equal(new Set(got.map((r) => r.ssrc)).size, 1, 'one SSRC downstream');
    got.slice(1).forEach((r, i) => assert.equal(seqDelta(r.seq, got[i].seq), 1, `sequence continuous at ${i + 1}`));
    got.slice(1).forEach((r, i) => {
      const step = (r.ts - got[i].ts) >>> 0;
      assert.ok(step > 0 && step < 8000, `timestamp moves forward by the elapsed time at ${i + 1} (${step})`);
    });
    const afterSwitch = got.slice(mark).findIndex((r) => r.payload.equals(PCAP_AUDIO[0].payload));
    assert.ok(afterSwitch >= 0 && afterSwitch < 5, 'the new stream\'s first packets follow at once');
    assert.deepEqual(got.slice(mark + afterSwitch, mark + afterSwitch + 40).map((r) => r.payload.toString('hex')), PCAP_AUDIO.slice(0, 40).map((p) => p.payload.toString('hex')));
    assert.deepEqual(changes.map((c) => c.to), [0x5eed0001, 0x0e05384e]);
    await hangUp(sip, sipp);
  });

  test('the call recording is a stereo WAV: customer left where the caller spoke, agent right where the agent spoke, silence elsewhere', async () => {
    const { call, legA, sip, sipp } = await sippCaller('sipp-rec', [G711A, G711A, G711A]);
    const { party, legB } = await partyLeg(call);
    await call.connect(legA, legB);
    const { path: file } = await call.startRecording();
    assert.equal(path.dirname(file), path.join(dataDir, 'recordings'));
    await sip.request('INFO', ['Play: 1']);
    await party.until(PCAP_AUDIO.length, 8); // the caller has finished speaking
    const before = (await (call.leg(legA) as SipLeg).edgeLeg.getStats()).rtpToPhone;
    const agentPort = (call.leg(legB) as SipLeg).edgeLeg.localPort;
    await party.sendTone(agentPort, 0, 300); // the agent's phone sends silence, then the agent speaks
    await party.sendTone(agentPort, 1000, 1000);
    await statsWhen(call, legA, (s) => s.rtpToPhone >= before + 65);
    const info = await call.stopRecording();
    assert.ok(info && info.channels === 2 && info.path === file);
    const { info: wav, data } = readWav(await readFile(file));
    assert.equal(wav.channels, 2);
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.format, 'pcm16');
    const [left, right] = deinterleave(pcmFromBytesLE(data));
    assert.ok(Math.abs(left.length / 8 - info.durationMs) < 50);
    assert.ok(info.durationMs > 7500, `duration ${info.durationMs}`);
    const win = 800;
    const windows = Math.floor(left.length / win);
    let customerWindows = 0;
    let agentWindows = 0;
    for (let w = 0; w < windows; w++) {
      const l = rms(left, w * win, (w + 1) * win);
      const r = rms(right, w * win, (w + 1) * win);
      if (l > 1000) {
        customerWindows++;
        assert.ok(r < 30, `window ${w}: the agent was silent while the caller spoke (right rms ${r})`);
      }
      if (r > 1000) {
        agentWindows++;
        assert.ok(l < 30, `window ${w}: the caller was silent while the agent spoke (left rms ${l})`);
        if (r > 3500) {
          const [tone, other] = toneLevels(right.subarray(w * win, (w + 1) * win), [1000, 1400]);
          assert.ok(tone > 5000 && other < 300, `the agent's 1 kHz tone on the right (${tone}, ${other})`);
        }
      }
    }
    assert.ok(customerWindows >= 20, `caller speech on the left in ${customerWindows} windows`);
    assert.ok(agentWindows >= 8 && agentWindows <= 11, `agent tone on the right in ${agentWindows} windows`);
    assert.ok(rms(left, 0, 4000) < 30 && rms(right, 0, 4000) < 30, 'silence before anyone spoke');
    await hangUp(sip, sipp);
  });
});
