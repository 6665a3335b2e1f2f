// The workbench's pure rules, without a browser: the 来电弹屏 hash and which page messages are accepted (only
// source 'ccc-sdk' from a configured page's origin), the sessions reducer over the box's events, and the
// click-to-call SDK's method and event mapping. (The page itself is driven in workbench-ui.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScreenPopPage, TransferTarget, WbSession } from '../../web/src/workbench/types.ts';

// The web app's modules resolve the bundler's way (extensionless), which the box's NodeNext type-check does not
// follow; web/tsconfig.json checks them. Loaded here at run time through tsx.
const load = (p: string): Promise<any> => import(p);
const { pageOrigins, parsePopMessage, dialInput, popHash, popUrl, visiblePages } = await load('../../web/src/workbench/screen-pop.ts');
const { currentSession, sessionsReducer } = await load('../../web/src/workbench/sessions.ts');
const { runSdkMethod, sessionEvents } = await load('../../web/src/workbench/sdk-bridge.ts');

const page = (id: number, url: string, mode: ScreenPopPage['mode'] = 'always', enabled = true): ScreenPopPage => ({ id, name: `p${id}`, url, mode, enabled, createdAt: 0, updatedAt: 0 });
const agent = { id: 2, name: '客服1001', nickname: 'Agent 1001', staffNo: '1001', email: '1001@demo.local', mobile: '13900000000', roleId: 2 };

function offer(list: WbSession[], callId: string, extra: Record<string, unknown> = {}): WbSession[] {
  return sessionsReducer(list, { type: 'offer', data: { offerId: `o-${callId}`, callId, callerNumber: '13800138000', skillGroupName: '售前', data: {}, ...extra }, at: 1000 });
}

describe('来电弹屏 rules', () => {
  it('the hash carries the caller, the status (100 / 200 / 400) and the agent', () => {
    let list = offer([], 'c1');
    let h = new URLSearchParams(popHash({ session: currentSession(list), agent, sdkAppId: '1400000001' }));
    assert.equal(h.get('mobile'), '13800138000');
    assert.equal(h.get('status'), '100');
    assert.equal(h.get('type'), 'phone');
    assert.equal(h.get('agentEmail'), '1001@demo.local');
    assert.equal(h.get('agentMobile'), '13900000000');
    assert.equal(h.get('agentNickName'), 'Agent 1001');
    assert.equal(h.get('agentRoleId'), '2');
    assert.equal(h.get('sdkAppId'), '1400000001');
    assert.equal(h.get('sessionId'), 'c1');
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'connected' }, at: 2000 });
    assert.equal(new URLSearchParams(popHash({ session: currentSession(list), agent, sdkAppId: 'x' })).get('status'), '200');
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'ended' }, at: 3000 });
    assert.equal(currentSession(list), null);
    assert.equal(new URLSearchParams(popHash({ session: list[0]!, agent, sdkAppId: 'x' })).get('status'), '400');
  });

  it('the page keeps its path and query; its own fragment is replaced', () => {
    assert.equal(popUrl('https://crm.example.com/c?id=1#old', 'mobile=1'), 'https://crm.example.com/c?id=1#mobile=1');
  });

  it('常显 pages always, 仅通话时 pages with a session, disabled never', () => {
    const pages = [page(1, 'https://a.example'), page(2, 'https://b.example', 'onCall'), page(3, 'https://c.example', 'always', false)];
    assert.deepEqual(visiblePages(pages, null).map((p: ScreenPopPage) => p.id), [1]);
    assert.deepEqual(visiblePages(pages, offer([], 'c1')[0]!).map((p: ScreenPopPage) => p.id), [1, 2]);
  });

  it('accepts callOut and sendCard only with source ccc-sdk from a configured page’s origin', () => {
    const origins = pageOrigins([page(1, 'https://crm.example.com:8443/pop?x=1')]);
    const callOut = { source: 'ccc-sdk', type: 'callOut', data: { phoneNumber: '138-0013-8000', desc: '张三' } };
    assert.deepEqual(parsePopMessage('https://crm.example.com:8443', callOut, origins), { kind: 'callOut', phoneNumber: '13800138000', desc: '张三' });
    assert.equal(parsePopMessage('https://crm.example.com', callOut, origins), null, 'another port is another origin');
    assert.equal(parsePopMessage('https://evil.example', callOut, origins), null);
    assert.equal(parsePopMessage('https://crm.example.com:8443', { ...callOut, source: 'other' }, origins), null);
    assert.equal(parsePopMessage('https://crm.example.com:8443', { source: 'ccc-sdk', type: 'callOut', data: { phoneNumber: 'javascript:1' } }, origins), null);
    // 号码隐私保护 映射为用户 ID: a business page may ask for the customer's user ID; the box resolves it.
    assert.deepEqual(parsePopMessage('https://crm.example.com:8443', { source: 'ccc-sdk', type: 'callOut', data: { phoneNumber: 'CUST-0001' } }, origins), { kind: 'callOut', phoneNumber: 'CUST-0001', desc: null });
    assert.equal(dialInput(' 138 0013-8000 '), '13800138000');
    assert.equal(dialInput('189****8352'), '189****8352', 'a mask the agent was shown');
    assert.equal(dialInput('CUST-0001'), 'CUST-0001');
    assert.equal(dialInput('<script>'), null);
    assert.deepEqual(
      parsePopMessage('https://crm.example.com:8443', { source: 'ccc-sdk', event: 'sendCard', data: { header: '订单', desc: '已发货', pic: '', url: 'https://crm.example.com/o/1' } }, origins),
      { kind: 'sendCard', header: '订单', desc: '已发货', pic: '', url: 'https://crm.example.com/o/1' },
    );
  });
});

