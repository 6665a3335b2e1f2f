// A caller's phone for IVR tests and the IVR benchmark: a small SIP UAC over UDP (INVITE, ACK, BYE, and
// answers to the box's BYE / re-INVITE / UPDATE / OPTIONS / INFO) and an RTP endpoint that sends 20 ms G.711
// frames, presses keys as RFC 4733 telephone-events (PT 101) and measures what arrives: every packet's arrival
// time and energy, so a test can tell when a prompt starts and that it is audible. Written from the RFCs on
// purpose (not on src/sip), so it checks the box rather than shares its bugs.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { ALAW_DECODE, alawEncodeSample, ULAW_DECODE, ulawEncodeSample } from '../../src/media/codec/index.ts';

export const hrNow = (): number => Number(process.hrtime.bigint()) / 1e6;
const encodeSample = (law: 'pcma' | 'pcmu', v: number): number => (law === 'pcma' ? alawEncodeSample(v) : ulawEncodeSample(v));
const tok = (n = 8): string => randomBytes(n).toString('hex');

const EVENT: Record<string, number> = { '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9, '*': 10, '#': 11 };

export interface IvrCallerOptions {
  /** The box's SIP UDP address. */
  box: { host: string; port: number };
  /** The carrier's address (demo-trunk trusts 127.0.0.2). */
  localIp?: string;
  caller: string;
  callee: string;
  law?: 'pcma' | 'pcmu';
  /** Send a 20 ms frame of low noise every 20 ms, as a phone does (paused while a key is sent). */
  sendAudio?: boolean;
}

export interface RxPacket {
  /** hrNow() at arrival. */
  at: number;
  /** RMS of the decoded frame (16-bit scale). */
  rms: number;
  /** Frequency estimated from zero crossings (a pure tone's frequency, ±25 Hz). */
  hz: number;
  pt: number;
}

/** A run of audible packets of one kind: a prompt (or a tone) as the caller heard it. */
export interface HeardSegment {
  start: number;
  end: number;
  packets: number;
  rms: number;
  /** Median zero-crossing frequency. */
  hz: number;
}

interface SipMsg {
  first: string;
  headers: Map<string, string[]>;
  body: string;
}

function parseSip(text: string): SipMsg {
  const [head, ...rest] = text.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const headers = new Map<string, string[]>();
  const compact: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    let name = line.slice(0, i).trim().toLowerCase();
    name = compact[name] ?? name;
    const list = headers.get(name) ?? [];
    list.push(line.slice(i + 1).trim());
    headers.set(name, list);
  }
  return { first: lines[0]!, headers, body: rest.join('\r\n\r\n') };
}

const h = (m: SipMsg, name: string): string => m.headers.get(name)?.[0] ?? '';

export class IvrCaller {
  readonly rx: RxPacket[] = [];
  /** Resolves when the call has ended (either side), with who ended it. */
  readonly ended: Promise<'box' | 'us'>;
  /** SIP status of the INVITE's final response. */
  status = 0;
  callId = `${tok()}@ivr-ua`;
  private endedResolve!: (by: 'box' | 'us') => void;
  private isEnded = false;
  private readonly fromTag = tok(4);
  private toTag = '';
  private remoteTarget = '';
  private cseq = 1;
  private remoteRtp: { address: string; port: number } | null = null;
  private seq = Math.floor(Math.random() * 30000);
  private ts = Math.floor(Math.random() * 2 ** 30);
  private readonly ssrc = Math.floor(Math.random() * 2 ** 31);
  private audioTimer: NodeJS.Timeout | undefined;
  private sendingKey = false;
  /** While set, the frames sent are this tone instead of room noise (a caller speaking). */
  toneHz = 0;
  private tonePhase = 0;
  private readonly sipWaiters: ((m: SipMsg) => boolean)[] = [];
  private readonly rxWaiters: { test: (p: RxPacket) => boolean; resolve: (p: RxPacket) => void }[] = [];
  private readonly law: 'pcma' | 'pcmu';
  private readonly localIp: string;
  private readonly decode: Int16Array;

