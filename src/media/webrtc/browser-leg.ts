// A browser agent in a call: the agent's microphone Producer (on the agent's router) piped into
// the call's router, and each source the agent must hear piped back and offered to the browser.
// The agent's transports stay up between calls, so joining a call costs no ICE/DTLS handshake.
import type { types as ms } from 'mediasoup';
import type { CallMedia, LegConsumer, LegRole, MediaLeg } from '../core/index.ts';
import type { AgentMedia, MediaRequest } from './agent-media.ts';

export interface BrowserLegContext {
  call: CallMedia;
  agent: AgentMedia;
  request: MediaRequest;
  /** Loopback listen info of the pipe transports (inside the mediasoup port range). */
  pipeListenInfo: ms.TransportListenInfo;
}

interface Pipe {
  pipeConsumer: ms.Consumer;
  handle: LegConsumer;
}

export class WebRtcLeg implements MediaLeg {
  readonly kind = 'webrtc' as const;
  private readonly pipes = new Set<Pipe>();
  private readonly closeHandlers: (() => void)[] = [];
  private ended = false;
  private readonly onAgentClosed = (): void => this.end();

  private constructor(
    readonly id: string,
    readonly role: LegRole,
    readonly agentId: number,
    private readonly ctx: BrowserLegContext,
    /** The agent's microphone on the call's router. */
    readonly producer: ms.Producer,
    private readonly micPipe: ms.Consumer,
  ) {
    // The leg ends on its own when the agent's media closes (logout, worker died) or the
    // microphone it carries goes (the browser closed that producer).
    producer.observer.once('close', () => this.end());
    ctx.agent.on('closed', this.onAgentClosed);
  }

  /** Pipes the agent's microphone (already produced in the call's law) into the call's router. */
  static async create(ctx: BrowserLegContext, mic: ms.Producer, init: { id: string; role: LegRole }): Promise<WebRtcLeg> {
    // keepId false: the same microphone may be piped into this router again (a leg removed and
    // re-added in one call) and the sources offered to the browser need ids of their own.
    const { pipeConsumer, pipeProducer } = await ctx.request('pipeToRouter', ctx.agent.router.pipeToRouter({
      producerId: mic.id, router: await ctx.call.ensureRouter(), keepId: false, listenInfo: ctx.pipeListenInfo,
    }));
    if (!pipeProducer) {
      pipeConsumer?.close();
      throw new Error('pipeToRouter returned no producer');
    }
    return new WebRtcLeg(init.id, init.role, ctx.agent.agentId, ctx, pipeProducer, pipeConsumer!);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Lets the agent hear `producer` (a producer on the call's router). */
  async consume(producer: ms.Producer): Promise<LegConsumer> {
    const callRouter = await this.ctx.call.ensureRouter();
    const { pipeConsumer, pipeProducer } = await this.ctx.request('pipeToRouter', callRouter.pipeToRouter({
      producerId: producer.id, router: this.ctx.agent.router, keepId: false, listenInfo: this.ctx.pipeListenInfo,
    }));
    if (this.ended) {
      pipeConsumer?.close();
      throw new Error(`leg ${this.id} closed`);
    }
    const handle = this.ctx.agent.offer(pipeProducer!.id, this.ctx.call.callId, this.id);
    const pipe: Pipe = { pipeConsumer: pipeConsumer!, handle };
    this.pipes.add(pipe);
    pipeConsumer!.observer.once('close', () => this.pipes.delete(pipe));
    return {
      producerId: producer.id,
      pause: () => handle.pause(),
      resume: () => handle.resume(),
      close: () => {
        handle.close();
        pipe.pipeConsumer.close();
      },
    };
  }

  /** A browser plays each consumer as its own track and mixes them itself. */
  async setMixing(): Promise<void> {}

  /** Hold pauses the flows of this leg (LegFlows); the workbench shows hold from `callState`. */
  async setHold(): Promise<void> {}

  onClosed(fn: () => void): void {
    if (this.ended) fn();
    else this.closeHandlers.push(fn);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ctx.agent.off('closed', this.onAgentClosed);
    for (const p of this.pipes) {
      p.handle.close();
      p.pipeConsumer.close();
    }
    this.pipes.clear();
    this.micPipe.close();
    for (const fn of this.closeHandlers.splice(0)) fn();
  }

  /** Leaves the call; the agent's transports and microphone stay up for the next call. */
  async close(): Promise<void> {
    this.end();
  }
}