describe('sessions from the box’s events', () => {
  it('an offer rings, callOfferEnded ends it unanswered, a sendCard lands on the session', () => {
    let list = offer([], 'c1', { autoAnswer: false });
    assert.equal(list[0]!.state, 'ringing');
    assert.equal(list[0]!.skillGroupName, '售前');
    list = sessionsReducer(list, { type: 'card', callId: 'c1', card: { at: 1, header: 'h', desc: 'd', pic: '', url: '' } });
    assert.equal(list[0]!.cards.length, 1);
    list = sessionsReducer(list, { type: 'offerEnded', callId: 'c1', reason: 'timeout', at: 5000 });
    assert.equal(list[0]!.state, 'ended');
    assert.equal(list[0]!.endReason, 'timeout');
  });

  it('a connected call is the current one before another that rings', () => {
    let list = offer([], 'c1');
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'connected' }, at: 2000 });
    list = offer(list, 'c2');
    assert.equal(currentSession(list)?.callId, 'c1');
    assert.equal(list.find((s: WbSession) => s.callId === 'c1')!.answeredAt, 2000);
  });

  it('自助服务 marks the call aside until the customer is back; the box’s 归属地 and last 备注 land on the session', () => {
    let list = offer([], 'c1', { location: '北京市 中国移动', customerRemark: '要求回电' });
    assert.equal(list[0]!.location, '北京市 中国移动');
    assert.equal(list[0]!.customerRemark, '要求回电');
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'connected' }, at: 2000 });
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'selfService' }, at: 2500 });
    assert.equal(list[0]!.aside, 'selfService');
    assert.equal(list[0]!.state, 'connected', 'still the agent’s call');
    list = sessionsReducer(list, { type: 'callState', data: { callId: 'c1', state: 'connected' }, at: 3000 });
    assert.equal(list[0]!.aside, null);
    assert.equal(list[0]!.answeredAt, 2000);
  });
});

