import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../../../../src/sip/core/message.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import { serializeNameAddr, withTag, parseFromTo } from '../../../../src/sip/core/header-address.ts';
import { serializeVia, buildVia, parseVia, hasMagicCookie } from '../../../../src/sip/core/header-via.ts';
import { serializeAuthHeader, parseAuthHeader } from '../../../../src/sip/core/header-auth.ts';
import { wire } from './helpers.ts';

const BASE = [
  'INVITE sip:1001@box.example SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKabc',
  'From: <sip:a@x.example>;tag=1',
  'To: <sip:1001@box.example>',
  'Call-ID: c1',
  'CSeq: 1 INVITE',
];
const req = (...extra: string[]) => parseMessage(wire([...BASE, ...extra]), { validate: false });

describe('typed accessors', () => {
  it('Contact: list, *, expires and q, contact params vs URI params', () => {
    const r = req('Contact: "A" <sip:a@h1;transport=tcp>;expires=60;q=0.5, sip:b@h2;expires=4294967296');
    const contacts = m.getContacts(r);
    assert.ok(Array.isArray(contacts));
    assert.equal(contacts[0].expires, 60);
    assert.equal(contacts[0].q, 0.5);
    assert.equal(contacts[0].displayName, 'A');
    assert.equal((contacts[0].uri as { params: Map<string, unknown> }).params.get('transport'), 'tcp');
    assert.equal(contacts[1].expires, undefined, 'out-of-range expires is ignored');
    assert.equal(m.getContacts(req('Contact: *')), '*');
    assert.throws(() => m.getContacts(req('Contact: *, <sip:a@b>')), SipParseError);
    assert.deepEqual(m.getContacts(req()), []);
  });

  it('option tags, Content-Type, Expires, Max-Forwards', () => {
    const r = req('Require: 100rel', 'Supported: timer, replaces', 'Content-Type: Application/SDP ; charset=utf-8', 'Expires: 3600', 'Max-Forwards: 0');
    assert.deepEqual(m.getOptionTags(r, 'Require'), ['100rel']);
    assert.ok(m.hasOptionTag(r, 'Supported', 'REPLACES'));
    const ct = m.getContentType(r)!;
    assert.equal(`${ct.type}/${ct.subtype}`, 'application/sdp');
    assert.equal(ct.params.get('charset'), 'utf-8');
    assert.equal(m.getExpires(r), 3600);
    assert.equal(m.getMaxForwards(r), 0);
    assert.equal(m.getMaxForwards(req()), undefined);
  });

  it('Authorization / WWW-Authenticate, including unknown schemes', () => {
    const r = req('Authorization: Digest username="1001", realm="ccbox", nonce="n=", uri="sip:box", response="abc", qop=auth, nc=00000001, cnonce="c", algorithm=SHA-256',
      'Proxy-Authorization: NoOneKnowsThisScheme opaque-data=here', 'WWW-Authenticate: Basic YWxhZGRpbjpvcGVu');
    const [digest] = m.getAuthHeaders(r, 'Authorization');
    assert.equal(digest.scheme, 'Digest');
    assert.equal(digest.params.get('username'), '1001');
    assert.equal(digest.params.get('nc'), '00000001');
    assert.ok(digest.quoted.has('nonce') && !digest.quoted.has('qop'));
    assert.equal(m.getAuthHeaders(r, 'Proxy-Authorization')[0].params.get('opaque-data'), 'here');
    assert.equal(m.getAuthHeaders(r, 'WWW-Authenticate')[0].token68, 'YWxhZGRpbjpvcGVu');
    const text = serializeAuthHeader('Digest', new Map([['realm', 'a"b'], ['stale', 'true']]), new Set(['stale']));
    assert.equal(text, 'Digest realm="a\\"b", stale=true');
    assert.equal(parseAuthHeader(text).params.get('realm'), 'a"b');
  });

  it('Reason, P-Asserted-Identity, Refer-To with Replaces, Replaces', () => {
    const r = req('Reason: Q.850;cause=17;text="User busy", SIP ;cause=600',
      'P-Asserted-Identity: "Carrier" <sip:+8613800138000@carrier.example>, <tel:+8613800138000>',
      'Refer-To: <sip:1002@box.example?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>',
      'Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only');
    const reasons = m.getReasons(r);
    assert.deepEqual([reasons[0].protocol, reasons[0].cause, reasons[0].text], ['Q.850', 17, 'User busy']);
    assert.equal(reasons[1].cause, 600);
    const pai = m.getPAssertedIdentities(r);
    assert.equal(pai.length, 2);
    assert.equal(pai[1].uri.scheme, 'tel');
    const referTo = m.getReferTo(r)!;
    assert.deepEqual((referTo.uri as { headers: unknown }).headers, [['Replaces', 'abc@h;to-tag=1;from-tag=2']]);
    assert.deepEqual(m.getReplaces(r), { callId: '98732@sip.example.com', toTag: 'ff87ff', fromTag: 'r33th4x0r', earlyOnly: true });
  });

  it('Session-Expires, Min-SE, RSeq, RAck, Event, Subscription-State', () => {
    const r = req('x: 1800;refresher=uac', 'Min-SE: 90', 'RSeq: 988789', 'RAck: 776656 1 INVITE',
      'o: dialog;id=7', 'Subscription-State: terminated;reason=timeout;retry-after=30');
    assert.deepEqual({ ...m.getSessionExpires(r)!, params: undefined }, { deltaSeconds: 1800, refresher: 'uac', params: undefined });
    assert.equal(m.getMinSE(r), 90);
    assert.equal(m.getRSeq(r), 988789);
    assert.deepEqual(m.getRAck(r), { rseq: 776656, cseq: 1, method: 'INVITE' });
    assert.equal(m.getEvent(r)!.event, 'dialog');
    assert.equal(m.getEvent(r)!.id, '7');
    const ss = m.getSubscriptionState(r)!;
    assert.deepEqual([ss.state, ss.reason, ss.retryAfter], ['terminated', 'timeout', 30]);
    assert.throws(() => m.getRSeq(req('RSeq: 0')), SipParseError);
    assert.throws(() => m.getSessionExpires(req('Session-Expires: 90;refresher=me')), SipParseError);
  });

  it('Route and Record-Route keep order', () => {
    const r = req('Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>', 'Route: <sip:p3.example;lr>');
    assert.deepEqual(m.getRoutes(r, 'Record-Route').map((na) => (na.uri as { host: string }).host), ['p1.example', 'p2.example']);
    assert.equal(m.getRoutes(r, 'Route').length, 1);
  });

  it('createRequest/createResponse and cloneMessage', () => {
    const r = m.createRequest({ method: 'OPTIONS', uri: 'sip:a@b', headers: [['Call-ID', 'x']], body: 'hi' });
    assert.equal(r.body.toString(), 'hi');
    const copy = m.cloneMessage(r);
    copy.headers.set('Call-ID', 'y');
    assert.equal(m.getCallId(r), 'x');
    assert.equal(m.createResponse({ status: 486 }).reason, 'Busy Here');
  });
});

