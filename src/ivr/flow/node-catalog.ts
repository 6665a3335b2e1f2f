// What the model knows about each module: names, parameter schema, outlets (and what an unwired outlet
// does), the box objects it references and the variables it assigns. Behaviour lives in src/ivr/nodes.
import type { z } from 'zod';
import type { FlowKind, NodeType } from './flow-types.ts';
import * as P from './node-params.ts';

export interface OutletSpec {
  name: string;
  zh: string;
  /** What an unwired outlet does: hang up, or continue through another outlet. Absent = must be wired. */
  fallback?: 'hangup' | { outlet: string };
}

export interface NodeRefs {
  skillGroups: number[];
  numbers: string[];
  hotWordLists: number[];
}

export interface NodeSpec<T extends z.ZodType = z.ZodType> {
  type: NodeType;
  zh: string;
  en: string;
  params: T;
  outlets(p: z.infer<T>): OutletSpec[];
  /** Skill groups, numbers and hot-word lists named by the params (prompt files are found generically). */
  refs?(p: z.infer<T>): Partial<NodeRefs>;
  /** Variables the node has assigned when it leaves through `outlet`. */
  assigns?(p: z.infer<T>, outlet: string): string[];
  /** Variables read by name (besides `${…}` inside any text). */
  uses?(p: z.infer<T>): string[];
  /** Flow kinds the module may appear in (default: both). */
  kinds?: readonly FlowKind[];
}

const spec = <T extends z.ZodType>(s: NodeSpec<T>): NodeSpec<T> => s;
const one = (name: string, zh: string, fallback?: OutletSpec['fallback']): OutletSpec[] => [{ name, zh, ...(fallback ? { fallback } : {}) }];
export const keyOutlet = (key: string): string => `key:${key}`;
export const branchOutlet = (id: string): string => `branch:${id}`;
const INBOUND_ONLY = ['inbound'] as const;

export const NODE_SPECS: { [K in NodeType]: NodeSpec } = {
  start: spec({ type: 'start', zh: '开始', en: 'Start', params: P.startParams, outlets: () => one('next', '下一步') }),
  play: spec({ type: 'play', zh: '放音', en: 'Play', params: P.playParams, outlets: () => one('next', '下一步') }),
  menu: spec({
    type: 'menu',
    zh: '分支/按键',
    en: 'Menu',
    params: P.menuParams,
    outlets: (p) => [
      ...p.keys.map((k) => ({ name: keyOutlet(k.key), zh: `按键 ${k.key}${k.label ? ` ${k.label}` : ''}` })),
      // With dynamic branches the targets come from the variable; this outlet is taken when it lists none.
      ...(p.dynamicVariable ? [{ name: 'noBranch', zh: '无动态分支', fallback: 'hangup' as const }] : []),
    ],
    uses: (p) => (p.dynamicVariable ? [p.dynamicVariable] : []),
  }),
  speechMenu: spec({
    type: 'speechMenu',
    zh: '语音识别导航',
    en: 'Speech menu',
    params: P.speechMenuParams,
    outlets: (p) => [
      ...p.branches.map((b) => ({ name: keyOutlet(b.key), zh: `分支 ${b.key}${b.label ? ` ${b.label}` : ''}` })),
      ...(p.defaultKey ? [] : [{ name: 'fallthrough', zh: '兜底分支' }]),
    ],
    refs: (p) => ({ hotWordLists: p.hotWordListId ? [p.hotWordListId] : [] }),
  }),
  toAgent: spec({
    type: 'toAgent',
    zh: '转人工',
    en: 'To agent',
    params: P.toAgentParams,
    outlets: () => [
      { name: 'done', zh: '客服挂机后', fallback: 'hangup' },
      { name: 'failed', zh: '转人工失败', fallback: 'hangup' },
    ],
    refs: (p) => ({ skillGroups: p.skillGroupId ? [p.skillGroupId] : [] }),
    assigns: (_p, outlet) => (outlet === 'done' ? ['StaffNo'] : []),
    kinds: INBOUND_ONLY,
  }),
  hours: spec({
    type: 'hours',
    zh: '服务时间',
    en: 'Service hours',
    params: P.hoursParams,
    outlets: () => [
      { name: 'open', zh: '工作时间' },
      { name: 'closed', zh: '非工作时间' },
    ],
  }),
  survey: spec({
    type: 'survey',
    zh: '满意度评价',
    en: 'Satisfaction survey',
    params: P.surveyParams,
    outlets: () => one('next', '下一步'),
    assigns: (p) => [p.keyVariable, p.labelVariable],
  }),
  toExternal: spec({
    type: 'toExternal',
    zh: '转外线',
    en: 'To external number',
    params: P.toExternalParams,
    outlets: () => [
      { name: 'done', zh: '通话结束后', fallback: 'hangup' },
      { name: 'failed', zh: '呼叫失败', fallback: 'hangup' },
    ],
    refs: (p) => ({ numbers: [p.callerNumber] }),
    kinds: INBOUND_ONLY,
  }),
  collect: spec({
    type: 'collect',
    zh: '收号',
    en: 'Collect digits',
    params: P.collectParams,
    outlets: () => [
      { name: 'next', zh: '收号成功' },
      { name: 'failed', zh: '收号失败', fallback: 'hangup' },
    ],
    assigns: (p, outlet) => (outlet === 'next' ? [p.variable] : []),
  }),
  http: spec({
    type: 'http',
    zh: '接口调用',
    en: 'HTTP request',
    params: P.httpParams,
    // After the last failed try the flow still continues, with the outputs' defaults.
    outlets: () => one('next', '下一步'),
    assigns: (p) => p.outputs.map((o) => o.variable),
  }),
  condition: spec({
    type: 'condition',
    zh: '条件判断',
    en: 'Condition',
    params: P.conditionParams,
    outlets: (p) => [...p.branches.map((b) => ({ name: branchOutlet(b.id), zh: b.label || b.id })), { name: 'default', zh: '默认分支' }],
  }),
  toExtension: spec({
    type: 'toExtension',
    zh: '转分机',
    en: 'To extension',
    params: P.toExtensionParams,
    outlets: () => [
      { name: 'done', zh: '通话结束后', fallback: 'hangup' },
      { name: 'failed', zh: '转分机失败', fallback: 'hangup' },
    ],
    kinds: INBOUND_ONLY,
  }),
  voicemail: spec({
    type: 'voicemail',
    zh: '语音信箱',
    en: 'Voicemail',
    params: P.voicemailParams,
    outlets: () => one('next', '留言结束后', 'hangup'),
    kinds: INBOUND_ONLY,
  }),
  end: spec({ type: 'end', zh: '结束', en: 'End', params: P.endParams, outlets: () => [] }),
};

/** Every file prompt a node's params name, wherever it sits in them. */
export function promptIdsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) promptIdsIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.kind === 'file' && typeof o.promptId === 'string') out.add(o.promptId);
    else for (const v of Object.values(o)) promptIdsIn(v, out);
  }
  return out;
}
