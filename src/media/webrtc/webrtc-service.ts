// The WebRTC part of the media core: one WebRtcServer (one UDP + TCP port) on one mediasoup
// worker, each online agent's media on a router of that worker, kept through short workbench
// disconnects (grace period) and closed on logout; browser legs attach it to calls' routers.
import type { types as ms } from 'mediasoup';
import { CcboxError } from '../../platform/errors.ts';
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { ROUTER_MEDIA_CODECS, type CallMedia, type MediaWorkerPool } from '../core/index.ts';
import { AgentMedia } from './agent-media.ts';
import { WebRtcLeg } from './browser-leg.ts';
import { webRtcListenInfos } from './listen-infos.ts';
import type { BrowserLegOptions, WebRtcServiceEvents, WebRtcServiceOptions } from './webrtc-types.ts';

export const DEFAULT_AGENT_GRACE_MS = 30_000;
export const DEFAULT_PRODUCE_WAIT_MS = 5_000;

/** The worker that holds the WebRtcServer (one port cannot be shared by two workers). */
const SERVER_WORKER_INDEX = 0;

export class WebRtcService extends TypedEmitter<WebRtcServiceEvents> {
  private server: ms.WebRtcServer | null = null;
  private serverWorker: ms.Worker | null = null;
  private readonly agents = new Map<number, AgentMedia>();
  private readonly creating = new Map<number, Promise<AgentMedia>>();
  private readonly graceTimers = new Map<number, NodeJS.Timeout>();
  private readonly graceMs: number;
  private readonly produceWaitMs: number;
  private stopped = false;
  private legSeq = 1;

  private constructor(
    private readonly pool: MediaWorkerPool,
    private readonly options: WebRtcServiceOptions,
    private readonly log?: Logger,
  ) {
    super();
    this.graceMs = options.graceMs ?? DEFAULT_AGENT_GRACE_MS;
    this.produceWaitMs = options.produceWaitMs ?? DEFAULT_PRODUCE_WAIT_MS;
  }

  static async start(pool: MediaWorkerPool, options: WebRtcServiceOptions, log?: Logger): Promise<WebRtcService> {
    const service = new WebRtcService(pool, options, log);
    await service.createServer();
    pool.on('worker-died', ({ index }) => {
      if (index === SERVER_WORKER_INDEX) service.serverLost();
    });
    pool.on('worker-replaced', ({ index }) => {
      if (index !== SERVER_WORKER_INDEX || service.stopped) return;
      service.createServer().catch((err: unknown) => log?.error({ err }, 'WebRtcServer could not be re-created on the replacement worker'));
    });
    return service;
  }

