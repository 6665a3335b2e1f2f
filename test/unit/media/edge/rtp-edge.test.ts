import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as pace } from 'node:timers/promises';
import { RtpEdge, type CreateLegOptions, type RtpEdgeLeg, type LegStats } from '../../../../src/media/edge/index.ts';
import {
  ALAW_TO_ULAW, ULAW_TO_ALAW, encodeG711, decodeG711, readWav, pcmFromBytesLE, deinterleave, meanSquare, seqDelta,
} from '../../../../src/media/codec/index.ts';
import {
  generateRfc4733, writeTelephoneEvent, Rfc4733Receiver, InbandDtmfDetector, generateDtmfTone, type DtmfEvent, type DtmfDigit,
} from '../../../../src/media/dtmf/index.ts';
import { UdpPeer, type Received } from './udp-peer.ts';

const PRODUCER_SSRC = 0x11223344;
const PHONE_SSRC = 0x55667788;

function toneFrames(freq: number, count: number, law: 'pcma' | 'pcmu'): Uint8Array[] {
  const pcm = Int16Array.from({ length: count * 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / 8000)));
  const coded = encodeG711(law, pcm);
  return Array.from({ length: count }, (_, k) => coded.subarray(k * 160, (k + 1) * 160));
}

function dtmfPayloads(digit: DtmfDigit): { marker: boolean; payload: Uint8Array }[] {
  return generateRfc4733({ digit, durationMs: 100 }).map((p) => {
    const payload = new Uint8Array(4);
    writeTelephoneEvent(payload, 0, p);
    return { marker: p.marker, payload };
  });
}

/** Polls the worker's counters (each poll is a message round trip, not a sleep). */
async function statsWhen(leg: RtpEdgeLeg, ok: (s: LegStats) => boolean, limitMs = 5000): Promise<LegStats> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await leg.getStats();
    if (ok(s)) return s;
    if (Date.now() > deadline) assert.fail(`stats never matched: ${JSON.stringify(s)}`);
    await new Promise((r) => setImmediate(r));
  }
}

const isPt = (pt: number) => (r: Received): boolean => r.header?.payloadType === pt;

