// NAT: which of our addresses goes into Via and Contact for a destination. Local networks see the
// address of the interface that reaches them; everything else sees the configured external address.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import os from 'node:os';
import { familyOf } from './addresses.ts';

export const DEFAULT_LOCAL_NETWORKS = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

export interface InterfaceAddress {
  address: string;
  netmask: string;
  family: 4 | 6;
  internal: boolean;
}

/** Parses `a.b.c.d/n` or `x::/n` (a bare address is a single host) into a BlockList. */
export function cidrList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of cidrs) {
    const [addr, bits] = raw.trim().split('/');
    if (!addr) continue;
    const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (!isIPv4(addr) && !isIPv6(addr)) throw new Error(`"${raw}" is not an address or CIDR network`);
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) throw new Error(`"${raw}" has a bad prefix length`);
      list.addSubnet(addr, prefix, type);
    }
  }
  return list;
}

/** Answers per list and address, remembered: BlockList.check builds a SocketAddress per call, on every SIP message. */
const answers = new WeakMap<BlockList, Map<string, boolean>>();
const MAX_REMEMBERED = 4096;

/** Whether `ip` is in `list` (a list from cidrList, never changed after it was built). */
export function inList(list: BlockList, ip: string): boolean {
  let known = answers.get(list);
  if (!known) answers.set(list, (known = new Map()));
  let hit = known.get(ip);
  if (hit === undefined) {
    hit = list.check(ip, familyOf(ip) === 6 ? 'ipv6' : 'ipv4');
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(ip, hit);
  }
  return hit;
}

function systemInterfaces(): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) out.push({ address: a.address.replace(/%.*$/, ''), netmask: a.netmask, family: a.family === 'IPv6' ? 6 : 4, internal: a.internal });
  }
  return out;
}

function prefixOf(netmask: string, family: 4 | 6): number {
  if (family === 4) return netmask.split('.').reduce((n, o) => n + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
  return netmask.split(':').reduce((n, h) => n + (parseInt(h || '0', 16).toString(2).match(/1/g)?.length ?? 0), 0);
}

export interface AddressSelectorOptions {
  /** Addresses the SIP listeners are bound to (wildcards allowed). */
  boundIps: string[];
  externalAddress: string | null;
  localNetworks: readonly string[];
  interfaces?: () => InterfaceAddress[];
}

export class AddressSelector {
  private readonly local: BlockList;
  private readonly interfaces: () => InterfaceAddress[];

  constructor(private readonly opts: AddressSelectorOptions) {
    this.local = cidrList(opts.localNetworks);
    this.interfaces = opts.interfaces ?? systemInterfaces;
  }

  isLocal(ip: string): boolean {
    return inList(this.local, ip);
  }

  /**
   * The address a peer at `destIp` must see as ours. Outside the local networks, the external address
   * (when configured); inside, the bound address, or for a wildcard bind the interface on the
   * destination's subnet (loopback for loopback), else the first non-internal address of the family.
   */
  advertisedIp(destIp: string): string {
    if (this.opts.externalAddress && !this.isLocal(destIp)) return this.opts.externalAddress;
    const fam = familyOf(destIp);
    const bound = this.opts.boundIps.filter((ip) => familyOf(ip) === fam);
    const specific = bound.find((ip) => ip !== '0.0.0.0' && ip !== '::');
    if (specific) return specific;
    const ifaces = this.interfaces().filter((i) => i.family === fam);
    const sameNet = ifaces.find((i) => subnet(i).check(destIp, fam === 6 ? 'ipv6' : 'ipv4'));
    if (sameNet) return sameNet.address;
    return ifaces.find((i) => !i.internal)?.address ?? (fam === 6 ? '::1' : '127.0.0.1');
  }
}

function subnet(i: InterfaceAddress): BlockList {
  const b = new BlockList();
  b.addSubnet(i.address, prefixOf(i.netmask, i.family), i.family === 6 ? 'ipv6' : 'ipv4');
  return b;
}
