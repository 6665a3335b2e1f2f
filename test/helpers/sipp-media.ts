// Media test peers: sipp with RTP (play_pcap_audio, rtp_echo) driven by a tiny SIP endpoint that
// plays the box's signalling role, and plain UDP RTP parties that send tones and analyse what
// they hear (Goertzel from src/media/dtmf). Everything on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pace } from 'node:timers/promises';
import { buildRtp, createRtpHeader, decodeG711, encodeG711, parseRtp, type G711Law } from '../../src/media/codec/index.ts';
import { GoertzelBank } from '../../src/media/dtmf/index.ts';
import { ROOT } from './process.ts';

export const SIPP = '/usr/bin/sipp';
export const PCAP_DIR = '/usr/share/sip-tester';
export const mediaScenario = (name: string): string => path.isAbsolute(name) ? name : path.join(ROOT, 'test', 'integration', 'sipp', 'media', name);

async function canBind(port: number): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** An even port with the next three free too (sipp binds media_port … media_port+3). */
export async function freeMediaPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 30000 + 2 * Math.floor(Math.random() * 4000);
    let ok = true;
    for (let p = base; p < base + 4 && ok; p++) ok = await canBind(p);
    if (ok) return base;
  }
  throw new Error('no free media port block');
}

export interface SippRun {
  child: ChildProcess;
  /** Resolves with sipp's exit code (0: the call passed) and its output and error log. */
  done: Promise<{ code: number | null; output: string; errors: string }>;
  kill(): void;
}

/** Starts sipp in the background (it must keep running while the test drives the call). */
export function startSipp(o: { scenario: string; target: string; sipPort: number; mediaPort: number; keys?: Record<string, string>; rtpEcho?: boolean; timeoutS?: number }): SippRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-sipp-media-'));
  const errFile = path.join(dir, 'err.log');
  const args = [
    o.target, '-sf', mediaScenario(o.scenario), '-m', '1', '-i', '127.0.0.1', '-p', String(o.sipPort), '-mi', '127.0.0.1', '-mp', String(o.mediaPort),
    '-s', 'media', '-nostdin', '-timeout', `${o.timeoutS ?? 60}s`, '-trace_err', '-error_file', errFile,
  ];
  if (o.rtpEcho) args.push('-rtp_echo');
  if (process.env.CCBOX_SIPP_TRACE) args.push('-trace_msg', '-message_file', path.join(process.env.CCBOX_SIPP_TRACE, `sipp-${o.sipPort}-msg.log`), '-trace_logs', '-log_file', path.join(process.env.CCBOX_SIPP_TRACE, `sipp-${o.sipPort}-log.log`));
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string; errors: string }>((resolve) => child.on('exit', (code) => {
    const errors = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, output: output.slice(-3000), errors });
  }));
  return { child, done, kill: () => child.kill('SIGKILL') };
}

// ---- the box's SIP side, reduced to one dialog ----

export interface SipMessage {
  startLine: string;
  method: string | null;
  status: number | null;
  headers: [string, string][];
  body: string;
  from: { address: string; port: number };
}

export function parseSipMessage(data: Buffer, from: { address: string; port: number }): SipMessage {
  const text = data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const [startLine, ...lines] = head.split('\r\n');
  const headers = lines.filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
  const status = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  return { startLine, method: status ? null : startLine.split(' ')[0], status: status ? Number(status[1]) : null, headers, body, from };
}

export const header = (m: SipMessage, name: string): string | undefined => m.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const allHeaders = (m: SipMessage, name: string): string[] => m.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

type Waiter = { match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void };

/**
 * One SIP dialog with sipp over UDP: answers its INVITE (or sends one), sends in-dialog
 * requests (INFO to make the sipp caller play the next pcap, BYE) with retransmissions, and
 * hands SIP INFO DTMF (application/dtmf-relay) to a callback.
 */
