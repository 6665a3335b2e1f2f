import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InviteServerTransaction } from '../../../../src/sip/core/transaction/server-invite.ts';
import { NonInviteServerTransaction } from '../../../../src/sip/core/transaction/server-non-invite.ts';
import { InvalidTransitionError } from '../../../../src/sip/core/transaction/transaction-base.ts';
import { recordingEnv, request, reply, times, isStatus, UDP, TCP } from './transaction-fixtures.ts';

function watch(tx: InviteServerTransaction | NonInviteServerTransaction): string[] {
  const log: string[] = [];
  tx.user = { onTimeout: () => log.push('timeout'), onTerminated: () => log.push('terminated'), onTransportError: () => log.push('transport-error') };
  return log;
}

describe('INVITE server transaction (RFC 3261 17.2.1, RFC 6026)', () => {
  it('resends the last provisional on a retransmitted INVITE', () => {
    const { env, sent } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    tx.receiveRequest(inv);
    assert.equal(sent.length, 0, 'nothing to resend yet');
    tx.respond(reply(inv, 180));
    tx.receiveRequest(inv);
    assert.equal(sent.filter(isStatus(180)).length, 2);
    assert.equal(tx.toTag, 'ttag');
  });

  it('non-2xx: timer G retransmits at T1 doubling to T2, timer H gives up at 64*T1', () => {
    const { env, timers, sent } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    const log = watch(tx);
    tx.respond(reply(inv, 486));
    assert.equal(tx.state, 'completed');
    assert.deepEqual(tx.runningTimers, ['G', 'H']);
    timers.advance(32_000);
    const at = times(sent);
    assert.deepEqual(at.slice(0, 6), [0, 500, 1500, 3500, 7500, 11500]);
    assert.ok(at.slice(4).every((x, i, a) => i === 0 || x - a[i - 1] === 4000));
    assert.deepEqual(log, ['timeout', 'terminated']);
    assert.equal(timers.pending, 0);
  });

  it('ACK moves Completed to Confirmed; timer I = T4 absorbs further ACKs', () => {
    const { env, timers, sent } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    const log = watch(tx);
    tx.respond(reply(inv, 603));
    timers.advance(600);
    tx.receiveRequest(inv);
    assert.equal(sent.length, 3, 'original, timer G, request retransmission');
    assert.equal(tx.receiveAck(request('ACK')), true);
    assert.equal(tx.state, 'confirmed');
    assert.deepEqual(tx.runningTimers, ['I']);
    assert.equal(tx.receiveAck(request('ACK')), true);
    timers.advance(5000);
    assert.deepEqual(log, ['terminated']);
    assert.equal(sent.length, 3);
  });

  it('2xx: Accepted absorbs INVITE retransmissions, passes TU 2xx retransmissions, ends with timer L', () => {
    const { env, timers, sent } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    const log = watch(tx);
    tx.respond(reply(inv, 180));
    tx.respond(reply(inv, 200));
    assert.equal(tx.state, 'accepted');
    tx.receiveRequest(inv);
    assert.equal(sent.length, 2, 'retransmitted INVITE absorbed');
    tx.respond(reply(inv, 200));
    assert.equal(sent.filter(isStatus(200)).length, 2);
    assert.equal(tx.receiveAck(request('ACK')), false, 'ACK in Accepted goes to the TU');
    timers.advance(31_999);
    assert.equal(tx.state, 'accepted');
    timers.advance(1);
    assert.deepEqual(log, ['terminated']);
  });

  it('over TCP: no timer G, Confirmed ends at once', () => {
    const { env } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, TCP, env);
    tx.respond(reply(inv, 500));
    assert.deepEqual(tx.runningTimers, ['H']);
    tx.receiveAck(request('ACK'));
    assert.equal(tx.state, 'terminated');
  });

  it('throws on responses out of place', () => {
    const { env } = recordingEnv();
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    tx.respond(reply(inv, 486));
    assert.throws(() => tx.respond(reply(inv, 180)));
    assert.throws(() => tx.respond(reply(inv, 200)));
    assert.throws(() => tx.respond(reply(inv, 500)), InvalidTransitionError);
    assert.throws(() => tx.transition('accepted'), InvalidTransitionError);
  });

  it('terminates and reports a transport error', () => {
    const { env } = recordingEnv(true);
    const inv = request('INVITE');
    const tx = new InviteServerTransaction('k', inv, UDP, env);
    const log = watch(tx);
    tx.respond(reply(inv, 486));
    assert.deepEqual(log, ['transport-error', 'terminated']);
  });
});

describe('non-INVITE server transaction (RFC 3261 17.2.2)', () => {
  it('Trying discards retransmissions; Proceeding resends the provisional; Completed resends the final; timer J', () => {
    const { env, timers, sent } = recordingEnv();
    const req = request('REGISTER');
    const tx = new NonInviteServerTransaction('k', req, UDP, env);
    const log = watch(tx);
    tx.receiveRequest(req);
    assert.equal(sent.length, 0);
    tx.respond(reply(req, 100));
    assert.equal(tx.state, 'proceeding');
    tx.receiveRequest(req);
    tx.respond(reply(req, 200));
    assert.equal(tx.state, 'completed');
    tx.receiveRequest(req);
    assert.deepEqual(sent.map((s) => s.msg.kind === 'response' && s.msg.status), [100, 100, 200, 200]);
    tx.respond(reply(req, 500));
    assert.equal(sent.length, 4, 'a second final is discarded');
    timers.advance(31_999);
    assert.equal(tx.state, 'completed');
    timers.advance(1);
    assert.deepEqual(log, ['terminated']);
  });

  it('over TCP: timer J is zero', () => {
    const { env, sent } = recordingEnv();
    const req = request('OPTIONS');
    const tx = new NonInviteServerTransaction('k', req, TCP, env);
    tx.respond(reply(req, 200));
    assert.equal(tx.state, 'terminated');
    assert.equal(sent[0].peer.flowId, 'conn-1');
  });
});
