// 免打扰 from desk phones reaches the ACD (sipp as the phones, demo box): *78/*79 dialled from a registered
// phone are answered with a confirmation and set the agent 示忙/示闲; an unbound phone hears the refusal;
// the as-feature-event subscription (Yealink/Fanvil DND key sync) sets DND, hears the console's change as
// a NOTIFY, and an unauthenticated SUBSCRIBE gets the same 401 as any other request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentStateChange } from '../../src/acd/index.ts';
import type { CallRecord } from '../../src/calls/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX, freeMediaPort, freeSipPort, receivedMessages, registerPhone, sipp } from './sipp/calls/kit.ts';
import { ROOT } from '../helpers/process.ts';
import path from 'node:path';

const ADMIN_PW = 'Admin-dnd-1';
const BOX = { ...CALL_BOX, mediaEdgePortMin: 46500, mediaEdgePortMax: 46999, mediaRtcPortMin: 47300, mediaRtcPortMax: 47499 };
const scenario = (name: string): string => path.join(ROOT, 'test', 'integration', 'sipp', 'dnd', name);

/** A 401 with what differs per request blanked: what a prober could compare. */
function challengeShape(text: string): string {
  return text
    .replace(/nonce="[^"]*"/g, 'nonce="-"')
    .replace(/opaque="[^"]*"/g, 'opaque="-"')
    .replace(/tag=[^;\s>]+/g, 'tag=-')
    .replace(/branch=[^;\s]+/g, 'branch=-')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:-')
    .replace(/rport=\d+/g, 'rport=-')
    .replace(/^Call-ID: .*$/m, 'Call-ID: -')
    .replace(/^CSeq: .*$/m, 'CSeq: -')
    .replace(/sip:\d+@/g, 'sip:USER@')
    .replace(/^Content-Length: .*$/m, '');
}

