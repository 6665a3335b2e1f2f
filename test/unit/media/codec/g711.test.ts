import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALAW_DECODE, ULAW_DECODE, ALAW_TO_ULAW, ULAW_TO_ALAW, alawEncodeSample, ulawEncodeSample,
  decodeG711, encodeG711, transcodeG711,
} from '../../../../src/media/codec/index.ts';

test('known G.711 vectors', () => {
  assert.equal(ULAW_DECODE[0xff], 0);
  assert.equal(ulawEncodeSample(0), 0xff);
  assert.equal(ALAW_DECODE[0xd5], 8);
  assert.equal(alawEncodeSample(8), 0xd5);
  assert.equal(alawEncodeSample(0), 0xd5);
  // Full-scale codes of both laws.
  assert.equal(ULAW_DECODE[0x80], 32124);
  assert.equal(ULAW_DECODE[0x00], -32124);
  assert.equal(ALAW_DECODE[0xaa], 32256);
  assert.equal(ALAW_DECODE[0x2a], -32256);
  assert.equal(ulawEncodeSample(32767), 0x80);
  assert.equal(ulawEncodeSample(-32768), 0x00);
  assert.equal(alawEncodeSample(32767), 0xaa);
  assert.equal(alawEncodeSample(-32768), 0x2a);
});

test('decode then encode is the identity on every code', () => {
  for (let c = 0; c < 256; c++) {
    assert.equal(alawEncodeSample(ALAW_DECODE[c]), c, `A-law ${c}`);
    // µ-law 0x7F is negative zero; it encodes back as positive zero 0xFF.
    assert.equal(ulawEncodeSample(ULAW_DECODE[c]), c === 0x7f ? 0xff : c, `µ-law ${c}`);
  }
});

test('round-trip error stays within half a quantisation step (≈ 3 % of magnitude)', () => {
  for (let x = -32768; x <= 32767; x += 7) {
    const a = ALAW_DECODE[alawEncodeSample(x)];
    const u = ULAW_DECODE[ulawEncodeSample(x)];
    const bound = (v: number) => Math.max(16, Math.abs(v) / 16);
    if (Math.abs(x) < 32000) {
      assert.ok(Math.abs(a - x) <= bound(x), `A-law ${x} → ${a}`);
      assert.ok(Math.abs(u - x) <= bound(x), `µ-law ${x} → ${u}`);
    }
  }
});

test('decode tables are monotonic within each sign half', () => {
  // Positive A-law codes ordered by magnitude are 0x80..0xFF after removing the 0x55 inversion.
  const aMag = Array.from({ length: 128 }, (_, i) => ALAW_DECODE[(0x80 | i) ^ 0x55]);
  for (let i = 1; i < 128; i++) assert.ok(aMag[i] > aMag[i - 1]);
  const uMag = Array.from({ length: 128 }, (_, i) => ULAW_DECODE[0xff - i]);
  for (let i = 1; i < 128; i++) assert.ok(uMag[i] > uMag[i - 1]);
});

test('A↔µ tables pick the nearest code and agree with decode', () => {
  for (let a = 0; a < 256; a++) {
    const u = ALAW_TO_ULAW[a];
    const err = Math.abs(ULAW_DECODE[u] - ALAW_DECODE[a]);
    for (let other = 0; other < 256; other++) {
      assert.ok(err <= Math.abs(ULAW_DECODE[other] - ALAW_DECODE[a]), `A ${a}: µ ${u} not nearest`);
    }
  }
  for (let u = 0; u < 256; u++) {
    const a = ULAW_TO_ALAW[u];
    const err = Math.abs(ALAW_DECODE[a] - ULAW_DECODE[u]);
    for (let other = 0; other < 256; other++) {
      assert.ok(err <= Math.abs(ALAW_DECODE[other] - ULAW_DECODE[u]), `µ ${u}: A ${a} not nearest`);
    }
  }
  // Above the lowest segments both laws have equal or coarser steps than each other's
  // neighbours, so a round trip is transparent for most codes.
  let transparent = 0;
  for (let a = 0; a < 256; a++) if (ULAW_TO_ALAW[ALAW_TO_ULAW[a]] === a) transparent++;
  assert.ok(transparent >= 230, `A→µ→A transparent for ${transparent} codes`);
  assert.equal(ALAW_TO_ULAW[0xd5], 0xfe);
  assert.equal(ULAW_TO_ALAW[0xff], 0xd5);
});

test('buffer encode/decode and in-place transcoding', () => {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
  const alaw = encodeG711('pcma', pcm);
  const ulaw = encodeG711('pcmu', pcm);
  const viaTable = Uint8Array.from(alaw);
  transcodeG711(ALAW_TO_ULAW, viaTable);
  const a = decodeG711('pcmu', viaTable);
  const b = decodeG711('pcmu', ulaw);
  for (let i = 0; i < 160; i++) assert.ok(Math.abs(a[i] - b[i]) <= Math.max(32, Math.abs(b[i]) / 10));
});
