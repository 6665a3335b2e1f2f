// Why legs end: final responses and BYEs to categories and Q.850 causes (Reason first), what the other leg is told.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickFailure } from '../../../../src/calls/ringer.ts';
import { causeOfBye, causeOfResponse, LOCAL_CAUSES, reasonHeader, statusForCaller } from '../../../../src/sip/b2bua/causes.ts';
import { parseReason } from '../../../../src/sip/core/index.ts';

const reason = (v: string) => [parseReason(v)];

describe('causes of a failed INVITE', () => {
  it('maps 3xx–6xx without a Reason by RFC 3398 and to the call record\'s categories', () => {
    const cases: Array<[number, string, number]> = [
      [302, 'unavailable', 127], [404, 'unallocated', 1], [484, 'unallocated', 28], [604, 'unallocated', 1], [486, 'busy', 17],
      [600, 'busy', 17], [480, 'unavailable', 18], [408, 'noAnswer', 102], [403, 'rejected', 21], [603, 'rejected', 21],
      [402, 'arrears', 21], [487, 'cancelled', 127], [482, 'loop', 25], [483, 'loop', 25], [500, 'networkFailure', 41],
      [502, 'networkFailure', 38], [503, 'networkFailure', 41], [504, 'networkFailure', 102], [606, 'rejected', 127],
    ];
    for (const [status, category, q850] of cases) {
      const c = causeOfResponse(status);
      assert.equal(c.category, category, `${status}`);
      assert.equal(c.q850, q850, `${status}`);
      assert.equal(c.status, status);
      assert.equal(c.fromReason, false);
    }
  });

  it('takes the Q.850 cause of a Reason header over the status (空号, 关机, 不在服务区 ride on 480/404/183)', () => {
    assert.equal(causeOfResponse(480, reason('Q.850;cause=1')).category, 'unallocated');
    assert.equal(causeOfResponse(480, reason('Q.850;cause=18')).category, 'poweredOff');
    assert.equal(causeOfResponse(480, reason('Q.850;cause=20;text="Subscriber absent"')).category, 'outOfService');
    assert.equal(causeOfResponse(404, reason('Q.850;cause=17')).category, 'busy');
    assert.equal(causeOfResponse(486, [parseReason('SIP;cause=486'), parseReason('Q.850;cause=34')]).category, 'congestion');
    const c = causeOfResponse(480, reason('Q.850;cause=20'));
    assert.equal(c.q850, 20);
    assert.equal(c.fromReason, true);
    assert.match(c.text, /不在服务区/);
  });

  it('recognises 欠费 in the Reason text', () => {
    assert.equal(causeOfResponse(403, reason('Q.850;cause=21;text="用户欠费"')).category, 'arrears');
    assert.equal(causeOfResponse(480, reason('SIP;cause=480;text="Insufficient balance"')).category, 'arrears');
  });

  it('a BYE is normal clearing unless its Reason says otherwise', () => {
    assert.equal(causeOfBye().category, 'normal');
    assert.equal(causeOfBye().q850, 16);
    assert.equal(causeOfBye(reason('Q.850;cause=102')).category, 'timeout');
  });
});

describe('what the caller is told', () => {
  it('passes statuses through except redirects, challenges and 503', () => {
    assert.equal(statusForCaller(causeOfResponse(486)), 486);
    assert.equal(statusForCaller(causeOfResponse(404)), 404);
    assert.equal(statusForCaller(causeOfResponse(603)), 603);
    assert.equal(statusForCaller(causeOfResponse(302)), 480, 'redirects are not followed');
    assert.equal(statusForCaller(causeOfResponse(407)), 403, 'the far side\'s challenge is not the caller\'s');
    assert.equal(statusForCaller(causeOfResponse(503)), 502, 'a downstream 503 is not ours');
    assert.equal(statusForCaller(LOCAL_CAUSES.congestion()), 503, 'our own limit is');
    assert.equal(statusForCaller(LOCAL_CAUSES.cancelled()), 487);
    assert.equal(statusForCaller(causeOfBye(reason('Q.850;cause=17'))), 486);
  });

  it('carries the cause on as a Q.850 Reason', () => {
    assert.equal(reasonHeader(causeOfResponse(486)), 'Q.850;cause=17;text="User busy"');
    assert.equal(reasonHeader(causeOfResponse(480, reason('Q.850;cause=20'))), 'Q.850;cause=20;text="Subscriber absent"');
  });

  it('picks the best failure among forks: 6xx, then busy, then other 4xx, then 5xx, then timeouts', () => {
    assert.equal(pickFailure([causeOfResponse(408), causeOfResponse(486), causeOfResponse(500)]).status, 486);
    assert.equal(pickFailure([causeOfResponse(486), causeOfResponse(603)]).status, 603);
    assert.equal(pickFailure([causeOfResponse(503), causeOfResponse(404)]).status, 404);
    assert.equal(pickFailure([LOCAL_CAUSES.timeout(), causeOfResponse(480)]).status, 480);
    assert.equal(pickFailure([]).category, 'unavailable');
  });
});
