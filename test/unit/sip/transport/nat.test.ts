// NAT: the address advertised in Via/Contact per destination; the UDP retransmission cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { createResponse } from '../../../../src/sip/core/index.ts';
import { AddressSelector, DEFAULT_LOCAL_NETWORKS, RetransmissionCache, type InterfaceAddress, type SipSource } from '../../../../src/sip/transport/index.ts';
import { request } from '../sip-test-helpers.ts';

const ifaces = (): InterfaceAddress[] => [
  { address: '127.0.0.1', netmask: '255.0.0.0', family: 4, internal: true },
  { address: '192.168.10.2', netmask: '255.255.255.0', family: 4, internal: false },
  { address: '10.20.0.2', netmask: '255.255.0.0', family: 4, internal: false },
  { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 6, internal: true },
  { address: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::', family: 6, internal: false },
];

describe('AddressSelector (NAT)', () => {
  it('shows LAN peers the interface on their subnet and the Internet the external address', () => {
    const sel = new AddressSelector({ boundIps: ['0.0.0.0', '::'], externalAddress: '203.0.113.50', localNetworks: DEFAULT_LOCAL_NETWORKS, interfaces: ifaces });
    assert.equal(sel.advertisedIp('192.168.10.77'), '192.168.10.2');
    assert.equal(sel.advertisedIp('10.20.5.5'), '10.20.0.2');
    assert.equal(sel.advertisedIp('127.0.0.1'), '127.0.0.1');
    assert.equal(sel.advertisedIp('198.51.100.7'), '203.0.113.50');
    assert.equal(sel.advertisedIp('fd00::99'), 'fd00::2');
    // A LAN network not directly attached (routed): still local, first non-internal address.
    assert.equal(sel.advertisedIp('172.16.1.1'), '192.168.10.2');
  });

  it('without an external address uses the local choice everywhere; a specific bind wins', () => {
    const sel = new AddressSelector({ boundIps: ['0.0.0.0'], externalAddress: null, localNetworks: ['192.168.0.0/16'], interfaces: ifaces });
    assert.equal(sel.advertisedIp('198.51.100.7'), '192.168.10.2');
    assert.equal(sel.isLocal('10.20.5.5'), false);
    const bound = new AddressSelector({ boundIps: ['192.168.10.2'], externalAddress: null, localNetworks: [], interfaces: ifaces });
    assert.equal(bound.advertisedIp('10.20.5.5'), '192.168.10.2');
  });

  it('rejects bad networks', () => {
    assert.throws(() => new AddressSelector({ boundIps: [], externalAddress: null, localNetworks: ['10.0.0.0/40'] }), /prefix/);
    assert.throws(() => new AddressSelector({ boundIps: [], externalAddress: null, localNetworks: ['lan'] }), /not an address/);
  });
});

describe('RetransmissionCache', () => {
  const src: SipSource = { transport: 'udp', ip: '192.0.2.1', port: 5060, localIp: '127.0.0.1', localPort: 5060 };
  const reg = request(['REGISTER sip:box SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr1', 'From: <sip:1001@box>;tag=1', 'To: <sip:1001@box>', 'Call-ID: c', 'CSeq: 1 REGISTER', 'Max-Forwards: 70']);

  it('re-sends the final answer to a retransmission until Timer J, only for UDP non-INVITE', () => {
    const clock = new FakeClock();
    const cache = new RetransmissionCache(clock, 32_000);
    const key = RetransmissionCache.keyOf(reg, src)!;
    assert.equal(cache.lookup(key), undefined);
    cache.begin(key);
    assert.equal(cache.lookup(key), 'pending');
    const res = createResponse({ status: 200 });
    cache.complete(key, res);
    assert.equal(cache.lookup(key), res);
    clock.tick(32_000);
    assert.equal(cache.lookup(key), undefined);
    assert.equal(RetransmissionCache.keyOf(reg, { ...src, transport: 'tcp' }), undefined);
  });
});
