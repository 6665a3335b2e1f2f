// RFC 3263 4 server location for a SIP/SIPS URI: transport by NAPTR, port and hosts by SRV
// (RFC 2782 priority and weighted random order), then A/AAAA. DNS itself is injected; IP
// literals are answered without any lookup.
import { hostAddress, hostKind } from './grammar.ts';
import type { RandomSource } from './ids.ts';
import type { SipUri } from './uri-types.ts';

export type SipTransport = 'udp' | 'tcp' | 'tls' | 'sctp' | 'ws' | 'wss';

export interface NaptrRecord {
  order: number;
  preference: number;
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  name: string;
}

/** Lookups are expected to resolve to [] (or reject) for NXDOMAIN / no data. */
export interface DnsLookups {
  naptr(name: string): Promise<NaptrRecord[]>;
  srv(name: string): Promise<SrvRecord[]>;
  a(name: string): Promise<string[]>;
  aaaa(name: string): Promise<string[]>;
}

export interface ResolvedTarget {
  transport: SipTransport;
  address: string;
  port: number;
}

export interface ResolveOptions {
  lookups: DnsLookups;
  random: RandomSource;
  /** Transports we can use, in our order of preference. Default udp, tcp, tls. */
  transports?: readonly SipTransport[];
  /** Also look up AAAA (after A). Default true. */
  ipv6?: boolean;
}

// RFC 3263 4.1 and RFC 7118: NAPTR services for SIP.
const NAPTR_SERVICES: Record<string, { transport: SipTransport; secure: boolean }> = {
  'SIP+D2U': { transport: 'udp', secure: false }, 'SIP+D2T': { transport: 'tcp', secure: false },
  'SIPS+D2T': { transport: 'tls', secure: true }, 'SIP+D2S': { transport: 'sctp', secure: false },
  'SIP+D2W': { transport: 'ws', secure: false }, 'SIPS+D2W': { transport: 'wss', secure: true },
};

const SECURE: ReadonlySet<SipTransport> = new Set(['tls', 'wss']);

/** RFC 3261 19.1.2: 5060, or 5061 for TLS. */
export function defaultPort(transport: SipTransport): number {
  return SECURE.has(transport) ? 5061 : 5060;
}

/** "_sip._udp", "_sips._tcp" ... the SRV prefix of a transport (RFC 3263 4.1). */
function srvPrefix(transport: SipTransport): string {
  const proto = transport === 'udp' ? 'udp' : transport === 'sctp' ? 'sctp' : 'tcp';
  return `${SECURE.has(transport) ? '_sips' : '_sip'}._${proto}`;
}

async function safe<T>(lookup: () => Promise<T[]>): Promise<T[]> {
  try {
    return await lookup();
  } catch {
    return [];
  }
}

/**
 * RFC 2782: sort by priority; within a priority, repeatedly "choose a uniform random number
 * between 0 and the sum computed (inclusive), and select the RR whose running sum value is
 * the first in the selected order which is greater than or equal to the random number",
 * with weight-0 records placed first. A target of "." means "no service".
 */
export function orderSrv(records: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const usable = records.filter((r) => r.name !== '.' && r.name !== '');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const p of priorities) {
    const group = usable.filter((r) => r.priority === p).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (group.length > 0) {
      const sum = group.reduce((s, r) => s + r.weight, 0);
      const pick = Math.floor(random() * (sum + 1));
      let running = 0;
      const index = group.findIndex((r) => (running += r.weight) >= pick);
      out.push(group.splice(index < 0 ? group.length - 1 : index, 1)[0]);
    }
  }
  return out;
}

async function addresses(name: string, opts: ResolveOptions): Promise<string[]> {
  const v4 = await safe(() => opts.lookups.a(name));
  const v6 = opts.ipv6 === false ? [] : await safe(() => opts.lookups.aaaa(name));
  return [...v4, ...v6];
}

