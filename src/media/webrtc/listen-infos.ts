// The WebRtcServer's sockets: one UDP and one TCP socket per address on the one configured port.
// With an announced address (NAT, or a chosen LAN address) the server listens on `listenIp` and
// announces that address; on 0.0.0.0 without one it listens on each IPv4 address of the host, so
// each interface's candidate is its own address (loopback included, for local tests and tools).
import { networkInterfaces } from 'node:os';
import type { types as ms } from 'mediasoup';
import type { WebRtcListenOptions } from './webrtc-types.ts';

export function hostIpv4Addresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !out.includes(a.address)) out.push(a.address);
  }
  if (!out.includes('127.0.0.1')) out.push('127.0.0.1');
  return out;
}

export function webRtcListenInfos(
  listen: WebRtcListenOptions,
  portRange: { min: number; max: number },
  addresses: () => string[] = hostIpv4Addresses,
): ms.TransportListenInfo[] {
  const port = listen.port > 0 ? { port: listen.port } : { portRange };
  const wildcard = listen.listenIp === '0.0.0.0' || listen.listenIp === '::';
  const ips = listen.announcedAddress || !wildcard ? [listen.listenIp] : addresses();
  const out: ms.TransportListenInfo[] = [];
  for (const ip of ips) {
    for (const protocol of ['udp', 'tcp'] as const) {
      out.push({ protocol, ip, ...(listen.announcedAddress ? { announcedAddress: listen.announcedAddress } : {}), ...port });
    }
  }
  return out;
}
