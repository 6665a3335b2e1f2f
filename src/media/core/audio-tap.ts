// An audio tap: what one leg says (its Producer on the call's router), delivered to the main process as
// 20 ms G.711 payloads in the call's law — for speech recognition in the IVR. It is one more Consumer on a
// loopback PlainTransport aimed at a UDP socket of ours, so the RTP edge threads are not touched; the
// packets (50 a second, only while a speech menu listens) are the one per-packet work done on the main loop.
import dgram from 'node:dgram';
import type { types as ms } from 'mediasoup';
import { createRtpHeader, looksLikeRtcp, parseRtp, type G711Law } from '../codec/index.ts';
import type { AudioTap } from './media-types.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

export interface AudioTapDeps {
  pool: MediaWorkerPool;
  router: ms.Router;
  producer: ms.Producer;
  relayIp: string;
  law: G711Law;
}

export async function openAudioTap(d: AudioTapDeps, onAudio: (payload: Uint8Array, law: G711Law) => void): Promise<AudioTap> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, d.relayIp, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let transport: ms.PlainTransport | undefined;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    if (transport && !transport.closed) transport.close();
    socket.close();
  };
  try {
    const { pool, router } = d;
    transport = await pool.request('createPlainTransport', router.createPlainTransport({
      listenInfo: pool.listenInfo(d.relayIp), rtcpMux: true, comedia: false, appData: { tap: true },
    }));
    await pool.request('transport.connect', transport.connect({ ip: d.relayIp, port: socket.address().port }));
    await pool.request('consume', transport.consume({ producerId: d.producer.id, rtpCapabilities: router.rtpCapabilities as ms.RtpCapabilities, paused: false }));
  } catch (err) {
    close();
    throw err;
  }
  const header = createRtpHeader();
  const source = transport.tuple;
  socket.on('message', (msg, rinfo) => {
    // Only the tap's own transport sends here.
    if (rinfo.port !== source.localPort || looksLikeRtcp(msg) || !parseRtp(msg, header)) return;
    if (header.payloadLength <= 0) return;
    onAudio(msg.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength), d.law);
  });
  socket.on('error', () => close());
  transport.observer.once('close', () => close());
  return { close };
}
