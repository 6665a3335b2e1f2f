// Direct relay of one call (docs/DESIGN.md, "Media path"): decides which pairs of SIP legs the edge may relay
// straight to each other — they hear each other and nothing else, nothing else on the router consumes their
// producers, no hold, mute or mixing — materializes on the router every flow that is not such a pair (before
// any relay is switched off, so audio never has no path), and keeps the audio of legs nothing consumes off the
// router. Changes that must not leak audio past the router (hold, disconnect) run through `routed`.
import type { types as ms } from 'mediasoup';
import type { LegFlows } from './leg-flows.ts';
import type { MediaLeg } from './media-types.ts';
import { SipLeg } from './sip-leg.ts';

export class DirectRelay {
  /** Live consumers of each producer on this router (flows, pipes to other routers, anything). */
  private readonly consumerCount = new Map<string, number>();
  /** Legs kept on the router path while a change that must not leak audio is applied. */
  private readonly blocked = new Map<string, number>();
  private run: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly legs: ReadonlyMap<string, MediaLeg>,
    private readonly flows: LegFlows,
    private readonly isClosing: () => boolean,
    private readonly onError: (err: unknown, what: string) => void,
  ) {}

  /** Counts every consumer on the call's router, once it exists. */
  watch(router: ms.Router): void {
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newconsumer', (consumer) => {
        const pid = consumer.producerId;
        this.consumerCount.set(pid, (this.consumerCount.get(pid) ?? 0) + 1);
        consumer.observer.once('close', () => {
          const n = (this.consumerCount.get(pid) ?? 1) - 1;
          if (n > 0) this.consumerCount.set(pid, n);
          else this.consumerCount.delete(pid);
          void this.sync();
        });
        void this.sync();
      });
    });
  }

  /** Pairs of SIP legs that may relay directly: leg id → the leg that gets its audio. */
  private pairs(): Map<string, SipLeg> {
    const out = new Map<string, SipLeg>();
    if (this.isClosing()) return out;
    // Consumers of the leg's producer that are not its own flows' (a tap, a pipe): none allowed.
    const others = (l: SipLeg): number => (l.producer ? (this.consumerCount.get(l.producer.id) ?? 0) - this.flows.materializedFrom(l.id) : 0);
    const eligible = (l: MediaLeg | undefined): l is SipLeg => l instanceof SipLeg && !l.isClosed && !l.mixing
      && !this.blocked.has(l.id) && !(l.producer?.paused ?? false) && !(l.producer?.closed ?? false)
      && others(l) === 0 && this.flows.involving(l.id).length === 2;
    for (const a of this.legs.values()) {
      if (!eligible(a)) continue;
      const [src, sink] = this.flows.involving(a.id)[0];
      const b = this.legs.get(src === a.id ? sink : src);
      if (!eligible(b) || !this.flows.isActive(a.id, b.id) || !this.flows.isActive(b.id, a.id)) continue;
      out.set(a.id, b);
    }
    return out;
  }

  /**
   * Applies `pairs` to the edge, and keeps the audio of legs nothing consumes from the
   * router (one pass at a time; a change during a pass runs another).
   */
  sync(): Promise<void> {
    if (this.run) {
      this.again = true;
      return this.run;
    }
    const run = (async () => {
      do {
        this.again = false;
        const want = this.pairs();
        const sip = [...this.legs.values()].filter((l): l is SipLeg => l instanceof SipLeg && !l.isClosed);
        // Every flow the edge does not relay directly goes through the router: its Consumer exists before
        // any relay is switched off.
        for (const leg of this.legs.values()) {
          for (const [src, sink] of this.flows.involving(leg.id)) {
            if (src !== leg.id || want.get(src)?.id === sink || this.flows.isMaterialized(src, sink)) continue;
            await this.flows.materialize(src, sink).catch((err: unknown) => this.onError(err, `flow ${src} → ${sink} could not go on the router`));
          }
        }
        // A leg nobody on the router consumes keeps its audio from the router; one that gets
        // a consumer sends again before anything else changes.
        for (const leg of sip) {
          const idle = !leg.producer || !this.consumerCount.has(leg.producer.id);
          if (!idle && leg.routerIdle) await leg.setRouterIdle(false).catch(() => undefined);
        }
        // Off first, so no leg relays directly to a leg that already went back to the router.
        for (const leg of sip) {
          if (leg.directTo !== null && leg.directTo !== want.get(leg.id)?.id) await leg.setDirect(null).catch(() => false);
        }
        for (const leg of sip) {
          const to = want.get(leg.id);
          if (to && leg.directTo !== to.id) await leg.setDirect(to).catch(() => false);
        }
        for (const leg of sip) {
          if (leg.producer && !this.consumerCount.has(leg.producer.id) && !leg.routerIdle) await leg.setRouterIdle(true).catch(() => undefined);
        }
      } while (this.again);
    })().finally(() => {
      this.run = null;
    });
    this.run = run;
    return run;
  }

  /** Runs `fn` with `legIds` on the router path (hold, disconnect: no audio may slip past). */
  async routed<T>(legIds: readonly string[], fn: () => Promise<T>): Promise<T> {
    for (const id of legIds) this.blocked.set(id, (this.blocked.get(id) ?? 0) + 1);
    try {
      await this.sync();
      return await fn();
    } finally {
      for (const id of legIds) {
        const n = (this.blocked.get(id) ?? 1) - 1;
        if (n > 0) this.blocked.set(id, n);
        else this.blocked.delete(id);
      }
    }
  }
}
