// The flow document the canvas saves: kinds, nodes with 26-character IDs, params, outlets → next node IDs.
import { z } from 'zod';
import { NODE_ID_RE } from './ids.ts';
import { VARIABLE_NAME_MSG, VARIABLE_NAME_RE } from './variables.ts';

export const FLOW_KINDS = ['inbound', 'selfService'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];
export const FLOW_KIND_ZH: Record<FlowKind, string> = { inbound: '呼入 IVR', selfService: '自助服务 IVR' };

export const NODE_TYPES = [
  'start', 'play', 'menu', 'speechMenu', 'toAgent', 'hours', 'survey', 'toExternal',
  'collect', 'http', 'condition', 'toExtension', 'voicemail', 'end',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export type Digit = (typeof DIGITS)[number];

export const nodeIdSchema = z.string().regex(NODE_ID_RE, '节点 ID 必须是 26 位 (node IDs are 26-character ULIDs)');
export const variableName = z.string().regex(VARIABLE_NAME_RE, VARIABLE_NAME_MSG);

/** What a node says: text spoken by TTS (with `${variables}`) or an uploaded prompt file. */
export const promptRefSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tts'),
    text: z.string().trim().min(1, '放音内容不能为空 (text required)').max(1000, '最长 1000 个字符 (at most 1000 characters)'),
    voice: z.string().max(32).optional(),
  }),
  z.object({ kind: z.literal('file'), promptId: z.string().min(1, '请选择放音文件 (choose a prompt file)').max(64) }),
]);
export type PromptRef = z.infer<typeof promptRefSchema>;

export const flowVariableSchema = z.object({
  name: variableName,
  default: z.string().max(1000).default(''),
  description: z.string().max(200).optional(),
});
export type FlowVariable = z.infer<typeof flowVariableSchema>;

export const flowNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.enum(NODE_TYPES),
  label: z.string().max(64, '最长 64 个字符 (at most 64 characters)').default(''),
  /** Checked against the node type's own schema by validateFlow. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** Outlet name → next node ID (null or absent = not wired). */
  outlets: z.record(z.string(), nodeIdSchema.nullable()).default({}),
  /** Canvas position; the runtime ignores it. */
  position: z.object({ x: z.number(), y: z.number() }).optional(),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

export const flowDefinitionSchema = z.object({
  variables: z.array(flowVariableSchema).max(100).default([]),
  nodes: z.array(flowNodeSchema).min(1, '流程至少需要一个开始节点 (a flow needs a start node)').max(500, '最多 500 个节点 (at most 500 nodes)'),
});
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;

/** One problem found by validation, pointing at the node and the field the canvas should mark. */
export interface FlowIssue {
  nodeId: string | null;
  field: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: FlowIssue[];
  /** Non-blocking: e.g. nodes no static path reaches (they may still be targets of dynamic branches). */
  warnings: FlowIssue[];
  /** The definition with every node's defaults filled in; present when ok. */
  definition?: FlowDefinition;
}

/** Existence checks the validator asks the box about (injected: flow/ does no I/O). */
export interface FlowLookup {
  hasPrompt(promptId: string): boolean;
  hasSkillGroup(id: number): boolean;
  /** Numbers the box may show as caller ID (the SIP channels' numbers). */
  hasNumber(number: string): boolean;
  hasHotWordList(id: number): boolean;
}
