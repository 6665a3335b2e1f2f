// 接入状态 of a finished call, decided from what happened (a pure function): where the call was when it
// ended, who hung up, what the ACD said, and for outbound calls the SIP/Q.850 cause category.
import type { EndStatus, RecordDirection } from './record-types.ts';

/** Where an inbound call was when it ended. */
export type CallPhase = 'setup' | 'ivr' | 'queue' | 'ringing' | 'talking' | 'after';

export interface EndFacts {
  direction: RecordDirection;
  phase: CallPhase;
  /** Someone (agent, extension, outside party) talked with the caller. */
  answered: boolean;
  callerHungUp: boolean;
  /** The cause category of the end (src/sip/b2bua causes), outbound mapping uses it. */
  cause: string | null;
  noAgentOnline: boolean;
  /** The IVR left through a 服务时间 node's 非工作时间 outlet. */
  afterHours: boolean;
  /** Agents were rung and none answered (ring timeouts, rejects). */
  agentsMissed: boolean;
  transfer: 'agent' | 'external' | null;
  /** The call went through an IVR flow (else it rang an extension directly). */
  viaIvr: boolean;
  systemError: boolean;
  /** Refused before the IVR: the caller is blacklisted. */
  blacklisted?: boolean;
}

const OUTBOUND_BY_CAUSE: Record<string, EndStatus> = {
  normal: 'normal',
  busy: 'busy',
  noAnswer: 'noAnswer',
  timeout: 'noAnswer',
  rejected: 'rejected',
  unallocated: 'unallocated',
  poweredOff: 'poweredOff',
  outOfService: 'outOfService',
  arrears: 'arrears',
  networkFailure: 'networkFailure',
  congestion: 'networkFailure',
  cancelled: 'callerCancelled',
};

export function endStatusOf(f: EndFacts): EndStatus {
  if (f.direction !== 'inbound') {
    if (f.answered) return 'normal';
    return OUTBOUND_BY_CAUSE[f.cause ?? ''] ?? 'unknown';
  }
  if (f.blacklisted) return 'blacklisted';
  if (f.systemError && !f.answered) return 'systemError';
  if (f.answered) return f.transfer === 'external' ? 'externalTransfer' : f.transfer === 'agent' ? 'agentTransfer' : 'normal';
  if (f.noAgentOnline) return 'noAgentOnline';
  if (f.afterHours) return 'afterHours';
  if (f.callerHungUp && f.phase === 'ringing') return 'ringAbandon';
  if (f.callerHungUp && f.phase === 'queue') return 'queueAbandon';
  if (f.agentsMissed) return 'agentNoAnswer';
  if (f.callerHungUp && f.phase === 'ivr') return 'ivrAbandon';
  if (f.viaIvr) return 'ivrEnd';
  if (f.systemError) return 'systemError';
  return 'notConnected';
}
