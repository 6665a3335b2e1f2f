import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stampReceived, responseDestination } from '../../../../src/sip/core/via-rules.ts';
import { parseVia } from '../../../../src/sip/core/header-via.ts';
import { getTopVia } from '../../../../src/sip/core/message.ts';
import { request } from './transaction-fixtures.ts';

const src = { transport: 'udp', address: '203.0.113.5', port: 40000 };

describe('Via transport rules (RFC 3261 18.2, RFC 3581)', () => {
  it('adds received when the sent-by differs, leaves it alone when equal', () => {
    const r = request('OPTIONS', { via: 'SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1' });
    stampReceived(r, src);
    assert.equal(getTopVia(r).received, '203.0.113.5');
    const same = request('OPTIONS', { via: 'SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK1' });
    stampReceived(same, src);
    assert.equal(same.headers.get('Via'), 'SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK1');
  });

  it('fills rport and always adds received with rport; only the top Via changes', () => {
    const r = request('OPTIONS', { via: 'SIP/2.0/UDP 203.0.113.5:5060;rport;branch=z9hG4bK1, SIP/2.0/UDP p.example;branch=z9hG4bK0' });
    stampReceived(r, src);
    assert.deepEqual(r.headers.getAll('Via'), [
      'SIP/2.0/UDP 203.0.113.5:5060;rport=40000;branch=z9hG4bK1;received=203.0.113.5',
      'SIP/2.0/UDP p.example;branch=z9hG4bK0',
    ]);
  });

  it('chooses response destinations: connection, maddr, rport, received + sent-by port', () => {
    const tcp = { transport: 'tcp', address: '203.0.113.5', port: 51000, flowId: 'f1' };
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/TCP h:5060;branch=z9hG4bK1'), tcp), tcp);
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/UDP h:5070;maddr=[2001:db8::1];branch=x'), src), { transport: 'udp', address: '2001:db8::1', port: 5070 });
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/UDP 10.0.0.2;rport=40000;received=203.0.113.5'), src), { transport: 'udp', address: '203.0.113.5', port: 40000 });
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/UDP 10.0.0.2:5062;received=203.0.113.5'), src), { transport: 'udp', address: '203.0.113.5', port: 5062 });
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/UDP [2001:db8::9]'), src), { transport: 'udp', address: '2001:db8::9', port: 5060 });
  });
});