describe('click-to-call SDK mapping', () => {
  const calls: string[] = [];
  let sessions: WbSession[] = [];
  const deps = {
    actions: {
      dial: async (n: string, o?: { desc?: string | null; callerNumber?: string }) => (calls.push(`dial ${n} ${o?.desc ?? ''} ${o?.callerNumber ?? ''}`), 'c9'),
      answer: async (id: string) => void calls.push(`answer ${id}`),
      reject: async (id: string) => void calls.push(`reject ${id}`),
      hangup: async (id: string) => void calls.push(`hangup ${id}`),
      hold: async (id: string, h: boolean) => void calls.push(`hold ${id} ${h}`),
      mute: async (id: string, m: boolean) => void calls.push(`mute ${id} ${m}`),
      transfer: async (id: string, t: TransferTarget) => void calls.push(`transfer ${id} ${JSON.stringify(t)}`),
      dtmf: async (id: string, d: string) => void calls.push(`dtmf ${id} ${d}`),
      blacklist: async () => undefined,
      addCard: () => undefined,
      forget: (id: string) => void calls.push(`forget ${id}`),
    },
    sessions: () => sessions,
    ctx: () => ({ sdkAppId: '1', agent, screenPops: [], directory: { skillGroups: [], agents: [{ id: 3, name: '客服1002', staffNo: '1002', extension: '1002' }], phones: [] } }),
    setStatus: async (s: string, r?: number | null) => void calls.push(`status ${s} ${r ?? ''}`),
  };

  it('maps the cloud SDK’s methods onto the workbench’s actions', async () => {
    sessions = offer([], 'c1');
    assert.deepEqual(await runSdkMethod('Call.startOutboundCall', { phoneNumber: '13800138000', phoneDesc: '张三' }, deps), {
      sessionId: 'c9', calleePhoneNumber: '13800138000', callerPhoneNumber: '', serverType: 'staffSeat', remark: '张三',
    });
    await runSdkMethod('Call.hungUp', { sessionId: 'c1' }, deps); // still ringing: that is a reject
    await runSdkMethod('Call.muteMic', { sessionId: 'c1' }, deps);
    await runSdkMethod('Call.unHold', {}, deps); // no sessionId: the live session
    await runSdkMethod('Call.transfer', { sessionId: 'c1', userId: '1002' }, deps);
    await runSdkMethod('Call.transfer', { sessionId: 'c1', skillGroupId: '2' }, deps);
    await runSdkMethod('Call.sendDigits', { sessionId: 'c1', dtmfText: '123#' }, deps);
    await runSdkMethod('Agent.setStatus', { status: 'rest', restReasonId: 4 }, deps);
    await runSdkMethod('Agent.setStatus', { status: 'free' }, deps);
    assert.deepEqual(calls, [
      'dial 13800138000 张三 ', 'reject c1', 'mute c1 true', 'hold c1 false', 'transfer c1 {"kind":"agent","agentId":3}',
      'transfer c1 {"kind":"skillGroup","skillGroupId":2}', 'dtmf c1 123#', 'status break 4', 'status idle ',
    ]);
    await assert.rejects(runSdkMethod('Agent.setStatus', { status: 'sleeping' }, deps), /unknown status/);
    await assert.rejects(runSdkMethod('Call.nope', {}, deps), /unknown method/);
  });

  it('turns session changes into callIn, userAccessed and sessionEnded', () => {
    const a = offer([], 'c1');
    const b = sessionsReducer(a, { type: 'callState', data: { callId: 'c1', state: 'connected' }, at: 2 });
    const c = sessionsReducer(b, { type: 'callState', data: { callId: 'c1', state: 'ended' }, at: 3 });
    assert.deepEqual(sessionEvents([], a).map((e: { event: string }) => e.event), ['callIn']);
    assert.equal(sessionEvents([], a)[0]!.data.callerPhoneNumber, '13800138000');
    assert.deepEqual(sessionEvents(a, b).map((e: { event: string }) => e.event), ['userAccessed']);
    assert.deepEqual(sessionEvents(b, c).map((e: { event: string }) => e.event), ['sessionEnded']);
  });
});
