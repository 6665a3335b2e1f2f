// Shared fixtures for the transaction tests: requests, responses and a recording env.
import { parseMessage } from '../../../../src/sip/core/parser.ts';
import { buildResponse } from '../../../../src/sip/core/response.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../../../src/sip/core/message-types.ts';
import { DEFAULT_TIMERS, type Peer, type TransactionEnv } from '../../../../src/sip/core/transaction/transaction-types.ts';
import { FakeTimers, wire } from './helpers.ts';

export const UDP: Peer = { transport: 'udp', address: '192.0.2.20', port: 5062 };
export const TCP: Peer = { transport: 'tcp', address: '192.0.2.20', port: 5062, flowId: 'conn-1' };

export interface Sent {
  at: number;
  msg: SipMessage;
  peer: Peer;
}

export function recordingEnv(failSend = false): { env: TransactionEnv; timers: FakeTimers; sent: Sent[] } {
  const timers = new FakeTimers();
  const sent: Sent[] = [];
  const env: TransactionEnv = {
    timers,
    config: { ...DEFAULT_TIMERS },
    send: (msg, peer) => {
      if (failSend) throw new Error('ECONNRESET');
      sent.push({ at: timers.now, msg, peer });
    },
  };
  return { env, timers, sent };
}

export function request(method: string, opts: { branch?: string | null; fromTag?: string; toTag?: string; cseq?: number; via?: string } = {}): SipRequest {
  const branch = opts.branch === undefined ? 'z9hG4bK-abc' : opts.branch;
  const via = opts.via ?? `SIP/2.0/UDP 192.0.2.20:5062${branch === null ? '' : `;branch=${branch}`}`;
  return parseMessage(wire([
    `${method} sip:1001@192.0.2.1 SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    `From: <sip:2001@192.0.2.20>;tag=${opts.fromTag ?? 'ftag'}`,
    `To: <sip:1001@192.0.2.1>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
    'Call-ID: call-1@192.0.2.20',
    `CSeq: ${opts.cseq ?? 1} ${method === 'ACK' || method === 'CANCEL' ? method : method}`,
    'Contact: <sip:2001@192.0.2.20:5062>',
    'Content-Length: 0',
  ])) as SipRequest;
}

export function reply(req: SipRequest, status: number, toTag = 'ttag'): SipResponse {
  return buildResponse(req, status, { toTag });
}

export const times = (sent: Sent[], pred: (s: Sent) => boolean = () => true) => sent.filter(pred).map((s) => s.at);
export const isRequest = (method: string) => (s: Sent) => s.msg.kind === 'request' && s.msg.method === method;
export const isStatus = (status: number) => (s: Sent) => s.msg.kind === 'response' && s.msg.status === status;
