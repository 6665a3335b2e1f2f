import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeHa1, computeResponse, toDigestChallenge, toDigestCredentials, parseAlgorithm, digestHash } from '../../../../src/sip/core/digest.ts';
import { createNonce, checkNonce, MemoryNonceCountStore } from '../../../../src/sip/core/digest-nonce.ts';
import { buildChallenges, verifyDigest, type DigestServerOptions } from '../../../../src/sip/core/digest-server.ts';
import { buildAuthorization, pickChallenge } from '../../../../src/sip/core/digest-client.ts';
import { parseAuthHeader } from '../../../../src/sip/core/header-auth.ts';

const KEY = Buffer.alloc(32, 7);
const server: DigestServerOptions = { realm: 'ccbox.local', key: KEY, nonceTtlMs: 60_000 };

describe('digest computations (RFC 7616 3.9.1, RFC 2617 3.5 vectors)', () => {
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  for (const [alg, expected] of [['MD5', '8ca523f5e9506fed4657c9700eebdbec'], ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1']] as const) {
    it(`${alg} response`, () => {
      const ha1 = computeHa1(alg, 'Mufasa', 'http-auth@example.org', { password: 'Circle of Life' });
      assert.equal(computeResponse({ algorithm: alg, ha1, nonce, method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce }), expected);
    });
  }
  it('RFC 2617 MD5 and the -sess HA1', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', { password: 'Circle Of Life' });
    assert.equal(computeResponse({ algorithm: 'MD5', ha1, nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }), '6629fae49393a05397450978507c4ef1');
    const sess = computeHa1('MD5-sess', 'Mufasa', 'testrealm@host.com', { ha1 }, 'n', 'c');
    assert.equal(sess, digestHash('MD5', `${ha1}:n:c`));
  });
  it('reads algorithm names case-insensitively, MD5 when absent', () => {
    assert.equal(parseAlgorithm(undefined), 'MD5');
    assert.equal(parseAlgorithm('sha-256-SESS'), 'SHA-256-sess');
    assert.equal(parseAlgorithm('SHA-1'), undefined);
  });
});

describe('stateless nonces', () => {
  it('are valid, then stale after the TTL, and invalid when forged or for another realm', () => {
    const n = createNonce(KEY, 'ccbox.local', 1_000_000);
    assert.equal(Buffer.from(n, 'base64').length, 40);
    assert.equal(checkNonce(n, KEY, 'ccbox.local', 1_030_000, 60_000), 'valid');
    assert.equal(checkNonce(n, KEY, 'ccbox.local', 1_061_000, 60_000), 'stale');
    assert.equal(checkNonce(n, KEY, 'other', 1_030_000, 60_000), 'invalid');
    assert.equal(checkNonce(n, Buffer.alloc(32, 8), 'ccbox.local', 1_030_000, 60_000), 'invalid');
    const raw = Buffer.from(n, 'base64');
    raw[0] ^= 1;
    assert.equal(checkNonce(raw.toString('base64'), KEY, 'ccbox.local', 1_030_000, 60_000), 'invalid');
    assert.equal(checkNonce('not base64!', KEY, 'ccbox.local', 0, 1), 'invalid');
    assert.equal(checkNonce(createNonce(KEY, 'ccbox.local', 9_000_000), KEY, 'ccbox.local', 1_000_000, 60_000), 'invalid', 'from the future');
  });
  it('nonce-count store refuses replays and forgets the oldest', () => {
    const store = new MemoryNonceCountStore(2);
    assert.ok(store.check('a', 1));
    assert.ok(!store.check('a', 1));
    assert.ok(store.check('a', 2));
    store.check('b', 1);
    store.check('c', 1);
    assert.ok(store.check('a', 1), 'a was evicted');
  });
});

