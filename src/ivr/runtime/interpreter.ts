// One interpreter per call: walks the call's flow snapshot node by node over the CallControl, keeps the
// variables and the trace, and always leaves the call in a defined state (hung up, handed on, or returned).
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { resolveOutlet, substitute, type FlowNode, type PromptRef } from '../flow/index.ts';
import { createNode } from '../nodes/registry.ts';
import { CallerHangupError, type CallControl, type HangupCause } from './call-control.ts';
import { guardCall } from './guarded-call.ts';
import { postJson } from './http-client.ts';
import { DEFAULT_LIMITS, type FlowSnapshot, type IvrNode, type NodeContext, type NodeResult, type RuntimeLimits } from './runtime-types.ts';
import { TraceRecorder, type IvrTrace } from './trace.ts';

export interface InterpreterOptions {
  clock: Clock;
  /** IANA zone for 服务时间; default: the process's zone. */
  timeZone?: string;
  limits?: Partial<RuntimeLimits>;
  log?: Logger;
}

export const boxTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Deep-freezes a snapshot so nothing a call does can change the version other calls run. */
export function freezeSnapshot<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeSnapshot(v);
  }
  return value;
}

export class IvrInterpreter {
  private readonly nodes = new Map<string, { def: FlowNode; node: IvrNode }>();
  private readonly call: CallControl;
  private readonly limits: RuntimeLimits;
  private readonly recorder: TraceRecorder;
  private typeAhead = '';
  private running: Promise<IvrTrace> | null = null;

  constructor(
    readonly snapshot: FlowSnapshot,
    call: CallControl,
    private readonly opts: InterpreterOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.call = guardCall(call, opts.clock, this.limits);
    for (const def of snapshot.definition.nodes) this.nodes.set(def.id, { def, node: createNode(def) });
    this.recorder = new TraceRecorder(() => call.now(), {
      sessionId: call.sessionId,
      flowId: snapshot.flowId,
      flowName: snapshot.flowName,
      version: snapshot.version,
      revision: snapshot.revision,
    });
  }

  get trace(): IvrTrace {
    return this.recorder.trace;
  }

  /** Runs the flow to its end; never rejects. */
  run(): Promise<IvrTrace> {
    this.running ??= this.walk();
    return this.running;
  }

  private context(def: FlowNode): NodeContext {
    const call = this.call;
    const get = (name: string): string | undefined => call.getVariable(name);
    const text = (t: string): string => substitute(t, get);
    return {
      call,
      snapshot: this.snapshot,
      node: def,
      clock: this.opts.clock,
      trace: this.recorder,
      timeZone: this.opts.timeZone ?? boxTimeZone(),
      limits: this.limits,
      get,
      set: (name, value) => call.setVariable(name, value),
      text,
      play: (prompt: PromptRef, o = {}) =>
        call.play(prompt.kind === 'tts' ? { ...prompt, text: text(prompt.text) } : prompt, { interruptible: o.interruptible ?? false, repeat: o.repeat ?? 1 }),
      postJson: async (url, body, o) => {
        const r = await postJson({ url, body, timeoutMs: o.timeoutMs, tries: o.tries, clock: this.opts.clock, signal: call.signal });
        this.recorder.http({ nodeId: def.id, url, ok: r.ok, tries: r.tries });
        if (call.signal.aborted) throw new CallerHangupError();
        return r;
      },
      hasNode: (id) => this.nodes.has(id),
      pushTypeAhead: (d) => void (this.typeAhead += d),
      takeTypeAhead: () => {
        const t = this.typeAhead;
        this.typeAhead = '';
        return t;
      },
    };
  }

  private async hangup(cause: HangupCause, nodeId: string | null): Promise<IvrTrace> {
    await this.call.hangup(cause);
    return this.recorder.finish({ reason: 'hangup', cause, nodeId });
  }

  private async walk(): Promise<IvrTrace> {
    const def = this.snapshot.definition;
    for (const v of def.variables) if (this.call.getVariable(v.name) === undefined) this.call.setVariable(v.name, v.default);
    let current = def.nodes.find((n) => n.type === 'start')?.id ?? null;
    let steps = 0;
    try {
      for (;;) {
        const entry = current ? this.nodes.get(current) : undefined;
        if (!entry) throw new Error(`flow has no node ${current}`);
        if (++steps > this.limits.maxSteps) throw new Error(`more than ${this.limits.maxSteps} steps: the flow loops`);
        const { def: nodeDef, node } = entry;
        this.recorder.enter(node.id, node.type, node.label);
        const r: NodeResult = await node.run(this.context(nodeDef));
        if ('outlet' in r) {
          this.recorder.leave(r.outlet);
          const next = resolveOutlet(nodeDef, node.outlets, r.outlet);
          if (!next) throw new Error(`node ${node.id} left through unwired outlet ${r.outlet}`);
          if (next.target === null) return await this.hangup('normal', node.id);
          current = next.target;
        } else if ('jump' in r) {
          this.recorder.leave(r.via);
          current = r.jump;
        } else if ('hangup' in r) {
          return await this.hangup(r.hangup, node.id);
        } else if ('transferred' in r) {
          return this.recorder.finish({ reason: 'transferred', nodeId: node.id, to: r.transferred });
        } else {
          return this.recorder.finish({ reason: 'returned', nodeId: node.id });
        }
      }
    } catch (err) {
      const nodeId = this.recorder.trace.path.at(-1)?.nodeId ?? null;
      if (err instanceof CallerHangupError || this.call.signal.aborted) return this.recorder.finish({ reason: 'callerHangup', nodeId });
      const message = (err as Error)?.message ?? String(err);
      this.opts.log?.error({ err, sessionId: this.call.sessionId, flowId: this.snapshot.flowId, nodeId }, 'IVR flow failed');
      const cause: HangupCause = (err as { code?: string })?.code === 'CCBOX_ERR_TIMEOUT' ? 'deadline' : 'flowError';
      try {
        await this.call.hangup(cause);
      } catch {
        // The call is being torn down anyway; the trace says why.
      }
      return this.recorder.finish({ reason: 'error', nodeId, message });
    }
  }
}

/** Runs one call through a snapshot: the entry point `calls` uses. */
export function runIvr(snapshot: FlowSnapshot, call: CallControl, opts: InterpreterOptions): Promise<IvrTrace> {
  return new IvrInterpreter(snapshot, call, opts).run();
}