  private constructor(readonly o: IvrCallerOptions, readonly sip: dgram.Socket, readonly rtp: dgram.Socket) {
    this.law = o.law ?? 'pcma';
    this.localIp = o.localIp ?? '127.0.0.2';
    this.decode = this.law === 'pcma' ? ALAW_DECODE : ULAW_DECODE;
    this.ended = new Promise((r) => (this.endedResolve = r));
    sip.on('message', (b, rinfo) => this.onSip(b.toString('utf8'), rinfo));
    rtp.on('message', (b) => this.onRtp(b));
  }

  static async open(o: IvrCallerOptions): Promise<IvrCaller> {
    const ip = o.localIp ?? '127.0.0.2';
    const bind = (): Promise<dgram.Socket> =>
      new Promise((resolve, reject) => {
        const s = dgram.createSocket('udp4');
        s.once('error', reject);
        s.bind(0, ip, () => resolve(s));
      });
    return new IvrCaller(o, await bind(), await bind());
  }

  get sipPort(): number {
    return this.sip.address().port;
  }
  get rtpPort(): number {
    return this.rtp.address().port;
  }
  get pt(): number {
    return this.law === 'pcma' ? 8 : 0;
  }

  private send(text: string): void {
    this.sip.send(Buffer.from(text), this.o.box.port, this.o.box.host);
  }

  private via(branch = `z9hG4bK${tok()}`): string {
    return `Via: SIP/2.0/UDP ${this.localIp}:${this.sipPort};branch=${branch};rport`;
  }

  private sdp(): string {
    const ip = this.localIp;
    const name = this.law === 'pcma' ? 'PCMA' : 'PCMU';
    return [
      'v=0', `o=ivr-ua ${this.rtpPort} 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0',
      `m=audio ${this.rtpPort} RTP/AVP ${this.pt} 101`, `a=rtpmap:${this.pt} ${name}/8000`, 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15',
      'a=ptime:20', 'a=sendrecv', '',
    ].join('\r\n');
  }

  private request(method: string, cseq: number, branch: string, extra: string[] = [], body = ''): string {
    const ruri = method === 'INVITE' || !this.remoteTarget ? `sip:${this.o.callee}@${this.o.box.host}:${this.o.box.port}` : this.remoteTarget;
    return [
      `${method} ${ruri} SIP/2.0`, this.via(branch), `From: <sip:${this.o.caller}@${this.localIp}>;tag=${this.fromTag}`,
      `To: <sip:${this.o.callee}@${this.o.box.host}>${this.toTag ? `;tag=${this.toTag}` : ''}`, `Call-ID: ${this.callId}`, `CSeq: ${cseq} ${method}`,
      `Contact: <sip:${this.o.caller}@${this.localIp}:${this.sipPort}>`, 'Max-Forwards: 70', 'User-Agent: ccbox-ivr-ua', ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`, '', body,
    ].join('\r\n');
  }

