// NAT: the address advertised in Via/Contact per destination.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressSelector, DEFAULT_LOCAL_NETWORKS, type InterfaceAddress } from '../../../../src/sip/transport/index.ts';

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