describe('server challenge and verification with the client', () => {
  const now = 5_000_000;
  const challenges = buildChallenges(server, now).map(parseAuthHeader);

  it('offers SHA-256 before MD5 with qop=auth (RFC 8760 2.4)', () => {
    const [sha, md5] = buildChallenges(server, now);
    assert.match(sha, /^Digest realm="ccbox.local", nonce="[A-Za-z0-9+/=]+", algorithm=SHA-256, qop="auth"$/);
    assert.match(md5, /algorithm=MD5/);
    assert.match(buildChallenges(server, now, true)[0], /stale=true/);
    assert.equal(toDigestChallenge(challenges[0])?.qop[0], 'auth');
  });

  const authorize = (alg: 'SHA-256' | 'MD5', password = 'Ext1001-demo', nc = 1) => {
    const challenge = alg === 'SHA-256' ? pickChallenge(challenges)! : toDigestChallenge(challenges[1])!;
    return parseAuthHeader(buildAuthorization({ challenge, method: 'REGISTER', uri: 'sip:ccbox.local', username: '1001', password, cnonce: 'c0ffee', nc }));
  };

  it('client picks SHA-256 and the server accepts it; MD5 too', () => {
    const auth = authorize('SHA-256');
    assert.equal(auth.params.get('algorithm'), 'SHA-256');
    assert.equal(auth.params.get('nc'), '00000001');
    assert.ok(!auth.quoted.has('qop') && auth.quoted.has('cnonce'));
    const ok = verifyDigest({ credentials: auth, method: 'REGISTER', secret: { password: 'Ext1001-demo' }, requestUri: 'sip:ccbox.local' }, server, now + 1000);
    assert.deepEqual(ok, { ok: true, username: '1001', algorithm: 'SHA-256' });
    const md5 = verifyDigest({ credentials: authorize('MD5'), method: 'REGISTER', secret: { password: 'Ext1001-demo' } }, server, now);
    assert.equal(md5.ok, true);
  });

  it('accepts a stored HA1 instead of the password', () => {
    const ha1 = computeHa1('MD5', '1001', 'ccbox.local', { password: 'Ext1001-demo' });
    assert.equal(verifyDigest({ credentials: authorize('MD5'), method: 'REGISTER', secret: { ha1 } }, server, now).ok, true);
  });

  it('rejects a wrong password, wrong method, stale nonce, replay, realm and uri mismatches', () => {
    const v = (auth = authorize('SHA-256'), extra: Partial<Parameters<typeof verifyDigest>[0]> = {}, at = now, opts = server) =>
      verifyDigest({ credentials: auth, method: 'REGISTER', secret: { password: 'Ext1001-demo' }, ...extra }, opts, at);
    assert.deepEqual(v(authorize('SHA-256', 'wrong')), { ok: false, reason: 'bad-response', username: '1001' });
    assert.equal((v(undefined, { method: 'INVITE' }) as { reason: string }).reason, 'bad-response');
    assert.equal((v(undefined, {}, now + 61_000) as { reason: string }).reason, 'stale');
    assert.equal((v(authorize('SHA-256', 'wrong'), {}, now + 61_000) as { reason: string }).reason, 'bad-response', 'stale only for correct credentials');
    assert.equal((v(undefined, { requestUri: 'sip:other' }) as { reason: string }).reason, 'uri-mismatch');
    assert.equal((v(undefined, {}, now, { ...server, realm: 'other' }) as { reason: string }).reason, 'wrong-realm');
    assert.equal((v(undefined, {}, now, { ...server, algorithms: ['MD5'] }) as { reason: string }).reason, 'unsupported-algorithm');
    const withStore = { ...server, ncStore: new MemoryNonceCountStore() };
    assert.equal(v(authorize('SHA-256', undefined, 1), {}, now, withStore).ok, true);
    assert.equal((v(authorize('SHA-256', undefined, 1), {}, now, withStore) as { reason: string }).reason, 'replay');
    assert.equal(v(authorize('SHA-256', undefined, 2), {}, now, withStore).ok, true);
  });

  it('rejects forged nonces and other schemes without throwing', () => {
    const forged = parseAuthHeader('Digest username="1001", realm="ccbox.local", nonce="AAAA", uri="sip:x", response="00", algorithm=MD5');
    assert.deepEqual(verifyDigest({ credentials: forged, method: 'REGISTER', secret: { password: 'x' } }, server, now), { ok: false, reason: 'bad-nonce', username: '1001' });
    const other = parseAuthHeader('NoOneKnowsThisScheme opaque-data=here');
    assert.deepEqual(verifyDigest({ credentials: other, method: 'REGISTER', secret: { password: 'x' } }, server, now), { ok: false, reason: 'not-digest' });
    const noCnonce = parseAuthHeader('Digest username="a", realm="r", nonce="n", uri="u", response="r", qop=auth, nc=00000001');
    assert.equal(toDigestCredentials(noCnonce), undefined);
  });

  it('client answers an RFC 2069 style challenge without qop', () => {
    const challenge = toDigestChallenge(parseAuthHeader('Digest realm="carrier", nonce="abc"'))!;
    const auth = parseAuthHeader(buildAuthorization({ challenge, method: 'INVITE', uri: 'sip:02088880000@carrier', username: 'u', password: 'p', cnonce: 'x', nc: 1 }));
    assert.equal(auth.params.has('qop'), false);
    const ha1 = computeHa1('MD5', 'u', 'carrier', { password: 'p' });
    assert.equal(auth.params.get('response'), computeResponse({ algorithm: 'MD5', ha1, nonce: 'abc', method: 'INVITE', uri: 'sip:02088880000@carrier' }));
  });
});
