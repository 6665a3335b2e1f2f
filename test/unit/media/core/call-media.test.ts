// CallMedia over real UDP, a real RTP edge and a real mediasoup worker: prompts, DTMF from RTP
// and SIP INFO, hold, re-INVITE, recording, dead media, and a leg of another kind plugged in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { types as ms } from 'mediasoup';
import {
  startMedia, type CallMedia, type LegConsumer, type MediaCoreService, type MediaLeg, type SipLeg,
} from '../../../../src/media/core/index.ts';
import { buildRtp, encodeG711, readWav, pcmFromBytesLE, deinterleave } from '../../../../src/media/codec/index.ts';
import { generateRfc4733, writeTelephoneEvent } from '../../../../src/media/dtmf/index.ts';
import { buildOffer, parseSdp, serializeSdp } from '../../../../src/sip/core/index.ts';
import { CcboxError, createLogger, loadConfig } from '../../../../src/platform/index.ts';
import { EspeakTtsProvider } from '../../../../src/media/tts/index.ts';
import type { LegStats } from '../../../../src/media/edge/index.ts';
import { RtpParty, rms, toneLevels } from '../../../helpers/sipp-media.ts';

function phoneSdp(port: number, opts: { codec?: 'PCMA' | 'PCMU'; direction?: 'sendrecv' | 'sendonly' | 'inactive'; version?: string } = {}): string {
  return serializeSdp(buildOffer({ address: '127.0.0.1', port, codecs: [opts.codec ?? 'PCMA'], direction: opts.direction, origin: { sessionId: '5', sessionVersion: opts.version ?? '1' } }));
}

function toneFrames(freq: number, ms: number, law: 'pcma' | 'pcmu' = 'pcma'): Uint8Array[] {
  const n = Math.round(ms / 20);
  const pcm = Int16Array.from({ length: n * 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000)));
  const coded = encodeG711(law, pcm);
  return Array.from({ length: n }, (_, k) => coded.subarray(k * 160, (k + 1) * 160));
}

const portOf = (call: CallMedia, legId: string): number => (call.leg(legId) as SipLeg).edgeLeg.localPort;

