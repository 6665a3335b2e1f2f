// Digest userhash (RFC 7616 3.4.4): the registrar accepts credentials whose username is
// H(extension ":" realm) with userhash=true, offers userhash=true in challenges only when configured,
// answers an unknown hash like an unknown user, and the client side hashes when a challenge asks it to.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import {
  buildAuthorization, getAuthHeaders, hashUsername, parseAuthHeader, pickChallenge, serializeChallenge, serializeCredentials,
  toDigestChallenge, toDigestCredentials, type SipRequest, type SipResponse,
} from '../../../../src/sip/core/index.ts';
import { SipDefence } from '../../../../src/sip/defence/index.ts';
import { CredentialTable, DigestAuthenticator, LocationService, Registrar, DEFAULT_REGISTRAR } from '../../../../src/sip/registrar/index.ts';
import type { SipSource } from '../../../../src/sip/transport/index.ts';
import { capturingLogger, request, silentLog } from '../sip-test-helpers.ts';
import { seeded } from '../core/helpers.ts';

const SRC: SipSource = { transport: 'udp', ip: '192.168.1.50', port: 5062, localIp: '192.168.1.2', localPort: 5060 };
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function setup(userhash?: boolean, algorithms?: Array<'MD5' | 'SHA-256'>) {
  const clock = new FakeClock();
  const cap = capturingLogger();
  const credentials = new CredentialTable();
  credentials.load([{ phoneId: 1, extension: '1001', password: 'Ext1001-demo' }, { phoneId: 2, extension: '1002', password: 'Ext1002-demo' }]);
  const defence = new SipDefence({ clock, log: cap.log });
  const auth = new DigestAuthenticator({
    realm: 'ccbox', nonceTtlMs: 300_000, clock, defence, algorithms, userhash,
    passwordOf: (u) => credentials.passwordOf(u), userByHash: (a, r, h) => credentials.userByHash(a, r, h),
  });
  const location = new LocationService(clock);
  const registrar = new Registrar({ settings: DEFAULT_REGISTRAR, clock, log: silentLog, random: seeded(3), auth, location });
  let n = 0;
  const register = (ext: string, authorization?: string): SipRequest => request([
    'REGISTER sip:192.168.1.2 SIP/2.0',
    `Via: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bKuh${++n};rport`,
    'Max-Forwards: 70',
    `From: <sip:${ext}@192.168.1.2>;tag=f${ext}`,
    `To: <sip:${ext}@192.168.1.2>`,
    `Call-ID: uh-${ext}`,
    `CSeq: ${n} REGISTER`,
    `Contact: <sip:${ext}@192.168.1.50:5062>`,
    ...(authorization ? [`Authorization: ${authorization}`] : []),
  ]);
  /** Challenge, then credentials for `ext` whose username is replaced by `username` with userhash=true. */
  const registerHashed = (ext: string, password: string, opts: { username?: string; algorithm?: 'MD5' | 'SHA-256' } = {}): SipResponse => {
    const challenge = registrar.handle(register(ext), SRC);
    assert.equal(challenge.status, 401);
    const headers = getAuthHeaders(challenge, 'WWW-Authenticate').filter((h) => !opts.algorithm || h.params.get('algorithm') === opts.algorithm);
    const ch = { ...pickChallenge(headers)!, userhash: true };
    const creds = toDigestCredentials(parseAuthHeader(buildAuthorization({ challenge: ch, method: 'REGISTER', uri: 'sip:192.168.1.2', username: ext, password, cnonce: `c${++n}`, nc: 1 })))!;
    return registrar.handle(register(ext, serializeCredentials({ ...creds, ...(opts.username ? { username: opts.username } : {}) })), SRC);
  };
  return { cap, location, registrar, register, registerHashed, credentials };
}

