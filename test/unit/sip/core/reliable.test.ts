import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReliableProvisionalSender, ReliableProvisionalReceiver, initialRSeq, isReliableProvisional } from '../../../../src/sip/core/reliable.ts';
import type { SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { getRSeq } from '../../../../src/sip/core/message.ts';
import { FakeTimers, seeded } from './helpers.ts';
import { request, reply } from './transaction-fixtures.ts';

function prackFor(res: SipResponse, rseq = getRSeq(res)!): SipRequest {
  const p = request('PRACK', { cseq: 2, toTag: 'ttag' });
  p.headers.set('RAck', `${rseq} 1 INVITE`);
  return p;
}

describe('RFC 3262 UAS: reliable provisional sender', () => {
  it('numbers responses from a random start in 1..2^31-1 and adds Require: 100rel', () => {
    const rnd = seeded(3);
    for (let i = 0; i < 100; i++) {
      const r = initialRSeq(rnd);
      assert.ok(r >= 1 && r <= 2 ** 31 - 1);
    }
    assert.equal(initialRSeq(() => 0), 1);
    assert.equal(initialRSeq(() => 0.9999999999), 2 ** 31 - 1);
  });

  it('retransmits at T1 doubling until PRACK, then sends the queued next one', () => {
    const timers = new FakeTimers();
    const sent: Array<[number, string]> = [];
    const inv = request('INVITE');
    const sender = new ReliableProvisionalSender({ timers, random: () => 0.5, send: (r) => sent.push([timers.now, `${r.status}/${r.headers.get('RSeq')}`]) });
    const first = reply(inv, 180);
    const rseq = sender.send(first);
    const second = reply(inv, 183);
    assert.equal(sender.send(second), rseq + 1);
    assert.ok(isReliableProvisional(first));
    timers.advance(3600);
    assert.deepEqual(sent.map(([t]) => t), [0, 500, 1500, 3500]);
    assert.equal(sender.prack(prackFor(first, rseq + 7)), false, 'wrong RSeq: answer 481');
    assert.equal(sender.prack(prackFor(first)), true);
    assert.deepEqual(sent.at(-1), [3600, `183/${rseq + 1}`]);
    assert.equal(sender.prack(prackFor(second)), true);
    assert.equal(sender.pending, false);
    timers.advance(100_000);
    assert.equal(sent.length, 5);
  });

  it('gives up after 64*T1 without PRACK', () => {
    const timers = new FakeTimers();
    const sent: number[] = [];
    const timedOut: SipResponse[] = [];
    const sender = new ReliableProvisionalSender({ timers, random: () => 0, send: () => sent.push(timers.now), onTimeout: (r) => { timedOut.push(r); } });
    sender.send(reply(request('INVITE'), 180));
    timers.advance(31_999);
    assert.equal(timedOut.length, 0);
    timers.advance(1);
    assert.deepEqual(timedOut.map((r) => r.status), [180]);
    assert.deepEqual(sent, [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(timers.pending, 0);
  });
});

describe('RFC 3262 UAC: in-order check', () => {
  it('PRACKs the first and the next in order, ignores retransmissions and gaps', () => {
    const inv = request('INVITE');
    const rel = (rseq: number) => {
      const r = reply(inv, 183);
      r.headers.set('Require', '100rel');
      r.headers.set('RSeq', String(rseq));
      return r;
    };
    const rx = new ReliableProvisionalReceiver();
    assert.equal(rx.receive(reply(inv, 180)), 'unreliable');
    assert.equal(rx.receive(rel(77)), 'prack');
    assert.equal(rx.receive(rel(77)), 'retransmission');
    assert.equal(rx.receive(rel(79)), 'out-of-order');
    assert.equal(rx.receive(rel(78)), 'prack');
  });
});