async function hostTargets(name: string, transport: SipTransport, port: number, opts: ResolveOptions): Promise<ResolvedTarget[]> {
  return (await addresses(name, opts)).map((address) => ({ transport, address, port }));
}

async function srvTargets(name: string, transport: SipTransport, opts: ResolveOptions): Promise<ResolvedTarget[]> {
  const out: ResolvedTarget[] = [];
  for (const srv of orderSrv(await safe(() => opts.lookups.srv(name)), opts.random)) {
    out.push(...(await hostTargets(srv.name, transport, srv.port, opts)));
  }
  return out;
}

/** RFC 3263 4.1: NAPTR records for the domain, filtered to what we and the URI allow. */
async function naptrTargets(domain: string, secureOnly: boolean, allowed: readonly SipTransport[], opts: ResolveOptions): Promise<ResolvedTarget[]> {
  const records = (await safe(() => opts.lookups.naptr(domain)))
    .filter((r) => r.flags.toLowerCase() === 's')
    .map((r) => ({ r, svc: NAPTR_SERVICES[r.service.toUpperCase()] }))
    .filter(({ svc }) => svc && allowed.includes(svc.transport) && (!secureOnly || svc.secure))
    .sort((a, b) => a.r.order - b.r.order || a.r.preference - b.r.preference);
  const out: ResolvedTarget[] = [];
  for (const { r, svc } of records) out.push(...(await srvTargets(r.replacement, svc!.transport, opts)));
  return out;
}

function dedupe(targets: ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.transport}|${t.address}|${t.port}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

/**
 * The ordered list of (transport, address, port) to try for a request to `uri`
 * (RFC 3263 4.3: on failure, the next one). Empty when nothing resolves.
 */
export async function resolveSipTargets(uri: SipUri, opts: ResolveOptions): Promise<ResolvedTarget[]> {
  const secureOnly = uri.scheme === 'sips';
  const supported = (opts.transports ?? ['udp', 'tcp', 'tls']).filter((t) => !secureOnly || SECURE.has(t));
  // "If the URI contains an maddr parameter, the maddr is the TARGET"
  const target = uri.params.get('maddr') ?? uri.host;
  const param = uri.params.get('transport')?.toLowerCase();
  const explicit = param === undefined ? undefined : (secureOnly && param === 'tcp' ? 'tls' : param) as SipTransport;
  const fallback: SipTransport = secureOnly ? 'tls' : 'udp';
  const kind = hostKind(target);
  // 4.1/4.2: "If TARGET is a numeric IP address, the client uses that address" — no lookups.
  if (kind === 'ipv4' || kind === 'ipv6') {
    const transport = explicit ?? fallback;
    return [{ transport, address: hostAddress(target), port: uri.port ?? defaultPort(transport) }];
  }
  if (explicit && !supported.includes(explicit)) return [];
  if (uri.port !== undefined) return hostTargets(target, explicit ?? fallback, uri.port, opts);
  if (explicit) {
    const viaSrv = await srvTargets(`${srvPrefix(explicit)}.${target}`, explicit, opts);
    return dedupe(viaSrv.length > 0 ? viaSrv : await hostTargets(target, explicit, defaultPort(explicit), opts));
  }
  const viaNaptr = await naptrTargets(target, secureOnly, supported, opts);
  if (viaNaptr.length > 0) return dedupe(viaNaptr);
  // "If no NAPTR records are found, the client constructs SRV queries for those transport
  // protocols it supports, and does a query for each."
  const viaSrv: ResolvedTarget[] = [];
  for (const t of supported) viaSrv.push(...(await srvTargets(`${srvPrefix(t)}.${target}`, t, opts)));
  if (viaSrv.length > 0) return dedupe(viaSrv);
  // "If no SRV records were found, the client SHOULD use TCP for a SIPS URI, and UDP for a
  // SIP URI" with an A or AAAA lookup of the domain.
  return dedupe(await hostTargets(target, fallback, defaultPort(fallback), opts));
}
