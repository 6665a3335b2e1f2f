// Test kit for whole calls through the box (carrier → IVR → ACD → agent phone): scenario paths, a UDP poke
// that drives a running sipp dialog by Call-ID ("Play: n" INFO), waiting on typed events with deadlines,
// and what a stereo recording sounds like per channel.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../helpers/process.ts';

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
