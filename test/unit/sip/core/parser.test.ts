import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, isKeepAlive } from '../../../../src/sip/core/parser.ts';
import { serializeMessage } from '../../../../src/sip/core/serializer.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import { getCSeq, getFrom, getTo, getTopVia, getVias, getCallId, getMaxForwards } from '../../../../src/sip/core/message.ts';
import type { SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { wire } from './helpers.ts';

const INVITE = [
  'INVITE sip:1001@192.0.2.10:5060;transport=udp SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: "客服" <sip:1001@192.0.2.10>',
  'From: "张三" <sip:13800138000@192.0.2.20>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:13800138000@192.0.2.20:5062>',
  'Content-Type: application/sdp',
];

function parseRequest(buf: Buffer): SipRequest {
  const m = parseMessage(buf);
  assert.equal(m.kind, 'request');
  return m as SipRequest;
}

function parseError(buf: Buffer): SipParseError {
  try {
    parseMessage(buf);
  } catch (err) {
    assert.ok(err instanceof SipParseError, `expected SipParseError, got ${err}`);
    return err;
  }
  assert.fail('message was accepted');
}

describe('parseMessage: requests', () => {
  it('reads start line, typed headers and a UTF-8 body counted in bytes', () => {
    const body = 'v=0\r\ns=呼叫\r\n';
    const req = parseRequest(wire([...INVITE, `Content-Length: ${Buffer.byteLength(body)}`], body));
    assert.equal(req.method, 'INVITE');
    assert.equal(req.uri.scheme, 'sip');
    assert.deepEqual(req.body, Buffer.from(body));
    assert.equal(getFrom(req).displayName, '张三');
    assert.equal(getFrom(req).tag, '1928301774');
    assert.equal(getTo(req).displayName, '客服');
    assert.equal(getTo(req).tag, undefined);
    assert.deepEqual(getCSeq(req), { seq: 314159, method: 'INVITE' });
    assert.equal(getCallId(req), 'a84b4c76e66710@pc33.example.com');
    assert.equal(getMaxForwards(req), 70);
    const via = getTopVia(req);
    assert.equal(via.transport, 'UDP');
    assert.equal(via.host, '192.0.2.20');
    assert.equal(via.port, 5062);
    assert.equal(via.branch, 'z9hG4bK776asdhds');
    assert.equal(via.rport, null);
  });

  it('unfolds continuation lines and expands compact forms', () => {
    const req = parseRequest(wire([
      'OPTIONS sip:a@b.example SIP/2.0',
      'v: SIP/2.0/UDP h.example;branch=z9hG4bK1,',
      '   SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK2;received=2001:db8::1',
      'f: <sip:x@y>;tag=1', 't: sip:a@b.example', 'i: cid', 'CSeq: 1',
      '  OPTIONS', 'l: 0', 'k: 100rel, timer', 'Subject:', ' folded subject',
    ]));
    const vias = getVias(req);
    assert.equal(vias.length, 2);
    assert.equal(vias[1].host, '[2001:db8::9]');
    assert.equal(vias[1].port, 5070);
    assert.equal(vias[1].received, '2001:db8::1');
    assert.deepEqual(req.headers.getAll('Supported'), ['100rel', 'timer']);
    assert.equal(req.headers.get('Subject'), 'folded subject');
    assert.deepEqual(getCSeq(req), { seq: 1, method: 'OPTIONS' });
    assert.deepEqual(req.headers.names().slice(0, 4), ['Via', 'From', 'To', 'Call-ID']);
  });

  it('accepts bare-LF line ends and leading CRLFs', () => {
    const text = '\r\n\r\n' + [...INVITE, 'Content-Length: 0'].join('\n') + '\n\n';
    const req = parseRequest(Buffer.from(text));
    assert.equal(getCSeq(req).seq, 314159);
  });

  it('ignores datagram octets beyond Content-Length', () => {
    const req = parseRequest(wire([...INVITE, 'Content-Length: 4'], 'v=0\r\nGARBAGE'));
    assert.equal(req.body.toString(), 'v=0\r');
  });

  it('takes the rest of the datagram when Content-Length is absent (RFC 3261 18.3)', () => {
    const req = parseRequest(wire(INVITE, 'v=0\r\n'));
    assert.equal(req.body.toString(), 'v=0\r\n');
  });

  it('rejects Content-Length larger than the datagram with a respondable 400', () => {
    const err = parseError(wire([...INVITE, 'Content-Length: 99'], 'v=0'));
    assert.equal(err.status, 400);
    assert.ok(err.respondable);
    assert.equal(err.partial?.method, 'INVITE');
  });

  it('rejects negative and overlarge scalars', () => {
    assert.equal(parseError(wire([...INVITE, 'Content-Length: -1'])).reason, 'Negative Content-Length');
    const cseq = INVITE.map((l) => (l.startsWith('CSeq') ? 'CSeq: 2147483648 INVITE' : l));
    assert.match(parseError(wire(cseq)).reason, /CSeq/);
    assert.match(parseError(wire([...INVITE, 'Max-Forwards: 256'].filter((l) => l !== 'Max-Forwards: 70'))).reason, /Max-Forwards/);
    assert.match(parseError(wire([...INVITE, 'Expires: 4294967296'])).reason, /Expires/);
  });

  it('answers 505 to another SIP version and 416 to an unknown Request-URI scheme', () => {
    assert.equal(parseError(wire([INVITE[0].replace('SIP/2.0', 'SIP/3.0'), ...INVITE.slice(1)])).status, 505);
    const err = parseError(wire([INVITE[0].replace('sip:1001@192.0.2.10:5060;transport=udp', 'http://x.example/'), ...INVITE.slice(1)]));
    assert.equal(err.status, 416);
    assert.equal(err.reason, 'Unsupported URI Scheme');
  });

  it('accepts tel: and sips: Request-URIs', () => {
    const tel = parseRequest(wire([INVITE[0].replace('sip:1001@192.0.2.10:5060;transport=udp', 'tel:+86-20-8888-0000'), ...INVITE.slice(1)]));
    assert.deepEqual(tel.uri, { scheme: 'tel', number: '+86-20-8888-0000', params: new Map() });
  });

  it('rejects CSeq method mismatch, missing and repeated headers with 400', () => {
    assert.match(parseError(wire(INVITE.map((l) => l.replace('314159 INVITE', '314159 BYE')))).reason, /CSeq method/);
    assert.match(parseError(wire(INVITE.filter((l) => !l.startsWith('Call-ID')))).reason, /Missing Required Header: Call-ID/);
    assert.match(parseError(wire([...INVITE, 'To: <sip:x@y>'])).reason, /Multiple Values In Header: To/);
  });

  it('keeps a partial request for answering when a header line is malformed', () => {
    const err = parseError(wire([...INVITE, 'this line has no colon']));
    assert.equal(err.status, 400);
    assert.equal(err.partial?.headers.get('Call-ID'), 'a84b4c76e66710@pc33.example.com');
  });

  it('treats CRLF-only datagrams as keep-alives', () => {
    assert.ok(isKeepAlive(Buffer.from('\r\n\r\n')));
    assert.ok(!isKeepAlive(Buffer.from('\r\nX')));
    assert.equal(parseError(Buffer.from('\r\n\r\n')).status, null);
  });

  it('parses leniently with validate:false', () => {
    const m = parseMessage(wire(INVITE.filter((l) => !l.startsWith('From'))), { validate: false });
    assert.equal(m.kind, 'request');
    assert.equal(m.headers.has('From'), false);
  });
});

describe('parseMessage: responses', () => {
  const RESPONSE = [
    'SIP/2.0 180 振铃中 Ringing',
    'Via: SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=40000',
    'To: <sip:1001@192.0.2.10>;tag=a6c85cf',
    'From: <sip:13800138000@192.0.2.20>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    'Content-Length: 0',
  ];

  it('reads status, UTF-8 reason and rport/received', () => {
    const res = parseMessage(wire(RESPONSE)) as SipResponse;
    assert.equal(res.kind, 'response');
    assert.equal(res.status, 180);
    assert.equal(res.reason, '振铃中 Ringing');
    assert.equal(getTopVia(res).rport, 40000);
    assert.equal(getTopVia(res).received, '198.51.100.7');
  });

  it('drops responses with codes outside 100-699 or broken headers', () => {
    assert.equal(parseError(wire(['SIP/2.0 700 Nope', ...RESPONSE.slice(1)])).status, null);
    assert.equal(parseError(wire(['SIP/2.0 99 Nope', ...RESPONSE.slice(1)])).status, null);
    assert.equal(parseError(wire(RESPONSE.filter((l) => !l.startsWith('CSeq')))).status, null);
  });
});

describe('serializeMessage', () => {
  it('writes canonical names, one address per line, joined token lists and a true Content-Length', () => {
    const req = parseRequest(wire([
      'MESSAGE sip:a@b.example SIP/2.0',
      'v: SIP/2.0/UDP h.example;branch=z9hG4bK1, SIP/2.0/UDP g.example;branch=z9hG4bK2',
      'f: <sip:x@y>;tag=1', 't: <sip:a@b.example>', 'i: cid', 'CSeq: 7 MESSAGE',
      'k: 100rel', 'Supported: timer', 'c: text/plain', 'l: 3',
    ], '你'));
    assert.equal(serializeMessage(req).toString('utf8'), [
      'MESSAGE sip:a@b.example SIP/2.0',
      'Via: SIP/2.0/UDP h.example;branch=z9hG4bK1',
      'Via: SIP/2.0/UDP g.example;branch=z9hG4bK2',
      'From: <sip:x@y>;tag=1',
      'To: <sip:a@b.example>',
      'Call-ID: cid',
      'CSeq: 7 MESSAGE',
      'Supported: 100rel, timer',
      'Content-Type: text/plain',
      'Content-Length: 3',
      '',
      '你',
    ].join('\r\n'));
  });

  it('round-trips a parsed message', () => {
    const original = wire([...INVITE, 'Content-Length: 5'], 'hello');
    const once = serializeMessage(parseMessage(original));
    assert.deepEqual(serializeMessage(parseMessage(once)), once);
  });
});
