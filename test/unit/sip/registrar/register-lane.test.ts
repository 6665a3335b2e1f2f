// The REGISTER lane against the full stack's answer to the same bytes: the same response header for
// header (tags from the same seeded random; nonce and Date aside), retransmissions answered with the very
// bytes of the first answer within Timer J, failures counted once, the defences first, and every message
// outside the plain shape left to the general parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import {
  buildAuthorization, getAuthHeaders, parseMessage, pickChallenge, scanPlainRegister, serializeMessage, stampReceived,
  type SipRequest, type SipResponse,
} from '../../../../src/sip/core/index.ts';
import { SipDefence } from '../../../../src/sip/defence/index.ts';
import { DEFAULT_REGISTRAR, DigestAuthenticator, LocationService, RegisterLane, Registrar } from '../../../../src/sip/registrar/index.ts';
import type { SipDestination, SipSource } from '../../../../src/sip/transport/index.ts';
import { capturingLogger, silentLog } from '../sip-test-helpers.ts';
import { mutate, seeded } from '../core/helpers.ts';

const PASSWORDS: Record<string, string> = { '1001': 'Ext1001-demo', '1002': 'Ext1002-demo' };
const SRC: SipSource = { transport: 'udp', ip: '192.168.1.50', port: 5062, localIp: '192.168.1.2', localPort: 5060 };

function setup(clock = new FakeClock()) {
  const cap = capturingLogger();
  const defence = new SipDefence({ clock, log: cap.log });
  const auth = new DigestAuthenticator({ realm: 'ccbox', nonceTtlMs: 300_000, clock, defence, passwordOf: (u) => PASSWORDS[u] });
  const location = new LocationService(clock);
  const random = seeded(7);
  const registrar = new Registrar({ settings: DEFAULT_REGISTRAR, clock, log: silentLog, random, auth, location });
  const sent: Array<{ bytes: Buffer; dest: SipDestination; fromIp: string }> = [];
  const lane = new RegisterLane({
    registrar, auth, admit: (g) => defence.admit(g), clock, log: silentLog, random, send: (bytes, dest, fromIp) => sent.push({ bytes, dest, fromIp }),
  });
  /** The lane's answer to `bytes` (parsed), asserting it took them and sent exactly one datagram. */
  const viaLane = (bytes: Buffer): SipResponse => {
    const before = sent.length;
    assert.equal(lane.take(bytes, SRC), true);
    assert.equal(sent.length, before + 1);
    return parseMessage(sent.at(-1)!.bytes) as SipResponse;
  };
  /** The full stack's answer as sent: parse, stamp the Via (RFC 3581), registrar, serialize. */
  const viaStack = (bytes: Buffer): SipResponse => {
    const req = parseMessage(bytes) as SipRequest;
    stampReceived(req, { transport: 'udp', address: SRC.ip, port: SRC.port });
    return parseMessage(serializeMessage(registrar.handle(req, SRC))) as SipResponse;
  };
  return { clock, cap, defence, location, lane, sent, viaLane, viaStack };
}

let branch = 0;
function register(ext: string, o: { authorization?: string; cseq?: number; branch?: string; extra?: string[]; contact?: string; callId?: string } = {}): Buffer {
  return Buffer.from([
    'REGISTER sip:192.168.1.2 SIP/2.0',
    `Via: SIP/2.0/UDP 192.168.1.50:5062;branch=${o.branch ?? `z9hG4bK-lane-${++branch}`};rport`,
    'Max-Forwards: 70',
    `From: "Desk ${ext}" <sip:${ext}@192.168.1.2>;tag=ft${ext}`,
    `To: <sip:${ext}@192.168.1.2>`,
    `Call-ID: ${o.callId ?? `lane-${ext}@192.168.1.50`}`,
    `CSeq: ${o.cseq ?? 1} REGISTER`,
    `Contact: ${o.contact ?? `<sip:${ext}@192.168.1.50:5062>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000000000001>"`}`,
    'Expires: 600',
    'User-Agent: Yealink SIP-T46S 66.86.0.15',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER',
    'Supported: path, replaces',
    ...(o.authorization ? [`Authorization: ${o.authorization}`] : []),
    ...(o.extra ?? []),
    'Content-Length: 0',
    '', '',
  ].join('\r\n'));
}

function answer(challenge: SipResponse, ext: string, password: string, cnonce: string): string {
  return buildAuthorization({ challenge: pickChallenge(getAuthHeaders(challenge, 'WWW-Authenticate'))!, method: 'REGISTER', uri: 'sip:192.168.1.2', username: ext, password, cnonce, nc: 1 });
}

