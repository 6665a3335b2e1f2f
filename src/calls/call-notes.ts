// What the IVR, the queue and the agent's device add to a call while it runs (the trace, queue stays, offers,
// the answering agent, recordings, transfers) — kept per call id until the call's record is assembled.
import type { IvrTrace } from '../ivr/index.ts';
import type { AgentDevice, CallPhase, RecordOffer, RecordQueueVisit, RecordTransfer } from '../records/index.ts';

export interface AgentTalk {
  agentId: number | null;
  name: string | null;
  staffNo: string | null;
  device: AgentDevice;
  /** Extension of the desk phone, for the record's legs. */
  party: string;
  legId: string;
  offeredAt: number;
  answeredAt: number;
  endedAt: number | null;
  skillGroupId: number | null;
}

export interface CallNotes {
  phase: CallPhase;
  viaIvr: boolean;
  ivr: IvrTrace | null;
  queue: RecordQueueVisit[];
  offers: (RecordOffer & { offerId: string })[];
  /** Every agent who talked on the call, in order (the last one is the record's agent). */
  talks: AgentTalk[];
  skillGroup: { id: number; name: string } | null;
  skillGroupIds: Set<number>;
  noAgentOnline: boolean;
  /** The agent ended the conversation (hang-up side 座席). */
  agentHungUp: boolean;
  /** Paths of the call's recordings (the stereo call recording first). */
  recordings: string[];
  voicemail: string | null;
  transfers: RecordTransfer[];
  transfer: 'agent' | 'external' | null;
  errors: string[];
  /** For outbound calls placed by an agent (the API or their phone). */
  outboundAgentId: number | null;
  /** The media legs the control API acts on: the customer's, and the agent's device now talking. */
  customerLegId: string | null;
  agentLegId: string | null;
  /** 静音: the agent's audio is not sent. */
  muted: boolean;
  held: boolean;
  /** 呼入/呼出评价配置's survey (an IVR survey node's answer is in the trace). */
  survey: { key: string | null; label: string | null } | null;
  /** Refused before the IVR: the caller is on the blacklist. */
  blacklisted: boolean;
  /** A self-service flow or digit collection the agent started is running on the customer's leg. */
  aside: 'selfService' | 'digits' | 'survey' | null;
}

export function newNotes(): CallNotes {
  return {
    phase: 'setup', viaIvr: false, ivr: null, queue: [], offers: [], talks: [], skillGroup: null, skillGroupIds: new Set(), noAgentOnline: false,
    agentHungUp: false, recordings: [], voicemail: null, transfers: [], transfer: null, errors: [], outboundAgentId: null,
    customerLegId: null, agentLegId: null, muted: false, held: false, survey: null, blacklisted: false, aside: null,
  };
}

/** The notes of the calls that are running (and of those whose record is being written). */
export class CallNotebook {
  private readonly notes = new Map<string, CallNotes>();

  of(callId: string): CallNotes {
    let n = this.notes.get(callId);
    if (!n) {
      n = newNotes();
      this.notes.set(callId, n);
    }
    return n;
  }

  peek(callId: string): CallNotes | undefined {
    return this.notes.get(callId);
  }

  /** Removes and returns the notes (the record is being assembled). */
  take(callId: string): CallNotes | undefined {
    const n = this.notes.get(callId);
    this.notes.delete(callId);
    return n;
  }

  get size(): number {
    return this.notes.size;
  }
}
