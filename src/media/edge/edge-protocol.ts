// Messages between the main thread and the edge workers. The worker's channel carries every leg's
// requests, responses and events, each in a LegEnvelope with the leg's key (leg-channel.ts).
import type { G711Law } from '../codec/index.ts';
import type { PlayOptions } from '../player/index.ts';
import type { WorkerLegOptions } from './edge-types.ts';

export type LegOp =
  | 'update' | 'relay' | 'direct' | 'router-idle' | 'play' | 'stop-play' | 'dtmf' | 'hold' | 'mix'
  | 'rec-start' | 'rec-pause' | 'rec-resume' | 'rec-stop' | 'stats' | 'close';

export interface CreateLegMessage {
  type: 'create';
  /** The leg's key on the worker's channel; the reply comes back in an envelope with it. */
  leg: number;
  options: WorkerLegOptions;
}

export type WorkerReadyMessage = { type: 'ready' };

export type CreateReply =
  | { type: 'created'; rtpPort: number; rtcpPort: number; relayPort: number }
  | { type: 'create-failed'; code: string; message: string };

export interface LegRequest {
  type: 'request';
  id: number;
  op: LegOp;
  args?: unknown;
}

export type LegMessage =
  | { type: 'response'; id: number; ok: true; result?: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'event'; name: string; data?: unknown };

/** Play request payload: frames concatenated in one transferred buffer. */
export interface PlayArgs {
  audio: ArrayBuffer;
  frameBytes: number;
  law: G711Law;
  options: PlayOptions;
}
