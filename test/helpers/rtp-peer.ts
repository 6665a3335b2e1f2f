// A SIP-side RTP endpoint for tests and the media benchmark: a UDP socket that offers G.711 in
// SDP, sends 20 ms packets stamped with their send time (in the first payload bytes, which a relay
// passes through untouched), and counts what comes back with its one-way delay.
import dgram from 'node:dgram';
import type { G711Law } from '../../src/media/codec/index.ts';

const PT: Record<G711Law, number> = { pcmu: 0, pcma: 8 };
const NAME: Record<G711Law, string> = { pcmu: 'PCMU', pcma: 'PCMA' };
export const FRAME_BYTES = 160;
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A 160-byte frame: the send time (float64 ms) then a repeating ramp (audible, never silence). */
export function stampFrame(frame: Buffer, sentAt: number, seq: number): void {
  frame.writeDoubleBE(sentAt, 12);
  for (let i = 20; i < frame.length; i++) frame[i] = ((i * 7 + seq) & 0x7f) | 0x20;
}

export class RtpPeer {
  sent = 0;
  received = 0;
  /** Per received packet: one-way delay in ms (only when `recordDelays`). */
  readonly delays: number[] = [];
  recordDelays = false;
  private remote: { address: string; port: number } | null = null;
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 2 ** 31);
  private readonly ssrc = Math.floor(Math.random() * 2 ** 31);
  private readonly frame = Buffer.alloc(12 + FRAME_BYTES);
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  private constructor(readonly socket: dgram.Socket, readonly address: string, readonly port: number, readonly law: G711Law) {
    socket.on('message', (msg) => this.onPacket(msg));
  }

  static open(law: G711Law, address = '127.0.0.1'): Promise<RtpPeer> {
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket('udp4');
      s.once('error', reject);
      s.bind(0, address, () => resolve(new RtpPeer(s, address, s.address().port, law)));
    });
  }

  /** An SDP offer for this endpoint (G.711 in `law` plus telephone-event, as phones send). */
  offer(): string {
    return [
      'v=0', `o=- ${this.port} 1 IN IP4 ${this.address}`, 's=-', `c=IN IP4 ${this.address}`, 't=0 0',
      `m=audio ${this.port} RTP/AVP ${PT[this.law]} 101`, `a=rtpmap:${PT[this.law]} ${NAME[this.law]}/8000`,
      'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'a=sendrecv', '',
    ].join('\r\n');
  }

  /** Reads the peer's address and port from its SDP (answer or offer). */
  useRemoteSdp(sdp: string): { address: string; port: number } {
    const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1]);
    const address = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
    if (!port || !address) throw new Error(`no audio address in SDP:\n${sdp}`);
    this.remote = { address, port };
    return this.remote;
  }

  setRemote(address: string, port: number): void {
    this.remote = { address, port };
  }

  /** Sends one packet now. */
  sendOne(): void {
    if (!this.remote) return;
    const f = this.frame;
    f[0] = 0x80;
    f[1] = PT[this.law];
    f.writeUInt16BE(this.seq = (this.seq + 1) & 0xffff, 2);
    f.writeUInt32BE(this.ts = (this.ts + FRAME_BYTES) >>> 0, 4);
    f.writeUInt32BE(this.ssrc, 8);
    stampFrame(f, nowMs(), this.seq);
    this.socket.send(f, this.remote.port, this.remote.address);
    this.sent++;
  }

  /** Sends every 20 ms until `stop()` (tests; the benchmark paces many peers itself). */
  start(): void {
    this.timer ??= setInterval(() => this.sendOne(), 20);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private onPacket(msg: Buffer): void {
    if (msg.length < 12 || (msg[0]! & 0xc0) !== 0x80) return;
    const pt = msg[1]! & 0x7f;
    if (pt >= 72 && pt <= 79) return; // RTCP on a muxed port
    this.received++;
    if (this.recordDelays) {
      let off = 12 + 4 * (msg[0]! & 0x0f);
      if (msg[0]! & 0x10 && msg.length >= off + 4) off += 4 + 4 * msg.readUInt16BE(off + 2);
      if (msg.length >= off + 8) this.delays.push(nowMs() - msg.readDoubleBE(off));
    }
    for (const w of [...this.waiters]) {
      if (this.received >= w.n) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `n` packets in all have arrived. */
  waitReceived(n: number, timeoutMs: number): Promise<void> {
    if (this.received >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { n, resolve: () => (clearTimeout(t), resolve()) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`RTP peer ${this.port}: ${this.received}/${n} packets within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  close(): void {
    this.stop();
    this.socket.close();
  }
}
