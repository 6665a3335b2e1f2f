// Phones register to a real box with sipp over UDP and TCP; unknown users look like known ones; scanners,
// brute force and floods get no reply; the box keeps answering everyone else.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { buildAuthorization, getAuthHeaders, parseMessage, pickChallenge, type SipResponse } from '../../src/sip/core/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { receivedMessages, runSipp } from '../helpers/sipp.ts';

const ADMIN_PW = 'Admin-sip-1';
const target = (tb: TestBox): string => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;

/** A bare UDP client for what sipp cannot do (SHA-256 digest, malformed bytes). */
async function udpClient(tb: TestBox) {
  const sock = dgram.createSocket('udp4');
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  const port = tb.box.sip.transport.portOf('udp')!;
  return {
    port: sock.address().port,
    async exchange(data: string | Buffer): Promise<SipResponse> {
      const got = once(sock, 'message');
      sock.send(data, port, '127.0.0.1');
      const msg = parseMessage((await got)[0] as Buffer, { validate: false });
      assert.equal(msg.kind, 'response');
      return msg as SipResponse;
    },
    close: () => sock.close(),
  };
}

/** A 401 with everything that differs per request blanked: what an attacker could compare. */
function challengeShape(text: string): string {
  return text
    .replace(/nonce="[^"]*"/g, 'nonce="-"')
    .replace(/tag=[^;\s>]+/g, 'tag=-')
    .replace(/branch=[^;\s]+/g, 'branch=-')
    .replace(/^Call-ID: .*$/m, 'Call-ID: -')
    .replace(/sip:\d+@/g, 'sip:USER@')
    .replace(/^Content-Length: .*$/m, '');
}

