// Test kit for whole calls through the box (carrier → IVR → ACD → agent phone): scenario paths, a UDP poke
// that drives a running sipp dialog by Call-ID ("Play: n" INFO), waiting on typed events with deadlines,
// and what a stereo recording sounds like per channel.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallRecord } from '../../../../src/calls/index.ts';
import { ApiClient, type TestBox } from '../../../helpers/box.ts';
import { ROOT } from '../../../helpers/process.ts';
import { CALL_BOX, freeMediaPort, freeSipPort, registerPhone, sipp, waitBound, type SippProc } from '../calls/kit.ts';

export const pathScenario = (name: string): string => path.join(ROOT, 'test', 'integration', 'sipp', 'call-path', name);
export const PCAP = (name: string): string => path.join('/usr/share/sip-tester', name);

/**
 * Sends an INFO with `Play: n` on `callId` straight to a sipp at ip:port (its scenario waits for it):
 * the test's way to make a peer press keys, talk or hang up at a point it has observed.
 */
export async function poke(ip: string, port: number, callId: string, play: number): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const me = s.address().port;
  const msg = [
    `INFO sip:peer@${ip}:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=z9hG4bK${Math.random().toString(16).slice(2)}`,
    `From: <sip:test@127.0.0.1>;tag=test${me}`, `To: <sip:peer@${ip}>`, `Call-ID: ${callId}`, `CSeq: ${100 + play} INFO`, 'Max-Forwards: 70',
    `Play: ${play}`, 'Content-Length: 0', '', '',
  ].join('\r\n');
  await new Promise<void>((resolve, reject) => s.send(Buffer.from(msg), port, ip, (err) => (err ? reject(err) : resolve())));
  s.close();
}

/** Resolves with the first value `check` returns that is not undefined, re-checked on every `subscribe` callback. */
export function until<T>(what: string, subscribe: (fire: () => void) => () => void, check: () => T | undefined, limitMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, limitMs);
    const fire = (): void => {
      let v: T | undefined;
      try {
        v = check();
      } catch (err) {
        clearTimeout(timer);
        off();
        reject(err as Error);
        return;
      }
      if (v === undefined) return;
      clearTimeout(timer);
      off();
      resolve(v);
    };
    off = subscribe(fire);
    fire();
  });
}

export interface WavChannels {
  channels: number;
  sampleRate: number;
  seconds: number;
  /** RMS per channel. */
  rms: number[];
}

/** Reads a 16-bit PCM WAV and measures each channel's energy. */
export function analyseWav(file: string): WavChannels {
  const b = readFileSync(file);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let off = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  for (;;) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = b.readUInt16LE(off + 10);
      sampleRate = b.readUInt32LE(off + 12);
      bits = b.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`expected 16-bit PCM, got ${bits} bits`);
      const data = b.subarray(off + 8, off + 8 + size);
      const frames = Math.floor(data.length / (2 * channels));
      const sums = new Array<number>(channels).fill(0);
      for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) sums[c] += data.readInt16LE((i * channels + c) * 2) ** 2;
      return { channels, sampleRate, seconds: frames / sampleRate, rms: sums.map((s) => Math.sqrt(s / Math.max(1, frames))) };
    }
    off += 8 + size + (size & 1);
    if (off + 8 > b.length) throw new Error('no data chunk');
  }
}

// ---- a demo box with its peers ----

export const NUMBER = '02088880000';
export const CUSTOMER = '13800138000';
/** Own port ranges, so a colleague's box on this machine does not share them. */
export const PATH_BOX = { ...CALL_BOX, mediaEdgePortMin: 45000, mediaEdgePortMax: 45999, mediaRtcPortMin: 48000, mediaRtcPortMax: 48999 };

/** The peers of a call-path test around one demo box: agents' desk phones, the carrier, and waits on the box's events. */
export class PathPeers {
  readonly ids: Record<string, number> = {};
  constructor(readonly tb: TestBox, readonly admin: ApiClient) {}

  async loadIds(): Promise<void> {
    for (const a of (await this.admin.get('/agents?pageSize=100')).body.items) this.ids[a.staffNo] = a.id;
    for (const g of (await this.admin.get('/skill-groups')).body) this.ids[g.name] = g.id;
  }

