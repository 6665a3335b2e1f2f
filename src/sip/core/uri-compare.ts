// URI equivalence: RFC 3261 19.1.4 for sip/sips, RFC 3966 4 for tel, exact for others.
import { hostAddress, hostKind, type Params } from './grammar.ts';
import type { SipUri, TelUri, Uri } from './uri-types.ts';

// RFC 3261 19.1.4: "A user, ttl, or method uri-parameter appearing in only one URI never
// matches ... A URI that includes an maddr parameter will not match a URI that contains no
// maddr parameter." transport is added because the section's own examples treat
// sip:bob@biloxi.com;transport=udp and sip:bob@biloxi.com as different.
const MUST_MATCH_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

const ci = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? null) === (b ?? null) || (a != null && b != null && a.toLowerCase() === b.toLowerCase());

function sameHost(a: string, b: string): boolean {
  // "For two URIs to be equal, the host ... must match; comparison is case-insensitive."
  // An IP address never equals a name, even one that resolves to it.
  const ka = hostKind(a);
  if (ka !== hostKind(b)) return false;
  if (ka === 'ipv6') return normalizeIpv6(hostAddress(a)) === normalizeIpv6(hostAddress(b));
  return a.toLowerCase() === b.toLowerCase();
}

function normalizeIpv6(addr: string): string {
  const [head, tail = ''] = addr.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = addr.includes('::') && tail ? tail.split(':') : [];
  const fill = addr.includes('::') ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

function paramsMatch(a: Params, b: Params): boolean {
  for (const name of MUST_MATCH_PARAMS) {
    if (a.has(name) !== b.has(name)) return false;
    if (!ci(a.get(name), b.get(name))) return false;
  }
  // "All other uri-parameters appearing in only one URI are ignored when comparing"
  for (const [name, value] of a) {
    if (b.has(name) && !ci(value, b.get(name))) return false;
  }
  return true;
}

function headersMatch(a: Array<[string, string]>, b: Array<[string, string]>): boolean {
  // "URI header components are never ignored ... the set of header components must match"
  if (a.length !== b.length) return false;
  const key = ([n, v]: [string, string]) => `${n.toLowerCase()}=${v.toLowerCase()}`;
  const set = new Set(a.map(key));
  return b.every((h) => set.has(key(h)));
}

function sipEquals(a: SipUri, b: SipUri): boolean {
  // "A SIP and SIPS URI are never equivalent."
  if (a.scheme !== b.scheme) return false;
  // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive" (escapes resolved)
  if (a.user !== b.user || a.password !== b.password) return false;
  if (!sameHost(a.host, b.host)) return false;
  // "A URI omitting any component with a default value will not match a URI explicitly
  // containing that component with its default value."
  if (a.port !== b.port) return false;
  return paramsMatch(a.params, b.params) && headersMatch(a.headers, b.headers);
}

function telEquals(a: TelUri, b: TelUri): boolean {
  // RFC 3966 4: visual separators are ignored; parameters compared as a set.
  const strip = (n: string) => n.replace(/[-.()]/g, '').toLowerCase();
  if (strip(a.number) !== strip(b.number) || a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    if (!b.params.has(name) || !ci(value, b.params.get(name))) return false;
  }
  return true;
}

export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.scheme !== b.scheme) {
    return false;
  }
  if (a.scheme === 'sip' || a.scheme === 'sips') return sipEquals(a as SipUri, b as SipUri);
  if (a.scheme === 'tel') return telEquals(a as TelUri, b as TelUri);
  return 'opaque' in a && 'opaque' in b && a.opaque === b.opaque;
}
