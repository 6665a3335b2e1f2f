// The media part as one object: the mediasoup worker pool, the RTP edge, prompts and TTS, and
// the calls' media. A call whose worker died is reported (`call-media-failed`) and closed with
// that cause; the pool has already started a replacement worker for new calls.
import { TypedEmitter } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { CcboxError } from '../../platform/errors.ts';
import type { RtpEdge } from '../edge/index.ts';
import type { TtsProvider } from '../tts/index.ts';
import { CallMediaSession, type CallMediaSettings } from './call-media.ts';
import type { CallMedia, G711Law, MediaCore, MediaCoreEvents, TtsVoice } from './media-types.ts';
import { PromptLoader } from './prompt-loader.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

export interface MediaCoreDeps {
  pool: MediaWorkerPool;
  edge: RtpEdge;
  tts: TtsProvider | null;
  settings: CallMediaSettings & { defaultVoice?: TtsVoice };
  log?: Logger;
}

export class MediaCoreService extends TypedEmitter<MediaCoreEvents> implements MediaCore {
  readonly pool: MediaWorkerPool;
  readonly edge: RtpEdge;
  readonly prompts: PromptLoader;
  private readonly calls = new Map<string, CallMediaSession>();
  private stopping = false;

  constructor(private readonly deps: MediaCoreDeps) {
    super();
    this.pool = deps.pool;
    this.edge = deps.edge;
    this.prompts = new PromptLoader(deps.tts, deps.settings.defaultVoice ?? 'cmn');
    this.pool.on('worker-died', ({ index, pid, calls, error }) => {
      deps.log?.error({ worker: index, pid, calls: calls.length, err: error.message }, 'mediasoup worker died; restarting it and ending its calls');
      this.safeEmit('worker-died', { index, pid, calls });
    });
    this.pool.on('worker-replaced', ({ index, worker }) => deps.log?.info({ worker: index, pid: worker.pid }, 'mediasoup worker replaced'));
  }

  get callCount(): number {
    return this.calls.size;
  }

  get recordingsDir(): string {
    return this.deps.settings.recordingsDir;
  }

  call(callId: string): CallMedia | undefined {
    return this.calls.get(callId);
  }

  async createCall(callId: string): Promise<CallMedia> {
    if (this.stopping) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'media is stopping');
    if (this.calls.has(callId)) throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${callId} already has media`);
    const call = new CallMediaSession({
      callId, pool: this.pool, edge: this.edge, prompts: this.prompts, settings: this.deps.settings, log: this.deps.log,
    });
    this.calls.set(callId, call);
    call.on('failed', ({ cause }) => this.safeEmit('call-media-failed', { callId, cause }));
    call.on('closed', () => {
      if (this.calls.get(callId) === call) this.calls.delete(callId);
    });
    return call;
  }

  async renderTts(text: string, options: { voice?: TtsVoice; variables?: Readonly<Record<string, string | number>>; law?: G711Law } = {}): Promise<{ frames: Uint8Array[]; law: G711Law; path: string }> {
    return this.prompts.renderTts(text, options.voice ?? this.deps.settings.defaultVoice ?? 'cmn', options.law ?? this.deps.settings.preferredLaw, options.variables);
  }

  check(): void {
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.calls.values()].map((c) => c.close('shutdown')));
    await this.edge.close();
    await this.pool.stop();
  }
}