export class MiniSipPeer {
  private waiters: Waiter[] = [];
  private readonly seen: SipMessage[] = [];
  private cseq = 100;
  private dialog: { callId: string; localTag: string; remoteTag: string; target: { address: string; port: number }; localUri: string; remoteUri: string; uac: boolean } | null = null;
  private lastResponse: string | null = null;
  onInfoDtmf?: (digit: string, durationMs: number) => void;

  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (data, rinfo) => this.onMessage(parseSipMessage(data, { address: rinfo.address, port: rinfo.port })));
  }

  static async open(): Promise<MiniSipPeer> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new MiniSipPeer(s);
  }

  get port(): number {
    return this.socket.address().port;
  }

  private send(text: string, to: { address: string; port: number }): void {
    this.socket.send(Buffer.from(text), to.port, to.address);
  }

  private onMessage(m: SipMessage): void {
    if (m.method === 'INVITE' && this.lastResponse && this.dialog && header(m, 'Call-ID') === this.dialog.callId) {
      this.send(this.lastResponse, m.from); // retransmitted INVITE: repeat our last answer
      return;
    }
    if (m.method && m.method !== 'ACK' && m.method !== 'INVITE') {
      const dtmf = /Signal\s*=\s*([0-9*#A-D])/i.exec(m.body);
      const dur = /Duration\s*=\s*(\d+)/i.exec(m.body);
      this.respond(m, 200, 'OK');
      if (m.method === 'INFO' && dtmf) this.onInfoDtmf?.(dtmf[1], dur ? Number(dur[1]) : 100);
    }
    this.seen.push(m);
    this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
  }

  next(match: (m: SipMessage) => boolean, timeoutMs = 20_000): Promise<SipMessage> {
    const hit = this.seen.find(match);
    if (hit) {
      this.seen.splice(this.seen.indexOf(hit), 1);
      return Promise.resolve(hit);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('SIP message did not come')), timeoutMs);
      this.waiters.push({ match, resolve: (m) => {
        clearTimeout(t);
        this.seen.splice(this.seen.indexOf(m), 1);
        resolve(m);
      } });
    });
  }

  private respond(req: SipMessage, status: number, reason: string, extra: string[] = [], body = ''): string {
    const toTag = this.dialog?.localTag ?? 'box1';
    const to = header(req, 'To')!;
    const lines = [
      `SIP/2.0 ${status} ${reason}`, ...allHeaders(req, 'Via').map((v) => `Via: ${v}`), `From: ${header(req, 'From')}`,
      `To: ${/;tag=/.test(to) || status === 100 ? to : `${to};tag=${toTag}`}`, `Call-ID: ${header(req, 'Call-ID')}`, `CSeq: ${header(req, 'CSeq')}`,
      ...extra, `Content-Length: ${Buffer.byteLength(body)}`, '', body,
    ];
    const text = lines.join('\r\n');
    this.send(text, req.from);
    return text;
  }

  /** Waits for sipp's INVITE; `answer` turns its offer into our SDP answer; resolves after the ACK. */
  async answerInvite(answer: (offer: string) => Promise<string>): Promise<void> {
    const invite = await this.next((m) => m.method === 'INVITE');
    const contact = /<?sip:[^@>]*@([^:;>]+):(\d+)/.exec(header(invite, 'Contact') ?? '')!;
    this.dialog = {
      callId: header(invite, 'Call-ID')!, localTag: `box${Date.now() % 100000}`, remoteTag: /tag=([^;>\s]+)/.exec(header(invite, 'From')!)![1],
      target: { address: contact[1], port: Number(contact[2]) }, localUri: /<([^>]+)>/.exec(header(invite, 'To')!)?.[1] ?? 'sip:box@127.0.0.1',
      remoteUri: /<([^>]+)>/.exec(header(invite, 'From')!)![1], uac: false,
    };
    this.respond(invite, 100, 'Trying');
    const sdp = await answer(invite.body);
    this.lastResponse = this.respond(invite, 200, 'OK', [`Contact: <sip:box@127.0.0.1:${this.port}>`, 'Content-Type: application/sdp'], sdp);
    const resend = setInterval(() => this.send(this.lastResponse!, invite.from), 500);
    try {
      await this.next((m) => m.method === 'ACK');
    } finally {
      clearInterval(resend);
    }
  }

  /** Sends INVITE with our offer to a sipp UAS; returns its SDP answer (after our ACK). */
  async invite(target: { address: string; port: number }, offer: string): Promise<string> {
    const callId = `media-${Date.now()}-${Math.random().toString(16).slice(2)}@127.0.0.1`;
    this.dialog = { callId, localTag: `box${Date.now() % 100000}`, remoteTag: '', target, localUri: `sip:box@127.0.0.1:${this.port}`, remoteUri: `sip:media@${target.address}:${target.port}`, uac: true };
    const res = await this.request('INVITE', [`Contact: <sip:box@127.0.0.1:${this.port}>`, 'Content-Type: application/sdp'], offer);
    if (res.status !== 200) throw new Error(`INVITE answered ${res.startLine}`);
    this.dialog.remoteTag = /tag=([^;>\s]+)/.exec(header(res, 'To')!)![1];
    const contact = /<?sip:[^@>]*@([^:;>]+):(\d+)/.exec(header(res, 'Contact') ?? '');
    if (contact) this.dialog.target = { address: contact[1], port: Number(contact[2]) };
    this.send(this.requestText('ACK', [], '', Number(/^(\d+)/.exec(header(res, 'CSeq')!)![1])), this.dialog.target);
    return res.body;
  }

  private requestText(method: string, extra: string[], body: string, cseq: number): string {
    const d = this.dialog!;
    const branch = `z9hG4bK${Math.random().toString(16).slice(2)}`;
    const remote = d.remoteTag ? `<${d.remoteUri}>;tag=${d.remoteTag}` : `<${d.remoteUri}>`;
    return [
      `${method} sip:media@${d.target.address}:${d.target.port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`,
      `From: <${d.localUri}>;tag=${d.localTag}`, `To: ${remote}`, `Call-ID: ${d.callId}`, `CSeq: ${cseq} ${method}`, 'Max-Forwards: 70',
      ...extra, `Content-Length: ${Buffer.byteLength(body)}`, '', body,
    ].join('\r\n');
  }

  /** An in-dialog request with UDP retransmissions until the final response. */
  async request(method: string, extra: string[] = [], body = ''): Promise<SipMessage> {
    const cseq = ++this.cseq;
    const text = this.requestText(method, extra, body, cseq);
    const target = this.dialog!.target;
    this.send(text, target);
    const resend = setInterval(() => this.send(text, target), 500);
    try {
      return await this.next((m) => m.status !== null && m.status >= 200 && header(m, 'CSeq') === `${cseq} ${method}`);
    } finally {
      clearInterval(resend);
    }
  }

  close(): void {
    this.socket.close();
  }
}

