// RFC 4028 on a leg with a fake clock: the refresher refreshes at half the interval, the other side gives
// up at the interval minus min(32 s, a third); SIP INFO digits are read from both body formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { infoDigit } from '../../../../src/sip/b2bua/dialog-leg.ts';
import { SessionTimerRunner } from '../../../../src/sip/b2bua/session-timer-runner.ts';
import { request } from '../sip-test-helpers.ts';

describe('SessionTimerRunner', () => {
  it('refreshes at half the interval when we are the refresher', () => {
    const clock = new FakeClock();
    let refreshes = 0;
    let expired = 0;
    const t = new SessionTimerRunner(clock, { refresh: () => void refreshes++, expire: () => void expired++ });
    t.start(1800, true);
    clock.tick(899_999);
    assert.equal(refreshes, 0);
    clock.tick(1);
    assert.equal(refreshes, 1);
    assert.equal(expired, 0);
  });

  it('expires at interval − min(32 s, interval/3) when the peer is the refresher, unless it refreshes', () => {
    const clock = new FakeClock();
    let expired = 0;
    const t = new SessionTimerRunner(clock, { refresh: () => undefined, expire: () => void expired++ });
    t.start(90, false);
    clock.tick(59_999);
    assert.equal(expired, 0);
    clock.tick(1);
    assert.equal(expired, 1, '90 − 30 s');
    t.start(1800, false);
    clock.tick(1000 * (1800 - 32) - 1);
    t.start(1800, false); // the peer refreshed just in time
    clock.tick(1000 * (1800 - 32) - 1);
    assert.equal(expired, 1);
    clock.tick(1);
    assert.equal(expired, 2);
    t.stop();
    clock.tick(10_000_000);
    assert.equal(expired, 2);
  });
});

describe('SIP INFO digits', () => {
  const info = (type: string, body: string) => {
    const req = request(['INFO sip:ccbox@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKi1', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>;tag=2', 'Call-ID: i1', 'CSeq: 5 INFO', `Content-Type: ${type}`, 'Content-Length: 0']);
    return { ...req, body: Buffer.from(body) };
  };
  it('reads application/dtmf-relay and application/dtmf', () => {
    assert.deepEqual(infoDigit(info('application/dtmf-relay', 'Signal=5\r\nDuration=250\r\n')), { digit: '5', durationMs: 250 });
    assert.deepEqual(infoDigit(info('application/dtmf-relay', 'Signal= #\r\n')), { digit: '#', durationMs: 160 });
    assert.deepEqual(infoDigit(info('application/dtmf', '9')), { digit: '9', durationMs: 160 });
    assert.equal(infoDigit(info('application/dtmf-relay', 'nothing')), null);
  });
});
