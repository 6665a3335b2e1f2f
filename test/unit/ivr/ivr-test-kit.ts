// Builds flows and runs them on a SimulatedCall with a FakeClock, for the IVR unit tests.
import { FakeClock } from '../../../src/platform/clock.ts';
import { makeNodeId, validateFlow, type FlowDefinition, type FlowKind, type FlowLookup, type NodeType } from '../../../src/ivr/flow/index.ts';
import { freezeSnapshot, IvrInterpreter, SimulatedCall, type FlowSnapshot, type IvrTrace, type SimulatedCallOptions } from '../../../src/ivr/runtime/index.ts';

let seq = 0;
/** A deterministic, valid 26-character node ID. */
export function nid(): string {
  seq++;
  const rand = new Uint8Array(10);
  new DataView(rand.buffer).setUint32(6, seq);
  return makeNodeId(1_700_000_000_000, rand);
}

export interface NodeDraft {
  id?: string;
  type: NodeType;
  label?: string;
  params?: Record<string, unknown>;
  outlets?: Record<string, string | null>;
}

export const tts = (text: string) => ({ kind: 'tts' as const, text });

export const ALLOW_ALL: FlowLookup = { hasPrompt: () => true, hasSkillGroup: () => true, hasNumber: () => true, hasHotWordList: () => true };

/** nodes: a map of name → draft; outlets name other drafts by name. The `start` draft is added when missing. */
export function buildFlow(drafts: Record<string, NodeDraft>, variables: FlowDefinition['variables'] = []): { def: FlowDefinition; ids: Record<string, string> } {
  const ids: Record<string, string> = {};
  for (const [name, d] of Object.entries(drafts)) ids[name] = d.id ?? nid();
  const nodes = Object.entries(drafts).map(([name, d]) => ({
    id: ids[name]!,
    type: d.type,
    label: d.label ?? name,
    params: d.params ?? {},
    outlets: Object.fromEntries(Object.entries(d.outlets ?? {}).map(([o, t]) => [o, t === null ? null : (ids[t] ?? t)])),
  }));
  return { def: { variables, nodes }, ids };
}

/** A frozen snapshot of a validated flow (`unchecked`: as given, for what validation would refuse). */
export function snapshotOf(def: FlowDefinition, opts: { kind?: FlowKind; hotWords?: FlowSnapshot['hotWords']; promptNames?: Record<string, string>; unchecked?: boolean } = {}): FlowSnapshot {
  const v = validateFlow(def, opts.kind ?? 'inbound', ALLOW_ALL);
  if (!v.ok && !opts.unchecked) throw new Error('test flow invalid: ' + JSON.stringify(v.errors));
  return freezeSnapshot({ flowId: 1, flowName: 'test', kind: opts.kind ?? 'inbound', version: 'MAIN', revision: 1, definition: v.definition ?? structuredClone(def), hotWords: opts.hotWords ?? {}, promptNames: opts.promptNames ?? {} });
}

export interface Running {
  clock: FakeClock;
  call: SimulatedCall;
  done: Promise<IvrTrace>;
  interp: IvrInterpreter;
  /** Waits until the flow waits for input or has ended; returns the lines played since the last step. */
  step(): Promise<string[]>;
  plays(): string[];
}

export function run(snapshot: FlowSnapshot, callOpts: Partial<SimulatedCallOptions> = {}, clock = new FakeClock(Date.UTC(2026, 0, 5, 2, 0))): Running {
  const call = new SimulatedCall({ clock, promptNames: snapshot.promptNames, ...callOpts });
  const interp = new IvrInterpreter(snapshot, call, { clock, timeZone: 'Asia/Shanghai' });
  let finished = false;
  const done = interp.run().then((t) => {
    finished = true;
    return t;
  });
  let seen = 0;
  const plays = (): string[] => call.transcript.filter((l) => l.kind === 'play').map((l) => l.text);
  return {
    clock,
    call,
    done,
    interp,
    plays,
    async step() {
      await Promise.race([call.settled(), done]);
      // Let the interpreter run any synchronous follow-up before reading the transcript.
      for (let i = 0; i < 5 && !finished && !call.waiting; i++) await new Promise((r) => setImmediate(r));
      const all = plays();
      const out = all.slice(seen);
      seen = all.length;
      return out;
    },
  };
}
