import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamFramer, contentLengthOf } from '../../../../src/sip/core/framer.ts';
import { SipParseError } from '../../../../src/sip/core/errors.ts';
import { parseMessage } from '../../../../src/sip/core/parser.ts';

const msg = (cseq: number, body = '') => Buffer.from(
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK${cseq}\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n` +
  `Call-ID: c\r\nCSeq: ${cseq} OPTIONS\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`);

describe('StreamFramer', () => {
  it('cuts messages by Content-Length across arbitrary chunk boundaries', () => {
    const stream = Buffer.concat([msg(1, 'héllo'), msg(2), msg(3, 'x')]);
    for (const size of [1, 2, 7, 64, stream.length]) {
      const framer = new StreamFramer();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) {
        for (const e of framer.push(stream.subarray(i, i + size))) if (e.type === 'message') out.push(e.data);
      }
      assert.equal(out.length, 3, `chunk size ${size}`);
      assert.equal(parseMessage(out[0]).body.toString(), 'héllo');
      assert.equal(framer.buffered, 0);
    }
  });

  it('reports RFC 5626 pings and pongs between messages', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.concat([Buffer.from('\r\n\r\n'), msg(1), Buffer.from('\r\n')]));
    assert.deepEqual(events.map((e) => e.type), ['ping', 'message', 'pong']);
  });

  it('waits for the body and then emits exactly one message', () => {
    const framer = new StreamFramer();
    const m = msg(1, 'abcdef');
    assert.deepEqual(framer.push(m.subarray(0, m.length - 3)), []);
    const events = framer.push(m.subarray(m.length - 3));
    assert.equal(events.length, 1);
    assert.deepEqual(events[0], { type: 'message', data: m });
  });

  it('rejects oversized header sections, oversized bodies and conflicting lengths, then stays failed', () => {
    const small = new StreamFramer({ maxHeaderBytes: 64 });
    assert.throws(() => small.push(Buffer.alloc(100, 0x41)), SipParseError);
    assert.throws(() => small.push(Buffer.from('\r\n')), SipParseError);
    const body = new StreamFramer({ maxBodyBytes: 2 });
    assert.throws(() => body.push(msg(1, 'abc')), /Body too large/);
    assert.throws(() => contentLengthOf('X\r\nContent-Length: 3\r\nl: 4'), /Conflicting/);
    assert.throws(() => contentLengthOf('X\r\nContent-Length: -3'), /Invalid/);
    assert.equal(contentLengthOf('X\r\nContent-Length:\r\n  12'), 12);
  });
});
