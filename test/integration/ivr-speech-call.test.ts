// 语音识别导航 on a real call: sipp, as demo-trunk's carrier on 127.0.0.2, calls a number bound to a flow whose
// speech menu routes by spoken keyword (sales / support / billing / operator) and loops back after each
// branch's prompt. The caller's words are espeak-ng `en` audio rendered by the box's TTS path to 8 kHz
// A-law and written into pcap files that sipp plays (play_pcap_audio) when the test sees the menu listen.
// The box hears them through its audio tap and pocketsphinx; the branch taken must be right ≥ 6 times in 8,
// and the call record's IVR path shows the branches.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecognizeResult } from '../../src/ivr/index.ts';
import { makeNodeId } from '../../src/ivr/flow/index.ts';
import { EspeakTtsProvider } from '../../src/media/tts/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { freeMediaPort, freeSipPort, sipp } from './sipp/calls/kit.ts';
import { CUSTOMER, pathScenario, poke, PATH_BOX, until } from './sipp/call-path/kit.ts';

const ADMIN_PW = 'Admin-speech-1';
const NUMBER = '02088880000';
const KEYWORDS = ['sales', 'support', 'billing', 'operator'];
/** What the caller says, in order: each keyword twice, at two speaking rates. */
const SAID = ['sales', 'billing', 'support', 'operator', 'billing', 'sales', 'operator', 'support'];

const id = (n: number): string => makeNodeId(Date.UTC(2025, 5, 1), new Uint8Array(10).fill(n));
const tts = (text: string) => ({ kind: 'tts', text, voice: 'en' });

function speechFlow() {
  const N = { start: id(1), menu: id(2), end: id(9) };
  const branchNode = (i: number) => id(3 + i);
  return {
    variables: [],
    nodes: [
      { id: N.start, type: 'start', label: '开始', params: {}, outlets: { next: N.menu } },
      {
        id: N.menu, type: 'speechMenu', label: '语音导航',
        params: {
          prompt: tts('Which department?'), nomatchPrompt: tts('Sorry.'), timeoutPrompt: tts('Please speak.'),
          maxRetries: 1, timeoutSec: 8,
          branches: KEYWORDS.map((k, i) => ({ key: String(i + 1), label: k, keywords: [k] })),
        },
        outlets: { ...Object.fromEntries(KEYWORDS.map((_, i) => [`key:${i + 1}`, branchNode(i)])), fallthrough: N.end },
      },
      ...KEYWORDS.map((k, i) => ({ id: branchNode(i), type: 'play', label: k, params: { prompt: tts(`${k}.`), interruptible: false }, outlets: { next: N.menu } })),
      { id: N.end, type: 'end', label: '结束', params: {}, outlets: {} },
    ],
  };
}

/** A pcap of RTP (PCMA, 20 ms packets) carrying `alaw`, for sipp's play_pcap_audio. */
function writePcap(file: string, alaw: Uint8Array): void {
  const frames = Math.ceil(alaw.length / 160);
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  parts.push(global);
  for (let f = 0; f < frames; f++) {
    const payload = Buffer.alloc(160, 0xd5);
    Buffer.from(alaw.subarray(f * 160, f * 160 + 160)).copy(payload);
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = 8 | (f === 0 ? 0x80 : 0);
    rtp.writeUInt16BE(f & 0xffff, 2);
    rtp.writeUInt32BE(f * 160, 4);
    rtp.writeUInt32BE(0x5eec0001, 8);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(4000, 0);
    udp.writeUInt16BE(4002, 2);
    udp.writeUInt16BE(8 + 12 + 160, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + 12 + 160, 2);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 2]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const packet = Buffer.concat([eth, ip, udp, rtp, payload]);
    const rec = Buffer.alloc(16);
    const us = f * 20_000;
    rec.writeUInt32LE(Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(packet.length, 8);
    rec.writeUInt32LE(packet.length, 12);
    parts.push(rec, packet);
  }
  writeFileSync(file, Buffer.concat(parts));
}

