// The to-agent node's request to the ACD and the ACD's answer (src/acd implements transferToQueue).

/** Where the call waits. */
export type QueueTarget =
  | { kind: 'skillGroup'; skillGroupId: number }
  /**
   * 指定座席: the agents named by the specifiedSeat callback, by e-mail. The group (by ID, or by the name the
   * callback gave) is where the call waits when none of them can take it; without one the request fails.
   */
  | { kind: 'agents'; agentEmails: string[]; skillGroupId?: number; skillGroupName?: string };

export interface QueueRequest {
  target: QueueTarget;
  /** 1 (first) … 5; calls of higher priority are served first, then by arrival. */
  priority: number;
  /** Longest wait before the ACD gives up with `timeout`. */
  maxWaitMs: number;
  /** For the call record: where in the IVR the transfer happened and the keys pressed so far. */
  ivr: { flowId: number; flowName: string; version: string; nodeId: string; keys: string };
}

export interface AnsweringAgent {
  staffNo: string;
  email?: string;
  name?: string;
}

export type QueueOutcome =
  /** An agent answered and has hung up; the caller is still on the line (→ survey). */
  | { result: 'agentHungUp'; agent: AnsweringAgent; skillGroupId: number | null; waitMs: number; talkMs: number }
  /** The agent transferred the call elsewhere: the IVR is done with it. */
  | { result: 'transferred'; agent: AnsweringAgent; to: string }
  /** Not answered: 无座席在线, the max wait ran out, or the ACD refused (e.g. unknown group, no agent named). */
  | { result: 'noAgentOnline' | 'timeout' | 'rejected'; skillGroupId: number | null; reason?: string };
