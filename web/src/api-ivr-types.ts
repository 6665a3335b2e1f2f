// Types of the IVR API (电话呼入 IVR 管理: flows, versions, bindings, prompts, hot words, simulator); the calls are in api-ivr.ts.

export type FlowKind = 'inbound' | 'selfService';
export type NodeType =
  | 'start' | 'play' | 'menu' | 'speechMenu' | 'toAgent' | 'hours' | 'survey' | 'toExternal'
  | 'collect' | 'http' | 'condition' | 'toExtension' | 'voicemail' | 'end';

export interface FlowNode {
  /** 26-character ULID made by the canvas */
  id: string;
  type: NodeType;
  label: string;
  params: Record<string, unknown>;
  /** outlet name → next node ID */
  outlets: Record<string, string | null>;
  position?: { x: number; y: number };
}

export interface FlowVariable { name: string; default: string; description?: string }
export interface FlowDefinition { variables: FlowVariable[]; nodes: FlowNode[] }

export interface FlowVersion {
  version: string;
  basedOn: string | null;
  note: string;
  createdAt: number;
  updatedAt: number;
  published: { revision: number; publishedAt: number } | null;
  unpublishedChanges: boolean;
}

export interface FlowVersionView extends FlowVersion {
  flowId: number; flowName: string; kind: FlowKind; definition: FlowDefinition;
}

export interface IvrFlow {
  id: number;
  name: string;
  kind: FlowKind;
  description: string;
  createdAt: number;
  updatedAt: number;
  versions: FlowVersion[];
  bindings: { number: string; version: string }[];
}

export interface FlowCreate {
  name: string; kind: FlowKind; description?: string; template?: string; skillGroupId?: number;
  definition?: FlowDefinition;
}

export interface FlowIssue { nodeId: string | null; field: string; message: string }
export interface FlowValidation { ok: boolean; errors: FlowIssue[]; warnings: FlowIssue[] }

export interface IvrBinding { number: string; flowId: number; flowName: string; version: string; updatedAt: number }

export interface UsedBy { flowId: number; flowName: string; versions: string[] }

export interface IvrPrompt {
  id: string; name: string; originalName: string; durationMs: number; sizeBytes: number;
  uploadedBy: number | null; createdAt: number; updatedAt: number; usedBy: UsedBy[];
}

export interface HotWord { word: string; weight: number }
export interface HotWordList { id: number; name: string; words: HotWord[]; createdAt: number; updatedAt: number; usedBy: UsedBy[] }

export interface IvrCatalog {
  nodeTypes: { type: NodeType; zh: string; en: string; kinds: FlowKind[] }[];
  systemVariables: { name: string; zh: string; en: string }[];
  templates: { key: string; zh: string; en: string }[];
  kinds: { key: FlowKind; zh: string }[];
  skillGroups: { id: number; name: string }[];
  prompts: { id: string; name: string; durationMs: number }[];
  hotWordLists: { id: number; name: string }[];
  simulatorOutcomes: Record<string, string[]>;
}

export type SimWaiting =
  | { kind: 'digits'; maxDigits: number; terminator: '#' | null; timeoutMs: number; interDigitTimeoutMs: number; typed: string }
  | { kind: 'speech'; keywords: string[]; timeoutMs: number }
  | { kind: 'outcome'; op: string; request: unknown; choices: string[] };

export interface SimLine { at: number; kind: 'play' | 'input' | 'action' | 'timeout' | 'hangup'; text: string }

export interface SimTrace {
  path: { nodeId: string; type: string; label: string; at: number; outlet?: string }[];
  keys: { nodeId: string; digits: string; accepted: boolean; at: number }[];
  survey: { nodeId: string; key: string | null; label: string | null; at: number }[];
  http: { nodeId: string; url: string; ok: boolean; tries: { status?: number; error?: string; ms: number }[] }[];
  end: SimEnd | null;
}

export type SimEnd =
  | { reason: 'hangup'; cause: string; nodeId: string | null }
  | { reason: 'callerHangup'; nodeId: string | null }
  | { reason: 'transferred'; nodeId: string; to: string }
  | { reason: 'returned'; nodeId: string }
  | { reason: 'error'; nodeId: string | null; message: string };

export interface Simulation {
  sessionId: string;
  flowId: number;
  flowName: string;
  version: string;
  lines: SimLine[];
  waitingFor: SimWaiting | null;
  ended: boolean;
  end: SimEnd | null;
  variables: Record<string, string>;
  trace: SimTrace;
}

export interface SimStart {
  version?: string; from?: 'draft' | 'published'; callerNumber?: string; calleeNumber?: string;
  variables?: Record<string, string>; speech?: boolean;
}

export type SimStep =
  | { digits: string } | { speech: string } | { timeout: true } | { hangup: true }
  | { outcome: string; staffNo?: string; seconds?: number; to?: string };
