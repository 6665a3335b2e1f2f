import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InviteClientTransaction } from '../../../../src/sip/core/transaction/client-invite.ts';
import { NonInviteClientTransaction } from '../../../../src/sip/core/transaction/client-non-invite.ts';
import { InvalidTransitionError } from '../../../../src/sip/core/transaction/transaction-base.ts';
import type { SipResponse } from '../../../../src/sip/core/message-types.ts';
import { getCSeq, getTo, getTopVia } from '../../../../src/sip/core/message.ts';
import { recordingEnv, request, reply, times, isRequest, UDP, TCP } from './transaction-fixtures.ts';

function tu() {
  const log: string[] = [];
  const responses: SipResponse[] = [];
  return {
    log, responses,
    user: {
      onResponse: (r: SipResponse) => { responses.push(r); log.push(`response ${r.status}`); },
      onTimeout: () => log.push('timeout'),
      onTransportError: () => log.push('transport-error'),
      onTerminated: () => log.push('terminated'),
    },
  };
}

describe('INVITE client transaction (RFC 3261 17.1.1, RFC 6026)', () => {
  it('retransmits at T1 doubling (timer A) until timer B fires at 64*T1', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const tx = new InviteClientTransaction('k', request('INVITE'), UDP, env, t.user);
    tx.start();
    assert.deepEqual(tx.runningTimers, ['A', 'B']);
    timers.advance(31_999);
    assert.deepEqual(times(sent), [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(tx.state, 'calling');
    timers.advance(1);
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(t.log, ['timeout', 'terminated']);
    assert.equal(timers.pending, 0);
  });

  it('stops retransmitting on a provisional response and waits in Proceeding', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const inv = request('INVITE');
    const tx = new InviteClientTransaction('k', inv, UDP, env, t.user);
    tx.start();
    timers.advance(700);
    tx.receiveResponse(reply(inv, 180));
    tx.receiveResponse(reply(inv, 183));
    timers.advance(100_000);
    assert.deepEqual(times(sent), [0, 500]);
    assert.equal(tx.state, 'proceeding');
    assert.deepEqual(t.log, ['response 180', 'response 183']);
    assert.equal(timers.pending, 0);
  });

  it('ACKs a non-2xx final in Completed, re-ACKs retransmissions, ends with timer D', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const inv = request('INVITE');
    const tx = new InviteClientTransaction('k', inv, UDP, env, t.user);
    tx.start();
    tx.receiveResponse(reply(inv, 180));
    const busy = reply(inv, 486, 'busytag');
    tx.receiveResponse(busy);
    assert.equal(tx.state, 'completed');
    const acks = sent.filter(isRequest('ACK'));
    assert.equal(acks.length, 1);
    const ack = acks[0].msg;
    assert.equal(getTo(ack).tag, 'busytag');
    assert.deepEqual(getCSeq(ack), { seq: 1, method: 'ACK' });
    assert.equal(getTopVia(ack).branch, 'z9hG4bK-abc', 'ACK for non-2xx is part of the transaction');
    timers.advance(10_000);
    tx.receiveResponse(busy);
    assert.equal(sent.filter(isRequest('ACK')).length, 2);
    assert.deepEqual(t.log, ['response 180', 'response 486'], 'retransmission not passed up');
    timers.advance(22_000);
    assert.equal(tx.state, 'terminated');
  });

  it('passes 2xx and its retransmissions up in Accepted, ends with timer M', () => {
    const { env, timers } = recordingEnv();
    const t = tu();
    const inv = request('INVITE');
    const tx = new InviteClientTransaction('k', inv, UDP, env, t.user);
    tx.start();
    tx.receiveResponse(reply(inv, 200));
    assert.equal(tx.state, 'accepted');
    assert.deepEqual(tx.runningTimers, ['M']);
    timers.advance(4000);
    tx.receiveResponse(reply(inv, 200));
    tx.receiveResponse(reply(inv, 503));
    assert.deepEqual(t.log, ['response 200', 'response 200']);
    timers.advance(28_000);
    assert.equal(tx.state, 'terminated');
  });

  it('over TCP: no retransmissions, timer D is zero', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const inv = request('INVITE');
    const tx = new InviteClientTransaction('k', inv, TCP, env, t.user);
    tx.start();
    assert.deepEqual(tx.runningTimers, ['B']);
    timers.advance(10_000);
    tx.receiveResponse(reply(inv, 404));
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(sent.map((s) => s.msg.kind === 'request' && s.msg.method), ['INVITE', 'ACK']);
  });

  it('reports transport errors and refuses illegal transitions', () => {
    const { env } = recordingEnv(true);
    const t = tu();
    const tx = new InviteClientTransaction('k', request('INVITE'), UDP, env, t.user);
    tx.start();
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(t.log, ['transport-error', 'terminated']);
    assert.throws(() => tx.transition('accepted'), InvalidTransitionError);
  });
});

describe('non-INVITE client transaction (RFC 3261 17.1.2)', () => {
  it('retransmits at 500, 1000, 2000, 4000, 4000... ms (timer E capped at T2) until F', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const tx = new NonInviteClientTransaction('k', request('OPTIONS'), UDP, env, t.user);
    tx.start();
    timers.advance(32_000);
    const at = times(sent);
    const gaps = at.slice(1).map((x, i) => x - at[i]);
    assert.deepEqual(gaps, [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000]);
    assert.deepEqual(t.log, ['timeout', 'terminated']);
    assert.equal(timers.pending, 0);
  });

  it('in Proceeding retransmits every T2', () => {
    const { env, timers, sent } = recordingEnv();
    const t = tu();
    const req = request('REGISTER');
    const tx = new NonInviteClientTransaction('k', req, UDP, env, t.user);
    tx.start();
    timers.advance(600);
    tx.receiveResponse(reply(req, 100));
    assert.equal(tx.state, 'proceeding');
    timers.advance(12_000);
    assert.deepEqual(times(sent), [0, 500, 1500, 5500, 9500]);
  });

  it('final response: Completed absorbs retransmissions, timer K = T4', () => {
    const { env, timers } = recordingEnv();
    const t = tu();
    const req = request('BYE');
    const tx = new NonInviteClientTransaction('k', req, UDP, env, t.user);
    tx.start();
    tx.receiveResponse(reply(req, 200));
    tx.receiveResponse(reply(req, 200));
    assert.equal(tx.state, 'completed');
    assert.deepEqual(tx.runningTimers, ['K']);
    timers.advance(4999);
    assert.equal(tx.state, 'completed');
    timers.advance(1);
    assert.deepEqual(t.log, ['response 200', 'terminated']);
  });

  it('over TCP: no timer E and K is zero', () => {
    const { env, sent } = recordingEnv();
    const t = tu();
    const req = request('BYE');
    const tx = new NonInviteClientTransaction('k', req, TCP, env, t.user);
    tx.start();
    assert.deepEqual(tx.runningTimers, ['F']);
    tx.receiveResponse(reply(req, 481));
    assert.equal(tx.state, 'terminated');
    assert.equal(sent.length, 1);
  });
});