  private waitSip(test: (m: SipMsg) => boolean, timeoutMs: number, what: string): Promise<SipMsg> {
    return new Promise((resolve, reject) => {
      const w = (m: SipMsg): boolean => {
        if (!test(m)) return false;
        clearTimeout(t);
        resolve(m);
        return true;
      };
      const t = setTimeout(() => {
        this.sipWaiters.splice(this.sipWaiters.indexOf(w), 1);
        reject(new Error(`IVR caller ${this.o.caller}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.sipWaiters.push(w);
    });
  }

  /** Sends INVITE (retransmitted per RFC 3261 timer A until a response), ACKs the 2xx, starts RTP. */
  async call(timeoutMs = 20_000): Promise<void> {
    const branch = `z9hG4bK${tok()}`;
    const invite = this.request('INVITE', 1, branch, ['Content-Type: application/sdp'], this.sdp());
    let gotResponse = false;
    let interval = 500;
    let retrans: NodeJS.Timeout;
    const resend = (): void => {
      if (gotResponse) return;
      this.send(invite);
      retrans = setTimeout(resend, (interval = Math.min(interval * 2, 4000)));
    };
    this.send(invite);
    retrans = setTimeout(resend, interval);
    const final = this.waitSip((m) => {
      if (!m.first.startsWith('SIP/2.0') || !h(m, 'cseq').endsWith('INVITE')) return false;
      gotResponse = true;
      return Number(m.first.split(' ')[1]) >= 200;
    }, timeoutMs, 'final response to INVITE');
    let res: SipMsg;
    try {
      res = await final;
    } finally {
      clearTimeout(retrans!);
    }
    this.status = Number(res.first.split(' ')[1]);
    this.toTag = /;tag=([^;>\s]+)/.exec(h(res, 'to'))?.[1] ?? '';
    if (this.status >= 300) {
      // RFC 3261 17.1.1.3: the ACK of a non-2xx goes in the INVITE's transaction.
      this.send(this.request('ACK', 1, branch));
      this.finish('box');
      throw new Error(`INVITE answered ${res.first}`);
    }
    this.remoteTarget = /<([^>]+)>/.exec(h(res, 'contact'))?.[1] ?? this.remoteTarget;
    this.send(this.request('ACK', 1, `z9hG4bK${tok()}`));
    const port = Number(/^m=audio (\d+)/m.exec(res.body)?.[1]);
    const address = /^c=IN IP4 (\S+)/m.exec(res.body)?.[1];
    if (!port || !address) throw new Error(`no audio in the answer:\n${res.body}`);
    this.remoteRtp = { address, port };
    if (this.o.sendAudio ?? true) this.audioTimer = setInterval(() => !this.sendingKey && this.sendFrame(), 20);
  }

  private sendFrame(): void {
    if (!this.remoteRtp) return;
    const p = Buffer.alloc(12 + 160);
    p[0] = 0x80;
    p[1] = this.pt;
    p.writeUInt16BE((this.seq = (this.seq + 1) & 0xffff), 2);
    p.writeUInt32BE((this.ts = (this.ts + 160) >>> 0), 4);
    p.writeUInt32BE(this.ssrc, 8);
    if (this.toneHz) {
      for (let i = 12; i < p.length; i++) {
        this.tonePhase += (2 * Math.PI * this.toneHz) / 8000;
        p[i] = encodeSample(this.law, Math.round(6000 * Math.sin(this.tonePhase)));
      }
    } else {
      // Quiet noise (a caller's room), far below a prompt's level.
      const silence = this.law === 'pcma' ? 0xd5 : 0xff;
      for (let i = 12; i < p.length; i++) p[i] = silence ^ (i & 1);
    }
    this.rtp.send(p, this.remoteRtp.port, this.remoteRtp.address);
  }

  private sendEvent(code: number, marker: boolean, end: boolean, duration: number, ts: number): void {
    if (!this.remoteRtp) return;
    const p = Buffer.alloc(16);
    p[0] = 0x80;
    p[1] = 101 | (marker ? 0x80 : 0);
    p.writeUInt16BE((this.seq = (this.seq + 1) & 0xffff), 2);
    p.writeUInt32BE(ts >>> 0, 4);
    p.writeUInt32BE(this.ssrc, 8);
    p[12] = code;
    p[13] = (end ? 0x80 : 0) | 10; // volume -10 dBm0
    p.writeUInt16BE(duration, 14);
    this.rtp.send(p, this.remoteRtp.port, this.remoteRtp.address);
  }

  /**
   * Presses one key as RFC 4733 packets: a start packet (marker), updates every 20 ms, then the end packet
   * three times (2.5.1.4). Resolves with hrNow() at the first end packet, when the box can report the key.
   * `burst`: the start and end packets back to back (the duration field still says `durationMs`).
   */
  pressKey(digit: string, durationMs = 100, burst = false): Promise<{ startAt: number; endAt: number }> {
    const code = EVENT[digit];
    if (code === undefined) throw new Error(`not a key: ${digit}`);
    if (this.sendingKey) throw new Error('one key at a time');
    this.sendingKey = true;
    // RFC 4733 2.5.1.2: all packets of an event carry the event's start timestamp.
    const ts = (this.ts = (this.ts + 160) >>> 0);
    const steps = Math.max(1, Math.round(durationMs / 20));
    const startAt = hrNow();
    this.sendEvent(code, true, false, 160, ts);
    if (burst) {
      // The whole event at once (start, then the end carrying the full duration): what the box does with it cannot
      // depend on this process's timers firing on time.
      for (let i = 0; i < 3; i++) this.sendEvent(code, false, true, steps * 160, ts);
      this.ts = (ts + steps * 160) >>> 0;
      this.sendingKey = false;
      return Promise.resolve({ startAt, endAt: hrNow() });
    }
    return new Promise((resolve) => {
      let step = 1;
      const timer = setInterval(() => {
        step++;
        if (step <= steps) return this.sendEvent(code, false, false, step * 160, ts);
        clearInterval(timer);
        const endAt = hrNow();
        for (let i = 0; i < 3; i++) this.sendEvent(code, false, true, steps * 160, ts);
        this.ts = (ts + steps * 160) >>> 0;
        this.sendingKey = false;
        resolve({ startAt, endAt });
      }, 20);
    });
  }

  /** Presses keys one after the other with `gapMs` between them. */
  async pressKeys(keys: string, gapMs = 80): Promise<{ startAt: number; endAt: number }> {
    let last = { startAt: 0, endAt: 0 };
    for (const k of keys) {
      last = await this.pressKey(k);
      await new Promise((r) => setTimeout(r, gapMs));
    }
    return last;
  }

  private onRtp(b: Buffer): void {
    if (b.length < 12 || (b[0]! & 0xc0) !== 0x80) return;
    const pt = b[1]! & 0x7f;
    if (pt >= 72 && pt <= 79) return;
    let off = 12 + 4 * (b[0]! & 0x0f);
    if (b[0]! & 0x10 && b.length >= off + 4) off += 4 + 4 * b.readUInt16BE(off + 2);
    let sum = 0;
    let crossings = 0;
    const n = b.length - off;
    if (pt === this.pt) {
      let prev = 0;
      for (let i = off; i < b.length; i++) {
        const v = this.decode[b[i]!]!;
        sum += v * v;
        if (i > off && (v >= 0) !== (prev >= 0)) crossings++;
        prev = v;
      }
    }
    const p: RxPacket = { at: hrNow(), rms: n > 0 && pt === this.pt ? Math.sqrt(sum / n) : 0, hz: n > 0 ? (crossings * 8000) / (2 * n) : 0, pt };
    this.rx.push(p);
    for (const w of [...this.rxWaiters]) {
      if (w.test(p)) {
        this.rxWaiters.splice(this.rxWaiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  }

  /** The first packet (already here or to come) arriving after `after` that passes `test`. */
  packetAfter(after: number, test: (p: RxPacket) => boolean = () => true, timeoutMs = 15_000): Promise<RxPacket> {
    const have = this.rx.find((p) => p.at > after && test(p));
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const w = {
        test: (p: RxPacket) => p.at > after && test(p),
        resolve: (p: RxPacket) => {
          clearTimeout(t);
          resolve(p);
        },
      };
      const t = setTimeout(() => {
        this.rxWaiters.splice(this.rxWaiters.indexOf(w), 1);
        reject(new Error(`IVR caller ${this.o.caller}: no RTP after ${after.toFixed(0)} within ${timeoutMs} ms (${this.rx.length} packets so far)`));
      }, timeoutMs);
      this.rxWaiters.push(w);
    });
  }

  /** An audible packet (a prompt playing) after `after`. */
  audioAfter(after: number, timeoutMs = 15_000, minRms = 300): Promise<RxPacket> {
    return this.packetAfter(after, (p) => p.rms >= minRms, timeoutMs);
  }

  /**
   * Splits what arrived into prompts: runs of audible packets separated by more than `gapMs` without one.
   * Each has its start, end, packet count and mean RMS.
   */
  bursts(gapMs = 400, minRms = 300): { start: number; end: number; packets: number; rms: number }[] {
    const out: { start: number; end: number; packets: number; rms: number; sq: number }[] = [];
    for (const p of this.rx) {
      if (p.rms < minRms) continue;
      const last = out.at(-1);
      if (last && p.at - last.end <= gapMs) {
        last.end = p.at;
        last.packets++;
        last.sq += p.rms ** 2;
      } else out.push({ start: p.at, end: p.at, packets: 1, rms: 0, sq: p.rms ** 2 });
    }
    return out.map((b) => ({ start: b.start, end: b.end, packets: b.packets, rms: Math.sqrt(b.sq / b.packets) }));
  }

  /**
   * What the caller heard since `from`, as segments: audible packets whose frequency stays within `hzTol` of the
   * segment's first, with gaps under `gapMs`. Tone prompts come out as one segment each; speech as several.
   */
  heard(from = 0, gapMs = 300, minRms = 300, hzTol = 100): HeardSegment[] {
    const out: (HeardSegment & { hzs: number[]; sq: number; hz0: number })[] = [];
    for (const p of this.rx) {
      if (p.at < from || p.rms < minRms) continue;
      const last = out.at(-1);
      if (last && p.at - last.end <= gapMs && Math.abs(p.hz - last.hz0) <= hzTol) {
        last.end = p.at;
        last.packets++;
        last.sq += p.rms ** 2;
        last.hzs.push(p.hz);
      } else out.push({ start: p.at, end: p.at, packets: 1, rms: 0, hz: 0, hzs: [p.hz], sq: p.rms ** 2, hz0: p.hz });
    }
    return out.map((s) => ({ start: s.start, end: s.end, packets: s.packets, rms: Math.sqrt(s.sq / s.packets), hz: s.hzs.sort((a, b) => a - b)[s.hzs.length >> 1]! }));
  }

  /** Waits until no audible packet has arrived for `quietMs` (the current prompt ended). */
  async quiet(quietMs = 500, timeoutMs = 30_000, minRms = 300): Promise<number> {
    const until = hrNow() + timeoutMs;
    for (;;) {
      const last = [...this.rx].reverse().find((p) => p.rms >= minRms)?.at ?? 0;
      const now = hrNow();
      if (now - last >= quietMs) return last;
      if (now > until) throw new Error(`IVR caller ${this.o.caller}: still hearing audio after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, Math.max(20, quietMs - (now - last))));
    }
  }

  private onSip(text: string, rinfo: dgram.RemoteInfo): void {
    const m = parseSip(text);
    for (const w of [...this.sipWaiters]) if (w(m)) this.sipWaiters.splice(this.sipWaiters.indexOf(w), 1);
    if (m.first.startsWith('SIP/2.0')) return;
    const method = m.first.split(' ')[0]!;
    if (method === 'ACK') return;
    const reply = (status: string, extra: string[] = [], body = ''): void => {
      const lines = [`SIP/2.0 ${status}`, ...(m.headers.get('via') ?? []).map((v) => `Via: ${v}`), `From: ${h(m, 'from')}`,
        `To: ${h(m, 'to')}${/;tag=/.test(h(m, 'to')) ? '' : `;tag=${this.fromTag}`}`, `Call-ID: ${h(m, 'call-id')}`, `CSeq: ${h(m, 'cseq')}`, ...extra,
        `Content-Length: ${Buffer.byteLength(body)}`, '', body];
      this.sip.send(Buffer.from(lines.join('\r\n')), rinfo.port, rinfo.address);
    };
    if (method === 'BYE' || method === 'CANCEL') {
      reply('200 OK');
      if (method === 'BYE') this.finish('box');
      return;
    }
    if (method === 'INVITE' || method === 'UPDATE') {
      // A refresh or re-offer: answer with the same media.
      const sdp = m.body.includes('m=audio') ? this.sdp() : '';
      reply('200 OK', [`Contact: <sip:${this.o.caller}@${this.localIp}:${this.sipPort}>`, ...(sdp ? ['Content-Type: application/sdp'] : [])], sdp);
      return;
    }
    reply('200 OK');
  }

  private finish(by: 'box' | 'us'): void {
    if (this.isEnded) return;
    this.isEnded = true;
    clearInterval(this.audioTimer);
    this.endedResolve(by);
  }

  get hungUp(): boolean {
    return this.isEnded;
  }

  /** BYE (retransmitted until answered). */
  async hangup(): Promise<void> {
    if (this.isEnded) return;
    clearInterval(this.audioTimer);
    const cseq = ++this.cseq;
    const bye = this.request('BYE', cseq, `z9hG4bK${tok()}`);
    const ok = this.waitSip((m) => m.first.startsWith('SIP/2.0') && h(m, 'cseq') === `${cseq} BYE`, 8000, '200 to BYE');
    this.send(bye);
    const t = setInterval(() => this.send(bye), 500);
    try {
      await ok;
    } finally {
      clearInterval(t);
    }
    this.finish('us');
  }

  close(): void {
    clearInterval(this.audioTimer);
    this.sip.close();
    this.rtp.close();
  }
}
