// The carrier REGISTER client on a fake clock: digest answered, granted expiry read back, refresh at 90 %
// (≥ 5 s before it lapses), 423 Min-Expires honoured, failures shown as 异常 and retried with a backoff.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../../src/platform/clock.ts';
import { buildResponse, getExpires, type SipRequest, type SipResponse } from '../../../../src/sip/core/index.ts';
import type { SipDestination } from '../../../../src/sip/index.ts';
import { RegisterClient, refreshDelaySeconds, SipRequestError, type SipRequester } from '../../../../src/sip/trunks/index.ts';
import { silentLog } from '../sip-test-helpers.ts';

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

type Answer = (req: SipRequest) => SipResponse | Error;

function fakeCarrier(answer: Answer) {
  const sent: SipRequest[] = [];
  const requester: SipRequester = {
    request: async (req) => {
      sent.push(req);
      const r = answer(req);
      if (r instanceof Error) throw r;
      return r;
    },
    advertisedFor: (dest) => ({ transport: dest.transport, host: '192.0.2.10', ip: '192.0.2.10', port: 5060 }),
    resolve: async (host, port, transport): Promise<SipDestination> => ({ transport, ip: host, port }),
  };
  return { sent, requester };
}

const challenge = (req: SipRequest, nonce = 'n1', stale = false) =>
  buildResponse(req, 401, { toTag: 'c1', headers: [['WWW-Authenticate', `Digest realm="carrier", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}`]] });
const ok = (req: SipRequest, headers: Array<[string, string]>) => buildResponse(req, 200, { toTag: 'c1', headers });
const contactOf = (req: SipRequest) => req.headers.get('Contact')!;

function client(answer: Answer, o: { expires?: number; retryMs?: number } = {}) {
  const clock = new FakeClock();
  const carrier = fakeCarrier(answer);
  const states: string[] = [];
  const c = new RegisterClient({
    clock, random: Math.random, log: silentLog, requester: carrier.requester, lineToken: 'tok123',
    account: { username: '02155550000', authUsername: null, password: 'Carrier-pass-1', server: '192.0.2.1', outboundProxy: null, port: 5060, transport: 'udp', expires: o.expires ?? 3600 },
    retryMs: o.retryMs ?? 30_000, maxRetryMs: 120_000,
    onState: (s, d) => states.push(d ? `${s}:${d}` : s),
  });
  return { c, clock, sent: carrier.sent, states };
}

describe('RegisterClient', () => {
  it('refreshes at 90 % of the grant, at least 5 s before it lapses', () => {
    assert.equal(refreshDelaySeconds(3600), 3240);
    assert.equal(refreshDelaySeconds(120), 108);
    assert.equal(refreshDelaySeconds(60), 54);
    assert.equal(refreshDelaySeconds(10), 5);
    assert.equal(refreshDelaySeconds(3), 1);
  });

  it('answers the challenge, reads the grant from its Contact, and refreshes on time with the same Call-ID', async () => {
    const { c, clock, sent, states } = client((req) => (req.headers.has('Authorization') ? ok(req, [['Contact', `${contactOf(req)};expires=120`], ['Expires', '3600']]) : challenge(req)), { expires: 3600 });
    c.start();
    clock.tick(0);
    await flush();
    assert.equal(sent.length, 2);
    assert.match(sent[0]!.headers.get('Contact')!, /^<sip:02155550000@192\.0\.2\.10:5060;line=tok123>$/);
    assert.equal(sent[0]!.headers.get('Expires'), '3600');
    assert.match(sent[1]!.headers.get('Authorization')!, /username="02155550000".*nc=00000001/);
    assert.deepEqual(states, ['registered']);
    assert.equal(c.state, 'registered');
    assert.equal(c.expiresIn(), 120);
    clock.tick(107_999);
    await flush();
    assert.equal(sent.length, 2, 'no refresh before 108 s');
    clock.tick(1);
    await flush();
    assert.equal(sent.length, 4, 'refreshed at 108 s (challenged again)');
    assert.equal(sent[2]!.headers.get('Call-ID'), sent[0]!.headers.get('Call-ID'));
    const seqs = sent.map((r) => Number(r.headers.get('CSeq')!.split(' ')[0]));
    assert.deepEqual(seqs, [1, 2, 3, 4]);
    assert.equal(c.expiresIn(), 120);
  });

  it('uses Expires when the Contact carries none, and honours 423 Min-Expires', async () => {
    let round = 0;
    const { c, clock, sent } = client((req) => {
      round++;
      if (getExpires(req) === 60) return buildResponse(req, 423, { toTag: 'c', headers: [['Min-Expires', '600']] });
      return ok(req, [['Expires', '600']]);
    }, { expires: 60 });
    c.start();
    clock.tick(0);
    await flush();
    clock.tick(0);
    await flush();
    assert.equal(round, 2);
    assert.equal(getExpires(sent[1]!), 600);
    assert.equal(c.state, 'registered');
    assert.equal(c.expiresIn(), 600);
  });

  it('a refused registration is 异常 (failed) with the carrier\'s answer, retried with a doubling backoff', async () => {
    let refuse = true;
    const { c, clock, sent, states } = client((req) => (refuse ? buildResponse(req, 403, { toTag: 'x' }) : ok(req, [['Expires', '300']])), { retryMs: 10_000 });
    c.start();
    clock.tick(0);
    await flush();
    assert.equal(c.state, 'failed');
    assert.equal(c.detail, '403 Forbidden');
    clock.tick(9_999);
    await flush();
    assert.equal(sent.length, 1);
    clock.tick(1);
    await flush();
    assert.equal(sent.length, 2, 'first retry after 10 s');
    clock.tick(19_999);
    await flush();
    assert.equal(sent.length, 2);
    refuse = false;
    clock.tick(1);
    await flush();
    assert.equal(sent.length, 3, 'second retry after 20 s');
    assert.equal(c.state, 'registered');
    assert.deepEqual(states, ['failed:403 Forbidden', 'registered']);
  });

  it('a wrong password is not answered twice for the same nonce: 401 → 异常', async () => {
    const { c, clock, sent } = client((req) => challenge(req, 'same'));
    c.start();
    clock.tick(0);
    await flush();
    assert.equal(sent.length, 2);
    assert.equal(c.state, 'failed');
    assert.equal(c.detail, '401 Unauthorized');
  });

  it('a timeout is 异常 too', async () => {
    const { c, clock } = client(() => new SipRequestError('timeout', 'REGISTER to 192.0.2.1:5060 timed out'));
    c.start();
    clock.tick(0);
    await flush();
    assert.equal(c.state, 'failed');
    assert.match(c.detail!, /timed out/);
  });

  it('stop() removes the binding (Expires: 0) and shows 未注册', async () => {
    const { c, clock, sent } = client((req) => ok(req, [['Expires', String(getExpires(req))]]));
    c.start();
    clock.tick(0);
    await flush();
    assert.equal(c.state, 'registered');
    await c.stop();
    assert.equal(getExpires(sent.at(-1)!), 0);
    assert.equal(c.state, 'unregistered');
    clock.tick(4_000_000);
    await flush();
    assert.equal(sent.length, 2, 'no refresh after stop');
  });
});
