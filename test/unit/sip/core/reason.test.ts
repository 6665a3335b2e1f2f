import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Q850_CAUSES, q850ToSipStatus, sipStatusToQ850, describeQ850, buildReason, q850CauseOf } from '../../../../src/sip/core/reason.ts';
import { parseReason } from '../../../../src/sip/core/header-values.ts';

describe('Q.850 causes (RFC 3326, RFC 3398)', () => {
  it('describes the causes Chinese carriers send', () => {
    assert.equal(describeQ850(1), '空号');
    assert.equal(describeQ850(17), '用户忙');
    assert.equal(describeQ850(20), '用户不在服务区');
    assert.match(describeQ850(18), /关机/);
    assert.equal(describeQ850(19), '无人接听');
    assert.match(describeQ850(21), /拒接/);
    assert.equal(describeQ850(34), '无可用电路');
    assert.equal(describeQ850(127, 'en'), 'Interworking, unspecified');
    assert.equal(describeQ850(200), '原因值 200');
  });

  it('maps causes to SIP statuses per RFC 3398 7.2.4.1', () => {
    const expected: Record<number, number> = { 1: 404, 2: 404, 3: 404, 17: 486, 18: 408, 19: 480, 20: 480, 21: 403, 22: 410, 27: 502, 28: 484, 31: 480, 34: 503, 38: 503, 41: 503, 42: 503, 47: 503, 58: 503, 65: 488, 79: 501, 88: 503, 102: 504, 111: 500, 127: 500 };
    for (const [cause, status] of Object.entries(expected)) assert.equal(q850ToSipStatus(Number(cause)), status, `cause ${cause}`);
    assert.equal(q850ToSipStatus(16), 480);
    assert.equal(q850ToSipStatus(9), 480);
    assert.equal(q850ToSipStatus(45), 503);
    assert.equal(q850ToSipStatus(99), 500);
    assert.ok([...Q850_CAUSES.values()].every((c) => c.zh.length > 0 && c.en.length > 0));
  });

  it('maps SIP statuses to causes per RFC 3398 8.2.6.1', () => {
    const expected: Record<number, number> = { 404: 1, 486: 17, 480: 18, 408: 102, 403: 21, 603: 21, 484: 28, 503: 41, 600: 17, 604: 1, 410: 22, 502: 38 };
    for (const [status, cause] of Object.entries(expected)) assert.equal(sipStatusToQ850(Number(status)), cause, `status ${status}`);
    assert.equal(sipStatusToQ850(200), 16);
    assert.equal(sipStatusToQ850(499), 127);
  });

  it('builds and reads Reason headers', () => {
    const text = buildReason('Q.850', 17);
    assert.equal(text, 'Q.850;cause=17;text="User busy"');
    assert.equal(buildReason('SIP', 200, 'Call completed elsewhere'), 'SIP;cause=200;text="Call completed elsewhere"');
    assert.equal(q850CauseOf([parseReason('SIP;cause=487'), parseReason(text)]), 17);
    assert.equal(q850CauseOf([parseReason('SIP;cause=487')]), undefined);
  });
});
