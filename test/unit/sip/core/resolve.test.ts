import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSipTargets, orderSrv, type DnsLookups, type NaptrRecord, type SrvRecord } from '../../../../src/sip/core/resolve.ts';
import { parseUri } from '../../../../src/sip/core/uri.ts';
import type { SipUri } from '../../../../src/sip/core/uri-types.ts';
import { seeded } from './helpers.ts';

interface Zone { naptr?: Record<string, NaptrRecord[]>; srv?: Record<string, SrvRecord[]>; a?: Record<string, string[]>; aaaa?: Record<string, string[]> }

function dns(zone: Zone) {
  const queries: string[] = [];
  const q = <T>(type: keyof Zone) => async (name: string): Promise<T[]> => {
    queries.push(`${type} ${name}`);
    return ((zone[type] as Record<string, T[]> | undefined)?.[name]) ?? [];
  };
  const lookups: DnsLookups = { naptr: q('naptr'), srv: q('srv'), a: q('a'), aaaa: q('aaaa') };
  return { lookups, queries };
}

const sip = (s: string) => parseUri(s) as SipUri;
const naptr = (order: number, preference: number, service: string, replacement: string): NaptrRecord => ({ order, preference, flags: 's', service, regexp: '', replacement });

describe('RFC 3263 resolution', () => {
  it('IP literals short-circuit with no lookup', async () => {
    const d = dns({});
    const opts = { lookups: d.lookups, random: seeded(1) };
    assert.deepEqual(await resolveSipTargets(sip('sip:02088880000@127.0.0.2:5080'), opts), [{ transport: 'udp', address: '127.0.0.2', port: 5080 }]);
    assert.deepEqual(await resolveSipTargets(sip('sips:[2001:db8::1]'), opts), [{ transport: 'tls', address: '2001:db8::1', port: 5061 }]);
    assert.deepEqual(await resolveSipTargets(sip('sip:x@192.0.2.9;transport=TCP'), opts), [{ transport: 'tcp', address: '192.0.2.9', port: 5060 }]);
    assert.deepEqual(await resolveSipTargets(sip('sip:x@carrier.example;maddr=198.51.100.3'), opts), [{ transport: 'udp', address: '198.51.100.3', port: 5060 }]);
    assert.deepEqual(d.queries, []);
  });

  it('follows NAPTR order/preference, then SRV, then A', async () => {
    const d = dns({
      naptr: { 'carrier.example': [
        naptr(20, 10, 'SIP+D2U', '_sip._udp.carrier.example'),
        naptr(10, 20, 'SIP+D2T', '_sip._tcp.carrier.example'),
        naptr(10, 10, 'SIPS+D2T', '_sips._tcp.carrier.example'),
        naptr(5, 10, 'SIP+D2X', '_x.carrier.example'),
        { ...naptr(1, 1, 'SIP+D2U', 'ignored'), flags: 'a' },
      ] },
      srv: {
        '_sips._tcp.carrier.example': [{ priority: 1, weight: 0, port: 5061, name: 'tls.carrier.example' }],
        '_sip._tcp.carrier.example': [{ priority: 1, weight: 0, port: 5060, name: 'tcp.carrier.example' }],
        '_sip._udp.carrier.example': [{ priority: 1, weight: 0, port: 5070, name: 'udp.carrier.example' }],
      },
      a: { 'tls.carrier.example': ['198.51.100.1'], 'tcp.carrier.example': ['198.51.100.2'], 'udp.carrier.example': ['198.51.100.3'] },
      aaaa: { 'udp.carrier.example': ['2001:db8::3'] },
    });
    const targets = await resolveSipTargets(sip('sip:carrier.example'), { lookups: d.lookups, random: seeded(1) });
    assert.deepEqual(targets, [
      { transport: 'tls', address: '198.51.100.1', port: 5061 },
      { transport: 'tcp', address: '198.51.100.2', port: 5060 },
      { transport: 'udp', address: '198.51.100.3', port: 5070 },
      { transport: 'udp', address: '2001:db8::3', port: 5070 },
    ]);
    const secure = await resolveSipTargets(sip('sips:carrier.example'), { lookups: d.lookups, random: seeded(1) });
    assert.deepEqual(secure, [{ transport: 'tls', address: '198.51.100.1', port: 5061 }]);
    const udpOnly = await resolveSipTargets(sip('sip:carrier.example'), { lookups: d.lookups, random: seeded(1), transports: ['udp'], ipv6: false });
    assert.deepEqual(udpOnly, [{ transport: 'udp', address: '198.51.100.3', port: 5070 }]);
  });

  it('without NAPTR queries SRV per supported transport, then falls back to A on 5060/UDP', async () => {
    const d = dns({ srv: { '_sip._tcp.pbx.example': [{ priority: 0, weight: 0, port: 5080, name: 'pbx.example' }] }, a: { 'pbx.example': ['192.0.2.7'] } });
    assert.deepEqual(await resolveSipTargets(sip('sip:pbx.example'), { lookups: d.lookups, random: seeded(1) }), [{ transport: 'tcp', address: '192.0.2.7', port: 5080 }]);
    assert.deepEqual(d.queries.slice(0, 4), ['naptr pbx.example', 'srv _sip._udp.pbx.example', 'srv _sip._tcp.pbx.example', 'a pbx.example']);
    const none = dns({ a: { 'plain.example': ['192.0.2.8'] } });
    assert.deepEqual(await resolveSipTargets(sip('sip:plain.example'), { lookups: none.lookups, random: seeded(1), ipv6: false }), [{ transport: 'udp', address: '192.0.2.8', port: 5060 }]);
  });

  it('an explicit port skips NAPTR and SRV; an explicit transport skips NAPTR; lookup failures count as empty', async () => {
    const d = dns({ a: { 'gw.example': ['192.0.2.5'] } });
    assert.deepEqual(await resolveSipTargets(sip('sip:gw.example:5062'), { lookups: d.lookups, random: seeded(1), ipv6: false }), [{ transport: 'udp', address: '192.0.2.5', port: 5062 }]);
    assert.deepEqual(d.queries, ['a gw.example']);
    const t = dns({ srv: { '_sip._tcp.gw.example': [{ priority: 0, weight: 0, port: 5090, name: 'gw.example' }] }, a: { 'gw.example': ['192.0.2.5'] } });
    assert.deepEqual(await resolveSipTargets(sip('sip:gw.example;transport=tcp'), { lookups: t.lookups, random: seeded(1), ipv6: false }), [{ transport: 'tcp', address: '192.0.2.5', port: 5090 }]);
    const failing: DnsLookups = { naptr: () => Promise.reject(new Error('SERVFAIL')), srv: () => Promise.reject(new Error('x')), a: () => Promise.reject(new Error('x')), aaaa: async () => [] };
    assert.deepEqual(await resolveSipTargets(sip('sip:down.example'), { lookups: failing, random: seeded(1) }), []);
  });
});

