import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Headers, canonicalHeaderName, isListHeader } from '../../../../src/sip/core/headers.ts';
import { splitList, parseParams, quote, readQuoted, percentDecode, percentEncode, hostKind, parseHostPort } from '../../../../src/sip/core/grammar.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';

describe('Headers', () => {
  it('expands compact forms and matches names case-insensitively', () => {
    for (const [c, long] of [['i', 'Call-ID'], ['m', 'Contact'], ['f', 'From'], ['t', 'To'], ['v', 'Via'], ['l', 'Content-Length'],
      ['c', 'Content-Type'], ['k', 'Supported'], ['s', 'Subject'], ['e', 'Content-Encoding'], ['o', 'Event'], ['r', 'Refer-To'],
      ['u', 'Allow-Events'], ['x', 'Session-Expires'], ['b', 'Referred-By']]) {
      assert.equal(canonicalHeaderName(c), long);
      assert.equal(canonicalHeaderName(c.toUpperCase()), long);
    }
    assert.equal(canonicalHeaderName('cseq'), 'CSeq');
    assert.equal(canonicalHeaderName('WWW-AUTHENTICATE'), 'WWW-Authenticate');
    assert.equal(canonicalHeaderName('X-Custom'), 'X-Custom');
    const h = new Headers();
    h.addRaw('x-Custom', 'a');
    h.addRaw('X-CUSTOM', 'b');
    assert.deepEqual(h.getAll('x-custom'), ['a', 'b']);
    assert.deepEqual(h.names(), ['x-Custom']);
  });

  it('keeps first-seen order and splits list headers only', () => {
    const h = new Headers();
    h.addRaw('v', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2');
    h.addRaw('Contact', '"Doe, John" <sip:j@x;a=1,2>, <sip:k@y>');
    h.addRaw('WWW-Authenticate', 'Digest realm="a", nonce="b"');
    h.addRaw('Via', 'SIP/2.0/TCP c');
    assert.deepEqual(h.names(), ['Via', 'Contact', 'WWW-Authenticate']);
    assert.equal(h.count('Via'), 3);
    assert.deepEqual(h.getAll('Contact'), ['"Doe, John" <sip:j@x;a=1,2>', '<sip:k@y>']);
    assert.equal(h.count('WWW-Authenticate'), 1);
    assert.ok(isListHeader('Route') && !isListHeader('Date') && !isListHeader('Proxy-Authenticate'));
  });

  it('set keeps position, prepend puts on top, delete removes, cache is invalidated', () => {
    const h = new Headers();
    h.append('X-A', '1');
    h.append('X-B', '2');
    h.set('X-A', ['3', '4']);
    h.prepend('X-B', '0');
    assert.deepEqual([...h.entries()], [['X-A', ['3', '4']], ['X-B', ['0', '2']]]);
    let parses = 0;
    const first = h.parsed('X-A', (vs) => { parses++; return vs.join('+'); });
    assert.equal(h.parsed('X-A', () => 'again'), first);
    h.append('X-A', '5');
    assert.equal(h.parsed('X-A', (vs) => { parses++; return vs.join('+'); }), '3+4+5');
    assert.equal(parses, 2);
    h.delete('x-a');
    assert.equal(h.has('X-A'), false);
    const copy = h.clone();
    copy.append('X-C', 'x');
    assert.equal(h.has('X-C'), false);
  });

  it('refuses CR/LF in values (header injection) and bad names', () => {
    const h = new Headers();
    assert.throws(() => h.append('X', 'a\r\nEvil: 1'), TypeError);
    assert.throws(() => h.append('Bad Name', 'a'), TypeError);
  });
});

describe('grammar', () => {
  it('splits lists outside quotes and angle brackets', () => {
    assert.deepEqual(splitList('a, "b,\\"c", <d,e>;x=1 ,f'), ['a', '"b,\\"c"', '<d,e>;x=1', 'f']);
    assert.deepEqual(splitList('a,,b'), ['a', '', 'b']);
  });

  it('parses generic params with LWS, quoted values and IPv6 hosts', () => {
    const { params, end } = parseParams(' ; Tag = abc ;lr; text="a;b" ;received=[2001:db8::1] x', 0);
    assert.deepEqual([...params], [['tag', 'abc'], ['lr', null], ['text', '"a;b"'], ['received', '[2001:db8::1]']]);
    assert.equal(end, 52);
    assert.throws(() => parseParams(';;', 0), SipParseError);
    assert.throws(() => parseParams(';a=', 0), SipParseError);
  });

  it('quotes and reads quoted strings with escapes', () => {
    assert.equal(quote('say "hi" \\ 你好'), '"say \\"hi\\" \\\\ 你好"');
    assert.deepEqual(readQuoted('"a\\"b" rest', 0), { value: 'a"b', end: 6 });
    assert.throws(() => readQuoted('"open', 0), SipParseError);
    const tricky = 'BEL:\x07 NUL:\x00';
    assert.equal(readQuoted(quote(tricky), 0).value, tricky);
  });

  it('decodes and encodes %-escapes as UTF-8', () => {
    assert.equal(percentDecode('%E5%BC%A0%20x'), '张 x');
    assert.throws(() => percentDecode('%G1'), SipParseError);
    assert.equal(percentEncode('a b@张', (c) => /[a-z]/.test(c)), 'a%20b%40%E5%BC%A0');
  });

  it('classifies hosts', () => {
    assert.equal(hostKind('192.0.2.1'), 'ipv4');
    assert.equal(hostKind('[::1]'), 'ipv6');
    assert.equal(hostKind('sip.example.com'), 'domain');
    assert.equal(hostKind('999.1.1.1'), undefined);
    assert.equal(hostKind('bad host'), undefined);
    assert.deepEqual(parseHostPort('[2001:db8::1]:5061'), { host: '[2001:db8::1]', port: 5061 });
    assert.throws(() => parseHostPort('a.example:70000'), SipParseError);
  });
});
