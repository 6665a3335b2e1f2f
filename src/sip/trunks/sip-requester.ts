// Out-of-dialog requests the trunks send (REGISTER, OPTIONS): one client transaction each, its final
// response as a promise (Timer F is the deadline), and carrier hosts resolved by RFC 3263.
import { promises as dns } from 'node:dns';
import {
  isSipUri, parseUri, resolveSipTargets, type DnsLookups, type RandomSource, type SipRequest, type SipResponse,
} from '../core/index.ts';
import type { AdvertisedAddress, SipDestination, SipStack, TransportProtocol } from '../index.ts';

export class SipRequestError extends Error {
  constructor(readonly kind: 'timeout' | 'transport' | 'unresolved', message: string) {
    super(message);
    this.name = 'SipRequestError';
  }
}

export interface SipRequester {
  /** Sends `req` in a new client transaction; resolves with the final response. */
  request(req: SipRequest, dest: SipDestination): Promise<SipResponse>;
  advertisedFor(dest: { transport: TransportProtocol; ip: string }): AdvertisedAddress;
  /** The first RFC 3263 target of host:port over `transport` (IP literals need no lookup). */
  resolve(host: string, port: number, transport: TransportProtocol): Promise<SipDestination>;
}

const nodeDns: DnsLookups = {
  naptr: async (n) => (await dns.resolveNaptr(n)).map((r) => ({ order: r.order, preference: r.preference, flags: r.flags, service: r.service, regexp: r.regexp, replacement: r.replacement })),
  srv: async (n) => (await dns.resolveSrv(n)).map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, name: r.name })),
  a: (n) => dns.resolve4(n),
  aaaa: (n) => dns.resolve6(n),
};

export function resolverFor(random: RandomSource, lookups: DnsLookups = nodeDns) {
  return async (host: string, port: number, transport: TransportProtocol): Promise<SipDestination> => {
    const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const uri = parseUri(`sip:${bracketed}:${port};transport=${transport}`);
    if (!isSipUri(uri)) throw new SipRequestError('unresolved', `not a SIP host: ${host}`);
    const [first] = await resolveSipTargets(uri, { lookups, random, transports: [transport] });
    if (!first) throw new SipRequestError('unresolved', `${host} does not resolve`);
    return { transport: first.transport as TransportProtocol, ip: first.address, port: first.port };
  };
}

export function stackRequester(stack: SipStack, random: RandomSource): SipRequester {
  return {
    request: (req, dest) =>
      new Promise((resolve, reject) => {
        stack.sendRequest(req, dest, {
          onResponse: (res) => {
            if (res.status >= 200) resolve(res);
          },
          onTimeout: () => reject(new SipRequestError('timeout', `${req.method} to ${dest.ip}:${dest.port} timed out`)),
          onTransportError: (err) => reject(new SipRequestError('transport', `${req.method} to ${dest.ip}:${dest.port} failed: ${String((err as Error)?.message ?? err)}`)),
        });
      }),
    advertisedFor: (dest) => stack.advertisedFor(dest),
    resolve: resolverFor(random),
  };
}