describe('SIP registration and defences (sipp)', () => {
  let tb: TestBox;
  let admin: ApiClient;
  before(async () => {
    // A high request rate: the auth-failure ban is tested on its own (the rate ban has its own box below).
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, sipRateMax: 1000 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(() => tb?.close());

  for (const transport of ['udp', 'tcp'] as const) {
    it(`registers 1001 with digest over ${transport}: 200 with the Contact and expires, visible in the API`, async () => {
      const r = await runSipp({ scenario: 'register.xml', target: target(tb), transport, service: '1001', user: '1001', password: 'Ext1001-demo', keys: { expires: '300', ua: `sipp-${transport}` } });
      assert.equal(r.code, 0, r.errors || r.output);
      assert.match(r.logs, new RegExp(`REGISTERED contact=sip:1001@127\\.0\\.0\\.1:\\d+;transport=${transport.toUpperCase()} expires=300`));
      const phones = await admin.get('/phones');
      const p = phones.body.find((x: { extension: string }) => x.extension === '1001');
      assert.equal(p.registration.state, 'registered');
      const c = p.registration.contacts.find((x: { userAgent: string }) => x.userAgent === `sipp-${transport}`);
      assert.ok(c, JSON.stringify(p.registration));
      assert.equal(c.transport, transport);
      assert.match(c.address, /^127\.0\.0\.1:\d+$/);
      assert.ok(c.expiresIn > 290 && c.expiresIn <= 300);
    });
  }

  it('gives an unknown user the same challenges as a known one, before and after credentials', async () => {
    const known = await runSipp({ scenario: 'register-fail.xml', target: target(tb), service: '1003', user: '1003', password: 'Wrong-pass-1', keys: { expires: '60', ua: 'probe' } });
    const unknown = await runSipp({ scenario: 'register-fail.xml', target: target(tb), service: '7777', user: '7777', password: 'Wrong-pass-1', keys: { expires: '60', ua: 'probe' } });
    assert.equal(known.code, 0, known.errors);
    assert.equal(unknown.code, 0, unknown.errors);
    const k = receivedMessages(known.messages);
    const u = receivedMessages(unknown.messages);
    assert.equal(k.length, 2);
    assert.equal(u.length, 2);
    assert.match(k[0]!, /^SIP\/2\.0 401 Unauthorized/);
    assert.deepEqual(u.map(challengeShape), k.map(challengeShape));
  });

  it('drops a friendly-scanner without any reply, and still answers OPTIONS from that address', async () => {
    // The silence scenario does notice an answer: a phone's REGISTER from the same address gets its 401.
    const phone = await runSipp({ scenario: 'silence.xml', target: target(tb), localIp: '127.0.0.3', service: '1001', keys: { ua: 'Yealink SIP-T46S' } });
    assert.notEqual(phone.code, 0);
    assert.match(receivedMessages(phone.messages)[0]!, /^SIP\/2\.0 401/);
    const scan = await runSipp({ scenario: 'silence.xml', target: target(tb), localIp: '127.0.0.3', service: '1001', keys: { ua: 'friendly-scanner' } });
    assert.equal(scan.code, 0, `expected silence: ${scan.errors}`);
    assert.equal(receivedMessages(scan.messages).length, 0);
    const ping = await runSipp({ scenario: 'options.xml', target: target(tb), localIp: '127.0.0.3' });
    assert.equal(ping.code, 0, ping.errors);
  });

  it('bans a source after 10 failed authentications: no reply at all; listed, liftable, others unaffected', async () => {
    const tries = await runSipp({ scenario: 'register-fail.xml', target: target(tb), localIp: '127.0.0.4', service: '1002', user: '1002', password: 'Guess-pass-1', keys: { expires: '60', ua: 'brute' }, calls: 10, rate: 20 });
    assert.equal(tries.code, 0, tries.errors);
    const silent = await runSipp({ scenario: 'silence.xml', target: target(tb), localIp: '127.0.0.4', service: '1002', keys: { ua: 'brute' } });
    assert.equal(silent.code, 0, `a banned source must get no reply: ${silent.errors}`);
    const silentOptions = await runSipp({ scenario: 'options.xml', target: target(tb), localIp: '127.0.0.4', timeoutMs: 3000 });
    assert.notEqual(silentOptions.code, 0, 'not even OPTIONS is answered to a banned source');
    // Everyone else is still served.
    assert.equal((await runSipp({ scenario: 'options.xml', target: target(tb), localIp: '127.0.0.5' })).code, 0);
    const bans = await admin.get('/sip/bans');
    assert.equal(bans.status, 200);
    const keys = bans.body.map((b: { key: string }) => b.key).sort();
    assert.deepEqual(keys, ['ip:127.0.0.4', 'user:1002']);
    const ipBan = bans.body.find((b: { key: string }) => b.key === 'ip:127.0.0.4');
    assert.equal(ipBan.reason, 'auth-failures');
    assert.equal(ipBan.expiresAt - ipBan.since, 300_000);
    for (const k of keys) assert.equal((await admin.del(`/sip/bans/${encodeURIComponent(k)}`)).status, 204);
    assert.equal((await admin.del('/sip/bans/ip%3A127.0.0.4')).status, 404);
    const back = await runSipp({ scenario: 'register.xml', target: target(tb), localIp: '127.0.0.4', service: '1002', user: '1002', password: 'Ext1002-demo', keys: { expires: '120', ua: 'after-unban' } });
    assert.equal(back.code, 0, back.errors);
  });

  it('answers a malformed request 400, ignores garbage, and keeps serving', async () => {
    const c = await udpClient(tb);
    try {
      const bad = await c.exchange(
        ['OPTIONS sip:127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${c.port};branch=z9hG4bKbad1;rport`, 'From: <sip:x@y>;tag=1', 'To: <sip:127.0.0.1>', 'Call-ID: bad1', 'CSeq: one OPTIONS', '', ''].join('\r\n'),
      );
      assert.equal(bad.status, 400);
      const ok = await c.exchange(
        (() => {
          return ['OPTIONS sip:127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${c.port};branch=z9hG4bKok1;rport`, 'Max-Forwards: 70', 'From: <sip:x@y>;tag=1', 'To: <sip:127.0.0.1>', 'Call-ID: ok1', 'CSeq: 1 OPTIONS', '', ''].join('\r\n');
        })(),
      );
      assert.equal(ok.status, 200);
    } finally {
      c.close();
    }
  });

  it('challenges non-REGISTER requests before saying an extension or domain does not exist', async () => {
    const c = await udpClient(tb);
    try {
      const msg = (user: string, branch: string, auth?: string) =>
        [`MESSAGE sip:${user}@127.0.0.1 SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${c.port};branch=${branch};rport`, 'Max-Forwards: 70', 'From: <sip:1004@127.0.0.1>;tag=m1', `To: <sip:${user}@127.0.0.1>`, `Call-ID: ${branch}`, 'CSeq: 1 MESSAGE', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Type: text/plain', 'Content-Length: 2', '', 'hi'].join('\r\n');
      const first = await c.exchange(msg('9999', 'z9hG4bKn1'));
      assert.equal(first.status, 401);
      const auth = buildAuthorization({ challenge: pickChallenge(getAuthHeaders(first, 'WWW-Authenticate'))!, method: 'MESSAGE', uri: 'sip:9999@127.0.0.1', username: '1004', password: 'Ext1004-demo', cnonce: 'n1', nc: 1 });
      assert.equal((await c.exchange(msg('9999', 'z9hG4bKn2', auth))).status, 404);
    } finally {
      c.close();
    }
  });
});

describe('SIP defences with default limits', () => {
  let tb: TestBox;
  let admin: ApiClient;
  before(async () => {
    tb = await startTestBox({ adminPassword: ADMIN_PW, sipDigestAlgorithms: ['SHA-256', 'MD5'] });
    admin = new ApiClient(tb.base);
    await admin.login('admin', ADMIN_PW);
  });
  after(() => tb?.close());

  it('bans a flood of over 16 requests in 2 s', async () => {
    const flood = await runSipp({ scenario: 'options.xml', target: target(tb), localIp: '127.0.0.6', calls: 30, rate: 100, timeoutMs: 4000 });
    assert.notEqual(flood.code, 0, 'the requests after the 16th go unanswered');
    assert.equal(receivedMessages(flood.messages).length, 16);
    const bans = (await admin.get('/sip/bans')).body;
    assert.deepEqual(bans.map((b: { key: string; reason: string }) => [b.key, b.reason]), [['ip:127.0.0.6', 'rate-limit']]);
  });

  it('offers SHA-256 first when configured and registers a phone that answers it', async () => {
    const created = await admin.post('/phones', { extension: '2001', name: 'SHA phone', password: 'Sha256-pass!' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const c = await udpClient(tb);
    try {
      const reg = (branch: string, cseq: number, auth?: string) =>
        ['REGISTER sip:127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${c.port};branch=${branch};rport`, 'Max-Forwards: 70', 'From: <sip:2001@127.0.0.1>;tag=s1', 'To: <sip:2001@127.0.0.1>', 'Call-ID: sha-1', `CSeq: ${cseq} REGISTER`, `Contact: <sip:2001@127.0.0.1:${c.port}>`, 'Expires: 120', ...(auth ? [`Authorization: ${auth}`] : []), '', ''].join('\r\n');
      const challenge = await c.exchange(reg('z9hG4bKs1', 1));
      const offered = getAuthHeaders(challenge, 'WWW-Authenticate');
      assert.deepEqual(offered.map((h) => h.params.get('algorithm')), ['SHA-256', 'MD5']);
      const ch = pickChallenge(offered)!;
      assert.equal(ch.algorithm, 'SHA-256');
      const auth = buildAuthorization({ challenge: ch, method: 'REGISTER', uri: 'sip:127.0.0.1', username: '2001', password: 'Sha256-pass!', cnonce: 'x1', nc: 1 });
      const ok = await c.exchange(reg('z9hG4bKs2', 2, auth));
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get('Contact')!, /expires=120/);
    } finally {
      c.close();
    }
  });
});
