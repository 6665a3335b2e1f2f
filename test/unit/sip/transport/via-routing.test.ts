// RFC 3581 rport/received on incoming requests and RFC 3261 18.2.2 response routing, as the stack applies
// them: transport sources become sip/core peers (toPeer) and the answer's destination comes back (fromPeer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getTopVia, responseDestination as coreDestination, stampReceived as coreStamp, type SipRequest } from '../../../../src/sip/core/index.ts';
import { fromPeer, toPeer } from '../../../../src/sip/index.ts';
import type { SipSource } from '../../../../src/sip/transport/index.ts';
import { request } from '../sip-test-helpers.ts';

const reg = (via: string) =>
  request([`OPTIONS sip:box SIP/2.0`, `Via: ${via}`, 'Via: SIP/2.0/UDP proxy.example:5070;branch=z9hG4bKold', 'From: <sip:a@b>;tag=1', 'To: <sip:box>', 'Call-ID: c1', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70']);
const stampReceived = (req: SipRequest, s: SipSource): boolean => (coreStamp(req, toPeer(s)), true);
const responseDestination = (via: ReturnType<typeof getTopVia>, s: SipSource) => fromPeer(coreDestination(via, toPeer(s)));
const udp = (ip: string, port: number): SipSource => ({ transport: 'udp', ip, port, localIp: '127.0.0.1', localPort: 5060 });

describe('rport and received (RFC 3581, RFC 3261 18.2.1)', () => {
  it('fills an empty rport with the source port and adds received, keeping the other Vias', () => {
    const req = reg('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport');
    assert.ok(stampReceived(req, udp('203.0.113.9', 40123)));
    const top = getTopVia(req);
    assert.equal(top.received, '203.0.113.9');
    assert.equal(top.rport, 40123);
    assert.equal(top.branch, 'z9hG4bKa');
    assert.equal(req.headers.getAll('Via').length, 2);
    assert.match(req.headers.getAll('Via')[1]!, /proxy\.example:5070/);
    assert.deepEqual(responseDestination(top, udp('203.0.113.9', 40123)), { transport: 'udp', ip: '203.0.113.9', port: 40123 });
  });

  it('adds received only when the sent-by differs from the source, and then answers to the sent-by port', () => {
    const same = reg('SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bKb');
    stampReceived(same, udp('192.0.2.7', 5062));
    assert.equal(getTopVia(same).received, undefined);
    const nat = reg('SIP/2.0/UDP 10.1.1.1:5062;branch=z9hG4bKc');
    stampReceived(nat, udp('192.0.2.8', 31000));
    const top = getTopVia(nat);
    assert.equal(top.received, '192.0.2.8');
    // Without rport, 18.2.2: "to the address in the received parameter, using the port indicated in the sent-by".
    assert.deepEqual(responseDestination(top, udp('192.0.2.8', 31000)), { transport: 'udp', ip: '192.0.2.8', port: 5062 });
  });

  it('uses 5060 when the sent-by has no port, and received for a domain sent-by', () => {
    const req = reg('SIP/2.0/UDP phone.lan;branch=z9hG4bKd');
    stampReceived(req, udp('192.0.2.9', 5099));
    const top = getTopVia(req);
    assert.equal(top.received, '192.0.2.9');
    assert.deepEqual(responseDestination(top, udp('192.0.2.9', 5099)), { transport: 'udp', ip: '192.0.2.9', port: 5060 });
  });

  it('handles IPv6 sources (received without brackets)', () => {
    const req = reg('SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bKe;rport');
    stampReceived(req, udp('2001:db8::9', 6000));
    const top = getTopVia(req);
    assert.equal(top.received, '2001:db8::9');
    assert.deepEqual(responseDestination(top, udp('2001:db8::9', 6000)), { transport: 'udp', ip: '2001:db8::9', port: 6000 });
  });

  it('answers stream requests over the connection they came on', () => {
    const req = reg('SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKf');
    const src: SipSource = { transport: 'tcp', ip: '192.0.2.1', port: 50000, connectionId: 'tcp-7', localIp: '127.0.0.1', localPort: 5060 };
    stampReceived(req, src);
    assert.deepEqual(responseDestination(getTopVia(req), src), { transport: 'tcp', ip: '192.0.2.1', port: 50000, connectionId: 'tcp-7' });
  });
});
