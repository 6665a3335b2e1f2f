// B2BUA features beyond the basic call: reliable provisionals and early media (RFC 3262) on both legs,
// and loop detection (482) when a carrier sends the box's own INVITE back.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { telephonyOf, type CallRecord, type Telephony } from '../../src/calls/index.ts';
import { parseMessage, serializeMessage, type SipRequest } from '../../src/sip/core/index.ts';
import { startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX, callScenario, freeMediaPort, freeSipPort, receivedMessages, receivedStartLines, registerPhone, sipp, waitBound } from './sipp/calls/kit.ts';

describe('B2BUA features (sipp)', { timeout: 120_000 }, () => {
  let tb: TestBox;
  let tel: Telephony;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: 'Admin-feat-1', ...CALL_BOX });
    tel = telephonyOf(tb.box.sip)!;
    tel.trunks.configure({ pingIntervalMs: 0 });
  });
  after(() => tb?.close());

  const target = () => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;
  const nextEnded = () => new Promise<CallRecord>((resolve) => tel.calls.once('call-ended', ({ call }) => resolve(call)));

  it('100rel both ways: the callee\'s reliable 183 is PRACKed, the caller\'s reliable 183 carries the early media and the 200 waits for its PRACK', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    const b = sipp({ scenario: callScenario('callee-100rel.xml'), target: target(), port, mediaPort: await freeMediaPort(), service: '1002', rtpEcho: true });
    await waitBound(port);
    const ended = nextEnded();
    const a = sipp({ scenario: callScenario('caller-100rel.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '1002', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' }, durationMs: 500 });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    const atA = receivedStartLines(ra.messages);
    assert.ok(atA.indexOf('SIP/2.0 183 Session Progress') < atA.lastIndexOf('SIP/2.0 200 OK'));
    const prack = receivedMessages(rb.messages).find((m) => m.startsWith('PRACK '))!;
    assert.match(prack, /^RAck: 1 \d+ INVITE/m);
    const rec = await ended;
    assert.ok(rec.answeredAt);
  });

  it('an INVITE of ours that comes back (box → carrier → box) is answered 482 Loop Detected', async () => {
    // A "carrier" at 127.0.0.2:5080 that routes the box's INVITE straight back to the box, as a
    // misconfigured proxy would, and passes the box's answer back down.
    const carrier = dgram.createSocket('udp4');
    await new Promise<void>((r) => carrier.bind(5080, '127.0.0.2', r));
    const boxPort = tb.box.sip.transport.portOf('udp')!;
    const loopAnswer = new Promise<number>((resolve) => {
      let original: SipRequest | null = null;
      carrier.on('message', (data) => {
        const msg = parseMessage(data);
        if (msg.kind === 'request' && msg.method === 'INVITE' && !original) {
          original = msg;
          const forwarded = { ...msg, headers: msg.headers.clone() };
          forwarded.headers.prepend('Via', 'SIP/2.0/UDP 127.0.0.2:5080;branch=z9hG4bKloop1');
          carrier.send(serializeMessage(forwarded), boxPort, '127.0.0.1');
        } else if (msg.kind === 'response' && msg.status >= 200 && msg.headers.get('Via')?.includes('z9hG4bKloop1')) {
          resolve(msg.status);
          // Pass the answer down to the box's original INVITE (its own Via stays on top).
          const down = { ...msg, headers: msg.headers.clone() };
          down.headers.set('Via', msg.headers.getAll('Via').slice(1));
          carrier.send(serializeMessage(down), boxPort, '127.0.0.1');
        }
      });
    });
    try {
      const ended = nextEnded();
      const r = await sipp({ scenario: callScenario('caller-rejected.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '02182881882', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' } }).done;
      assert.equal(await loopAnswer, 482);
      const rec = await ended;
      assert.equal(rec.endCause?.category, 'loop');
      assert.ok(receivedStartLines(r.messages).some((l) => /^SIP\/2\.0 48[02]/.test(l)), receivedStartLines(r.messages).join('\n'));
    } finally {
      carrier.close();
    }
  });

  it('in a call: a digit by SIP INFO joins the media core\'s DTMF stream, UPDATE holds, in-dialog OPTIONS is answered', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    const b = sipp({ scenario: callScenario('callee.xml'), target: target(), port, mediaPort: await freeMediaPort(), service: '1002', rtpEcho: true });
    await waitBound(port);
    const digits: string[] = [];
    const held: boolean[] = [];
    tel.calls.once('call-started', ({ call }) => {
      const watch = () => {
        const media = tb.box.media.call(call.id);
        if (media) media.on('dtmf', (e) => digits.push(`${e.digit}:${e.source}`));
        else setImmediate(watch);
      };
      watch();
    });
    const onHeld = ({ held: h }: { held: boolean }) => held.push(h);
    tel.calls.on('call-held', onHeld);
    const a = sipp({ scenario: callScenario('caller-midcall.xml'), target: target(), port: await freeSipPort(), mediaPort: await freeMediaPort(), service: '1002', user: '1001', password: 'Ext1001-demo', keys: { caller: '1001' } });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    tel.calls.off('call-held', onHeld);
    assert.equal(ra.code, 0, ra.errors || ra.output);
    assert.equal(rb.code, 0, rb.errors || rb.output);
    assert.deepEqual(digits, ['5:info']);
    assert.deepEqual(held, [true]);
  });
});