describe('phone DND reaches the ACD: *78/*79 and as-feature-event', { timeout: 240_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  const ids: Record<string, number> = {};
  const changes: AgentStateChange[] = [];

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...BOX });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    for (const a of (await admin.get('/agents?pageSize=100')).body.items) ids[a.staffNo] = a.id;
    tb.box.acd.on('agent-state', (c) => changes.push(c));
  });
  after(() => tb?.close());

  const target = (): string => `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`;
  const status = async (ext: string): Promise<{ status: string; presence: { dnd: boolean } }> => (await admin.get(`/agents/${ids[ext]}/status`)).body;
  const setStatus = async (ext: string, to: string): Promise<void> => {
    const me = new ApiClient(tb.base);
    assert.equal((await me.login(`${ext}@demo.local`, `Agent${ext}-demo`)).status, 200);
    const r = await me.put(`/agents/${ids[ext]}/status`, { status: to });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  /** Resolves with the next status change of an agent (registered before the action that causes it). */
  const nextStatus = (ext: string, to: string, limitMs = 30_000): Promise<AgentStateChange> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${ext} never went ${to}`)), limitMs);
    const fn = (c: AgentStateChange): void => {
      if (c.agentId !== ids[ext] || c.axis !== 'status' || c.to !== to) return;
      clearTimeout(timer);
      tb.box.acd.off('agent-state', fn);
      resolve(c);
    };
    tb.box.acd.on('agent-state', fn);
  });
  const recordOf = (callee: string): Promise<CallRecord> => new Promise((resolve) => {
    const calls = tb.box.callCenter.telephony.calls;
    const fn = ({ call }: { call: CallRecord }): void => {
      if (call.callee !== callee) return;
      calls.off('call-ended', fn);
      resolve(call);
    };
    calls.on('call-ended', fn);
  });

  /** The phone `ext` (registered from `port`) dials `code`; resolves when the box has hung up on it. */
  async function dial(ext: string, port: number, code: string, password = `Ext${ext}-demo`): Promise<CallRecord> {
    const ended = recordOf(code);
    const r = await sipp({ scenario: scenario('code.xml'), target: target(), port, mediaPort: await freeMediaPort(), service: code, user: ext, password, keys: { caller: ext } }).done;
    assert.equal(r.code, 0, r.errors || r.output);
    return ended;
  }

  it('*78 from 1002 sets the agent 示忙 with the confirmation, *79 sets them 示闲 again', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1002', port);
    await setStatus('1002', 'idle');
    const busy = nextStatus('1002', 'busy');
    const on = await dial('1002', port, '*78');
    assert.equal((await busy).cause, 'phone-dnd');
    assert.deepEqual([(await status('1002')).status, (await status('1002')).presence.dnd], ['busy', true]);
    // Answered, and held long enough for the prompt (免打扰已开启) before the box hung up.
    assert.ok(on.answeredAt !== null && on.endedAt! - on.answeredAt >= 500, `answered ${on.answeredAt} ended ${on.endedAt}`);
    assert.equal(on.hangupSide, 'system');

    const idle = nextStatus('1002', 'idle');
    await dial('1002', port, '*79');
    assert.equal((await idle).cause, 'phone-dnd');
    assert.deepEqual([(await status('1002')).status, (await status('1002')).presence.dnd], ['idle', false]);
  });

  it('a phone bound to no agent or group hears the refusal and nothing changes', async () => {
    const created = await admin.post('/phones', { extension: '2088', name: '前台', password: 'Front-desk-2088' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const port = await freeSipPort();
    await registerPhone(tb.box, '2088', port, 'udp', '127.0.0.1', 'Front-desk-2088');
    const before = changes.length;
    const rec = await dial('2088', port, '*78', 'Front-desk-2088');
    assert.ok(rec.answeredAt !== null && rec.endedAt! - rec.answeredAt >= 500, 'the refusal prompt was played');
    assert.equal(changes.slice(before).filter((c) => c.axis === 'status').length, 0);
    assert.equal(tb.box.callCenter.phoneDnd.dndOf('2088'), null);
  });

  it('as-feature-event: SUBSCRIBE sets DND, the console change is NOTIFYed, DND again in the dialog, unsubscribe', async () => {
    const port = await freeSipPort();
    await registerPhone(tb.box, '1003', port);
    await setStatus('1003', 'idle');
    const busy = nextStatus('1003', 'busy');
    const run = sipp({ scenario: scenario('subscribe.xml'), target: target(), port, service: '1003', user: '1003', password: 'Ext1003-demo', timeoutS: 60 });
    after(() => run.kill());
    assert.equal((await busy).cause, 'phone-dnd');
    assert.deepEqual([(await status('1003')).status, (await status('1003')).presence.dnd], ['busy', true]);
    assert.equal(tb.box.callCenter.phoneDnd.sync.subscriptionCount('1003'), 1);
    // The agent goes 示闲 at the console: the phone's DND is lifted and the phone hears it (NOTIFY off).
    const again = nextStatus('1003', 'busy');
    await setStatus('1003', 'idle');
    assert.equal((await again).cause, 'phone-dnd');
    const r = await run.done;
    assert.equal(r.code, 0, r.errors || r.output);
    assert.deepEqual([(await status('1003')).status, (await status('1003')).presence.dnd], ['busy', true]);
    assert.equal(tb.box.callCenter.phoneDnd.sync.subscriptionCount('1003'), 0);
    const notifies = receivedMessages(r.messages).filter((m) => m.startsWith('NOTIFY'));
    assert.equal(notifies.length, 4);
    assert.match(notifies[0]!, /Content-Type: application\/x-as-feature-event\+xml/i);
    assert.match(notifies[0]!, /<DoNotDisturbEvent xmlns="http:\/\/www\.ecma-international\.org\/standards\/ecma-323\/csta\/ed3">/);
    assert.match(notifies[0]!, /<device>1003<\/device>/);
  });

  it('an unauthenticated SUBSCRIBE gets the same 401 as other requests, for known and unknown extensions', async () => {
    const known = await sipp({ scenario: scenario('probe.xml'), target: target(), port: await freeSipPort(), service: '1004', timeoutS: 10 }).done;
    const unknown = await sipp({ scenario: scenario('probe.xml'), target: target(), port: await freeSipPort(), service: '7777', timeoutS: 10 }).done;
    assert.equal(known.code, 0, known.errors || known.output);
    assert.equal(unknown.code, 0, unknown.errors || unknown.output);
    const k = receivedMessages(known.messages).filter((m) => !/^SIP\/2\.0 100/.test(m));
    const u = receivedMessages(unknown.messages).filter((m) => !/^SIP\/2\.0 100/.test(m));
    assert.equal(k.length, 2);
    assert.match(k[0]!, /^SIP\/2\.0 401 Unauthorized/);
    assert.match(k[0]!, /CSeq: 1 SUBSCRIBE/);
    assert.match(k[1]!, /CSeq: 2 MESSAGE/);
    assert.equal(challengeShape(k[0]!), challengeShape(k[1]!), 'SUBSCRIBE and MESSAGE get the same challenge');
    assert.deepEqual(u.map(challengeShape), k.map(challengeShape), 'a known and an unknown extension look the same');
    assert.equal(tb.box.callCenter.phoneDnd.sync.subscriptionCount(), 0);
  });
});
