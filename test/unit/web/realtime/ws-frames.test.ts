// RFC 6455 framing: the accept key of the RFC's example, lengths across the 7/16/64-bit forms,
// masking, split delivery, and the violations that must close the connection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptKey, encodeFrame, FrameParser, OPCODE } from '../../../../src/web/realtime/index.ts';

describe('ws frames', () => {
  it('accept key of RFC 6455 1.3', () => {
    assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  for (const len of [0, 125, 126, 65535, 65536]) {
    it(`a masked ${len}-byte frame parses back, delivered one byte at a time at the edges`, () => {
      const payload = Buffer.alloc(len, 0x61);
      const wire = encodeFrame(OPCODE.text, payload, true);
      const p = new FrameParser({ maxPayload: 1 << 20, expectMasked: true });
      const frames = [...p.push(wire.subarray(0, 1)), ...p.push(wire.subarray(1, 3)), ...p.push(wire.subarray(3))];
      assert.equal(frames.length, 1);
      assert.equal(frames[0]!.fin, true);
      assert.equal(frames[0]!.opcode, OPCODE.text);
      assert.ok(frames[0]!.payload.equals(payload));
    });
  }

  it('two frames in one chunk', () => {
    const p = new FrameParser({ maxPayload: 1024, expectMasked: false });
    const frames = p.push(Buffer.concat([encodeFrame(OPCODE.ping, Buffer.from('a')), encodeFrame(OPCODE.text, Buffer.from('bc'))]));
    assert.deepEqual(frames.map((f) => [f.opcode, f.payload.toString()]), [[OPCODE.ping, 'a'], [OPCODE.text, 'bc']]);
  });

  const violations: [string, Buffer, number][] = [
    ['unmasked from a client', encodeFrame(OPCODE.text, Buffer.from('x')), 1002],
    ['RSV bits', Buffer.from([0xc1, 0x80, 0, 0, 0, 0]), 1002],
    ['unknown opcode', Buffer.from([0x83, 0x80, 0, 0, 0, 0]), 1002],
    ['fragmented control frame', Buffer.from([0x09, 0x80, 0, 0, 0, 0]), 1002],
    ['too big (64-bit length)', Buffer.from([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 0]), 1009],
  ];
  for (const [name, wire, code] of violations) {
    it(`${name} → close ${code}`, () => {
      const p = new FrameParser({ maxPayload: 1024, expectMasked: true });
      assert.throws(() => p.push(wire), (e: { code: number }) => e.code === code);
    });
  }
});