describe('digest userhash (RFC 7616 3.4.4)', () => {
  it('hashes H(username ":" realm) with the algorithm\'s hash function', () => {
    assert.equal(hashUsername('MD5', '1001', 'ccbox'), md5('1001:ccbox'));
    assert.equal(hashUsername('SHA-256', '1001', 'ccbox'), sha256('1001:ccbox'));
    assert.equal(hashUsername('SHA-256-sess', '1001', 'ccbox'), sha256('1001:ccbox'));
  });

  it('parses and writes userhash as a token in challenges and credentials', () => {
    const ch = toDigestChallenge(parseAuthHeader('Digest realm="ccbox", nonce="n1", algorithm=MD5, qop="auth", userhash=true'))!;
    assert.equal(ch.userhash, true);
    assert.match(serializeChallenge(ch), /, userhash=true$/);
    assert.equal(toDigestChallenge(parseAuthHeader('Digest realm="ccbox", nonce="n1", userhash=false'))!.userhash, undefined);
    const auth = buildAuthorization({ challenge: ch, method: 'REGISTER', uri: 'sip:ccbox', username: '1001', password: 'Ext1001-demo', cnonce: 'c1', nc: 1 });
    assert.match(auth, new RegExp(`username="${md5('1001:ccbox')}"`));
    assert.match(auth, /userhash=true/);
    const creds = toDigestCredentials(parseAuthHeader(auth))!;
    assert.equal(creds.userhash, true);
    // The response is over the name, not the hash ("after any other hash calculation").
    const plain = toDigestCredentials(parseAuthHeader(buildAuthorization({ challenge: { ...ch, userhash: false }, method: 'REGISTER', uri: 'sip:ccbox', username: '1001', password: 'Ext1001-demo', cnonce: 'c1', nc: 1 })))!;
    assert.equal(creds.response, plain.response);
  });

  it('does not offer userhash by default (sipp and baresip cannot hash), and offers it when configured', () => {
    const off = setup();
    const plain = getAuthHeaders(off.registrar.handle(off.register('1001'), SRC), 'WWW-Authenticate');
    assert.deepEqual(plain.map((h) => h.params.get('userhash')), [undefined]);
    const on = setup(true, ['SHA-256', 'MD5']);
    const offered = getAuthHeaders(on.registrar.handle(on.register('1001'), SRC), 'WWW-Authenticate');
    assert.deepEqual(offered.map((h) => [h.params.get('algorithm'), h.params.get('userhash')]), [['SHA-256', 'true'], ['MD5', 'true']]);
  });

  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`accepts a REGISTER whose ${algorithm} credentials carry the hashed extension, and binds the extension`, () => {
      const t = setup(true, ['SHA-256', 'MD5']);
      const ok = t.registerHashed('1001', 'Ext1001-demo', { algorithm });
      assert.equal(ok.status, 200);
      assert.equal(t.location.lookup('1001').length, 1);
      assert.equal(t.location.size, 1);
    });
  }

  it('accepts hashed credentials even when userhash was not offered', () => {
    const t = setup();
    assert.equal(t.registerHashed('1002', 'Ext1002-demo').status, 200);
    assert.equal(t.location.lookup('1002').length, 1);
  });

  it('a wrong password counts against the extension; an unknown hash is answered like an unknown user', () => {
    const t = setup(true);
    const shape = (res: SipResponse) => ({
      status: res.status, names: res.headers.names(),
      challenges: getAuthHeaders(res, 'WWW-Authenticate').map((h) => [...h.params].filter(([k]) => k !== 'nonce')),
    });
    const wrong = t.registerHashed('1001', 'wrong-Pass1');
    const unknown = t.registerHashed('7777', 'wrong-Pass1');
    // A hash of a known extension under another realm matches nobody here.
    const otherRealm = t.registerHashed('1001', 'Ext1001-demo', { username: md5('1001:elsewhere') });
    assert.equal(wrong.status, 401);
    assert.deepEqual(shape(unknown), shape(wrong));
    assert.deepEqual(shape(otherRealm), shape(wrong));
    const failures = t.cap.messages().filter((m) => m.includes('event=auth-failure'));
    assert.equal(failures.length, 3);
    assert.match(failures[0]!, /user="1001" detail="REGISTER bad-response"/);
    assert.match(failures[1]!, new RegExp(`user="${md5('7777:ccbox')}"`));
    assert.equal(t.location.size, 0);
  });

  it('follows phone changes: a new extension is found by its hash, a deleted one is not', () => {
    const t = setup();
    t.credentials.apply({ kind: 'upsert', credential: { phoneId: 3, extension: '1003', password: 'Ext1003-demo' } });
    assert.equal(t.credentials.userByHash('MD5', 'ccbox', md5('1003:ccbox').toUpperCase()), '1003');
    t.credentials.apply({ kind: 'delete', extension: '1003' });
    assert.equal(t.credentials.userByHash('MD5', 'ccbox', md5('1003:ccbox')), undefined);
    assert.equal(t.credentials.userByHash('SHA-256', 'ccbox', sha256('1001:ccbox')), '1001');
  });
});
