import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseUri, serializeUri, sipUri, cloneUri, isSipUri } from '../../../../src/sip/core/uri.ts';
import { uriEquals } from '../../../../src/sip/core/uri-compare.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import type { SipUri, TelUri } from '../../../../src/sip/core/uri-types.ts';

const sip = (s: string) => parseUri(s) as SipUri;

describe('parseUri', () => {
  it('reads every part of a sip URI', () => {
    const u = sip('SIP:alice:secr%65t@Atlanta.example.com:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent');
    assert.deepEqual(u, {
      scheme: 'sip', user: 'alice', password: 'secret', host: 'Atlanta.example.com', port: 5061,
      params: new Map([['transport', 'TCP'], ['lr', null], ['maddr', '239.255.255.1']]),
      headers: [['subject', 'project x'], ['priority', 'urgent']],
    });
  });

  it('handles IPv4, IPv6 references and hostless user parts', () => {
    assert.equal(sip('sips:[2001:db8::10]:5061').host, '[2001:db8::10]');
    assert.equal(sip('sips:[2001:db8::10]:5061').port, 5061);
    assert.equal(sip('sip:1001@192.0.2.1').host, '192.0.2.1');
    assert.equal(sip('sip:registrar.example.com').user, undefined);
  });

  it('keeps ; inside the user part and decodes escapes (RFC 4475 3.1.1.9, 3.1.1.3)', () => {
    const u = sip('sip:user;par=u%40example.net@example.com;transport=udp');
    assert.equal(u.user, 'user;par=u@example.net');
    assert.deepEqual([...u.params], [['transport', 'udp']]);
    assert.equal(sip('sip:%E5%BC%A0@x.example').user, '张');
    assert.equal(sip('sip:*86%23@x.example').user, '*86#');
    assert.equal(sip('sip:*86#@x.example').user, '*86#', 'unescaped # tolerated');
  });

  it('reads tel URIs (RFC 3966)', () => {
    const t = parseUri('tel:+86-20-8888-0000;phone-context=example.com') as TelUri;
    assert.equal(t.number, '+86-20-8888-0000');
    assert.equal(t.params.get('phone-context'), 'example.com');
  });

  it('keeps unknown schemes opaque', () => {
    assert.deepEqual(parseUri('urn:service:sos'), { scheme: 'urn', opaque: 'service:sos' });
    assert.deepEqual(parseUri('soap.beep://192.0.2.103:3002'), { scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
    assert.equal(isSipUri(parseUri('mailto:a@b')), false);
  });

  it('rejects malformed URIs', () => {
    for (const bad of ['<sip:a@b>', 'sip:a@b c', 'sip:', 'sip:a@', 'sip:@host', 'sip:a@b:99999', 'sip:a@[::1', 'sip:a@b;;lr',
      'sip:a%2@b', 'sip:a@b?x', 'tel:abc xyz', 'nocolon', 'sip:a@-bad-.example']) {
      assert.throws(() => parseUri(bad), SipParseError, bad);
    }
  });
});

describe('serializeUri', () => {
  it('escapes what the grammar does not allow and round-trips', () => {
    const u = sip('sip:sips%3Auser%40example.com@example.net');
    assert.equal(u.user, 'sips:user@example.com');
    assert.equal(serializeUri(u), 'sip:sips%3Auser%40example.com@example.net');
    assert.equal(serializeUri(sip('sip:null-%00-null@example.com')), 'sip:null-%00-null@example.com');
    assert.equal(serializeUri(sipUri({ user: '张 三', host: 'x.example', params: new Map([['x', 'a b']]) })), 'sip:%E5%BC%A0%20%E4%B8%89@x.example;x=a%20b');
    for (const text of ['sip:alice@atlanta.com;maddr=[2001:db8::1];lr', 'sips:[::1]:5061', 'tel:+8613800138000;ext=1', 'sip:a@b?Route=%3Csip:c%3E', 'urn:x']) {
      assert.equal(serializeUri(parseUri(text)), text);
    }
  });

  it('cloneUri makes an independent copy', () => {
    const a = sip('sip:a@b;lr');
    const b = cloneUri(a);
    b.params.set('x', '1');
    assert.equal(a.params.has('x'), false);
  });
});

describe('uriEquals (RFC 3261 19.1.4)', () => {
  const same = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));
  it('treats the RFC equivalent examples as equal', () => {
    assert.ok(same('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'));
    assert.ok(same('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'));
    assert.ok(same('sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'));
    assert.ok(same('sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'));
    assert.ok(same('sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'));
    assert.ok(same('sip:a@[2001:db8::1]', 'sip:a@[2001:DB8:0:0::1]'));
    assert.ok(same('tel:+1-201-555-0123', 'tel:+12015550123'));
  });
  it('treats the RFC non-equivalent examples as different', () => {
    assert.ok(!same('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'));
    assert.ok(!same('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'));
    assert.ok(!same('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'));
    assert.ok(!same('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'));
    assert.ok(!same('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'));
    assert.ok(!same('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'));
    assert.ok(!same('sip:a@b', 'sips:a@b'));
    assert.ok(!same('sip:a@b;maddr=1.2.3.4', 'sip:a@b'));
    assert.ok(!same('sip:a@b;user=phone', 'sip:a@b'));
    assert.ok(!same('sip:a@b;ttl=1', 'sip:a@b;ttl=2'));
  });
  it('compares other schemes exactly', () => {
    assert.ok(same('urn:x:y', 'urn:x:y'));
    assert.ok(!same('urn:x:y', 'urn:x:Y'));
    assert.ok(!same('tel:+1', 'sip:+1@h'));
  });
});
