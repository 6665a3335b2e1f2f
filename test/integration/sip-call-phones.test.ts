// Desk phones call each other through the box (the "done when"): sipp registered as 1001 and 1002,
// over UDP and TCP, with RTP both ways through the media core (1001 plays g711a.pcap, 1002 echoes what it
// hears), CANCEL, BYE from either side, retransmissions under loss, hold/resume by re-INVITE.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { startTestBox, type TestBox } from '../helpers/box.ts';
import {
  CALL_BOX, callScenario, freeMediaPort, freeSipPort, legStatsWhen, receivedStartLines, registerPhone, sipp, waitBound,
} from './sipp/calls/kit.ts';

const ADMIN_PW = 'Admin-call-1';

describe('phone to phone calls through the box (sipp)', { timeout: 240_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
  });
  after(() => tb?.close());

  const boxTarget = (t: 'udp' | 'tcp' = 'udp') => `127.0.0.1:${tb.box.sip.transport.portOf(t)}`;
  const nextEnded = () => new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));
  const nextAnswered = () => new Promise<CallRecord>((resolve) => {
    const on = ({ call }: { call: CallRecord }) => {
      if (call.state === 'answered' && call.legs.some((l) => l.role === 'callee' && l.answeredAt)) {
        tel.calls.off('leg-answered', on);
        resolve(call);
      }
    };
    tel.calls.on('leg-answered', on);
  });

  /** 1002 registered and answering (echoing RTP) on its own port. */
  async function callee(transport: 'udp' | 'tcp', scenario = 'callee.xml', ext = '1002') {
    const port = await freeSipPort();
    await registerPhone(tb.box, ext, port, transport);
    const run = sipp({ scenario: callScenario(scenario), target: boxTarget(transport), transport, port, mediaPort: await freeMediaPort(), service: ext, rtpEcho: true });
    await waitBound(port, transport);
    return run;
  }

  for (const transport of ['udp', 'tcp'] as const) {
    it(`1001 calls 1002 over ${transport}: answered, RTP both ways through the media core, BYE from the caller`, async () => {
      const b = await callee(transport);
      const answered = nextAnswered();
      const ended = nextEnded();
      const a = sipp({
        scenario: callScenario('caller.xml'), target: boxTarget(transport), transport, port: await freeSipPort(), mediaPort: await freeMediaPort(),
        service: '1002', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: 4000,
      });
      const call = await answered;
      const calleeLeg = call.legs.find((l) => l.role === 'callee' && l.answeredAt)!;
      // 1001's pcap reaches 1002, and 1002 sends back what it heard: both directions cross the router.
      const toB = await legStatsWhen(tb.box, call.id, calleeLeg.id, (s) => s.rtpToPhone >= 100 && s.rtpIn >= 100);
      const atA = await legStatsWhen(tb.box, call.id, `${call.id}:caller`, (s) => s.rtpIn >= 100 && s.rtpToPhone >= 100);
      assert.ok(toB.rtpIn >= 100, 'the callee echoed what it received');
      assert.ok(atA.rtpToPhone >= 100, 'the caller received the callee\'s audio');
      const [ra, rb] = await Promise.all([a.done, b.done]);
      assert.equal(ra.code, 0, ra.errors || ra.output);
      assert.equal(rb.code, 0, rb.errors || rb.output);
      const rec = await ended;
      assert.equal(rec.direction, 'internal');
      assert.equal(rec.caller, '1001');
      assert.equal(rec.callee, '1002');
      assert.equal(rec.hangupSide, 'caller');
      assert.equal(rec.endCause?.category, 'normal');
      assert.ok(rec.answeredAt! >= rec.startedAt && rec.endedAt! >= rec.answeredAt!);
      assert.match(receivedStartLines(ra.messages).join('\n'), /SIP\/2\.0 407[\s\S]*SIP\/2\.0 180[\s\S]*SIP\/2\.0 200/);
    });
  }

  const caller = async (scenario: string, o: { transport?: 'udp' | 'tcp'; durationMs?: number; lost?: number; calls?: number } = {}) =>
    sipp({
      scenario: callScenario(scenario), target: boxTarget(o.transport), transport: o.transport ?? 'udp', port: await freeSipPort(), mediaPort: await freeMediaPort(),
      service: '1002', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: o.durationMs ?? 500, lost: o.lost, calls: o.calls, rate: 1, timeoutS: 60,
    });

  it('CANCEL while 1002 rings: 1002 is cancelled (CANCEL → 487), 1001 gets 487, the call ends as cancelled', async () => {
    const b = await callee('udp', 'callee-ring.xml');
    const ended = nextEnded();
    const a = await caller('caller-cancel.xml');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const rec = await ended;
    assert.equal(rec.answeredAt, null);
    assert.equal(rec.endCause?.category, 'cancelled');
    assert.equal(rec.hangupSide, 'caller');
    assert.match(receivedStartLines(rb.messages).join('\n'), /^INVITE [\s\S]*CANCEL [\s\S]*ACK /);
  });

  it('BYE from the callee: 1002 hangs up, the box sends BYE to 1001 with the cause', async () => {
    const b = sipp({ ...(await (async () => {
      const port = await freeSipPort();
      await registerPhone(tb.box, '1002', port, 'udp');
      return { port };
    })()), scenario: callScenario('callee-bye.xml'), target: boxTarget(), mediaPort: await freeMediaPort(), service: '1002', durationMs: 1000 });
    const ended = nextEnded();
    const a = await caller('caller-wait.xml');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    const rec = await ended;
    assert.equal(rec.hangupSide, 'callee');
    assert.equal(rec.endCause?.category, 'normal');
    const bye = receivedStartLines(ra.messages).find((l) => l.startsWith('BYE '));
    assert.ok(bye, 'the caller got a BYE');
  });

  it('hold and resume by re-INVITE: the box answers recvonly then sendrecv and holds the other side\'s media', async () => {
    const b = await callee('udp');
    const held: boolean[] = [];
    const onHeld = ({ held: h }: { held: boolean }) => held.push(h);
    tel.calls.on('call-held', onHeld);
    const a = await caller('caller-hold.xml', { durationMs: 300 });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    tel.calls.off('call-held', onHeld);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    assert.deepEqual(held, [true, false]);
  });

  it('retransmissions under loss: 5 calls with sipp dropping 10 % of its SIP messages all complete', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port, 'udp');
    const b = sipp({ scenario: callScenario('callee.xml'), target: boxTarget(), port, mediaPort: await freeMediaPort(), service: '1002', calls: 5, lost: 10, timeoutS: 120 });
    await waitBound(port, 'udp');
    const a = await caller('caller.xml', { durationMs: 300, lost: 10, calls: 5 });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
  });
});
