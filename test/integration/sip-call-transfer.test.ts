// Blind transfer from a desk phone (RFC 3515 REFER): 1001 calls 1002, then transfers 1002 to 1003. The box
// accepts (202), reports progress by NOTIFY, rings 1003, connects 1002 to it when it answers and releases
// 1001; the call record keeps one call with the transfer in it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX, callScenario, freeMediaPort, freeSipPort, legStatsWhen, registerPhone, sipp, waitBound } from './sipp/calls/kit.ts';

describe('blind transfer (REFER) from a phone', { timeout: 120_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: 'Admin-xfer-1', ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
  });
  after(() => tb?.close());

  const target = () => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;

  async function answering(ext: string, scenario: string, durationMs?: number) {
    const port = await freeSipPort();
    await registerPhone(tb.box, ext, port);
    const run = sipp({ scenario: callScenario(scenario), target: target(), port, mediaPort: await freeMediaPort(), service: ext, rtpEcho: true, durationMs, timeoutS: 40 });
    await waitBound(port);
    return run;
  }

  it('1001 transfers 1002 to 1003: NOTIFY 100 then 200, 1001 released, 1002 talks to 1003', async () => {
    const b = await answering('1002', 'callee.xml');
    const c = await answering('1003', 'callee-bye.xml', 2000);
    const ended = new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));
    const connected = new Promise<CallRecord>((resolve) => {
      const on = ({ call, leg }: { call: CallRecord; leg: { party: string; role: string } }) => {
        if (leg.party === '1003' && leg.role === 'callee') {
          tel.calls.off('leg-answered', on);
          resolve(call);
        }
      };
      tel.calls.on('leg-answered', on);
    });
    const a = sipp({
      scenario: callScenario('caller-refer.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '1002',
      user: '1001', password: 'Ext1001-demo', keys: { caller: '1001', target: '1003' }, durationMs: 500, timeoutS: 40,
    });
    const call = await connected;
    // 1003 talks (g711a.pcap); 1002 hears it and echoes it back: both directions in the same call's media.
    const legC = call.legs.find((l) => l.party === '1003')!;
    const legB = call.legs.find((l) => l.party === '1002' && l.answeredAt)!;
    await legStatsWhen(tb.box, call.id, legB.id, (s) => s.rtpToPhone >= 25);
    await legStatsWhen(tb.box, call.id, legC.id, (s) => s.rtpIn >= 25 && s.rtpToPhone >= 25);
    const [ra, rb, rc] = await Promise.all([a.done, b.done, c.done]);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rc.code, 0, rc.errors || rc.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    const rec = await ended;
    assert.equal(rec.id, call.id, 'one call from start to end');
    assert.deepEqual(rec.transfers.map((t) => [t.by, t.to, t.result]), [['1001', '1003', 'answered']]);
    assert.equal(rec.hangupSide, 'callee');
    const a1001 = rec.legs.find((l) => l.party === '1001')!;
    assert.ok(a1001.endedAt! <= rec.endedAt!);
  });
});
