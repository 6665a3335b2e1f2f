// Numbers as carriers and phones spell them: one national key for +86/86/0 spellings, sending prefixes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanNumber, matchNumber, nationalKey, NUMBER_RE, PREFIX_RE, sameNumber, withSendPrefix } from '../../../../src/sip/trunks/numbers.ts';

describe('numbers', () => {
  it('cleans separators and writes 00 as +', () => {
    assert.equal(cleanNumber(' 020-8888 0000 '), '02088880000');
    assert.equal(cleanNumber('(020) 8888.0000'), '02088880000');
    assert.equal(cleanNumber('0086 20 8888 0000'), '+862088880000');
    assert.equal(cleanNumber('+86-138-0013-8000'), '+8613800138000');
  });

  it('gives every spelling of a Chinese number one national key', () => {
    for (const n of ['02088880000', '+862088880000', '862088880000', '00862088880000', '2088880000']) assert.equal(nationalKey(n), '2088880000', n);
    for (const n of ['13800138000', '+8613800138000', '8613800138000']) assert.equal(nationalKey(n), '13800138000', n);
    assert.equal(nationalKey('+442079460958'), '+442079460958', 'other countries keep their code');
    assert.equal(nationalKey('88880000'), '88880000', 'a local number is itself');
    assert.ok(sameNumber('+86 20 8888 0000', '02088880000'));
    assert.ok(!sameNumber('02088880000', '02088880001'));
  });

  it('finds our number whatever spelling the carrier sends', () => {
    const ours = [{ number: '02088880000', id: 1 }, { number: '13800138000', id: 2 }];
    assert.equal(matchNumber('+862088880000', ours)?.id, 1);
    assert.equal(matchNumber('2088880000', ours)?.id, 1);
    assert.equal(matchNumber('8613800138000', ours)?.id, 2);
    assert.equal(matchNumber('02188880000', ours), undefined);
    assert.equal(matchNumber('', ours), undefined);
  });

  it('puts the sending prefix before the callee', () => {
    assert.equal(withSendPrefix('', '02182881882'), '02182881882');
    assert.equal(withSendPrefix('9', '021-8288-1882'), '902182881882');
    assert.equal(withSendPrefix('17909', '13800138000'), '1790913800138000');
  });

  it('validates numbers and prefixes', () => {
    assert.ok(NUMBER_RE.test('02088880000'));
    assert.ok(NUMBER_RE.test('+862088880000'));
    assert.ok(!NUMBER_RE.test('12'));
    assert.ok(!NUMBER_RE.test('020-8888'));
    assert.ok(PREFIX_RE.test(''));
    assert.ok(PREFIX_RE.test('9'));
    assert.ok(PREFIX_RE.test('*72#'));
    assert.ok(!PREFIX_RE.test('123456789'));
    assert.ok(!PREFIX_RE.test('9a'));
  });
});
