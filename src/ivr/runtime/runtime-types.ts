// Types shared by the interpreter and the node implementations: the snapshot a call runs, the context a
// node gets, what a node returns, and the runtime's limits.
import type { Clock } from '../../platform/clock.ts';
import type { FlowDefinition, FlowKind, FlowNode, NodeType, OutletSpec, PromptRef } from '../flow/index.ts';
import type { CallControl, HangupCause, HotWord, PlayOptions, PlayResult } from './call-control.ts';
import type { PostJsonResult } from './http-client.ts';
import type { TraceRecorder } from './trace.ts';

/** An immutable, published version of a flow: a running call keeps the one it started on. */
export interface FlowSnapshot {
  readonly flowId: number;
  readonly flowName: string;
  readonly kind: FlowKind;
  readonly version: string;
  readonly revision: number;
  readonly definition: FlowDefinition;
  /** Hot-word lists used by speech menus, resolved when the call started. */
  readonly hotWords: Readonly<Record<number, readonly HotWord[]>>;
  /** Prompt file names, for transcripts. */
  readonly promptNames: Readonly<Record<string, string>>;
}

export interface RuntimeLimits {
  /** Nodes run per call before the flow is judged to loop. */
  maxSteps: number;
  /** Longest single prompt (per repeat). */
  promptMs: number;
  /** Slack added to every input wait beyond its own timeout. */
  inputGraceMs: number;
  /** Longest talk with an agent, extension or external party. */
  talkMs: number;
  /** Hang-up and other control requests. */
  controlMs: number;
}

export const DEFAULT_LIMITS: RuntimeLimits = {
  maxSteps: 2000,
  promptMs: 10 * 60_000,
  inputGraceMs: 5_000,
  talkMs: 4 * 3600_000,
  controlMs: 10_000,
};

export type NodeResult =
  | { outlet: string }
  /** A dynamic branch: go straight to a node named at run time. */
  | { jump: string; via: string }
  | { hangup: HangupCause }
  | { transferred: string }
  | { returned: true };

export interface NodeContext {
  /** The call, every method under a deadline. */
  readonly call: CallControl;
  readonly snapshot: FlowSnapshot;
  readonly node: FlowNode;
  readonly clock: Clock;
  readonly trace: TraceRecorder;
  /** The box's time zone (IANA). */
  readonly timeZone: string;
  readonly limits: RuntimeLimits;
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** `${var}` substitution. */
  text(template: string): string;
  /** Plays with `${var}` substituted in TTS text. */
  play(prompt: PromptRef, opts?: Partial<PlayOptions>): Promise<PlayResult>;
  /** POSTs JSON for this node (per-try timeout, retries, the call's signal) and traces it. */
  postJson(url: string, body: unknown, opts: { timeoutMs: number; tries: number }): Promise<PostJsonResult>;
  hasNode(id: string): boolean;
  /** A key pressed during an earlier prompt, kept for the next digit step. */
  pushTypeAhead(digit: string): void;
  takeTypeAhead(): string;
}

export interface IvrNode {
  readonly id: string;
  readonly type: NodeType;
  readonly label: string;
  readonly outlets: OutletSpec[];
  run(ctx: NodeContext): Promise<NodeResult>;
}
