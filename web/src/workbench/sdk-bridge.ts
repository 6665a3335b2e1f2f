// The SDK frame's side of tccc.js (pure mapping): the cloud Web SDK's method names and agent statuses onto the
// workbench's actions, and session transitions onto the SDK's events (callIn, callOuted, userAccessed,
// sessionEnded). Messages are {source: 'ccbox-sdk', id, method, params} → {source, id, ok, data | errorMsg}.
import type { AgentStatusName, TransferTarget, WbSession, WorkbenchContext } from './types';
import type { CallActions } from './useWorkbench';
import { dialInput } from './screen-pop';

export const SDK_SOURCE = 'ccbox-sdk';

export interface SdkRequest { source: typeof SDK_SOURCE; id: number | string; method: string; params?: Record<string, unknown> }

export function isSdkRequest(d: unknown): d is SdkRequest {
  if (!d || typeof d !== 'object') return false;
  const m = d as Record<string, unknown>;
  return m.source === SDK_SOURCE && (typeof m.id === 'number' || typeof m.id === 'string') && typeof m.method === 'string';
}

/** The cloud's AgentStatus → ours: free 空闲, notReady 示忙, rest 小休, arrange 话后整理. */
export const FROM_SDK_STATUS: Record<string, AgentStatusName> = { free: 'idle', notReady: 'busy', rest: 'break', arrange: 'acw', offline: 'offline' };
export const TO_SDK_STATUS: Record<AgentStatusName, string> = { idle: 'free', busy: 'notReady', break: 'rest', acw: 'arrange', offline: 'offline' };

export interface BridgeDeps {
  actions: CallActions;
  sessions: () => WbSession[];
  ctx: () => WorkbenchContext | null;
  setStatus: (s: AgentStatusName, breakReasonId?: number | null) => Promise<void>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function sessionId(p: Record<string, unknown>, deps: BridgeDeps): string {
  const id = str(p.sessionId);
  if (id) return id;
  // Without a sessionId the call of the moment is meant (the call bar's own buttons work that way).
  const live = deps.sessions().find((s) => s.state !== 'ended');
  if (!live) throw new Error('no session (sessionId is required)');
  return live.callId;
}

function transferTarget(p: Record<string, unknown>, deps: BridgeDeps): TransferTarget {
  const number = str(p.phoneNumber ?? p.number);
  if (number) return { kind: 'external', number };
  const user = str(p.userId);
  if (user) {
    const agents = deps.ctx()?.directory.agents ?? [];
    const a = agents.find((x) => String(x.id) === user || x.staffNo === user) ?? null;
    if (!a) throw new Error(`no agent ${user}`);
    return { kind: 'agent', agentId: a.id };
  }
  const group = str(p.skillGroupId);
  if (group) return { kind: 'skillGroup', skillGroupId: Number(group) };
  throw new Error('transfer needs skillGroupId, userId or phoneNumber');
}

/** Runs one SDK method; resolves with the data the SDK's promise gets. */
export async function runSdkMethod(method: string, p: Record<string, unknown>, deps: BridgeDeps): Promise<unknown> {
  const a = deps.actions;
  switch (method) {
    case 'Call.startOutboundCall': {
      if (!str(p.phoneNumber)) throw new Error('phoneNumber is required');
      const phoneNumber = dialInput(str(p.phoneNumber));
      if (!phoneNumber) throw new Error('phoneNumber is not a number or user ID');
      const callerPhoneNumber = str(p.callerPhoneNumber);
      const id = await a.dial(phoneNumber, { desc: str(p.phoneDesc) || null, ...(callerPhoneNumber ? { callerNumber: callerPhoneNumber } : {}) });
      return { sessionId: id, calleePhoneNumber: phoneNumber, callerPhoneNumber, serverType: 'staffSeat', remark: str(p.phoneDesc) };
    }
    case 'Call.accept': return a.answer(sessionId(p, deps));
    case 'Call.hungUp': {
      const id = sessionId(p, deps);
      const s = deps.sessions().find((x) => x.callId === id);
      return s?.state === 'ringing' && s.direction !== 'outbound' ? a.reject(id) : a.hangup(id);
    }
    case 'Call.muteMic': return a.mute(sessionId(p, deps), true);
    case 'Call.unmuteMic': return a.mute(sessionId(p, deps), false);
    case 'Call.hold': return a.hold(sessionId(p, deps), true);
    case 'Call.unHold':
    case 'Call.unhold': return a.hold(sessionId(p, deps), false);
    case 'Call.transfer': return a.transfer(sessionId(p, deps), transferTarget(p, deps));
    case 'Call.sendDigits': return a.dtmf(sessionId(p, deps), str(p.dtmfText ?? p.digits));
    case 'Call.deleteCall': return a.forget(sessionId(p, deps));
    case 'Agent.setStatus': {
      const s = FROM_SDK_STATUS[str(p.status)];
      if (!s) throw new Error(`unknown status ${str(p.status)} (free, notReady, rest, arrange)`);
      const reason = Number(p.restReasonId ?? p.breakReasonId);
      return deps.setStatus(s, Number.isFinite(reason) && reason > 0 ? reason : null);
    }
    case 'Agent.online': return deps.setStatus('idle');
    case 'Agent.offline': return deps.setStatus('offline');
    default:
      throw new Error(`unknown method ${method}`);
  }
}

export type SdkEvent = { event: 'callIn' | 'callOuted' | 'userAccessed' | 'sessionEnded'; data: Record<string, unknown> };

/** What changed between two session lists, as SDK events. */
export function sessionEvents(before: WbSession[], after: WbSession[]): SdkEvent[] {
  const out: SdkEvent[] = [];
  for (const s of after) {
    const prev = before.find((x) => x.callId === s.callId);
    const base = { sessionId: s.callId, serverType: 'staffSeat', remark: s.desc ?? '' };
    if (!prev && s.state === 'ringing' && s.direction !== 'outbound') {
      out.push({ event: 'callIn', data: { ...base, callerPhoneNumber: s.number, calleePhoneNumber: '', callerLocation: s.location ?? '', skillGroupName: s.skillGroupName ?? '' } });
    }
    if ((!prev || prev.state === 'ringing') && s.state === 'dialing') {
      out.push({ event: 'callOuted', data: { ...base, calleePhoneNumber: s.number, calleeLocation: s.location ?? '' } });
    }
    if (s.state === 'connected' && (!prev || prev.state === 'ringing' || prev.state === 'dialing')) {
      out.push({ event: 'userAccessed', data: { ...base, phoneNumber: s.number } });
    }
    if (s.state === 'ended' && prev && prev.state !== 'ended') {
      out.push({ event: 'sessionEnded', data: { ...base, closeBy: s.endReason ?? '' } });
    }
  }
  return out;
}
