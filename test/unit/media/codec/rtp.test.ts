import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRtp, createRtpHeader, parseRtp, looksLikeRtcp, seqDelta, tsDelta, setRtpSsrc, setRtpSequenceNumber,
  setRtpTimestamp, setRtpPayloadType, summarizeRtcp, createRtcpSummary,
} from '../../../../src/media/codec/index.ts';

test('build and parse a plain packet', () => {
  const payload = Buffer.alloc(160, 0xd5);
  const pkt = buildRtp({ payloadType: 8, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, marker: true }, payload);
  assert.equal(pkt.length, 172);
  const h = createRtpHeader();
  assert.ok(parseRtp(pkt, h));
  assert.equal(h.version, 2);
  assert.equal(h.marker, true);
  assert.equal(h.payloadType, 8);
  assert.equal(h.sequenceNumber, 65535);
  assert.equal(h.timestamp, 0xfffffff0);
  assert.equal(h.ssrc, 0xdeadbeef);
  assert.equal(h.payloadOffset, 12);
  assert.equal(h.payloadLength, 160);
});

test('CSRC, extension and padding', () => {
  const payload = Buffer.from([1, 2, 3, 4, 5]);
  const pkt = buildRtp({
    payloadType: 0, sequenceNumber: 7, timestamp: 160, ssrc: 1, csrcs: [0x11111111, 0x22222222],
    extension: { profile: 0xbede, data: Buffer.from([0x10, 0xaa]) }, padTo: 4,
  }, payload);
  const h = createRtpHeader();
  assert.ok(parseRtp(pkt, h));
  assert.equal(h.csrcCount, 2);
  assert.equal(pkt.readUInt32BE(h.csrcOffset + 4), 0x22222222);
  assert.equal(h.extension, true);
  assert.equal(h.extensionProfile, 0xbede);
  assert.equal(h.extensionLength, 4);
  assert.equal(h.padding, true);
  assert.equal(pkt.length % 4, 0);
  assert.equal(h.payloadOffset, 12 + 8 + 4 + 4);
  assert.deepEqual([...pkt.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength)], [1, 2, 3, 4, 5]);
  assert.equal(h.paddingLength, 3);
});

test('malformed packets are rejected', () => {
  const h = createRtpHeader();
  assert.equal(parseRtp(Buffer.alloc(11), h), false);
  const v1 = buildRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 }, Buffer.alloc(4));
  v1[0] = 0x40;
  assert.equal(parseRtp(v1, h), false);
  const badCsrc = buildRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 }, Buffer.alloc(4));
  badCsrc[0] = 0x8f; // 15 CSRCs announced, none present
  assert.equal(parseRtp(badCsrc, h), false);
  const badPad = buildRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 }, Buffer.from([0, 0, 0, 200]));
  badPad[0] |= 0x20;
  assert.equal(parseRtp(badPad, h), false);
});

test('in-place setters and serial arithmetic', () => {
  const pkt = buildRtp({ payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3 }, Buffer.alloc(4));
  setRtpSsrc(pkt, 0xcafebabe);
  setRtpSequenceNumber(pkt, 0x1234);
  setRtpTimestamp(pkt, 0x87654321);
  setRtpPayloadType(pkt, 0, true);
  const h = createRtpHeader();
  assert.ok(parseRtp(pkt, h));
  assert.deepEqual([h.ssrc, h.sequenceNumber, h.timestamp, h.payloadType, h.marker], [0xcafebabe, 0x1234, 0x87654321, 0, true]);
  assert.equal(seqDelta(2, 65535), 3);
  assert.equal(seqDelta(65535, 2), -3);
  assert.equal(tsDelta(10, 0xfffffff6), 20);
});

test('RTCP is told apart from RTP and summarized', () => {
  const sr = Buffer.alloc(28);
  sr[0] = 0x80; sr[1] = 200; sr.writeUInt16BE(6, 2); sr.writeUInt32BE(0xabcdef01, 4);
  assert.ok(looksLikeRtcp(sr));
  const rtp = buildRtp({ payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 1, marker: true }, Buffer.alloc(4));
  assert.equal(looksLikeRtcp(rtp), false);
  const rr = Buffer.alloc(8);
  rr[0] = 0x80; rr[1] = 201; rr.writeUInt16BE(1, 2);
  const compound = Buffer.concat([sr, rr]);
  const s = createRtcpSummary();
  assert.ok(summarizeRtcp(compound, compound.length, s));
  assert.deepEqual(s, { packets: 2, senderReports: 1, receiverReports: 1, byes: 0, senderSsrc: 0xabcdef01 });
  assert.equal(summarizeRtcp(compound, compound.length - 1, s), false);
});
