// The registrar with a fake clock: digest (MD5 and SHA-256), identical challenges for unknown users,
// stale nonces, several contacts, expiry limits, un-REGISTER, CSeq order, and the location service.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import {
  buildAuthorization, getAuthHeaders, getContacts, isSipUri, pickChallenge, type SipRequest, type SipResponse,
} from '../../../../src/sip/core/index.ts';
import { SipDefence } from '../../../../src/sip/defence/index.ts';
import { DigestAuthenticator, LocationService, Registrar, DEFAULT_REGISTRAR } from '../../../../src/sip/registrar/index.ts';
import type { SipSource } from '../../../../src/sip/transport/index.ts';
import { capturingLogger, request, silentLog } from '../sip-test-helpers.ts';
import { seeded } from '../core/helpers.ts';

const PASSWORDS: Record<string, string> = { '1001': 'Ext1001-demo', '1002': 'Ext1002-demo' };
const SRC: SipSource = { transport: 'udp', ip: '192.168.1.50', port: 5062, localIp: '192.168.1.2', localPort: 5060 };

function setup(algorithms?: Array<'MD5' | 'SHA-256'>) {
  const clock = new FakeClock();
  const cap = capturingLogger();
  const defence = new SipDefence({ clock, log: cap.log });
  const auth = new DigestAuthenticator({ realm: 'ccbox', nonceTtlMs: 300_000, clock, defence, passwordOf: (u) => PASSWORDS[u], algorithms });
  const location = new LocationService(clock);
  const registrar = new Registrar({ settings: DEFAULT_REGISTRAR, clock, log: silentLog, random: seeded(7), auth, location });
  let cseq = 0;
  const register = (ext: string, opts: { contacts?: string[]; expires?: number; callId?: string; cseq?: number; authorization?: string; to?: string } = {}): SipRequest =>
    request([
      'REGISTER sip:192.168.1.2 SIP/2.0',
      `Via: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bK${++cseq}x;rport`,
      'Max-Forwards: 70',
      `From: <sip:${ext}@192.168.1.2>;tag=ft${ext}`,
      `To: <sip:${opts.to ?? ext}@192.168.1.2>`,
      `Call-ID: ${opts.callId ?? `call-${ext}`}`,
      `CSeq: ${opts.cseq ?? cseq} REGISTER`,
      ...(opts.contacts ?? [`<sip:${ext}@192.168.1.50:5062>`]).map((c) => `Contact: ${c}`),
      ...(opts.expires !== undefined ? [`Expires: ${opts.expires}`] : []),
      'User-Agent: Yealink SIP-T46S',
      ...(opts.authorization ? [`Authorization: ${opts.authorization}`] : []),
    ]);
  /** Challenge, then answer it with the given password (algorithm chosen like a modern client, or forced). */
  const registerWith = (ext: string, password: string, opts: Parameters<typeof register>[1] & { algorithm?: 'MD5' | 'SHA-256' } = {}): SipResponse => {
    const challenge = registrar.handle(register(ext, opts), SRC);
    assert.equal(challenge.status, 401);
    const headers = getAuthHeaders(challenge, 'WWW-Authenticate');
    const ch = opts.algorithm ? pickChallenge(headers.filter((h) => h.params.get('algorithm') === opts.algorithm)) : pickChallenge(headers);
    const authorization = buildAuthorization({ challenge: ch!, method: 'REGISTER', uri: 'sip:192.168.1.2', username: ext, password, cnonce: `c${++cseq}`, nc: 1 });
    return registrar.handle(register(ext, { ...opts, authorization }), SRC);
  };
  return { clock, cap, defence, auth, location, registrar, register, registerWith };
}

const contactExpiries = (res: SipResponse) => {
  const cs = getContacts(res);
  assert.notEqual(cs, '*');
  return (cs as Exclude<typeof cs, '*'>).map((c) => [isSipUri(c.uri) ? `${c.uri.user}@${c.uri.host}:${c.uri.port}` : '', c.expires]);
};

