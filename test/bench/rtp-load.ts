// The benchmark's traffic: pairs of G.711 endpoints (the two phones of a call), each sending a
// 20 ms packet on its own phase (calls are not aligned in real life), stamped with the send time.
// Only packets sent inside the measured windows count, so warm-up and drain never skew loss; a
// load can be started and stopped several times (the bench alternates relays slice by slice).
import dgram from 'node:dgram';
import { FRAME_BYTES, nowMs, stampFrame } from '../helpers/rtp-peer.ts';

/** The measured windows [start, end) of a load (ms on the performance clock). */
export class Windows {
  private readonly list: { start: number; end: number }[] = [];

  add(start: number, end: number): void {
    this.list.push({ start, end });
  }

  has(t: number): boolean {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const w = this.list[i]!;
      if (t >= w.start && t < w.end) return true;
    }
    return false;
  }
}

export class Endpoint {
  private remoteAddr: { address: string; port: number } | null = null;
  private connected = false;
  nextSend = 0;
  sent = 0;
  received = 0;
  delays: Float32Array;
  nDelays = 0;
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 2 ** 31);
  private readonly ssrc = Math.floor(Math.random() * 2 ** 31);

  constructor(readonly socket: dgram.Socket, readonly port: number, readonly pt: number, private readonly window: Windows, capacity: number) {
    this.delays = new Float32Array(capacity);
    socket.on('message', (msg) => this.onPacket(msg));
  }

  get remote(): { address: string; port: number } | null {
    return this.remoteAddr;
  }

  /** A connected socket: no per-packet address lookup in dgram (it halves the generator's cost). */
  set remote(r: { address: string; port: number } | null) {
    this.remoteAddr = r;
    if (!r) return;
    this.socket.connect(r.port, r.address, () => (this.connected = true));
  }

  send(now: number): void {
    if (!this.connected) return;
    const f = Buffer.allocUnsafe(12 + FRAME_BYTES);
    f[0] = 0x80;
    f[1] = this.pt;
    f.writeUInt16BE(this.seq = (this.seq + 1) & 0xffff, 2);
    f.writeUInt32BE(this.ts = (this.ts + FRAME_BYTES) >>> 0, 4);
    f.writeUInt32BE(this.ssrc, 8);
    stampFrame(f, now, this.seq);
    this.socket.send(f);
    if (this.window.has(now)) this.sent++;
  }

  private onPacket(msg: Buffer): void {
    if (msg.length < 20 || (msg[0]! & 0xc0) !== 0x80) return;
    const pt = msg[1]! & 0x7f;
    if (pt >= 72 && pt <= 79) return;
    let off = 12 + 4 * (msg[0]! & 0x0f);
    if (msg[0]! & 0x10) off += 4 + 4 * msg.readUInt16BE(off + 2);
    if (msg.length < off + 8) return;
    const sentAt = msg.readDoubleBE(off);
    if (!this.window.has(sentAt)) return;
    this.received++;
    if (this.nDelays < this.delays.length) this.delays[this.nDelays++] = nowMs() - sentAt;
  }
}

export interface LoadResult {
  sent: number;
  received: number;
  lossPct: number;
  /** p99 of each packet's delay above its stream's fastest packet (the jitter the relay added). */
  jitterP99Ms: number;
  delayP50Ms: number;
}

export class RtpLoad {
  readonly window = new Windows();
  readonly endpoints: Endpoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Gaps of more than 50 ms in the generator's 1 ms clock, and their total length. */
  stalls = 0;
  stalledMs = 0;

  constructor(private readonly capacity: number) {}

  async open(n: number, pt: number): Promise<Endpoint[]> {
    const out: Endpoint[] = [];
    for (let i = 0; i < n; i++) {
      const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      const ep = new Endpoint(s, s.address().port, pt, this.window, this.capacity);
      this.endpoints.push(ep);
      out.push(ep);
    }
    return out;
  }

  /** Every endpoint sends every 20 ms, phases spread over the period; a late loop catches up without bursts. */
  start(): void {
    this.stop();
    const t0 = nowMs();
    this.endpoints.forEach((ep, i) => (ep.nextSend = t0 + ((i * 20) / this.endpoints.length)));
    let last = t0;
    this.timer = setInterval(() => {
      const now = nowMs();
      // How late the generator's own clock runs (a starved generator feeds the relay less).
      if (now - last > 50) {
        this.stalls++;
        this.stalledMs += now - last;
      }
      last = now;
      for (const ep of this.endpoints) {
        if (ep.nextSend > now) continue;
        if (now - ep.nextSend > 200) ep.nextSend = now; // stalled: skip instead of a burst
        ep.send(now);
        ep.nextSend += 20;
      }
    }, 1);
  }

  /** Adds a measured window starting `startInMs` from now. */
  measure(startInMs: number, durationMs: number): void {
    const start = nowMs() + startInMs;
    this.window.add(start, start + durationMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  result(): LoadResult {
    let sent = 0;
    let received = 0;
    const added: number[] = [];
    const all: number[] = [];
    for (const ep of this.endpoints) {
      sent += ep.sent;
      received += ep.received;
      let min = Infinity;
      for (let i = 0; i < ep.nDelays; i++) min = Math.min(min, ep.delays[i]!);
      for (let i = 0; i < ep.nDelays; i++) {
        added.push(ep.delays[i]! - min);
        all.push(ep.delays[i]!);
      }
    }
    const pct = (a: number[], p: number): number => {
      if (!a.length) return NaN;
      a.sort((x, y) => x - y);
      return a[Math.min(a.length - 1, Math.floor(a.length * p))]!;
    };
    return { sent, received, lossPct: sent ? (100 * Math.max(0, sent - received)) / sent : 100, jitterP99Ms: pct(added, 0.99), delayP50Ms: pct(all, 0.5) };
  }

  close(): void {
    this.stop();
    for (const ep of this.endpoints) ep.socket.close();
  }
}
