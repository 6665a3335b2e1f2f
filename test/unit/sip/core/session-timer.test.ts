import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateUas, negotiateUac, uacRequestHeaders, retryIntervalAfter422, refreshDelayMs, expiryDelayMs } from '../../../../src/sip/core/session-timer.ts';
import { request, reply } from './transaction-fixtures.ts';

const policy = { minSE: 90, interval: 1800, prefer: 'uac' as const };
const inviteWith = (...headers: Array<[string, string]>) => {
  const r = request('INVITE');
  for (const [n, v] of headers) r.headers.append(n, v);
  return r;
};

describe('RFC 4028 session timers', () => {
  it('UAS rejects an interval below Min-SE with 422', () => {
    assert.deepEqual(negotiateUas(inviteWith(['Session-Expires', '60']), policy), { kind: 'reject', status: 422, minSE: 90, headers: [['Min-SE', '90']] });
  });

  it('UAS keeps the requested refresher and adds Require: timer when supported', () => {
    const r = negotiateUas(inviteWith(['Supported', 'timer'], ['Session-Expires', '900;refresher=uas']), policy);
    assert.deepEqual(r, { kind: 'active', interval: 900, refresher: 'uas', headers: [['Session-Expires', '900;refresher=uas'], ['Require', 'timer']] });
  });

  it('UAS chooses uac only when the UAC supports timer, and may shorten a long interval', () => {
    const withSupport = negotiateUas(inviteWith(['Supported', 'timer'], ['Session-Expires', '7200']), policy);
    assert.equal(withSupport.kind === 'active' && withSupport.refresher, 'uac');
    assert.equal(withSupport.kind === 'active' && withSupport.interval, 1800);
    const without = negotiateUas(inviteWith(['Session-Expires', '1000']), policy);
    assert.deepEqual(without, { kind: 'active', interval: 1000, refresher: 'uas', headers: [['Session-Expires', '1000;refresher=uas']] });
  });

  it('UAS respects the request Min-SE and only imposes a timer when told to', () => {
    assert.deepEqual(negotiateUas(inviteWith(), policy), { kind: 'none' });
    const imposed = negotiateUas(inviteWith(['Min-SE', '2400']), { ...policy, imposeWhenAbsent: true });
    assert.equal(imposed.kind === 'active' && imposed.interval, 2400);
    assert.equal(imposed.kind === 'active' && imposed.refresher, 'uas');
  });

  it('UAC reads the 2xx and handles 422', () => {
    const req = inviteWith(...uacRequestHeaders(policy));
    assert.deepEqual(req.headers.getAll('Supported'), ['timer']);
    const ok = reply(req, 200);
    ok.headers.set('Session-Expires', '1800;refresher=uac');
    assert.deepEqual(negotiateUac(ok), { interval: 1800, refresher: 'uac', weRefresh: true });
    ok.headers.set('Session-Expires', '1800;refresher=uas');
    assert.equal(negotiateUac(ok)?.weRefresh, false);
    assert.equal(negotiateUac(reply(req, 200)), null);
    const tooSmall = reply(req, 422);
    tooSmall.headers.set('Min-SE', '3600');
    assert.equal(retryIntervalAfter422(tooSmall, 1800), 3600);
  });

  it('refreshes at half the interval and gives up min(32 s, interval/3) before expiry', () => {
    assert.equal(refreshDelayMs(1800), 900_000);
    assert.equal(expiryDelayMs(1800), 1_768_000);
    assert.equal(expiryDelayMs(90), 60_000);
  });
});
