// 新建并选择模板: the flows a new IVR can start from. Pure: node IDs come from the caller's generator.
import type { FlowDefinition, FlowKind, FlowNode } from './flow-types.ts';

export const TEMPLATES = [
  { key: 'empty', zh: '空白流程', en: 'Empty flow' },
  { key: 'welcomeMenuAgent', zh: '欢迎语 + 按键菜单 + 转人工', en: 'Welcome, menu, to agent' },
  { key: 'afterHoursVoicemail', zh: '非工作时间语音信箱', en: 'After-hours voicemail' },
] as const;
export type TemplateKey = (typeof TEMPLATES)[number]['key'];

type Draft = Omit<FlowNode, 'id' | 'outlets'> & { ref: string; outlets?: Record<string, string> };

function build(drafts: Draft[], newId: () => string): FlowDefinition {
  const ids = new Map(drafts.map((d) => [d.ref, newId()]));
  return {
    variables: [],
    nodes: drafts.map((d, i) => ({
      id: ids.get(d.ref)!,
      type: d.type,
      label: d.label,
      params: d.params,
      outlets: Object.fromEntries(Object.entries(d.outlets ?? {}).map(([o, ref]) => [o, ids.get(ref)!])),
      position: { x: 80 + (i % 4) * 260, y: 80 + Math.floor(i / 4) * 180 },
    })),
  };
}

/**
 * A new flow's definition. `skillGroupId` is the group the to-agent node queues to; without one the
 * template is still drawn but needs a group before it validates.
 */
export function templateFlow(key: TemplateKey, newId: () => string, opts: { kind?: FlowKind; skillGroupId?: number } = {}): FlowDefinition {
  const tts = (text: string) => ({ kind: 'tts', text });
  const end: Draft = { ref: 'end', type: 'end', label: '结束', params: {} };
  if (key === 'empty' || opts.kind === 'selfService') {
    return build([{ ref: 'start', type: 'start', label: '开始', params: {}, outlets: { next: 'end' } }, end], newId);
  }
  if (key === 'welcomeMenuAgent') {
    return build(
      [
        { ref: 'start', type: 'start', label: '开始', params: {}, outlets: { next: 'welcome' } },
        { ref: 'welcome', type: 'play', label: '欢迎语', params: { prompt: tts('您好，欢迎致电。'), interruptible: true, playCount: 1 }, outlets: { next: 'menu' } },
        {
          ref: 'menu',
          type: 'menu',
          label: '主菜单',
          params: { prompt: tts('人工服务请按 0。'), timeoutPrompt: tts('您没有按键。'), errorPrompt: tts('按键有误。'), maxErrors: 3, timeoutSec: 5, keys: [{ key: '0', label: '人工' }] },
          outlets: { 'key:0': 'agent' },
        },
        { ref: 'agent', type: 'toAgent', label: '转人工', params: { mode: 'skillGroup', ...(opts.skillGroupId ? { skillGroupId: opts.skillGroupId } : {}) }, outlets: { done: 'end', failed: 'end' } },
        end,
      ],
      newId,
    );
  }
  return build(
    [
      { ref: 'start', type: 'start', label: '开始', params: {}, outlets: { next: 'hours' } },
      {
        ref: 'hours',
        type: 'hours',
        label: '服务时间',
        params: { weekly: [{ days: [1, 2, 3, 4, 5], ranges: [{ from: '09:00', to: '18:00' }] }], holidays: [], specialDays: [] },
        outlets: { open: 'open', closed: 'vm' },
      },
      { ref: 'open', type: 'play', label: '工作时间', params: { prompt: tts('您好，欢迎致电。') }, outlets: { next: 'end' } },
      { ref: 'vm', type: 'voicemail', label: '语音信箱', params: { prompt: tts('现在是非工作时间，请在提示音后留言，按井号键结束。'), beep: true, maxSeconds: 60, endPrompt: tts('感谢您的留言，再见。') }, outlets: { next: 'end' } },
      end,
    ],
    newId,
  );
}