describe('REGISTER with digest', () => {
  it('challenges with MD5 by default, both when configured (one nonce, qop=auth), and accepts either', () => {
    assert.deepEqual(getAuthHeaders(setup().registrar.handle(setup().register('1001'), SRC), 'WWW-Authenticate').map((h) => h.params.get('algorithm')), ['MD5']);
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const t = setup(['MD5', 'SHA-256']);
      const first = t.registrar.handle(t.register('1001'), SRC);
      assert.equal(first.status, 401);
      const ch = getAuthHeaders(first, 'WWW-Authenticate');
      assert.deepEqual(ch.map((h) => h.params.get('algorithm')), ['MD5', 'SHA-256']);
      assert.deepEqual(ch.map((h) => [h.params.get('realm'), h.params.get('qop')]), [['ccbox', 'auth'], ['ccbox', 'auth']]);
      const ok = t.registerWith('1001', 'Ext1001-demo', { algorithm, expires: 600 });
      assert.equal(ok.status, 200, algorithm);
      assert.deepEqual(contactExpiries(ok), [['1001@192.168.1.50:5062', 600]]);
      assert.ok(ok.headers.get('Date'));
      const [b] = t.location.lookup('1001');
      assert.equal(b!.userAgent, 'Yealink SIP-T46S');
      assert.deepEqual(b!.source, SRC);
    }
  });

  it('offers SHA-256 first when configured so (RFC 8760 order)', () => {
    const t = setup(['SHA-256', 'MD5']);
    const first = t.registrar.handle(t.register('1001'), SRC);
    assert.deepEqual(getAuthHeaders(first, 'WWW-Authenticate').map((h) => h.params.get('algorithm')), ['SHA-256', 'MD5']);
    assert.equal(t.registerWith('1001', 'Ext1001-demo').status, 200);
  });

  it('answers an unknown user exactly like a known user with a wrong password', () => {
    const t = setup();
    const shape = (res: SipResponse) => ({
      status: res.status,
      reason: res.reason,
      names: res.headers.names(),
      challenges: getAuthHeaders(res, 'WWW-Authenticate').map((h) => [...h.params].filter(([k]) => k !== 'nonce')),
    });
    const known = t.registerWith('1001', 'wrong-Pass1');
    assert.equal(getAuthHeaders(known, 'WWW-Authenticate').length, 1);
    const unknown = t.registerWith('7777', 'wrong-Pass1');
    assert.equal(known.status, 401);
    assert.deepEqual(shape(unknown), shape(known));
    assert.deepEqual(shape(t.registrar.handle(t.register('7777'), SRC)), shape(t.registrar.handle(t.register('1001'), SRC)));
    const failures = t.cap.messages().filter((m) => m.includes('event=auth-failure'));
    assert.deepEqual(failures, [
      'ccbox-security event=auth-failure proto=sip ip=192.168.1.50 user="1001" detail="REGISTER bad-response"',
      'ccbox-security event=auth-failure proto=sip ip=192.168.1.50 user="7777" detail="REGISTER bad-response"',
    ]);
    assert.equal(t.location.size, 0);
  });

  it('re-challenges a stale nonce with stale=true without counting a failure', () => {
    const t = setup();
    const challenge = t.registrar.handle(t.register('1001'), SRC);
    t.clock.tick(300_001);
    const authorization = buildAuthorization({ challenge: pickChallenge(getAuthHeaders(challenge, 'WWW-Authenticate'))!, method: 'REGISTER', uri: 'sip:192.168.1.2', username: '1001', password: 'Ext1001-demo', cnonce: 'a', nc: 1 });
    const res = t.registrar.handle(t.register('1001', { authorization }), SRC);
    assert.equal(res.status, 401);
    assert.ok(getAuthHeaders(res, 'WWW-Authenticate').every((h) => h.params.get('stale') === 'true'));
    assert.equal(t.cap.messages().filter((m) => m.includes('auth-failure')).length, 0);
  });

  it('refuses a replayed nonce-count and registering somebody else’s extension', () => {
    const t = setup();
    const challenge = t.registrar.handle(t.register('1001'), SRC);
    const authorization = buildAuthorization({ challenge: pickChallenge(getAuthHeaders(challenge, 'WWW-Authenticate'))!, method: 'REGISTER', uri: 'sip:192.168.1.2', username: '1001', password: 'Ext1001-demo', cnonce: 'a', nc: 1 });
    assert.equal(t.registrar.handle(t.register('1001', { authorization }), SRC).status, 200);
    assert.equal(t.registrar.handle(t.register('1001', { authorization }), SRC).status, 401, 'same nc again is a replay');
    const forged = t.registerWith('1001', 'Ext1001-demo', { to: '1002' });
    assert.equal(forged.status, 403);
    assert.equal(t.location.lookup('1002').length, 0);
  });
});

