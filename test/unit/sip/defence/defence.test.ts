// The SIP gate with a fake clock: request-rate bans, auth-failure bans (per IP and per user), expiry,
// lifting, trusted peers, scanners — and one security line per event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { isScannerUserAgent, SipDefence, type DefenceOptions } from '../../../../src/sip/defence/index.ts';
import { capturingLogger } from '../sip-test-helpers.ts';

function gate(extra: Partial<DefenceOptions> = {}) {
  const clock = new FakeClock();
  const cap = capturingLogger();
  const d = new SipDefence({ clock, log: cap.log, ...extra });
  const security = () => cap.messages().filter((m) => m.startsWith('ccbox-security'));
  return { clock, d, security };
}
const req = (ip: string, extra: { user?: string; userAgent?: string } = {}) => ({ ip, isRequest: true, ...extra });

describe('request-rate limit (Kamailio pike defaults: over 16 in 2 s)', () => {
  it('lets 16 requests in 2 s through, bans on the 17th and drops everything for 300 s', () => {
    const { clock, d, security } = gate();
    for (let i = 0; i < 16; i++) {
      assert.equal(d.admit(req('192.0.2.1')), 'pass');
      clock.tick(100);
    }
    assert.equal(d.admit(req('192.0.2.1')), 'drop');
    assert.deepEqual(security(), [
      'ccbox-security event=rate-limit proto=sip ip=192.0.2.1 user="" detail="over 16 requests in 2000 ms"',
      'ccbox-security event=ban proto=sip ip=192.0.2.1 user="" detail="ip:192.0.2.1 rate-limit for 300 s"',
    ]);
    assert.equal(d.admit({ ip: '192.0.2.1', isRequest: false }), 'drop', 'responses from a banned source are dropped too');
    assert.equal(d.admit(req('192.0.2.2')), 'pass', 'other sources are unaffected');
    clock.tick(299_000);
    assert.equal(d.admit(req('192.0.2.1')), 'drop');
    clock.tick(1_000);
    assert.equal(d.admit(req('192.0.2.1')), 'pass');
    assert.equal(d.listBans().length, 0);
  });

  it('counts within a sliding window: a steady 7 per second never trips', () => {
    const { clock, d } = gate();
    for (let i = 0; i < 70; i++) {
      assert.equal(d.admit(req('192.0.2.3')), 'pass', `request ${i}`);
      clock.tick(143);
    }
  });

  it('never limits or bans trusted peers', () => {
    const { d } = gate({ isTrustedPeer: (ip) => ip === '127.0.0.2' });
    for (let i = 0; i < 100; i++) assert.equal(d.admit(req('127.0.0.2')), 'pass');
    for (let i = 0; i < 20; i++) d.authFailed('127.0.0.2', '1001', 'REGISTER bad-response');
    assert.equal(d.listBans().length, 0);
  });
});

describe('auth-failure bans (10 in 10 min → 300 s)', () => {
  it('bans the IP on the 10th failure, logs each failure, and is liftable', () => {
    const { clock, d, security } = gate();
    for (let i = 0; i < 9; i++) {
      d.authFailed('198.51.100.4', `10${i}0`, 'REGISTER bad-response');
      clock.tick(60_000);
    }
    assert.equal(d.admit(req('198.51.100.4')), 'pass');
    d.authFailed('198.51.100.4', '1090', 'REGISTER bad-response');
    assert.equal(d.admit(req('198.51.100.4')), 'drop');
    const lines = security();
    assert.equal(lines.filter((l) => l.includes('event=auth-failure')).length, 10);
    assert.match(lines.at(-1)!, /^ccbox-security event=ban proto=sip ip=198\.51\.100\.4 user="1090" detail="ip:198\.51\.100\.4 auth-failures for 300 s"$/);
    const [ban] = d.listBans();
    assert.equal(ban!.key, 'ip:198.51.100.4');
    assert.equal(ban!.reason, 'auth-failures');
    assert.equal(ban!.expiresAt - ban!.since, 300_000);
    assert.ok(d.lift('ip:198.51.100.4', 'test'));
    assert.match(security().at(-1)!, /event=unban proto=sip ip=198\.51\.100\.4/);
    assert.equal(d.admit(req('198.51.100.4')), 'pass');
    assert.equal(d.lift('ip:198.51.100.4'), undefined);
  });

  it('forgets failures older than the window', () => {
    const { clock, d } = gate();
    for (let i = 0; i < 9; i++) d.authFailed('198.51.100.5', '', 'x');
    clock.tick(600_001);
    d.authFailed('198.51.100.5', '', 'x');
    assert.equal(d.admit(req('198.51.100.5')), 'pass');
  });

  it('bans a user attacked from many addresses, except from where that phone is registered', () => {
    const { d } = gate({ hasBindingFrom: (user, ip) => user === '1001' && ip === '192.168.1.50' });
    for (let i = 0; i < 10; i++) d.authFailed(`203.0.113.${i}`, '1001', 'REGISTER bad-response');
    assert.ok(d.listBans().some((b) => b.key === 'user:1001'));
    assert.equal(d.admit(req('203.0.113.99', { user: '1001' })), 'drop');
    assert.equal(d.admit(req('192.168.1.50', { user: '1001' })), 'pass');
    assert.equal(d.admit(req('203.0.113.99', { user: '1002' })), 'pass');
  });

  it('takes its limits from the settings', () => {
    const { d } = gate({ settings: { authFailMax: 3, banMs: 1000 } });
    for (let i = 0; i < 3; i++) d.authFailed('192.0.2.9', 'x', 'y');
    assert.equal(d.listBans()[0]!.expiresAt - d.listBans()[0]!.since, 1000);
  });
});

describe('scanners', () => {
  it('drops the known scanner user agents without a reply, logging once per address per minute', () => {
    for (const ua of ['friendly-scanner', 'sipvicious 0.3', 'sipcli/v1.8', 'VaxSIPUserAgent/3.1', 'pplsip', 'SIPVicious']) assert.ok(isScannerUserAgent(ua), ua);
    for (const ua of ['Yealink SIP-T46S 66.86.0.15', 'Fanvil X4U', 'baresip v1.0.0', 'sipp', undefined]) assert.ok(!isScannerUserAgent(ua), String(ua));
    const { clock, d, security } = gate();
    assert.equal(d.admit(req('192.0.2.66', { userAgent: 'friendly-scanner' })), 'drop');
    assert.equal(d.admit(req('192.0.2.66', { userAgent: 'friendly-scanner' })), 'drop');
    assert.equal(security().length, 1);
    assert.equal(security()[0], 'ccbox-security event=scanner proto=sip ip=192.0.2.66 user="" detail="user agent friendly-scanner"');
    clock.tick(60_000);
    d.admit(req('192.0.2.66', { userAgent: 'friendly-scanner' }));
    assert.equal(security().length, 2);
  });
});
