// The workbench WebSocket's messages (docs/workbench-protocol.md): a request envelope with an id
// and a deadline, one zod schema per method, and the shapes of responses and server events.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const MAX_REQUEST_TIMEOUT_MS = 60_000;

export const RequestEnvelope = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]),
  method: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()).optional(),
  /** The client's deadline for this request; the box answers CCBOX_ERR_TIMEOUT once it passes. */
  timeoutMs: z.number().int().min(100).max(MAX_REQUEST_TIMEOUT_MS).optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

const id = z.string().min(1).max(64);
const fingerprint = z.object({ algorithm: z.string().max(16), value: z.string().max(256) });
const dtlsParameters = z.looseObject({ role: z.enum(['auto', 'client', 'server']).optional(), fingerprints: z.array(fingerprint).min(1).max(8) });
const rtpParameters = z.looseObject({ codecs: z.array(z.looseObject({ mimeType: z.string().max(64), payloadType: z.number().int(), clockRate: z.number().int() })).min(1).max(16) });
const rtpCapabilities = z.looseObject({ codecs: z.array(z.looseObject({ mimeType: z.string().max(64) })).max(64).optional() });

export const METHOD_SCHEMAS = {
  hello: z.object({ csrf: z.string().min(1).max(128) }),
  ping: z.object({}),
  getRouterRtpCapabilities: z.object({}),
  createTransport: z.object({ direction: z.enum(['send', 'recv']) }),
  connectTransport: z.object({ transportId: id, dtlsParameters }),
  restartIce: z.object({ transportId: id }),
  produce: z.object({ transportId: id, kind: z.literal('audio'), rtpParameters }),
  closeProducer: z.object({ producerId: id }),
  consume: z.object({ producerId: id, rtpCapabilities: rtpCapabilities.optional() }),
  resume: z.object({ consumerId: id }),
  pause: z.object({ consumerId: id }),
  keypad: z.object({ callId: z.string().min(1).max(128), digits: z.string().regex(/^[0-9A-Da-d*#]{1,32}$/, '0-9, *, #, A-D') }),
} as const;

export type MethodName = keyof typeof METHOD_SCHEMAS;
export type MethodData<M extends MethodName> = z.infer<(typeof METHOD_SCHEMAS)[M]>;

export const isMethod = (m: string): m is MethodName => Object.prototype.hasOwnProperty.call(METHOD_SCHEMAS, m);

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

/** Close codes of the workbench socket (4000–4999 are the application's, RFC 6455 7.4.2). */
export const CLOSE = {
  unauthorized: 4401,
  authTimeout: 4408,
  replaced: 4409,
  sessionEnded: 4440,
} as const;
