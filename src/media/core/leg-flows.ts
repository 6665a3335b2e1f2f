// Who hears whom inside one call: a flow is one leg's Producer consumed towards another leg.
// Hold pauses the flows into and out of a leg; a leg that hears several sources at once (a
// listener, a whispered agent, a three-way) is switched to mixing. A flow between two legs that
// go on the router only when needed (SIP legs) starts virtual — no Consumer — and is materialized
// when the edge cannot relay the pair directly (DirectRelay decides).
import type { LegConsumer, MediaLeg } from './media-types.ts';
import { CcboxError } from '../../platform/errors.ts';

interface Flow {
  src: string;
  sink: string;
  /** null: virtual (the edge relays it directly, or nothing has needed it on the router yet). */
  consumer: LegConsumer | null;
  materializing: Promise<void> | null;
  paused: boolean;
  removed: boolean;
}

const keyOf = (src: string, sink: string): string => `${src}\u0000${sink}`;

export class LegFlows {
  private readonly flows = new Map<string, Flow>();
  private readonly held = new Set<string>();
  /** Legs where a prompt plays over the conversation (mixing forced on). */
  private readonly forcedMix = new Map<string, number>();
  private readonly mixing = new Map<string, boolean>();

  constructor(private readonly legOf: (id: string) => MediaLeg) {}

  has(src: string, sink: string): boolean {
    return this.flows.has(keyOf(src, sink));
  }

  /** Sources the leg hears (paused ones included). */
  sourcesOf(sink: string): string[] {
    return [...this.flows.values()].filter((f) => f.sink === sink).map((f) => f.src);
  }

  /** Flows touching `leg`, as [src, sink] pairs. */
  involving(leg: string): [string, string][] {
    return [...this.flows.values()].filter((f) => f.src === leg || f.sink === leg).map((f) => [f.src, f.sink]);
  }

  /** The flow exists and is not paused (hold). */
  isActive(src: string, sink: string): boolean {
    const f = this.flows.get(keyOf(src, sink));
    return f !== undefined && !f.paused;
  }

  isHeld(leg: string): boolean {
    return this.held.has(leg);
  }

  async add(src: string, sink: string): Promise<void> {
    if (src === sink) throw new CcboxError('CCBOX_ERR_VALIDATION', `leg ${src} cannot hear itself`);
    if (this.has(src, sink)) return;
    const from = this.legOf(src);
    const to = this.legOf(sink);
    const lazy = from.route !== undefined && to.route !== undefined;
    if (!lazy && !from.producer && !from.route) throw new CcboxError('CCBOX_ERR_CONFLICT', `leg ${src} has no media yet`);
    const flow: Flow = { src, sink, consumer: null, materializing: null, paused: this.held.has(src) || this.held.has(sink), removed: false };
    this.flows.set(keyOf(src, sink), flow);
    if (lazy) return;
    try {
      await this.materializeFlow(flow);
    } catch (err) {
      this.remove(src, sink);
      throw err;
    }
  }

  /** Whether the flow has a Consumer on the router. */
  isMaterialized(src: string, sink: string): boolean {
    return this.flows.get(keyOf(src, sink))?.consumer != null;
  }

  /** Flows out of `src` that have a Consumer on the router. */
  materializedFrom(src: string): number {
    let n = 0;
    for (const f of this.flows.values()) if (f.src === src && f.consumer) n++;
    return n;
  }

  /** Gives the flow its Consumer on the router (once; paused if the flow is). */
  materialize(src: string, sink: string): Promise<void> {
    const flow = this.flows.get(keyOf(src, sink));
    return flow ? this.materializeFlow(flow) : Promise.resolve();
  }

  private materializeFlow(flow: Flow): Promise<void> {
    if (flow.consumer || flow.removed) return Promise.resolve();
    flow.materializing ??= (async () => {
      const from = this.legOf(flow.src);
      const producer = from.producer ?? (from.route ? await from.route() : null);
      if (!producer) throw new CcboxError('CCBOX_ERR_CONFLICT', `leg ${flow.src} has no media yet`);
      const consumer = await this.legOf(flow.sink).consume(producer);
      if (flow.removed) {
        consumer.close();
        return;
      }
      if (flow.paused) await consumer.pause();
      flow.consumer = consumer;
    })().finally(() => {
      flow.materializing = null;
    });
    return flow.materializing;
  }

  remove(src: string, sink: string): void {
    const k = keyOf(src, sink);
    const flow = this.flows.get(k);
    if (!flow) return;
    this.flows.delete(k);
    flow.removed = true;
    flow.consumer?.close();
  }

  /** Drops every flow touching `leg` (it leaves the call). */
  removeLeg(leg: string): string[] {
    const sinks = new Set<string>();
    for (const [src, sink] of this.involving(leg)) {
      this.remove(src, sink);
      if (sink !== leg) sinks.add(sink);
    }
    this.held.delete(leg);
    this.forcedMix.delete(leg);
    this.mixing.delete(leg);
    return [...sinks];
  }

  /** Hold: nothing flows into or out of `leg`; the legs whose sources changed are returned. */
  async setHeld(leg: string, on: boolean): Promise<string[]> {
    if (on) this.held.add(leg);
    else this.held.delete(leg);
    const touched = new Set<string>([leg]);
    for (const flow of this.flows.values()) {
      if (flow.src !== leg && flow.sink !== leg) continue;
      const pause = this.held.has(flow.src) || this.held.has(flow.sink);
      if (pause === flow.paused) continue;
      flow.paused = pause;
      if (flow.consumer) await (pause ? flow.consumer.pause() : flow.consumer.resume());
      touched.add(flow.sink);
    }
    return [...touched];
  }

  forceMix(leg: string, delta: 1 | -1): void {
    const n = (this.forcedMix.get(leg) ?? 0) + delta;
    if (n > 0) this.forcedMix.set(leg, n);
    else this.forcedMix.delete(leg);
  }

  /** Puts each leg in mixing mode exactly when it hears more than one source (or a prompt over the call). */
  async refreshMixing(legs: Iterable<string>, exists: (id: string) => boolean): Promise<void> {
    for (const id of new Set(legs)) {
      if (!exists(id)) continue;
      const active = [...this.flows.values()].filter((f) => f.sink === id && !f.paused).length;
      const want = active > 1 || (this.forcedMix.get(id) ?? 0) > 0;
      if ((this.mixing.get(id) ?? false) === want) continue;
      await this.legOf(id).setMixing(want);
      this.mixing.set(id, want);
    }
  }

  closeAll(): void {
    for (const f of this.flows.values()) {
      f.removed = true;
      f.consumer?.close();
    }
    this.flows.clear();
  }
}
