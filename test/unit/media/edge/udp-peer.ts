// Test helper: a UDP socket on 127.0.0.1 that records what it receives and lets a test await
// the next matching datagram instead of sleeping.
import dgram from 'node:dgram';
import { buildRtp, createRtpHeader, parseRtp } from '../../../../src/media/codec/index.ts';
import type { RtpHeader } from '../../../../src/media/codec/index.ts';

export interface Received {
  data: Buffer;
  header: RtpHeader | null;
  payload: Buffer;
  from: number;
}

type Waiter = { match: (r: Received) => boolean; resolve: (r: Received) => void };

export class UdpPeer {
  readonly received: Received[] = [];
  private waiters: Waiter[] = [];
  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (data, rinfo) => {
      const h = createRtpHeader();
      const ok = parseRtp(data, h);
      const r: Received = {
        data, header: ok ? h : null, from: rinfo.port,
        payload: ok ? data.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength) : data,
      };
      this.received.push(r);
      this.waiters = this.waiters.filter((w) => (w.match(r) ? (w.resolve(r), false) : true));
    });
  }

  static async open(): Promise<UdpPeer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: Uint8Array, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }

  sendRtp(port: number, o: { pt: number; seq: number; ts: number; ssrc: number; marker?: boolean }, payload: Uint8Array): Promise<void> {
    return this.send(buildRtp({ payloadType: o.pt, sequenceNumber: o.seq, timestamp: o.ts, ssrc: o.ssrc, marker: o.marker }, payload), port);
  }

  /** Resolves with the first datagram (already received or future) that matches. */
  next(match: (r: Received) => boolean = () => true, after = 0): Promise<Received> {
    const seen = this.received.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match: (r) => this.received.indexOf(r) >= after && match(r), resolve }));
  }

  /** Resolves once `count` datagrams matching have arrived. */
  async count(count: number, match: (r: Received) => boolean = () => true): Promise<Received[]> {
    for (;;) {
      const got = this.received.filter(match);
      if (got.length >= count) return got;
      await this.next((r) => match(r) && this.received.filter(match).length >= count);
    }
  }

  close(): void {
    this.socket.close();
  }
}
