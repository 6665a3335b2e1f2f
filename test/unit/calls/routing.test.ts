// Routing rules: what a dialled string is, who may dial it, and where a trunk call may go (never out again).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDialled, outboundVerdict, trunkTarget } from '../../../src/calls/routing.ts';

const phones = new Set(['1001', '1002', '10010', '800123']);
const isExt = (d: string) => phones.has(d);

describe('classifyDialled', () => {
  it('knows extensions, mobiles, landlines, service and emergency numbers, international calls', () => {
    const cases: Array<[string, string]> = [
      ['1001', 'extension'], ['10010', 'extension'], ['800123', 'extension'], ['2001', 'extension'],
      ['13800138000', 'mobile'], ['+8613800138000', 'mobile'], ['008613800138000', 'mobile'],
      ['02182881882', 'landline'], ['021-8288-1882', 'landline'], ['82881882', 'landline'], ['+862182881882', 'landline'],
      ['10086', 'service'], ['95588', 'service'], ['4008123123', 'service'], ['12345', 'service'],
      ['110', 'emergency'], ['120', 'emergency'],
      ['0044201234567', 'international'], ['+12025550100', 'international'], ['+44 20 7946 0958', 'international'],
      ['12', 'invalid'], ['0', 'invalid'], ['+1', 'invalid'],
    ];
    for (const [raw, kind] of cases) assert.equal(classifyDialled(raw, isExt).kind, kind, raw);
  });

  it('writes 00 as + and drops separators', () => {
    assert.equal(classifyDialled('0044 20 1234 567').digits, '+44201234567');
    assert.equal(classifyDialled('021-8288-1882').digits, '02182881882');
  });
});

describe('outboundVerdict', () => {
  const normal = { outbound: true, international: false };
  it('lets an extension with outbound rights call national numbers, never international ones by default', () => {
    assert.deepEqual(outboundVerdict(classifyDialled('02182881882'), normal), { allowed: true });
    assert.deepEqual(outboundVerdict(classifyDialled('13800138000'), normal), { allowed: true });
    const intl = outboundVerdict(classifyDialled('0044201234567'), normal);
    assert.equal(intl.allowed, false);
    assert.equal(!intl.allowed && intl.status, 403);
    assert.deepEqual(outboundVerdict(classifyDialled('0044201234567'), { outbound: true, international: true }), { allowed: true });
  });

  it('denies everything outside without outbound rights, except emergency numbers', () => {
    const none = { outbound: false, international: true };
    assert.equal(outboundVerdict(classifyDialled('13800138000'), none).allowed, false);
    assert.equal(outboundVerdict(classifyDialled('0044201234567'), none).allowed, false);
    assert.deepEqual(outboundVerdict(classifyDialled('110'), none), { allowed: true });
  });

  it('answers 404 for an unknown extension and 484 for an incomplete number', () => {
    assert.deepEqual(outboundVerdict(classifyDialled('2001', isExt), normal), { allowed: false, status: 404, reason: 'No such extension' });
    assert.equal((outboundVerdict(classifyDialled('12'), normal) as { status: number }).status, 484);
  });
});

describe('trunkTarget: a call that arrived on a trunk', () => {
  it('goes to our number, or to an extension dialled directly', () => {
    assert.deepEqual(trunkTarget('02088880000', { isOurNumber: true, isExtension: isExt }), { kind: 'number' });
    assert.deepEqual(trunkTarget('1002', { isOurNumber: false, isExtension: isExt }), { kind: 'extension', extension: '1002' });
  });

  it('never reaches an outbound route: outside numbers are refused 403, unknown extensions 404', () => {
    for (const n of ['02182881882', '13800138000', '0044201234567', '+12025550100', '110', '10086']) {
      assert.deepEqual(trunkTarget(n, { isOurNumber: false, isExtension: isExt }), { kind: 'refuse', status: 403, reason: 'No relay to outside numbers' }, n);
    }
    assert.deepEqual(trunkTarget('2001', { isOurNumber: false, isExtension: isExt }), { kind: 'refuse', status: 404, reason: 'Not Found' });
  });
});
