// Address helpers shared by the transports: unmapping v4-mapped IPv6, families, host formatting.
import { isIPv6 } from 'node:net';

/** `::ffff:10.0.0.1` → `10.0.0.1`; other addresses unchanged; a zone id is dropped. */
export function normalizeIp(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return m ? m[1]! : bare;
}

export function familyOf(ip: string): 4 | 6 {
  return isIPv6(ip) ? 6 : 4;
}

/** Host as written in a Via, Contact or URI: IPv6 references get brackets (RFC 3261 25.1). */
export function uriHost(ip: string): string {
  return isIPv6(ip) ? `[${ip}]` : ip;
}

export const remoteKey = (ip: string, port: number): string => `${normalizeIp(ip)}|${port}`;