// ---- plain RTP parties ----

export interface HeardAudio {
  pcm: Int16Array;
  ssrcs: Set<number>;
  packets: number;
}

/** A UDP RTP party: sends paced G.711 (tones or silence) and keeps what it receives. */
export class RtpParty {
  readonly received: { at: number; pt: number; ssrc: number; seq: number; ts: number; payload: Buffer }[] = [];
  private waiters: (() => void)[] = [];
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 2 ** 31);
  private sending = false;
  private constructor(readonly socket: dgram.Socket, readonly ssrc: number) {
    socket.on('message', (data) => {
      const h = createRtpHeader();
      if (!parseRtp(data, h)) return;
      this.received.push({ at: performance.now(), pt: h.payloadType, ssrc: h.ssrc, seq: h.sequenceNumber, ts: h.timestamp, payload: Buffer.from(data.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength)) });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(ssrc = Math.floor(Math.random() * 2 ** 31) + 1): Promise<RtpParty> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new RtpParty(s, ssrc);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves when `count` packets (with payload type `pt` if given) have arrived in total. */
  async until(count: number, pt?: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.filter((r) => pt === undefined || r.pt === pt).length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} packets arrived, wanted ${count}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Packets received from now on: returns an index to pass to `heard`. */
  mark(): number {
    return this.received.length;
  }

  heard(from = 0, to = this.received.length, law: G711Law = 'pcma', pt = law === 'pcma' ? 8 : 0): HeardAudio {
    const pkts = this.received.slice(from, to).filter((r) => r.pt === pt);
    const pcm = new Int16Array(pkts.reduce((n, p) => n + p.payload.length, 0));
    let o = 0;
    for (const p of pkts) {
      pcm.set(decodeG711(law, p.payload), o);
      o += p.payload.length;
    }
    return { pcm, ssrcs: new Set(pkts.map((p) => p.ssrc)), packets: pkts.length };
  }

  /** Sends `ms` of a tone (or silence when freq is 0) to `port`, one packet per 20 ms. */
  async sendTone(port: number, freq: number, ms: number, law: G711Law = 'pcma', pt = law === 'pcma' ? 8 : 0, amplitude = 6000): Promise<void> {
    const frames = Math.round(ms / 20);
    const t0 = performance.now();
    let phase = 0;
    for (let i = 0; i < frames; i++) {
      const pcm = new Int16Array(160);
      for (let k = 0; k < 160; k++) pcm[k] = Math.round(amplitude * Math.sin(phase + (2 * Math.PI * freq * k) / 8000));
      phase += (2 * Math.PI * freq * 160) / 8000;
      this.socket.send(buildRtp({ payloadType: pt, sequenceNumber: this.seq++ & 0xffff, timestamp: this.ts >>> 0, ssrc: this.ssrc, marker: i === 0 }, encodeG711(law, pcm)), port, '127.0.0.1');
      this.ts += 160;
      // A phone's packet clock (the pacing of the media itself, not synchronization).
      const due = t0 + (i + 1) * 20;
      const wait = due - performance.now();
      if (wait > 0) await pace(wait);
    }
  }

  /** Keeps sending a tone until `stop()` (a party that talks the whole time). */
  talk(port: number, freq: number, law: G711Law = 'pcma'): { stop: () => Promise<void> } {
    this.sending = true;
    const loop = (async () => {
      while (this.sending) await this.sendTone(port, freq, 200, law);
    })();
    return { stop: async () => {
      this.sending = false;
      await loop;
    } };
  }

  close(): void {
    this.sending = false;
    this.socket.close();
  }
}

/** Relative level of each frequency in the audio (Goertzel power normalized by the block energy). */
export function toneLevels(pcm: Int16Array, freqs: readonly number[]): number[] {
  if (pcm.length === 0) return freqs.map(() => 0);
  const bank = new GoertzelBank(freqs, 8000);
  const block = 800; // 100 ms
  const sums = new Float64Array(freqs.length);
  let blocks = 0;
  const ring = new Float32Array(block);
  for (let off = 0; off + block <= pcm.length; off += block) {
    for (let i = 0; i < block; i++) ring[i] = pcm[off + i] / 32768;
    bank.run(ring, 0, block);
    // |X(f)|² of a sine of amplitude A over N samples is (A·N/2)²; report the amplitude.
    for (let k = 0; k < freqs.length; k++) sums[k] += (2 * Math.sqrt(Math.max(0, bank.power[k]))) / block;
    blocks++;
  }
  return Array.from(sums, (s) => (blocks ? (s / blocks) * 32768 : 0));
}

export function rms(pcm: Int16Array, from = 0, to = pcm.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += pcm[i] * pcm[i];
  return to > from ? Math.sqrt(s / (to - from)) : 0;
}

/** The RTP packets of a pcap shipped with sipp (Ethernet/IPv4/UDP), in order. */
export function readPcapRtp(file: string): { pt: number; ssrc: number; seq: number; payload: Buffer }[] {
  const b = readFileSync(file);
  const linkHeader = b.readUInt32LE(20) === 1 ? 14 : 16;
  const out: { pt: number; ssrc: number; seq: number; payload: Buffer }[] = [];
  for (let off = 24; off + 16 <= b.length;) {
    const incl = b.readUInt32LE(off + 8);
    const d = b.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const rtp = linkHeader + (d[linkHeader] & 15) * 4 + 8;
    out.push({ pt: d[rtp + 1] & 0x7f, seq: d.readUInt16BE(rtp + 2), ssrc: d.readUInt32BE(rtp + 8), payload: Buffer.from(d.subarray(rtp + 12)) });
  }
  return out;
}

/**
 * Copies a pcap with its RTP re-based onto another SSRC, sequence and timestamp: the same
 * audio as a different stream (a gateway switch-over as sipp will replay it).
 */
export function writePcapAsNewStream(src: string, dst: string, o: { ssrc: number; seqOffset: number; tsOffset: number }): void {
  const b = Buffer.from(readFileSync(src));
  const linkHeader = b.readUInt32LE(20) === 1 ? 14 : 16;
  for (let off = 24; off + 16 <= b.length;) {
    const incl = b.readUInt32LE(off + 8);
    const d = b.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const udp = linkHeader + (d[linkHeader] & 15) * 4;
    const rtp = udp + 8;
    d.writeUInt16BE((d.readUInt16BE(rtp + 2) + o.seqOffset) & 0xffff, rtp + 2);
    d.writeUInt32BE((d.readUInt32BE(rtp + 4) + o.tsOffset) >>> 0, rtp + 4);
    d.writeUInt32BE(o.ssrc >>> 0, rtp + 8);
    d.writeUInt16BE(0, udp + 6); // UDP checksum 0 = none (RFC 768)
  }
  writeFileSync(dst, b);
}