describe('RTP edge over real UDP on 127.0.0.1', { timeout: 30_000 }, () => {
  let edge: RtpEdge;
  const peers: UdpPeer[] = [];
  const legs: RtpEdgeLeg[] = [];

  before(async () => {
    edge = await RtpEdge.start({ workers: 2, portRange: { min: 41000, max: 41899 }, bindAddress: '127.0.0.1', requestTimeoutMs: 3000 });
  });
  after(async () => {
    for (const p of peers) p.close();
    await edge.close();
  });

  async function peer(): Promise<UdpPeer> {
    const p = await UdpPeer.open();
    peers.push(p);
    return p;
  }

  async function setup(over: Partial<CreateLegOptions> = {}) {
    const phone = await peer();
    const router = await peer();
    const leg = await edge.createLeg({
      router: { law: 'pcmu', payloadType: 0 },
      media: { law: 'pcma', audioPt: 8, telephoneEventPt: 101 },
      remote: { address: '127.0.0.1', port: phone.port },
      relay: { address: '127.0.0.1', port: router.port },
      producerSsrc: PRODUCER_SSRC, phoneSsrc: PHONE_SSRC,
      ...over,
    });
    legs.push(leg);
    return { phone, router, leg };
  }

  test('phone → router: fixed SSRC, continuous sequence across an SSRC change, A-law → µ-law', async () => {
    const { phone, router, leg } = await setup();
    const changes: unknown[] = [];
    leg.on('ssrc-change', (e) => changes.push(e));
    assert.ok(leg.localPort >= 41000 && leg.localPort <= 41899 && leg.localPort % 2 === 0);
    assert.equal(leg.localRtcpPort, leg.localPort + 1);
    const frames = toneFrames(440, 10, 'pcma');
    for (let i = 0; i < 10; i++) {
      const first = i < 5;
      await phone.sendRtp(leg.localPort, {
        pt: 8, ssrc: first ? 0xaaaa0001 : 0xbbbb0002, marker: i === 0 || i === 5,
        seq: first ? 65533 + i : 7 + i, ts: first ? 50_000 + i * 160 : 999 + i * 160,
      }, frames[i]);
      await router.count(i + 1);
      await pace(20); // a phone's packet clock, not synchronization
    }
    const got = router.received.map((r) => r.header!);
    assert.ok(got.every((h) => h.ssrc === PRODUCER_SSRC && h.payloadType === 0));
    got.slice(1).forEach((h, i) => assert.equal(seqDelta(h.sequenceNumber, got[i].sequenceNumber), 1, `seq at ${i + 1}`));
    for (const i of [1, 2, 3, 4, 6, 7, 8, 9]) assert.equal((got[i].timestamp - got[i - 1].timestamp) >>> 0, 160);
    const jump = (got[5].timestamp - got[4].timestamp) >>> 0;
    assert.ok(jump >= 160 && jump < 2400, `timestamp continues by elapsed time (${jump})`);
    assert.deepEqual(got.map((h) => h.marker), [true, false, false, false, false, true, false, false, false, false]);
    router.received.forEach((r, i) => assert.deepEqual([...r.payload], [...frames[i]].map((a) => ALAW_TO_ULAW[a])));
    assert.deepEqual(changes, [{ from: 0xaaaa0001, to: 0xbbbb0002 }]);
  });

  test('telephone-event is lifted out: one dtmf event per digit, nothing forwarded', async () => {
    const { phone, router, leg } = await setup({ media: { law: 'pcma', audioPt: 8, telephoneEventPt: 101 } });
    const events: DtmfEvent[] = [];
    leg.on('dtmf', (e) => events.push(e));
    const send = async (digit: DtmfDigit, ts: number, seq0: number): Promise<void> => {
      let seq = seq0;
      for (const p of dtmfPayloads(digit)) await phone.sendRtp(leg.localPort, { pt: 101, seq: seq++, ts, ssrc: 7, marker: p.marker }, p.payload);
    };
    const first = leg.waitFor('dtmf', 5000);
    await send('5', 8000, 1);
    await first;
    const second = leg.waitFor('dtmf', 5000);
    await send('#', 16000, 20);
    await second;
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 40, ts: 24000, ssrc: 7 }, new Uint8Array(160).fill(0xd5));
    await router.next();
    assert.deepEqual(events, [
      { digit: '5', durationMs: 100, source: 'rfc2833' }, { digit: '#', durationMs: 100, source: 'rfc2833' },
    ]);
    assert.deepEqual(router.received.map((r) => r.header?.payloadType), [0]);
    assert.equal((await leg.getStats()).dtmfPacketsIn, 14);
  });

  test('RTP Bleed: packets from a foreign address are dropped and counted', async () => {
    const { phone, router, leg } = await setup();
    const attacker = await peer();
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 1, ts: 160, ssrc: 1 }, new Uint8Array(160).fill(1));
    await router.next();
    for (let i = 0; i < 5; i++) await attacker.sendRtp(leg.localPort, { pt: 8, seq: 100 + i, ts: 0, ssrc: 666 }, new Uint8Array(160).fill(0x66));
    await attacker.send(Buffer.from([0x80, 200, 0, 1, 0, 0, 0, 1]), leg.localRtcpPort + 0);
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 2, ts: 320, ssrc: 1 }, new Uint8Array(160).fill(2));
    await router.count(2);
    const sr = Buffer.alloc(28);
    sr[0] = 0x80; sr[1] = 200; sr.writeUInt16BE(6, 2); sr.writeUInt32BE(1, 4);
    // RTCP must come from the phone's RTP port + 1 (strict mode) or, multiplexed, from its RTP
    // port: the first is refused here (the phone socket is not at P + 1), the second accepted.
    await phone.send(sr, leg.localRtcpPort);
    await phone.send(sr, leg.localPort);
    const stats = await statsWhen(leg, (s) => s.droppedForeign === 7 && s.rtcpIn === 1);
    assert.equal(router.received.length, 2);
    assert.ok(router.received.every((r) => r.header!.ssrc === PRODUCER_SSRC && r.payload[0] !== ALAW_TO_ULAW[0x66]));
    assert.equal(stats.rtpIn, 2);
    assert.equal(stats.remoteSsrc, 1);
  });

  test('periodic stats events', async () => {
    const { phone, leg } = await setup({ statsIntervalMs: 50 });
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 1, ts: 0, ssrc: 77 }, new Uint8Array(160));
    for (;;) {
      const [stats] = await leg.waitFor('stats', 5000);
      if (stats.rtpIn === 0) continue;
      assert.equal(stats.remoteSsrc, 77);
      assert.equal(stats.rtpToRouter, 1);
      break;
    }
  });

  test('NAT: latch on the first source after the answer, then refuse others', async () => {
    const { phone, router, leg } = await setup({ remote: { address: '127.0.0.1', port: 9, latch: true }, latchWindowMs: 10_000 });
    const latched = leg.waitFor('latched', 5000);
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 1, ts: 0, ssrc: 9 }, new Uint8Array(160));
    assert.deepEqual(await latched, [{ address: '127.0.0.1', port: phone.port }]);
    await router.next();
    const attacker = await peer();
    await attacker.sendRtp(leg.localPort, { pt: 8, seq: 2, ts: 160, ssrc: 9 }, new Uint8Array(160));
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 3, ts: 320, ssrc: 9 }, new Uint8Array(160));
    await router.count(2);
    assert.equal(router.received.length, 2);
    assert.equal((await statsWhen(leg, (s) => s.droppedForeign === 1)).latched?.port, phone.port);
    // The return path follows the latched address, not the one in the SDP.
    await router.sendRtp(leg.relayPort, { pt: 0, seq: 1, ts: 0, ssrc: 42 }, new Uint8Array(160).fill(0xff));
    await phone.next((r) => r.header?.payloadType === 8);
  });

  test('router → phone: leg SSRC and PT, µ-law → A-law, seamless across consumer changes; foreign relay dropped', async () => {
    const { phone, router, leg } = await setup();
    const attacker = await peer();
    const frames = toneFrames(700, 6, 'pcmu');
    for (let i = 0; i < 6; i++) {
      if (i === 3) await attacker.sendRtp(leg.relayPort, { pt: 0, seq: 9, ts: 9, ssrc: 9 }, new Uint8Array(160));
      await router.sendRtp(leg.relayPort, { pt: 0, seq: i < 3 ? 100 + i : 5000 + i, ts: i < 3 ? i * 160 : 77_777 + i * 160, ssrc: i < 3 ? 1 : 2 }, frames[i]);
      await phone.count(i + 1);
    }
    const got = phone.received.map((r) => r.header!);
    assert.ok(got.every((h) => h.ssrc === PHONE_SSRC && h.payloadType === 8));
    got.slice(1).forEach((h, i) => assert.equal(seqDelta(h.sequenceNumber, got[i].sequenceNumber), 1));
    phone.received.forEach((r, i) => assert.deepEqual([...r.payload], [...frames[i]].map((u) => ULAW_TO_ALAW[u])));
    assert.equal((await statsWhen(leg, (s) => s.droppedFromRouter === 1)).rtpToPhone, 6);
  });

  test('direct relay: two legs of one call relay in their thread (no router hop), then back to the router seamlessly', async () => {
    // The call speaks A-law on the router; phone A A-law, phone B µ-law (the edge converts).
    const a = await setup({ group: 'call-direct', router: { law: 'pcma', payloadType: 8 }, media: { law: 'pcma', audioPt: 8, telephoneEventPt: 101 } });
    const b = await setup({
      group: 'call-direct', router: { law: 'pcma', payloadType: 8 }, media: { law: 'pcmu', audioPt: 0, telephoneEventPt: 101 },
      producerSsrc: 0x0badcafe, phoneSsrc: 0x0b0b0b0b,
    });
    assert.equal(a.leg.thread, b.leg.thread, 'legs of one group share a thread');
    assert.equal(await a.leg.setDirect(b.leg.id), true);
    const frames = toneFrames(600, 8, 'pcma');
    for (let i = 0; i < 5; i++) {
      await a.phone.sendRtp(a.leg.localPort, { pt: 8, ssrc: 0xabc, seq: 1000 + i, ts: 160 * i }, frames[i]);
      await b.phone.count(i + 1);
    }
    // A's RFC 4733 digits are still lifted out at A, never relayed.
    const digit = a.leg.waitFor('dtmf', 5000);
    let seq = 1005;
    for (const p of dtmfPayloads('9')) await a.phone.sendRtp(a.leg.localPort, { pt: 101, seq: seq++, ts: 800, ssrc: 0xabc, marker: p.marker }, p.payload);
    assert.deepEqual((await digit)[0].digit, '9');
    assert.equal(a.router.received.length, 0, 'nothing went through the router');
    const direct = b.phone.received.map((r) => r.header!);
    assert.ok(direct.every((h) => h.ssrc === 0x0b0b0b0b && h.payloadType === 0), 'B hears its own stream: its SSRC and payload type');
    direct.slice(1).forEach((h, i) => assert.equal(seqDelta(h.sequenceNumber, direct[i].sequenceNumber), 1));
    b.phone.received.forEach((r, i) => assert.deepEqual([...r.payload], [...frames[i]].map((x) => ALAW_TO_ULAW[x])));
    const sa = await a.leg.getStats();
    assert.equal(sa.rtpToPeer, 5);
    assert.equal(sa.rtpToRouter, 0);

    // Back to the router: A's stream goes to its PlainTransport again, and what the router sends
    // B (another SSRC, other sequence numbers) continues B's stream without a jump.
    assert.equal(await a.leg.setDirect(null), true);
    await a.phone.sendRtp(a.leg.localPort, { pt: 8, ssrc: 0xabc, seq: 1100, ts: 16_000 }, frames[5]);
    const routed = await a.router.next();
    assert.equal(routed.header!.ssrc, PRODUCER_SSRC);
    for (let i = 6; i < 8; i++) {
      await b.router.sendRtp(b.leg.relayPort, { pt: 8, ssrc: 0x5eed, seq: 40_000 + i, ts: 9_999_999 + 160 * i }, frames[i]);
      await b.phone.count(i);
    }
    const all = b.phone.received.map((r) => r.header!);
    all.slice(1).forEach((h, i) => assert.equal(seqDelta(h.sequenceNumber, all[i].sequenceNumber), 1, `seq at ${i + 1}`));
    assert.ok(all.every((h) => h.ssrc === 0x0b0b0b0b));
    assert.deepEqual(all.map((h) => h.marker), [true, false, false, false, false, true, false], 'the marker flags each new source');
    const jump = (all[5].timestamp - all[4].timestamp) >>> 0;
    assert.ok(jump >= 160 && jump < 80_000, `the timestamp continues by elapsed time (${jump})`);
  });

  test('direct relay needs both legs on one thread; a closed target falls back to the router', async () => {
    const a = await setup({ group: 'call-x' });
    let other = await setup();
    for (let i = 0; other.leg.thread === a.leg.thread && i < 10; i++) other = await setup();
    assert.notEqual(other.leg.thread, a.leg.thread, 'a leg on the other thread');
    assert.equal(await a.leg.setDirect(other.leg.id), false, 'not on this thread: refused');
    assert.equal(await a.leg.setDirect('no-such-leg'), false);
    await a.phone.sendRtp(a.leg.localPort, { pt: 8, ssrc: 1, seq: 1, ts: 0 }, new Uint8Array(160));
    await a.router.next();

    const b = await setup({ group: 'call-x' });
    assert.equal(await a.leg.setDirect(b.leg.id), true);
    await a.phone.sendRtp(a.leg.localPort, { pt: 8, ssrc: 1, seq: 2, ts: 160 }, new Uint8Array(160));
    await b.phone.next();
    await b.leg.close();
    await a.phone.sendRtp(a.leg.localPort, { pt: 8, ssrc: 1, seq: 3, ts: 320 }, new Uint8Array(160));
    await a.router.count(2);
    const s = await a.leg.getStats();
    assert.deepEqual([s.rtpToRouter, s.rtpToPeer], [2, 1]);
  });

  test('sendDtmf: RFC 4733 towards the phone, or in-band tones when not negotiated', async () => {
    const { phone, leg } = await setup();
    await leg.sendDtmf('1#', { durationMs: 100, gapMs: 60 });
    const events = await phone.count(14, isPt(101));
    assert.equal(events.length, 14);
    assert.ok(events.every((r) => r.header!.ssrc === PHONE_SSRC));
    const digits: string[] = [];
    const rx = new Rfc4733Receiver({ onDigit: (e) => digits.push(`${e.digit}:${e.durationMs}`) });
    for (const r of events) rx.onPacket(r.header!.timestamp, r.header!.marker, r.data, r.header!.payloadOffset, r.header!.payloadLength, 0);
    assert.deepEqual(digits, ['1:100', '#:100']);
    assert.deepEqual(events.slice(0, 7).map((r) => r.header!.marker), [true, false, false, false, false, false, false]);
    assert.equal(new Set(events.slice(0, 7).map((r) => r.header!.timestamp)).size, 1);
    assert.equal(events.slice(0, 7).filter((r) => r.payload[1] & 0x80).length, 3);

    const inband = await setup({ media: { law: 'pcma', audioPt: 8, telephoneEventPt: null } });
    await inband.leg.sendDtmf('7', { durationMs: 100, gapMs: 60 });
    const heard: string[] = [];
    const det = new InbandDtmfDetector({ onDigit: (e) => heard.push(e.digit) });
    // 100 ms of tone and 60 ms of gap: 8 frames.
    for (const r of await inband.phone.count(8, isPt(8))) det.process(decodeG711('pcma', r.payload));
    det.flush();
    assert.deepEqual(heard, ['7']);
  });

  test('playFrames: paced prompt to the phone; DTMF from the phone interrupts a looping one', async () => {
    const { phone, leg } = await setup();
    const frames = toneFrames(500, 10, 'pcma');
    const result = await leg.playFrames(frames, { law: 'pcma' });
    assert.deepEqual(result, { reason: 'finished', frames: 10 });
    const sent = await phone.count(10, isPt(8));
    assert.equal(sent.length, 10);
    sent.forEach((r, i) => assert.deepEqual([...r.payload], [...frames[i]]));
    assert.equal(sent[0].header!.marker, true);

    const playing = leg.playFrames(frames, { law: 'pcma', loop: true });
    await phone.next((r) => r.header?.payloadType === 8, phone.received.length);
    for (const p of dtmfPayloads('9')) await phone.sendRtp(leg.localPort, { pt: 101, seq: 1, ts: 1, ssrc: 3, marker: p.marker }, p.payload);
    const interrupted = await playing;
    assert.equal(interrupted.reason, 'interrupted');
    assert.equal(interrupted.digit, '9');
  });

  test('in-band DTMF is detected when telephone-event was not negotiated', async () => {
    const { phone, leg } = await setup({ media: { law: 'pcma', audioPt: 8, telephoneEventPt: null } });
    const heard = leg.waitFor('dtmf', 5000);
    const audio = new Int16Array(160 * 12);
    audio.set(generateDtmfTone('7', { durationMs: 100 }));
    const coded = encodeG711('pcma', audio);
    for (let k = 0; k < 12; k++) await phone.sendRtp(leg.localPort, { pt: 8, seq: k, ts: k * 160, ssrc: 5 }, coded.subarray(k * 160, (k + 1) * 160));
    const [event] = await heard;
    assert.equal(event.digit, '7');
    assert.equal(event.source, 'inband');
  });

  test('dead media fires after the timeout, recovers, and is suspended on hold', async () => {
    const held = await setup({ deadMediaMs: 150, remote: { address: '127.0.0.1', port: 9, direction: 'inactive' } });
    const heldDead: unknown[] = [];
    held.leg.on('dead', (e) => heldDead.push(e));
    const { phone, leg } = await setup({ deadMediaMs: 400 });
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 1, ts: 0, ssrc: 1 }, new Uint8Array(160));
    const [dead] = await leg.waitFor('dead', 5000);
    assert.ok(dead.silentMs >= 400);
    assert.deepEqual(heldDead, [], 'the held leg (shorter timeout) stayed quiet');
    const alive = leg.waitFor('alive', 5000);
    await phone.sendRtp(leg.localPort, { pt: 8, seq: 2, ts: 160, ssrc: 1 }, new Uint8Array(160));
    await alive;
  });

  test('records both directions into a stereo WAV (left = phone side, right = router side)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ccbox-edge-rec-'));
    try {
      const { phone, router, leg } = await setup();
      await leg.startRecording({ path: path.join(dir, 'call.wav') });
      const caller = toneFrames(440, 15, 'pcma');
      for (let k = 0; k < 15; k++) {
        await phone.sendRtp(leg.localPort, { pt: 8, seq: k, ts: k * 160, ssrc: 5 }, caller[k]);
        await pace(20);
      }
      await router.count(15);
      const agent = toneFrames(1000, 15, 'pcmu');
      for (let k = 0; k < 15; k++) {
        await router.sendRtp(leg.relayPort, { pt: 0, seq: k, ts: 90_000 + k * 160, ssrc: 6 }, agent[k]);
        await pace(20);
      }
      await phone.count(15, isPt(8));
      const result = await leg.stopRecording();
      assert.equal(result.channels, 2);
      const { info, data } = readWav(await readFile(result.path));
      assert.equal(info.channels, 2);
      const [left, right] = deinterleave(pcmFromBytesLE(data));
      const half = Math.floor(left.length / 2);
      assert.ok(meanSquare(left, 0, half) > 1e6, 'caller spoke first, on the left');
      assert.ok(meanSquare(right, half) > 1e6 && meanSquare(right, 0, 800) === 0, 'agent second, on the right');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('mixing: two consumers on the relay socket are summed for the phone (whisper/barge)', async () => {
    const { phone, router, leg } = await setup();
    await leg.setMixing(true);
    const a = encodeG711('pcmu', new Int16Array(160).fill(1000));
    const b = encodeG711('pcmu', new Int16Array(160).fill(2000));
    for (let k = 0; k < 10; k++) {
      await router.sendRtp(leg.relayPort, { pt: 0, seq: k, ts: k * 160, ssrc: 0xa }, a);
      await router.sendRtp(leg.relayPort, { pt: 0, seq: 500 + k, ts: 7000 + k * 160, ssrc: 0xb }, b);
      await pace(20);
    }
    const mixed = await phone.count(6, isPt(8));
    const levels = mixed.map((r) => decodeG711('pcma', r.payload)[80]);
    assert.ok(levels.filter((v) => Math.abs(v - 3000) <= 100).length >= 4, `mixed levels ${levels.join(',')}`);
    assert.ok(mixed.every((r) => r.header!.ssrc === PHONE_SSRC));
    await leg.setMixing(false);
  });

  test('closing legs frees their ports', async () => {
    for (const leg of legs.splice(0)) await leg.close();
    assert.equal(edge.portsInUse, 0);
    assert.equal(edge.legCount, 0);
    const leg = await edge.createLeg({ router: { law: 'pcma', payloadType: 8 }, media: { law: 'pcma', audioPt: 8, telephoneEventPt: null }, producerSsrc: 1 });
    assert.equal(edge.portsInUse, 1);
    const closed = leg.waitFor('closed', 5000);
    await leg.close();
    await closed;
    assert.equal(edge.portsInUse, 0);
  });

  test('ports taken by another program are skipped; an exhausted range is refused', async () => {
    const opts: CreateLegOptions = { router: { law: 'pcma', payloadType: 8 }, media: { law: 'pcma', audioPt: 8, telephoneEventPt: null }, producerSsrc: 1 };
    // Find a 4-port block whose first port we can squat on (other test runs may hold some).
    for (let base = 41900; base < 41996; base += 4) {
      const squatter = dgram.createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => {
        squatter.once('error', () => resolve(false));
        squatter.bind(base, '127.0.0.1', () => resolve(true));
      });
      if (!bound) {
        squatter.close();
        continue;
      }
      const small = await RtpEdge.start({ workers: 1, portRange: { min: base, max: base + 3 }, bindAddress: '127.0.0.1' });
      try {
        const leg = await small.createLeg(opts).catch(() => null);
        if (!leg) continue; // the second pair is busy too: try another block
        assert.equal(leg.localPort, base + 2);
        await assert.rejects(small.createLeg(opts), { code: 'CCBOX_ERR_UNAVAILABLE' });
        await leg.close();
        await assert.rejects(leg.getStats(), { code: 'CCBOX_ERR_UNAVAILABLE' });
        return;
      } finally {
        squatter.close();
        await small.close();
      }
    }
    assert.fail('no free port block to test with');
  });
});