describe('address, Via and auth serializers', () => {
  it('serializes name-addr with a quoted display name and adds tags', () => {
    const from = parseFromTo('"张 \\"三\\"" <sip:a@b>;x=1');
    assert.equal(from.displayName, '张 "三"');
    assert.equal(serializeNameAddr(withTag(from, 'abc')), '"张 \\"三\\"" <sip:a@b>;x=1;tag=abc');
  });
  it('rejects non-token unquoted display names and unbalanced quotes', () => {
    assert.throws(() => parseFromTo('Bell, Alexander <sip:a@b>'), SipParseError);
    assert.throws(() => parseFromTo('"open <sip:a@b>'), SipParseError);
    assert.throws(() => parseFromTo('< sip:a@b >'), SipParseError);
    assert.throws(() => parseFromTo('sip:a@b?x=y'), SipParseError);
  });
  it('builds and re-reads a Via', () => {
    const text = buildVia({ transport: 'tcp', host: '[2001:db8::1]', port: 5060, branch: 'z9hG4bKxyz' });
    assert.equal(text, 'SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKxyz;rport');
    const via = parseVia(text);
    assert.equal(serializeVia(via), text);
    assert.ok(hasMagicCookie(via.branch));
    assert.ok(!hasMagicCookie('z9hG4bK'));
    assert.throws(() => parseVia('SIP/2.0/UDP 192.0.2.15;;,;,,'), SipParseError);
    assert.throws(() => parseVia('SIP/2.0/UDP host;branch'), SipParseError);
  });
});
