// The IVR part as the console and the call path use it: flows and versions (validated before every
// save and publish), number bindings, call snapshots, prompt files, hot words and the simulator.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SystemClock, type Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db.ts';
import { CcboxError, validationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import {
  describeIssue, makeNodeId, PHONE_NUMBER_RE, templateFlow, validateFlow,
  type FlowDefinition, type FlowKind, type FlowLookup, type TemplateKey, type ValidationResult,
} from './flow/index.ts';
import { FfmpegPromptStore, type PromptStore } from './prompts/prompt-store.ts';
import { boxTimeZone, freezeSnapshot } from './runtime/interpreter.ts';
import type { FlowSnapshot } from './runtime/runtime-types.ts';
import { Simulator, type SimulationStart, type SimulationView } from './runtime/simulator.ts';
import { FlowStore, MAIN } from './store/flow-store.ts';
import { HotWordLists } from './store/hot-words.ts';
import { PromptLibrary } from './store/prompt-library.ts';
import type { FlowSummary, FlowVersionView, NumberBinding } from './store/store-types.ts';
import type { SpeechRecognizer } from './speech/index.ts';

export interface IvrServiceOptions {
  db: Database;
  /** Prompt files live in `<dataDir>/prompts`. */
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  timeZone?: string;
  promptStore?: PromptStore;
  /**
   * The box's outbound-capable numbers (for 转外线's caller number). Default: the effective numbers of the enabled
   * SIP channels, read from the database (what the call path checks again at run time).
   */
  outboundNumbers?: () => Promise<string[] | null>;
  /** 语音识别导航 on real calls: the box's recognizer (src/ivr/speech); absent, speech menus take keys. */
  speech?: SpeechRecognizer;
}

export interface NewFlowInput {
  name: string;
  kind: FlowKind;
  description?: string;
  template?: TemplateKey;
  /** The to-agent node's group in the welcome+menu+to-agent template (default: the first group). */
  skillGroupId?: number;
  /** Instead of a template: a whole definition (e.g. a copy). */
  definition?: unknown;
}

/** Effective numbers of enabled channels: the numbers an outbound call can show (src/calls/dial-outside.ts). */
async function channelNumbers(db: Database): Promise<string[]> {
  const rows = await db.all<{ number: string }>(
    "SELECT n.number FROM sip_numbers n JOIN sip_channels c ON c.id = n.channel_id WHERE c.enabled = 1 AND n.state = 'effective' ORDER BY n.number",
  );
  return rows.map((r) => r.number);
}

/** A refused save: the message names the first node and field, `rows` lists every problem. */
export function flowValidationError(r: ValidationResult, defn: unknown): CcboxError {
  const first = r.errors[0]!;
  const nodes = (defn as { nodes?: { id?: unknown }[] } | null)?.nodes ?? [];
  const row = (id: string | null): number => (id ? nodes.findIndex((n) => n?.id === id) + 1 : 0);
  return new CcboxError('CCBOX_ERR_VALIDATION', describeIssue(first), {
    field: first.nodeId ? `definition.nodes.${first.nodeId}.${first.field}` : `definition.${first.field}`,
    rows: r.errors.map((e) => ({ row: row(e.nodeId), field: e.nodeId ? `${e.nodeId}.${e.field}` : e.field, message: e.message })),
  });
}

export class IvrService {
  readonly flows: FlowStore;
  readonly prompts: PromptLibrary;
  readonly hotWords: HotWordLists;
  readonly simulator: Simulator;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly speech?: SpeechRecognizer;
  private readonly db: Database;
  private readonly outboundNumbers?: () => Promise<string[] | null>;

  constructor(opts: IvrServiceOptions) {
    this.db = opts.db;
    this.clock = opts.clock ?? new SystemClock();
    this.timeZone = opts.timeZone ?? boxTimeZone();
    if (opts.speech) this.speech = opts.speech;
    const now = (): number => this.clock.now();
    this.flows = new FlowStore(opts.db, now);
    const defs = () => this.flows.allDefinitions();
    this.prompts = new PromptLibrary(opts.db, opts.promptStore ?? new FfmpegPromptStore(path.join(opts.dataDir, 'prompts')), defs, now);
    this.hotWords = new HotWordLists(opts.db, defs, now);
    this.simulator = new Simulator({ clock: this.clock, timeZone: this.timeZone, log: opts.log });
    this.outboundNumbers = opts.outboundNumbers ?? (() => channelNumbers(opts.db));
  }

  newNodeId = (): string => makeNodeId(this.clock.now(), randomBytes(10));

  /** What exists on the box now, for validation. */
  async lookup(): Promise<FlowLookup> {
    const prompts = new Set(Object.keys(await this.prompts.names()));
    // Read-only look at the directory's groups: a role with only the IVR permission must still validate.
    const groups = new Set((await this.db.all<{ id: number }>('SELECT id FROM skill_groups')).map((r) => r.id));
    const hot = await this.hotWords.ids();
    const numbers = (await this.outboundNumbers?.()) ?? null;
    return {
      hasPrompt: (id) => prompts.has(id),
      hasSkillGroup: (id) => groups.has(id),
      hasNumber: (n) => (numbers ? numbers.includes(n) : PHONE_NUMBER_RE.test(n)),
      hasHotWordList: (id) => hot.has(id),
    };
  }

  async validate(kind: FlowKind, definition: unknown): Promise<ValidationResult> {
    return validateFlow(definition, kind, await this.lookup());
  }

  private async valid(kind: FlowKind, definition: unknown): Promise<FlowDefinition> {
    const r = await this.validate(kind, definition);
    if (!r.ok) throw flowValidationError(r, definition);
    return r.definition!;
  }

  async createFlow(input: NewFlowInput, userId: number | null): Promise<FlowSummary> {
    let definition = input.definition;
    if (definition === undefined) {
      const groupId = input.skillGroupId ?? (await this.db.get<{ id: number }>('SELECT min(id) AS id FROM skill_groups'))?.id ?? undefined;
      definition = templateFlow(input.template ?? 'empty', this.newNodeId, { kind: input.kind, ...(groupId ? { skillGroupId: groupId } : {}) });
    }
    const valid = await this.valid(input.kind, definition);
    const id = await this.flows.create({ name: input.name, kind: input.kind, description: input.description ?? '', definition: valid }, userId);
    return this.flows.get(id);
  }

  async saveVersion(flowId: number, version: string, definition: unknown, userId: number | null, note?: string): Promise<FlowVersionView> {
    const flow = await this.flows.get(flowId);
    const valid = await this.valid(flow.kind, definition);
    await this.flows.saveVersion(flowId, version, valid, userId, note);
    return this.flows.getVersion(flowId, version);
  }

  async createVersion(flowId: number, from: string, note: string, userId: number | null): Promise<FlowVersionView> {
    const version = await this.flows.createVersion(flowId, from, note, userId);
    return this.flows.getVersion(flowId, version);
  }

  /** Validated again against what exists now: a prompt deleted since the save blocks the publish. */
  async publish(flowId: number, version: string, userId: number | null): Promise<FlowVersionView> {
    const v = await this.flows.getVersion(flowId, version);
    await this.valid(v.kind, v.definition);
    await this.flows.publish(flowId, version, userId);
    return this.flows.getVersion(flowId, version);
  }

  async bind(number: string, flowId: number, version: string, userId: number | null): Promise<NumberBinding> {
    if (!PHONE_NUMBER_RE.test(number)) throw validationError('number', '号码只能是 3–20 位数字，可带 + (3–20 digits, optional +)');
    const flow = await this.flows.get(flowId);
    if (flow.kind !== 'inbound') throw validationError('flowId', '只有呼入 IVR 可以绑定号码 (only inbound flows can be bound to a number)');
    await this.flows.bind(number, flowId, version, userId);
    return (await this.flows.bindings()).find((b) => b.number === number)!;
  }

  private async freeze(base: Omit<FlowSnapshot, 'hotWords' | 'promptNames'>): Promise<FlowSnapshot> {
    const lists = base.definition.nodes.flatMap((n) => (n.type === 'speechMenu' && typeof n.params.hotWordListId === 'number' ? [n.params.hotWordListId] : []));
    return freezeSnapshot({ ...base, hotWords: await this.hotWords.wordsOf(lists), promptNames: await this.prompts.names() });
  }

  /** What a new call to `number` runs: the newest published revision of the bound version (immutable). */
  async snapshotForNumber(number: string): Promise<FlowSnapshot | null> {
    const p = await this.flows.publishedForNumber(number);
    return p ? this.freeze(p) : null;
  }

  /** A version's snapshot: its saved draft (simulator, self-service) or its newest published revision. */
  async snapshot(flowId: number, version = MAIN, from: 'draft' | 'published' = 'published'): Promise<FlowSnapshot> {
    const v = await this.flows.getVersion(flowId, version);
    if (from === 'draft') {
      const definition = await this.valid(v.kind, v.definition);
      return this.freeze({ flowId, flowName: v.flowName, kind: v.kind, version, revision: 0, definition });
    }
    const p = await this.flows.publishedOf(flowId, version);
    if (!p) throw new CcboxError('CCBOX_ERR_CONFLICT', `版本 ${version} 尚未发布 (version not published)`, { field: 'version' });
    return this.freeze({ flowId, flowName: v.flowName, kind: v.kind, version, revision: p.revision, definition: p.definition });
  }

  async simulate(flowId: number, opts: SimulationStart & { version?: string; from?: 'draft' | 'published' }): Promise<SimulationView> {
    const snap = await this.snapshot(flowId, opts.version ?? MAIN, opts.from ?? 'draft');
    return this.simulator.start(snap, opts);
  }
}