/** carrier.xml with eight pcaps (Play: 1–8) instead of three. */
function carrierScenario(dir: string): string {
  let xml = readFileSync(pathScenario('carrier.xml'), 'utf8');
  const tests = SAID.map((_, i) => `      <test assign_to="is${i + 1}" variable="n" compare="equal" value="${i + 1}"/>`).join('\n');
  xml = xml.replace(/( *<test assign_to="is1"[^\n]*\n)( *<test assign_to="is2"[^\n]*\n)( *<test assign_to="is3"[^\n]*\n)/, `${tests}\n`);
  const plays = SAID.map((_, i) => `  <nop condexec="is${i + 1}"><action><exec play_pcap_audio="[pcap${i + 1}]"/></action></nop>`).join('\n');
  xml = xml.replace(/ *<nop condexec="is1">[^\n]*\n *<nop condexec="is2">[^\n]*\n *<nop condexec="is3">[^\n]*\n/, `${plays}\n`);
  const file = path.join(dir, 'carrier-speech.xml');
  writeFileSync(file, xml);
  return file;
}

describe('语音识别导航 in a real call: spoken keywords pick the branch', { timeout: 300_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-speech-call-'));

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...PATH_BOX, mediaEdgePortMin: 47500, mediaEdgePortMax: 47999, mediaRtcPortMin: 48700, mediaRtcPortMax: 48999 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    const created = await admin.post('/ivr/flows', { name: 'speech-nav', kind: 'inbound', definition: speechFlow() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const flowId = created.body.id;
    assert.equal((await admin.post(`/ivr/flows/${flowId}/versions/MAIN/publish`, {})).status, 200);
    // demo-trunk's number now reaches this flow instead of the demo IVR.
    const bound = await admin.put(`/ivr/bindings/${NUMBER}`, { flowId, version: 'MAIN' });
    assert.equal(bound.status, 200, JSON.stringify(bound.body));
  });
  after(async () => {
    await tb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes 8 spoken keywords through sipp → edge → tap → pocketsphinx; ≥ 6 right, the record shows the path', async (t) => {
    const keys: Record<string, string> = { caller: CUSTOMER };
    for (const [i, word] of SAID.entries()) {
      const voice = new EspeakTtsProvider({ cacheDir: path.join(dir, 'tts'), speed: i < 4 ? 150 : 175 });
      const r = await voice.render(word, { voice: 'en', law: 'pcma' });
      // 300 ms before the word, 1.2 s after it: the recognizer's end-of-utterance needs the pause.
      const audio = new Uint8Array(2400 + r.audio.length + 9600).fill(0xd5);
      audio.set(r.audio, 2400);
      keys[`pcap${i + 1}`] = path.join(dir, `said-${i + 1}.pcap`);
      writePcap(keys[`pcap${i + 1}`]!, audio);
    }
    const speech = tb.box.speech;
    // Counted from the start: the menu may listen before the test waits for it.
    const heard: { sessionId: string; result: RecognizeResult }[] = [];
    let listening = 0;
    const fires = new Set<() => void>();
    speech.on('listening', () => {
      listening++;
      for (const f of fires) f();
    });
    speech.on('heard', (e) => {
      heard.push(e);
      for (const f of fires) f();
    });
    const onEvents = (fire: () => void): (() => void) => {
      fires.add(fire);
      return () => void fires.delete(fire);
    };
    let seenListening = 0;
    const nextListen = () => until('the speech menu to listen', onEvents, () => (listening > seenListening ? ++seenListening : undefined), 60_000);

    const port = await freeSipPort('127.0.0.2');
    const run = sipp({
      scenario: carrierScenario(dir), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`, localIp: '127.0.0.2', port,
      mediaPort: await freeMediaPort('127.0.0.2'), service: NUMBER, keys, timeoutS: 200,
    });
    const calls = tb.box.callCenter.telephony.calls;
    const subscribeCalls = (fire: () => void): (() => void) => {
      calls.on('call-started', fire).on('leg-answered', fire);
      return () => void calls.off('call-started', fire).off('leg-answered', fire);
    };
    const call = await until('the box to answer', subscribeCalls, () => calls.list().find((c) => c.direction === 'inbound' && c.state === 'answered'));
    const sipCallId = call.legs[0]!.sipCallId;
    let right = 0;
    const log: string[] = [];
    for (const [i, word] of SAID.entries()) {
      await nextListen();
      const before = heard.length;
      await poke('127.0.0.2', port, sipCallId, i + 1);
      const h = await until('a recognition result', onEvents, () => (heard.length > before ? heard[heard.length - 1] : undefined), 60_000);
      assert.equal(h.sessionId, call.id);
      const got = h.result.kind === 'keyword' ? h.result.keyword : h.result.kind;
      log.push(`${word}→${got}`);
      if (got === word) right++;
    }
    await nextListen();
    const ended = new Promise<void>((resolve) => calls.on('record-written', ({ call: c }) => c.id === call.id && resolve()));
    await poke('127.0.0.2', port, sipCallId, 9);
    const rc = await run.done;
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await ended;
    t.diagnostic(`recognized ${right}/8 in the call: ${log.join(', ')}`);
    assert.ok(right >= 6, `only ${right}/8 right: ${log.join(', ')}`);

    const detail = (await admin.get(`/records/${call.id}`)).body;
    const labels = detail.detail.ivr.path.filter((s: { type: string }) => s.type === 'play').map((s: { label: string }) => s.label);
    const expected = log.filter((l) => KEYWORDS.includes(l.split('→')[1]!)).map((l) => l.split('→')[1]);
    assert.deepEqual(labels, expected, 'each recognized keyword took its branch');
  });

  it('a key pressed while the menu listens takes its branch at once (RFC 2833)', async () => {
    const keys: Record<string, string> = { caller: CUSTOMER };
    for (let i = 1; i <= SAID.length; i++) keys[`pcap${i}`] = '/usr/share/sip-tester/dtmf_2833_3.pcap';
    const speech = tb.box.speech;
    let listening = 0;
    const fires = new Set<() => void>();
    const onListen = (): void => {
      listening++;
      for (const f of fires) f();
    };
    speech.on('listening', onListen);
    const onEvents = (fire: () => void): (() => void) => {
      fires.add(fire);
      return () => void fires.delete(fire);
    };
    const port = await freeSipPort('127.0.0.2');
    const run = sipp({
      scenario: carrierScenario(dir), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`, localIp: '127.0.0.2', port,
      mediaPort: await freeMediaPort('127.0.0.2'), service: NUMBER, keys, timeoutS: 60,
    });
    const calls = tb.box.callCenter.telephony.calls;
    const subscribeCalls = (fire: () => void): (() => void) => {
      calls.on('call-started', fire).on('leg-answered', fire);
      return () => void calls.off('call-started', fire).off('leg-answered', fire);
    };
    const call = await until('the box to answer', subscribeCalls, () => calls.list().find((c) => c.direction === 'inbound' && c.state === 'answered' && c.legs[0]?.sipCallId));
    await until('the speech menu to listen', onEvents, () => (listening >= 1 ? true : undefined));
    await poke('127.0.0.2', port, call.legs[0]!.sipCallId, 1);
    await until('the menu to listen again', onEvents, () => (listening >= 2 ? true : undefined));
    const ended = new Promise<void>((resolve) => calls.on('record-written', ({ call: c }) => c.id === call.id && resolve()));
    await poke('127.0.0.2', port, call.legs[0]!.sipCallId, 9);
    const rc = await run.done;
    speech.off('listening', onListen);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    await ended;
    const detail = (await admin.get(`/records/${call.id}`)).body;
    const path = detail.detail.ivr.path.map((s: { type: string; label: string }) => `${s.type}:${s.label}`);
    assert.deepEqual(path.slice(0, 4), ['start:开始', 'speechMenu:语音导航', 'play:billing', 'speechMenu:语音导航']);
    assert.equal(detail.ivrKeys, '3');
  });
});
