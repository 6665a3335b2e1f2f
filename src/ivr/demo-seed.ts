// The demo profile's IVR `demo` (DESIGN.md): TTS welcome → 1 售前, 2 售后, 3 voicemail → satisfaction
// survey after the agent hangs up; bound to 02088880000. Idempotent: what exists is left alone.
import type { Database } from '../platform/db.ts';
import { makeNodeId, validateFlow, type FlowDefinition, type FlowNode } from './flow/index.ts';
import { FlowStore, MAIN } from './store/flow-store.ts';

export const DEMO_IVR = { name: 'demo', number: '02088880000' } as const;

/** Fixed node IDs, so docs and tests can name them. */
const id = (n: number): string => makeNodeId(Date.UTC(2025, 0, 1), new Uint8Array(10).fill(n));
export const DEMO_NODE_IDS = {
  start: id(1), welcome: id(2), menu: id(3), presales: id(4), aftersales: id(5), sorry: id(6), voicemail: id(7), survey: id(8), end: id(9),
} as const;

const tts = (text: string) => ({ kind: 'tts', text });

export function demoFlow(groups: { presales: number; aftersales: number }): FlowDefinition {
  const N = DEMO_NODE_IDS;
  const agent = (key: 'presales' | 'aftersales', label: string): FlowNode => ({
    id: N[key], type: 'toAgent', label: `转人工 ${label}`,
    params: { mode: 'skillGroup', skillGroupId: groups[key], prompt: tts(`正在为您转接${label}客服，请稍候。`) },
    outlets: { done: N.survey, failed: N.sorry },
  });
  const nodes: FlowNode[] = [
    { id: N.start, type: 'start', label: '开始', params: {}, outlets: { next: N.welcome } },
    { id: N.welcome, type: 'play', label: '欢迎语', params: { prompt: tts('您好，欢迎致电 ccbox 演示中心。'), interruptible: true }, outlets: { next: N.menu } },
    {
      id: N.menu, type: 'menu', label: '主菜单',
      params: {
        prompt: tts('售前咨询请按 1，售后服务请按 2，留言请按 3。'),
        timeoutPrompt: tts('您没有按键。'),
        errorPrompt: tts('您的按键有误。'),
        maxErrors: 3, timeoutSec: 5,
        keys: [{ key: '1', label: '售前' }, { key: '2', label: '售后' }, { key: '3', label: '留言' }],
      },
      outlets: { 'key:1': N.presales, 'key:2': N.aftersales, 'key:3': N.voicemail },
    },
    agent('presales', '售前'),
    agent('aftersales', '售后'),
    { id: N.sorry, type: 'play', label: '无人接听', params: { prompt: tts('抱歉，暂时没有客服可以接听。') }, outlets: { next: N.voicemail } },
    {
      id: N.voicemail, type: 'voicemail', label: '语音信箱',
      params: { prompt: tts('请在提示音后留言，按井号键结束。'), beep: true, maxSeconds: 60, endPrompt: tts('留言已收到，感谢您的来电，再见。') },
      outlets: { next: N.end },
    },
    {
      id: N.survey, type: 'survey', label: '满意度评价',
      params: {
        prompt: tts('请对本次服务进行评价：满意请按 1，一般请按 2，不满意请按 3。'),
        errorPrompt: tts('您的按键有误。'),
        thanksPrompt: tts('感谢您的评价，再见。'),
        options: [{ key: '1', label: '满意' }, { key: '2', label: '一般' }, { key: '3', label: '不满意' }],
      },
      outlets: { next: N.end },
    },
    { id: N.end, type: 'end', label: '结束', params: {}, outlets: {} },
  ];
  return { variables: [], nodes };
}

export async function seedDemoIvr(db: Database): Promise<void> {
  const flows = new FlowStore(db);
  let flow = await flows.byName(DEMO_IVR.name);
  if (!flow) {
    const group = async (name: string) => (await db.get<{ id: number }>('SELECT id FROM skill_groups WHERE name = ?', [name]))?.id;
    const presales = await group('售前');
    const aftersales = await group('售后');
    // The demo directory seeds both groups first; a box where site IT renamed them gets no demo IVR.
    if (!presales || !aftersales) return;
    const checked = validateFlow(demoFlow({ presales, aftersales }), 'inbound', {
      hasPrompt: () => false, hasSkillGroup: (g) => g === presales || g === aftersales, hasNumber: () => true, hasHotWordList: () => false,
    });
    if (!checked.ok) throw new Error(`demo IVR does not validate: ${JSON.stringify(checked.errors)}`);
    const id = await flows.create({ name: DEMO_IVR.name, kind: 'inbound', description: '演示 IVR：1 售前，2 售后，3 留言', definition: checked.definition! }, null);
    await flows.publish(id, MAIN, null);
    flow = await flows.get(id);
  }
  const bound = (await flows.bindings()).some((b) => b.number === DEMO_IVR.number);
  if (!bound && flow.versions.some((v) => v.version === MAIN && v.published)) await flows.bind(DEMO_IVR.number, flow.id, MAIN, null);
}