describe('bindings', () => {
  it('keeps several contacts per extension and lists them all in the 200', () => {
    const t = setup();
    assert.equal(t.registerWith('1001', 'Ext1001-demo', { contacts: ['<sip:1001@192.168.1.50:5062>;expires=120', '<sip:1001@192.168.1.51:5060>'], expires: 300 }).status, 200);
    const res = t.registerWith('1001', 'Ext1001-demo', { contacts: ['<sip:1001@10.0.0.9:5060;transport=tcp>'], callId: 'other-device' });
    assert.deepEqual(contactExpiries(res).sort(), [['1001@10.0.0.9:5060', 3600], ['1001@192.168.1.50:5062', 120], ['1001@192.168.1.51:5060', 300]]);
    assert.equal(t.location.view('1001').length, 3);
  });

  it('answers 423 with Min-Expires below the minimum, caps above the maximum, and changes nothing on 423', () => {
    const t = setup();
    const brief = t.registerWith('1001', 'Ext1001-demo', { contacts: ['<sip:1001@192.168.1.50:5062>', '<sip:1001@192.168.1.51>;expires=30'] });
    assert.equal(brief.status, 423);
    assert.equal(brief.headers.get('Min-Expires'), '60');
    assert.equal(t.location.size, 0);
    assert.deepEqual(contactExpiries(t.registerWith('1001', 'Ext1001-demo', { expires: 86_400 })), [['1001@192.168.1.50:5062', 3600]]);
  });

  it('removes one contact with expires 0 and all with Contact: * (Expires: 0 only)', () => {
    const t = setup();
    t.registerWith('1001', 'Ext1001-demo', { contacts: ['<sip:1001@192.168.1.50:5062>', '<sip:1001@192.168.1.51>'], callId: 'x', cseq: 10 });
    const one = t.registerWith('1001', 'Ext1001-demo', { contacts: ['<sip:1001@192.168.1.51>;expires=0'], callId: 'x', cseq: 11 });
    assert.deepEqual(contactExpiries(one), [['1001@192.168.1.50:5062', 3600]]);
    assert.equal(t.registerWith('1001', 'Ext1001-demo', { contacts: ['*'], callId: 'x', cseq: 12 }).status, 400);
    const all = t.registerWith('1001', 'Ext1001-demo', { contacts: ['*'], expires: 0, callId: 'x', cseq: 13 });
    assert.equal(all.status, 200);
    assert.equal(all.headers.has('Contact'), false);
    assert.equal(t.location.size, 0);
  });

  it('rejects an out-of-order CSeq within the same Call-ID (RFC 3261 10.3 step 7)', () => {
    const t = setup();
    assert.equal(t.registerWith('1001', 'Ext1001-demo', { callId: 'k', cseq: 5 }).status, 200);
    assert.equal(t.registerWith('1001', 'Ext1001-demo', { callId: 'k', cseq: 4 }).status, 400);
    assert.equal(t.registerWith('1001', 'Ext1001-demo', { callId: 'k', cseq: 6 }).status, 200);
  });

  it('expires bindings on the clock and reports them', () => {
    const t = setup();
    const gone: string[] = [];
    t.location.on('unregistered', (b, why) => gone.push(`${b.extension}:${why}`));
    t.registerWith('1001', 'Ext1001-demo', { expires: 60 });
    assert.equal(t.location.hasBindingFrom('1001', '192.168.1.50'), true);
    t.clock.tick(59_000);
    assert.equal(t.location.lookup('1001').length, 1);
    assert.equal(t.location.view('1001')[0]!.expiresIn, 1);
    t.clock.tick(1_000);
    assert.equal(t.location.lookup('1001').length, 0);
    assert.deepEqual(gone, ['1001:expired']);
  });
});