describe('RFC 2782 SRV ordering', () => {
  const recs: SrvRecord[] = [
    { priority: 20, weight: 0, port: 1, name: 'backup' },
    { priority: 10, weight: 60, port: 1, name: 'big' },
    { priority: 10, weight: 20, port: 1, name: 'small' },
    { priority: 10, weight: 0, port: 1, name: 'zero' },
    { priority: 5, weight: 0, port: 1, name: '.' },
  ];

  it('orders by priority and draws within a priority by weight', () => {
    const rnd = seeded(2782);
    const firsts: Record<string, number> = {};
    for (let i = 0; i < 8000; i++) {
      const order = orderSrv(recs, rnd).map((r) => r.name);
      assert.equal(order.length, 4);
      assert.equal(order[3], 'backup');
      firsts[order[0]] = (firsts[order[0]] ?? 0) + 1;
    }
    // Expected shares of first place: big 60/81, small 20/81, zero 1/81.
    assert.ok(Math.abs(firsts.big / 8000 - 60 / 81) < 0.03, JSON.stringify(firsts));
    assert.ok(Math.abs(firsts.small / 8000 - 20 / 81) < 0.03, JSON.stringify(firsts));
    assert.ok((firsts.zero ?? 0) < 300);
  });

  it('is deterministic for a given random source', () => {
    assert.deepEqual(orderSrv(recs, () => 0).map((r) => r.name), ['zero', 'big', 'small', 'backup']);
    assert.deepEqual(orderSrv(recs, () => 0.99).map((r) => r.name), ['small', 'big', 'zero', 'backup']);
  });
});