  private async createServer(): Promise<void> {
    const worker = this.pool.workers[SERVER_WORKER_INDEX];
    if (!worker) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'no media worker for the WebRtcServer');
    const listenInfos = webRtcListenInfos(this.options.listen, this.pool.rtcPortRange);
    try {
      this.server = await this.pool.request('createWebRtcServer', worker.createWebRtcServer({ listenInfos }));
    } catch (err) {
      throw new CcboxError('CCBOX_ERR_CONFIG', `the WebRTC port ${this.options.listen.port} cannot be opened on ${listenInfos.map((l) => l.ip).join(', ')}: ${(err as Error).message}`, { cause: err });
    }
    this.serverWorker = worker;
    const sockets = await this.sockets();
    this.log?.info({ sockets }, 'WebRTC server is up');
    this.safeEmit('server-up', { sockets });
  }

  /** The worker holding the server died: every agent's media went with it. */
  private serverLost(): void {
    this.server = null;
    this.serverWorker = null;
    for (const agent of [...this.agents.values()]) agent.close('media-worker-died');
  }

  /** The server's sockets (address, port, protocol), e.g. for logs and tests. */
  async sockets(): Promise<{ protocol: 'udp' | 'tcp'; ip: string; port: number }[]> {
    if (!this.server) return [];
    const d = await this.pool.request('webRtcServer.dump', this.server.dump());
    return [
      ...d.udpSockets.map((s) => ({ protocol: 'udp' as const, ip: s.ip, port: s.port })),
      ...d.tcpServers.map((s) => ({ protocol: 'tcp' as const, ip: s.ip, port: s.port })),
    ];
  }

  get agentCount(): number {
    return this.agents.size;
  }

  agent(agentId: number): AgentMedia | undefined {
    const a = this.agents.get(agentId);
    return a && !a.closed ? a : undefined;
  }

  /** The workbench of `agentId` connected: its media (kept from before, or new). */
  agentConnected(agentId: number): Promise<AgentMedia> {
    if (this.stopped) return Promise.reject(new CcboxError('CCBOX_ERR_UNAVAILABLE', 'media is stopping'));
    const timer = this.graceTimers.get(agentId);
    if (timer) {
      clearTimeout(timer);
      this.graceTimers.delete(agentId);
    }
    const existing = this.agent(agentId);
    if (existing) return Promise.resolve(existing);
    let creating = this.creating.get(agentId);
    if (!creating) {
      creating = this.createAgent(agentId).finally(() => this.creating.delete(agentId));
      this.creating.set(agentId, creating);
    }
    return creating;
  }

  private async createAgent(agentId: number): Promise<AgentMedia> {
    const server = this.server;
    const worker = this.serverWorker;
    if (!server || !worker || worker.closed) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'the WebRTC server is restarting, try again shortly');
    const router = await this.pool.request('createRouter', worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData: { agentId } }));
    const agent = new AgentMedia(agentId, router, server, (what, work) => this.pool.request(what, work), this.log);
    this.agents.set(agentId, agent);
    agent.once('closed', ({ reason }) => {
      if (this.agents.get(agentId) !== agent) return;
      this.agents.delete(agentId);
      this.safeEmit('agent-offline', { agentId, reason });
    });
    this.log?.info({ agentId }, 'agent media up');
    this.safeEmit('agent-online', { agentId });
    return agent;
  }

  /** The workbench went away: the media stays for the grace period, so a reconnect keeps calls. */
  agentDisconnected(agentId: number): void {
    if (!this.agents.has(agentId) || this.graceTimers.has(agentId)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(agentId);
      this.closeAgent(agentId, 'workbench-gone');
    }, this.graceMs);
    timer.unref();
    this.graceTimers.set(agentId, timer);
  }

  /** Logout (or forced offline): the agent's transports and browser legs end now. */
  closeAgent(agentId: number, reason: string): void {
    const timer = this.graceTimers.get(agentId);
    if (timer) {
      clearTimeout(timer);
      this.graceTimers.delete(agentId);
    }
    this.agents.get(agentId)?.close(reason);
  }

  /**
   * Puts the browser agent into the call: the microphone (asked of the browser in the call's law
   * when it sends another) is piped into the call's router and the leg added to the call. The
   * caller then connects it (`call.connect(customerLeg, leg.id)`).
   */
  async attachBrowserLeg(call: CallMedia, agentId: number, options: BrowserLegOptions = {}): Promise<WebRtcLeg> {
    const agent = this.agent(agentId);
    if (!agent) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', `agent ${agentId} has no workbench softphone online`);
    const mic = await agent.producerFor(call.law, this.produceWaitMs);
    const id = options.id ?? `${call.callId}:webrtc:${agentId}:${this.legSeq++}`;
    const leg = await WebRtcLeg.create(
      { call, agent, request: (what, work) => this.pool.request(what, work), pipeListenInfo: this.pool.listenInfo('127.0.0.1') },
      mic, { id, role: options.role ?? 'agent' },
    );
    try {
      call.addLeg(leg);
    } catch (err) {
      await leg.close();
      throw err;
    }
    return leg;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
    for (const a of [...this.agents.values()]) a.close('shutdown');
    this.server?.close();
    this.server = null;
  }
}
