// 号码隐私保护's number shapes: the mask agents see and the mapping endpoint's 0086… format both ways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromMappingFormat, isMasked, maskNumber, toMappingFormat } from '../../../src/privacy/index.ts';

describe('privacy number formats', () => {
  it('masks the middle of personal numbers and leaves extensions alone', () => {
    assert.equal(maskNumber('18912348352'), '189****8352');
    assert.equal(maskNumber('02088880001'), '020****0001');
    assert.equal(maskNumber('+8613800138000'), '+861****8000');
    assert.equal(maskNumber('6543210'), '65****10');
    assert.equal(maskNumber('1001'), '1001');
    assert.ok(isMasked('189****8352'));
    assert.ok(!isMasked('18912348352'));
  });

  it('writes numbers as 0086… for the endpoint and reads its answers back as the box dials them', () => {
    assert.equal(toMappingFormat('13800138000'), '008613800138000');
    assert.equal(toMappingFormat('02088880001'), '00862088880001');
    assert.equal(toMappingFormat('+8613800138000'), '008613800138000');
    assert.equal(toMappingFormat('8613800138000'), '008613800138000');
    assert.equal(toMappingFormat('0044201234567'), '0044201234567');
    assert.equal(fromMappingFormat('008613800138000'), '13800138000');
    assert.equal(fromMappingFormat('00862088880001'), '02088880001');
    assert.equal(fromMappingFormat('+8613800138000'), '13800138000');
    assert.equal(fromMappingFormat('0044201234567'), '0044201234567', 'abroad stays international');
    assert.equal(fromMappingFormat('13800138000'), '13800138000');
    assert.equal(fromMappingFormat('not a number'), null);
  });
});