  get calls() {
    return this.tb.box.callCenter.telephony.calls;
  }

  boxTarget(): string {
    return `127.0.0.1:${this.tb.box.sip.transport.portOf('udp')}`;
  }

  readonly onCalls = (fire: () => void): (() => void) => {
    const c = this.calls;
    c.on('leg-answered', fire).on('call-started', fire).on('call-ended', fire);
    return () => void c.off('leg-answered', fire).off('call-started', fire).off('call-ended', fire);
  };

  /** An agent at the web API: logged in, with a status. */
  async agentApi(ext: string): Promise<ApiClient> {
    const me = new ApiClient(this.tb.base);
    assert.equal((await me.login(`${ext}@demo.local`, `Agent${ext}-demo`)).status, 200);
    return me;
  }

  async setStatus(ext: string, status: string): Promise<void> {
    const r = await (await this.agentApi(ext)).put(`/agents/${this.ids[ext]}/status`, { status });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }

  /** Agent `ext` at work: its desk phone registered and running `scenario` (sipp), the agent 示闲. */
  async agentPhone(ext: string, scenario = 'agent.xml'): Promise<{ run: SippProc; port: number }> {
    const port = await freeSipPort();
    await registerPhone(this.tb.box, ext, port);
    const run = sipp({ scenario: pathScenario(scenario), target: this.boxTarget(), port, mediaPort: await freeMediaPort(), service: ext, rtpEcho: true, timeoutS: 120, ...(scenario === 'agent.xml' ? { keys: { pcap2: PCAP('g711a.pcap') } } : {}) });
    await waitBound(port);
    await this.setStatus(ext, 'idle');
    return { run, port };
  }

  /** The phone is gone (its sipp finished): its registrations are removed. */
  unregister(ext: string): void {
    this.tb.box.sip.location.removeAll(ext, 'removed');
  }

  /** The carrier calls our number; Play:1 presses `menuKey`, Play:2 talks (g711a.pcap), Play:3 presses 1, Play:9 hangs up. */
  async carrierCall(menuKey = '1'): Promise<{ run: SippProc; port: number; started: number }> {
    const port = await freeSipPort('127.0.0.2');
    const started = performance.now();
    const run = sipp({
      scenario: pathScenario('carrier.xml'), target: this.boxTarget(), localIp: '127.0.0.2', port, mediaPort: await freeMediaPort('127.0.0.2'), service: NUMBER,
      keys: { caller: CUSTOMER, pcap1: PCAP(`dtmf_2833_${menuKey}.pcap`), pcap2: PCAP('g711a.pcap'), pcap3: PCAP('dtmf_2833_1.pcap') }, timeoutS: 120,
    });
    return { run, port, started };
  }

  /** A customer's phone behind the carrier (127.0.0.2) that answers the box's outbound calls (or runs `scenario`); demo-trunk sends there. */
  async customerPhone(scenario = 'agent.xml'): Promise<{ run: SippProc; port: number }> {
    const port = await freeSipPort('127.0.0.2');
    const channel = (await this.admin.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
    const r = await this.admin.patch(`/channels/${channel.id}`, { publicTrunk: { ...channel.publicTrunk, carrierPort: port } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const run = sipp({
      scenario: pathScenario(scenario), target: this.boxTarget(), localIp: '127.0.0.2', port, mediaPort: await freeMediaPort('127.0.0.2'), service: CUSTOMER,
      rtpEcho: true, timeoutS: 120, keys: { pcap2: PCAP('g711a.pcap') },
    });
    await waitBound(port, 'udp', '127.0.0.2');
    return { run, port };
  }

  answeredByBox(): Promise<CallRecord> {
    return until('the box to answer the carrier', this.onCalls, () => this.calls.list().find((c) => c.direction === 'inbound' && c.state === 'answered'));
  }

  agentAnswered(call: CallRecord) {
    return until('an agent to answer', this.onCalls, () => call.legs.find((l) => l.role === 'callee' && l.answeredAt !== null && l.endedAt === null));
  }

  recordWritten(callId: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const on = ({ call }: { call: CallRecord }): void => {
        if (call.id !== callId) return;
        this.calls.off('record-written', on);
        resolve();
      };
      this.calls.on('record-written', on);
    });
  }
}