/** Header lines with the parts that differ by design (nonce, Date) blanked. */
function normalised(res: SipResponse): string[] {
  return [`${res.status} ${res.reason}`, ...[...res.headers.entries()].flatMap(([n, vs]) => vs.map((v) => `${n}: ${v}`))]
    .map((l) => l.replace(/nonce="[^"]*"/, 'nonce="…"').replace(/^Date: .*/, 'Date: …'));
}

describe('REGISTER lane', () => {
  it('answers challenge, registration and wrong password header for header as the full stack does', () => {
    const lane = setup();
    const stack = setup();
    const both = (bytes: Buffer): [SipResponse, SipResponse] => [lane.viaLane(bytes), stack.viaStack(bytes)];
    const [c1, s1] = both(register('1001'));
    assert.equal(c1.status, 401);
    assert.deepEqual(normalised(c1), normalised(s1));
    assert.match(c1.headers.get('Via')!, /;rport=5062;received=192\.168\.1\.50$/);
    const ok1 = lane.viaLane(register('1001', { cseq: 2, branch: 'z9hG4bK-ok', authorization: answer(c1, '1001', 'Ext1001-demo', 'a1') }));
    const ok2 = stack.viaStack(register('1001', { cseq: 2, branch: 'z9hG4bK-ok', authorization: answer(s1, '1001', 'Ext1001-demo', 'a1') }));
    assert.equal(ok1.status, 200);
    assert.deepEqual(normalised(ok1), normalised(ok2));
    assert.match(ok1.headers.get('Contact')!, /expires=600/);
    assert.equal(lane.location.lookup('1001').length, 1);
    assert.equal(lane.location.lookup('1001')[0]!.userAgent, 'Yealink SIP-T46S 66.86.0.15');
    const bad1 = lane.viaLane(register('1002', { branch: 'z9hG4bK-bad', authorization: answer(c1, '1002', 'wrong-Pass1', 'b1') }));
    const bad2 = stack.viaStack(register('1002', { branch: 'z9hG4bK-bad', authorization: answer(s1, '1002', 'wrong-Pass1', 'b1') }));
    assert.equal(bad1.status, 401);
    assert.deepEqual(normalised(bad1), normalised(bad2));
    // The answer goes back where the request came from (rport), from the address it reached.
    assert.deepEqual(lane.sent.at(-1)!.dest, { transport: 'udp', ip: SRC.ip, port: SRC.port });
    assert.equal(lane.sent.at(-1)!.fromIp, SRC.localIp);
  });

  it('gives a retransmission the same bytes within Timer J: no nonce-count replay, no second failure', () => {
    const t = setup();
    const first = register('1001');
    const c = t.viaLane(first);
    t.viaLane(first);
    assert.deepEqual(t.sent[1]!.bytes, t.sent[0]!.bytes);
    const auth = register('1001', { cseq: 2, authorization: answer(c, '1001', 'Ext1001-demo', 'r1') });
    assert.equal(t.viaLane(auth).status, 200);
    assert.equal(t.viaLane(auth).status, 200, 'a retransmitted REGISTER is not taken for a replay');
    assert.deepEqual(t.sent[3]!.bytes, t.sent[2]!.bytes);
    assert.equal(t.lane.handled, 2);
    const wrong = register('1002', { authorization: answer(c, '1002', 'wrong-Pass1', 'w1') });
    for (let i = 0; i < 4; i++) assert.equal(t.viaLane(wrong).status, 401);
    assert.equal(t.cap.lines.filter((l) => l.security === 'auth-failure').length, 1);
    // After Timer J the request is judged again: now it is a replay of a used nonce-count.
    t.clock.tick(33_000);
    assert.equal(t.viaLane(auth).status, 401);
    assert.equal(t.lane.handled, 4);
  });

  it('refuses a To that is not the authenticated user (403) and honours Expires: 0', () => {
    const t = setup();
    const c = t.viaLane(register('1001'));
    const stolen = Buffer.from(register('1002', { cseq: 2, authorization: answer(c, '1002', 'Ext1002-demo', 'h1') }).toString().replace('username="1002"', 'username="1001"'));
    assert.ok(scanPlainRegister(stolen));
    assert.equal(t.viaLane(stolen).status, 401, 'the digest covers the username: changing it breaks the response');
    const forged = register('1002', { cseq: 2, authorization: answer(c, '1001', 'Ext1001-demo', 'h2') });
    assert.equal(t.viaLane(forged).status, 403);
    assert.equal(t.viaLane(register('1001', { cseq: 3, authorization: answer(c, '1001', 'Ext1001-demo', 'h3') })).status, 200);
    const gone = Buffer.from(register('1001', { cseq: 4, authorization: answer(c, '1001', 'Ext1001-demo', 'h4') }).toString().replace('Expires: 600', 'Expires: 0'));
    assert.equal(t.viaLane(gone).status, 200);
    assert.equal(t.location.lookup('1001').length, 0);
  });

  it('drops what the defences drop (scanner user agents) without an answer', () => {
    const t = setup();
    const scanner = Buffer.from(register('1001').toString().replace('User-Agent: Yealink SIP-T46S 66.86.0.15', 'User-Agent: friendly-scanner'));
    assert.equal(t.lane.take(scanner, SRC), true);
    assert.equal(t.sent.length, 0);
  });

  it('takes compact forms and leaves everything outside the plain shape to the general parser', () => {
    const t = setup();
    const compact = Buffer.from([
      'REGISTER sip:192.168.1.2 SIP/2.0', 'v: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bK-compact;rport', 'f: <sip:1001@192.168.1.2>;tag=x',
      't: <sip:1001@192.168.1.2>', 'i: compact-1', 'CSeq: 1 REGISTER', 'm: <sip:1001@192.168.1.50:5062>', 'l: 0', '', '',
    ].join('\r\n'));
    assert.equal(t.viaLane(compact).status, 401);
    const plain = register('1001').toString();
    const outside: Record<string, string> = {
      'folded header': plain.replace('Max-Forwards: 70', 'Max-Forwards:\r\n 70'),
      'two Via lines': plain.replace('Max-Forwards: 70', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-2\r\nMax-Forwards: 70'),
      'two Vias in one line': plain.replace(';rport', ';rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-2'),
      'two Contacts': plain.replace('Max-Forwards: 70', 'Contact: <sip:1001@10.0.0.9>\r\nMax-Forwards: 70'),
      'a body': plain.replace('Content-Length: 0\r\n\r\n', 'Content-Length: 4\r\n\r\nabcd'),
      'Require': plain.replace('Max-Forwards: 70', 'Require: gruu'),
      'Path (RFC 3327)': plain.replace('Max-Forwards: 70', 'Path: <sip:edge.example.com;lr>'),
      'a UTF-8 display name': plain.replace('"Desk 1001"', '"前台 1001"'),
      'an RFC 2543 branch': plain.replace(/branch=[^;]*/, 'branch=12345'),
      'CSeq of another method': plain.replace('CSeq: 1 REGISTER', 'CSeq: 1 INVITE'),
      'bare LF line ends': plain.replaceAll('\r\n', '\n'),
      'repeated Expires': plain.replace('Expires: 600', 'Expires: 600\r\nExpires: 60'),
      'a tel: Request-URI': plain.replace('REGISTER sip:192.168.1.2', 'REGISTER tel:+8621'),
      'an INVITE': plain.replace('REGISTER sip:', 'INVITE sip:').replace('CSeq: 1 REGISTER', 'CSeq: 1 INVITE'),
      'Contact "*"': plain.replace(/Contact: .*/, 'Contact: *'),
      'a bad Via': plain.replace('SIP/2.0/UDP 192.168.1.50:5062', 'SIP/2.0/UDP'),
      'a bad Expires': plain.replace('Expires: 600', 'Expires: soon'),
    };
    for (const [why, text] of Object.entries(outside)) assert.equal(t.lane.take(Buffer.from(text, 'utf8'), SRC), false, why);
    assert.equal(t.sent.length, 1);
  });

  it('remembers answers for Timer J only', () => {
    const t = setup();
    // 5 a second: under the per-IP request limit (16 in 2 s).
    for (let i = 0; i < 50; i++) {
      t.viaLane(register('1001', { callId: `flood-${i}` }));
      t.clock.tick(200);
    }
    assert.equal(t.lane.remembered, 50);
    t.clock.tick(32_000);
    t.viaLane(register('1001', { callId: 'late' }));
    assert.equal(t.lane.remembered, 1);
  });

  it('survives 20,000 mutated REGISTERs and never answers one the full parser rejects', () => {
    const t = setup();
    const rnd = seeded(4475);
    const c = t.viaLane(register('1001'));
    const inputs = [register('1001'), register('1001', { cseq: 2, authorization: answer(c, '1001', 'Ext1001-demo', 'f1') })];
    let answered = 0;
    for (let i = 0; i < 20_000; i++) {
      // Every request from its own address: the per-IP limit and the bans are not what is fuzzed here.
      const source = { ...SRC, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
      const input = mutate(inputs[i % inputs.length]!, rnd);
      const before = t.sent.length;
      const took = t.lane.take(input, source);
      assert.ok(t.sent.length - before <= (took ? 1 : 0), 'at most one answer, and only for a message it took');
      if (t.sent.length === before) continue;
      answered++;
      // What the lane answered, the general parser accepts as a REGISTER; the answer is a well-formed response.
      const req = parseMessage(input);
      assert.equal(req.kind === 'request' && req.method, 'REGISTER');
      const res = parseMessage(t.sent.at(-1)!.bytes);
      assert.equal(res.kind, 'response');
    }
    assert.ok(answered > 1_000, `the lane answered ${answered} of the mutations`);
  });
});