/** Polls a leg's edge counters (each poll is a round trip to the edge thread) until `ok`. */
async function statsWhen(call: CallMedia, legId: string, ok: (s: LegStats) => boolean, limitMs = 10_000): Promise<LegStats> {
  const leg = call.leg(legId) as SipLeg;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await leg.edgeLeg.getStats();
    if (ok(s)) return s;
    if (Date.now() > deadline) assert.fail(`stats of ${legId} never matched: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('CallMedia', { timeout: 60_000 }, () => {
  let media: MediaCoreService;
  let dataDir: string;
  const parties: RtpParty[] = [];
  let n = 0;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccbox-callmedia-'));
    const config = loadConfig({}, {
      dataDir, mediaWorkers: 1, mediaEdgeWorkers: 1, mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1',
      mediaEdgePortMin: 45000, mediaEdgePortMax: 45499, mediaRtcPortMin: 48200, mediaRtcPortMax: 48599, mediaDeadMs: 700,
    });
    media = await startMedia({ config, log: createLogger({ level: process.env.CCBOX_TEST_LOG ?? 'silent' }), tts: new EspeakTtsProvider({ cacheDir: path.join(dataDir, 'tts') }) });
  });
  after(async () => {
    for (const p of parties) p.close();
    await media.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function party(): Promise<RtpParty> {
    const p = await RtpParty.open();
    parties.push(p);
    return p;
  }

  /** A call with a customer (calling in) and an agent (called out), connected. */
  async function twoPartyCall(opts: { agentCodec?: 'PCMA' | 'PCMU'; connect?: boolean } = {}) {
    const call = await media.createCall(`call-${++n}`);
    const customer = await party();
    const agent = await party();
    const c = await call.createSipLeg({ offer: phoneSdp(customer.port) });
    const a = await call.createSipLeg({ offer: null });
    await call.updateSipLeg(a.legId, phoneSdp(agent.port, { codec: opts.agentCodec }));
    if (opts.connect !== false) await call.connect(c.legId, a.legId);
    return { call, customer, agent, c: c.legId, a: a.legId };
  }

  test('a prompt plays into one leg; a SIP INFO digit interrupts it and joins the DTMF stream', async () => {
    const { call, customer, c } = await twoPartyCall();
    const done = await call.play(c, { kind: 'frames', frames: toneFrames(700, 400), law: 'pcma' });
    assert.deepEqual(done, { reason: 'finished', frames: 20 });
    await customer.until(20, 8);
    assert.ok(toneLevels(customer.heard(2, 18).pcm, [700])[0] > 4000);

    const events: unknown[] = [];
    call.on('dtmf', (e) => events.push(e));
    const playing = call.play(c, { kind: 'frames', frames: toneFrames(700, 5000), law: 'pcma' }, { interruptDigits: ['5', '#'] });
    await customer.until(customer.received.length + 3, 8);
    call.injectSipInfoDtmf(c, '1'); // not an interrupt digit: reported, prompt goes on
    call.injectSipInfoDtmf(c, '#');
    const r = await playing;
    assert.equal(r.reason, 'interrupted');
    assert.equal(r.interruptedBy, '#');
    assert.ok(r.frames < 100);
    assert.deepEqual(events, [
      { legId: c, digit: '1', durationMs: 100, source: 'info' }, { legId: c, digit: '#', durationMs: 100, source: 'info' },
    ]);
    assert.throws(() => call.injectSipInfoDtmf(c, 'x'), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
    await call.close('done');
  });

  test('an RFC 2833 digit from the phone interrupts a prompt (barge-in) and is reported once', async () => {
    const { call, customer, c } = await twoPartyCall();
    const digits: string[] = [];
    call.on('dtmf', (e) => digits.push(`${e.digit}/${e.source}`));
    const playing = call.play(c, { kind: 'frames', frames: toneFrames(700, 5000), law: 'pcma' });
    await customer.until(3, 8);
    let seq = 100;
    for (const p of generateRfc4733({ digit: '7', durationMs: 100 })) {
      const payload = new Uint8Array(4);
      writeTelephoneEvent(payload, 0, p);
      customer.socket.send(buildRtp({ payloadType: 101, sequenceNumber: seq++, timestamp: 8000, ssrc: customer.ssrc, marker: p.marker }, payload), portOf(call, c), '127.0.0.1');
    }
    const r = await playing;
    assert.deepEqual([r.reason, r.interruptedBy], ['interrupted', '7']);
    await call.waitFor('dtmf');
    assert.deepEqual(digits, ['7/rfc2833']);
    await call.close('done');
  });

  test('a prompt mixed over the conversation, or alone (the relay muted while it plays)', async () => {
    const { call, customer, agent, c, a } = await twoPartyCall();
    const talk = agent.talk(portOf(call, a), 1100);
    try {
      await customer.until(20, 8);
      const mixed = call.play(c, { kind: 'frames', frames: toneFrames(700, 1000), law: 'pcma' }, { mixWithCall: true });
      let mark = customer.mark();
      await customer.until(mark + 30, 8);
      let [prompt, voice] = toneLevels(customer.heard(mark + 8, mark + 30).pcm, [700, 1100]);
      assert.ok(prompt > 3000 && voice > 3000, `mixed: prompt ${prompt}, agent ${voice}`);
      await mixed;
      const alone = call.play(c, { kind: 'frames', frames: toneFrames(700, 1000), law: 'pcma' });
      mark = customer.mark();
      await customer.until(mark + 30, 8);
      [prompt, voice] = toneLevels(customer.heard(mark + 8, mark + 30).pcm, [700, 1100]);
      assert.ok(prompt > 4000 && voice < 200, `alone: prompt ${prompt}, agent ${voice}`);
      await alone;
    } finally {
      await talk.stop();
    }
    await call.close('done');
  });

  test('a TTS prompt (espeak-ng, ${variables}) is heard by the caller', async () => {
    const { call, customer, c } = await twoPartyCall({ connect: false });
    const r = await call.play(c, { kind: 'tts', text: '您前面还有${WaitNo}位', voice: 'cmn', variables: { WaitNo: 3 } });
    assert.equal(r.reason, 'finished');
    await customer.until(r.frames, 8);
    assert.ok(r.frames > 40, `frames ${r.frames}`);
    assert.ok(rms(customer.heard().pcm) > 300);
    await call.close('done');
  });

  test('a prompt stopped while it is still loading (TTS being rendered) never starts', async () => {
    const { call, customer, c } = await twoPartyCall({ connect: false });
    const before = (await (call.leg(c) as SipLeg).edgeLeg.getStats()).rtpToPhone;
    // Looping, like hold music: were it to start after the stop, it would play until the call ends.
    const playing = call.play(c, { kind: 'tts', text: '请稍候，正在为您接通。${n}', voice: 'cmn', variables: { n: Date.now() } }, { loop: true });
    await call.stopPlay(c);
    const r = await playing;
    assert.deepEqual([r.reason, r.frames], ['stopped', 0]);
    await new Promise((res) => setTimeout(res, 300));
    assert.equal((await (call.leg(c) as SipLeg).edgeLeg.getStats()).rtpToPhone, before, 'nothing was sent to the caller');
    assert.equal(customer.heard().pcm.length, 0);
    await call.close('done');
  });

  test('hold: the held caller hears music and is not heard; resume restores both directions', async () => {
    const { call, customer, agent, c, a } = await twoPartyCall();
    const cTalk = customer.talk(portOf(call, c), 450);
    const aTalk = agent.talk(portOf(call, a), 1100);
    try {
      await agent.until(20, 8);
      await call.hold(c, true, { music: { kind: 'frames', frames: toneFrames(700, 200), law: 'pcma' } });
      const cMark = customer.mark();
      const aMark = agent.mark();
      await customer.until(cMark + 30, 8);
      const [music, agentVoice] = toneLevels(customer.heard(cMark + 8, cMark + 30).pcm, [700, 1100]);
      assert.ok(music > 3000 && agentVoice < 200, `held caller hears music ${music}, agent ${agentVoice}`);
      assert.ok(agent.received.length - aMark <= 5, 'the agent no longer hears the held caller');
      await call.hold(c, false);
      const back = customer.mark();
      const aBack = agent.mark();
      await customer.until(back + 30, 8);
      await agent.until(aBack + 30, 8);
      assert.ok(toneLevels(customer.heard(back + 8, back + 30).pcm, [1100])[0] > 3000);
      assert.ok(toneLevels(agent.heard(aBack + 8, aBack + 30).pcm, [450])[0] > 3000);
    } finally {
      await Promise.all([cTalk.stop(), aTalk.stop()]);
    }
    await call.close('done');
  });

  test('two SIP legs that only hear each other relay directly in the edge; mute and a listener take the router path, and back', async () => {
    const { call, customer, agent, c, a } = await twoPartyCall();
    const cLeg = call.leg(c) as SipLeg;
    const aLeg = call.leg(a) as SipLeg;
    assert.equal(cLeg.edgeLeg.thread, aLeg.edgeLeg.thread, 'the legs of a call share an edge thread');
    const stats = async () => ({ c: await cLeg.edgeLeg.getStats(), a: await aLeg.edgeLeg.getStats() });
    /** Both directions move on the expected path for a while (polls are round trips to the edge thread). */
    const flowsOn = async (path: 'peer' | 'router'): Promise<void> => {
      const field = path === 'peer' ? 'rtpToPeer' : 'rtpToRouter';
      const other = path === 'peer' ? 'rtpToRouter' : 'rtpToPeer';
      const deadline = Date.now() + 10_000;
      let from = await stats();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100)); // let a few 20 ms packets cross
        const now = await stats();
        if (now.c[field] - from.c[field] >= 3 && now.a[field] - from.a[field] >= 3 && now.c[other] === from.c[other] && now.a[other] === from.a[other]) return;
        assert.ok(Date.now() < deadline, `never only on the ${path} path: ${JSON.stringify(now)}`);
        from = now;
      }
    };
    const hears = async (p: typeof customer, freq: number): Promise<number> => {
      const mark = p.mark();
      await p.until(mark + 25, 8);
      return toneLevels(p.heard(mark + 5, mark + 25).pcm, [freq])[0];
    };
    const cTalk = customer.talk(portOf(call, c), 450);
    const aTalk = agent.talk(portOf(call, a), 1100);
    try {
      await flowsOn('peer');
      assert.ok(await hears(agent, 450) > 3000 && await hears(customer, 1100) > 3000, 'both hear each other, relayed directly');

      // Mute (what the call side does: pause the agent's producer): the router drops it.
      await call.setMuted(a, true);
      const muted = await statsWhen(call, a, (s) => s.rtpToRouter >= 3);
      const heardBefore = (await cLeg.edgeLeg.getStats()).rtpToPhone;
      await statsWhen(call, a, (s) => s.rtpToRouter >= muted.rtpToRouter + 20); // 400 ms of the agent talking
      assert.ok((await cLeg.edgeLeg.getStats()).rtpToPhone - heardBefore <= 2, 'the muted agent is not heard');
      await call.setMuted(a, false);
      await flowsOn('peer');
      assert.ok(await hears(customer, 1100) > 3000, 'heard again after unmute');

      // A supervisor listens: mediasoup must consume both producers, so the pair goes back to the router.
      const sup = await party();
      const s = await call.createSipLeg({ offer: null, role: 'supervisor' });
      await call.updateSipLeg(s.legId, phoneSdp(sup.port));
      await call.listen(s.legId, { customer: c, agent: a });
      await flowsOn('router');
      await sup.until(40, 8);
      const [hc, ha] = toneLevels(sup.heard(sup.mark() - 25).pcm, [450, 1100]);
      assert.ok(hc > 1500 && ha > 1500, `the listener hears both (${hc}, ${ha})`);
      assert.ok(await hears(agent, 450) > 3000 && await hears(customer, 1100) > 3000, 'the conversation goes on');
      await call.removeLeg(s.legId);
      await flowsOn('peer');
    } finally {
      await Promise.all([cTalk.stop(), aTalk.stop()]);
    }
    // Every switch was seamless for the phones: one stream, sequence numbers without jumps.
    for (const p of [customer, agent]) {
      const rx = p.received.filter((r) => r.pt === 8);
      assert.ok(rx.every((r) => r.ssrc === rx[0].ssrc), 'one SSRC towards the phone');
      for (let i = 1; i < rx.length; i++) {
        const d = (rx[i].seq - rx[i - 1].seq) & 0xffff;
        assert.ok(d >= 1 && d <= 3, `sequence step ${d} at ${i}`);
      }
    }
    await call.close('done');
  });

  test('re-INVITE: the phone moves to a new port and holds; our own re-offer and its answer', async () => {
    const { call, customer, agent, c, a } = await twoPartyCall({ agentCodec: 'PCMU' });
    assert.equal(call.law, 'pcma');
    await customer.sendTone(portOf(call, c), 450, 200);
    await agent.until(8, 0); // the agent speaks µ-law: the edge converts
    const moved = await party();
    const r = await call.updateSipLeg(a, phoneSdp(moved.port, { codec: 'PCMU', version: '2' }));
    assert.equal(r.held, false);
    assert.match(r.answer!, new RegExp(`m=audio ${portOf(call, a)} RTP/AVP 0 101`));
    await customer.sendTone(portOf(call, c), 450, 200);
    await moved.until(8, 0);
    const held = await call.updateSipLeg(a, phoneSdp(moved.port, { codec: 'PCMU', direction: 'sendonly', version: '3' }));
    assert.equal(held.held, true);
    assert.match(held.answer!, /a=recvonly/);
    const offer = await call.reofferSipLeg(c, { hold: true });
    assert.match(offer, /a=sendonly/);
    const answered = await call.updateSipLeg(c, phoneSdp(customer.port, { direction: 'inactive', version: '2' }));
    assert.deepEqual(answered, { answer: null, held: true });
    await call.close('done');
  });

  test('voicemail records one leg mono; a paused call recording holds silence', async () => {
    const { call, customer, agent, c, a } = await twoPartyCall();
    const vm = await call.startRecording({ legId: c, channels: 1 });
    assert.match(vm.path, /voicemail\.wav$/);
    await customer.sendTone(portOf(call, c), 450, 600);
    await agent.until(25, 8);
    const info = await call.stopRecording();
    assert.equal(info?.channels, 1);
    const mono = readWav(await readFile(vm.path));
    assert.equal(mono.info.channels, 1);
    assert.ok(rms(pcmFromBytesLE(mono.data)) > 2000);

    const rec = await call.startRecording();
    await customer.sendTone(portOf(call, c), 450, 300);
    await call.pauseRecording(); // e.g. while the caller reads a card number
    await customer.sendTone(portOf(call, c), 450, 600);
    await call.resumeRecording();
    await customer.sendTone(portOf(call, c), 450, 300);
    await agent.until(30 + 60, 8); // everything the caller said has crossed the leg
    const result = await call.close('caller hung up');
    assert.equal(result?.path, rec.path);
    const [left] = deinterleave(pcmFromBytesLE(readWav(await readFile(rec.path)).data));
    let loud = 0;
    let quietRun = 0;
    let longestQuiet = 0;
    for (let w = 0; w + 400 <= left.length; w += 400) {
      const r = rms(left, w, w + 400);
      if (r > 2000) loud++;
      quietRun = r < 20 ? quietRun + 1 : 0;
      longestQuiet = Math.max(longestQuiet, quietRun);
    }
    assert.ok(loud >= 10 && loud <= 14, `the unpaused 600 ms are in (${loud} × 50 ms)`);
    assert.ok(longestQuiet >= 9, `the paused 600 ms are silence (${longestQuiet} × 50 ms)`);
  });

  test('dead media: a silent leg raises leg-dead, and leg-alive when RTP comes back', async () => {
    const { call, customer, c } = await twoPartyCall({ connect: false });
    const next = <K extends 'leg-dead' | 'leg-alive'>(name: K) => new Promise<{ legId: string; silentMs?: number }>((resolve) => {
      const fn = (e: { legId: string; silentMs?: number }): void => {
        if (e.legId !== c) return;
        call.off(name, fn);
        resolve(e);
      };
      call.on(name, fn);
    });
    const dead = next('leg-dead');
    await customer.sendTone(portOf(call, c), 450, 100);
    assert.ok((await dead).silentMs! >= 700);
    const alive = next('leg-alive');
    await customer.sendTone(portOf(call, c), 450, 100);
    await alive;
    await call.close('done');
  });

  test('a leg of another kind plugs in through MediaLeg (a producer on the router, consume for what it hears)', async () => {
    const { call, customer, c } = await twoPartyCall({ connect: false });
    // Alone (nothing on the router consumes it), the caller's audio is kept from the router.
    await customer.sendTone(portOf(call, c), 450, 100);
    const alone = await statsWhen(call, c, (s) => s.droppedUnconsumed >= 4);
    assert.equal(alone.rtpToRouter, 0);
    const leg = await directLeg(await call.ensureRouter(), media);
    call.addLeg(leg.leg);
    await call.connect(c, leg.leg.id);
    await customer.sendTone(portOf(call, c), 450, 300);
    await leg.until(10);
    assert.equal((await (call.leg(c) as SipLeg).edgeLeg.getStats()).rtpToPeer, 0, 'a browser-like leg hears the caller through the router');
    await leg.send(20);
    await customer.until(15, 8);
    await call.removeLeg(leg.leg.id);
    assert.ok(leg.closed());
    await call.close('done');
  });

  test('bad input changes nothing: G.729-only offers, unknown legs, a closed call', async () => {
    const call = await media.createCall(`call-${++n}`);
    const ports = media.edge.portsInUse;
    const g729 = phoneSdp(5000).replace('RTP/AVP 8 101', 'RTP/AVP 18').replace('a=rtpmap:8 PCMA/8000', 'a=rtpmap:18 G729/8000');
    await assert.rejects(call.createSipLeg({ offer: g729 }), (e: CcboxError) => e.code === 'CCBOX_ERR_VALIDATION');
    assert.equal(media.edge.portsInUse, ports, 'no port pair left behind');
    await assert.rejects(call.connect('nope', 'nada'), (e: CcboxError) => e.code === 'CCBOX_ERR_NOT_FOUND');
    await assert.rejects(media.createCall(call.callId), (e: CcboxError) => e.code === 'CCBOX_ERR_CONFLICT');
    const leg = await call.createSipLeg({ offer: null });
    assert.equal(parseSdp(leg.sdp).media[0].port % 2, 0);
    assert.equal(media.edge.portsInUse, ports + 1);
    await call.close('done');
    assert.equal(media.edge.portsInUse, ports);
    assert.equal(media.pool.routerOf(call.callId), undefined, 'no router left (none was needed)');
    assert.equal(media.call(call.callId), undefined);
    await assert.rejects(call.createSipLeg({ offer: null }), (e: CcboxError) => e.code === 'CCBOX_ERR_CONFLICT');
    assert.equal(await call.close('again'), null);
  });
});

/**
 * A stand-in for a WebRTC leg: a comedia PlainTransport on the call's router carrying a
 * producer, and consumers on the same transport. The real WebRTC leg (src/media/webrtc)
 * implements the same MediaLeg contract over piped transports.
 */
async function directLeg(router: ms.Router, media: MediaCoreService) {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  let got = 0;
  const waiters: (() => void)[] = [];
  sock.on('message', () => {
    got++;
    for (const w of waiters.splice(0)) w();
  });
  const transport = await router.createPlainTransport({ listenInfo: media.pool.listenInfo(), rtcpMux: true, comedia: false });
  await transport.connect({ ip: '127.0.0.1', port: sock.address().port });
  const producer = await transport.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/PCMA', payloadType: 8, clockRate: 8000 }], encodings: [{ ssrc: 4242 }] } });
  let closed = false;
  const closers: (() => void)[] = [];
  const leg: MediaLeg = {
    id: 'browser-1001', kind: 'webrtc', role: 'agent', producer,
    async consume(p: ms.Producer): Promise<LegConsumer> {
      const consumer = await transport.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities as ms.RtpCapabilities });
      return { producerId: p.id, pause: () => consumer.pause(), resume: () => consumer.resume(), close: () => consumer.close() };
    },
    setMixing: async () => undefined, // a browser plays several tracks itself
    setHold: async () => undefined,
    async close() {
      closed = true;
      transport.close();
      sock.close();
      for (const fn of closers.splice(0)) fn();
    },
    onClosed: (fn) => void closers.push(fn),
  };
  return {
    leg,
    closed: () => closed,
    until: (count: number) => new Promise<void>((resolve) => {
      const check = (): void => (got >= count ? resolve() : void waiters.push(check));
      check();
    }),
    async send(frames: number) {
      for (let i = 0; i < frames; i++) {
        const pkt = buildRtp({ payloadType: 8, sequenceNumber: i, timestamp: i * 160, ssrc: 4242 }, new Uint8Array(160).fill(0x55));
        await new Promise<void>((r) => sock.send(pkt, transport.tuple.localPort, '127.0.0.1', () => r()));
        await new Promise((r) => setTimeout(r, 20)); // a phone's packet clock
      }
    },
  };
}
