// The page's sessions (服务中 / 已结束) as a pure reducer over what the box pushes (callOffer/incoming,
// callOfferEnded, callState) and what the agent did (dial, answer, mute, hold, cards from a screen pop).
import type { SessionCard, SessionState, WbSession } from './types';

export type SessionAction =
  | { type: 'offer'; data: Record<string, unknown>; at: number }
  | { type: 'offerEnded'; callId: string; reason: string; at: number }
  | { type: 'callState'; data: Record<string, unknown>; at: number }
  | { type: 'dialing'; callId: string; number: string; desc: string | null; direction: WbSession['direction']; location: string | null; at: number }
  | { type: 'local'; callId: string; patch: Partial<Pick<WbSession, 'muted' | 'state'>>; at: number }
  | { type: 'card'; callId: string; card: SessionCard }
  | { type: 'location'; callId: string; location: string }
  | { type: 'forget'; callId: string };

const MAX_ENDED = 50;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function blank(callId: string, at: number): WbSession {
  return {
    callId, offerId: null, direction: 'inbound', number: '', desc: null, callerName: null, location: null, customerRemark: null, skillGroupName: null,
    state: 'ringing', startedAt: at, answeredAt: null, endedAt: null, endReason: null, muted: false, aside: null, autoAnswer: false, data: {}, cards: [],
  };
}

function upsert(list: WbSession[], callId: string, at: number, fn: (s: WbSession) => WbSession): WbSession[] {
  const i = list.findIndex((s) => s.callId === callId);
  const next = fn(i >= 0 ? list[i]! : blank(callId, at));
  const out = i >= 0 ? list.map((s, j) => (j === i ? next : s)) : [next, ...list];
  // Keep every live session and the newest ended ones.
  let ended = 0;
  return out.filter((s) => s.state !== 'ended' || ++ended <= MAX_ENDED);
}

function end(s: WbSession, at: number, reason: string | null): WbSession {
  return s.state === 'ended' ? s : { ...s, state: 'ended', endedAt: at, endReason: reason ?? s.endReason };
}

/** The box's call states, and the names the call layer may use for them. */
function stateOf(v: unknown): SessionState | null {
  switch (v) {
    case 'ringing': case 'alerting': return 'ringing';
    case 'dialing': case 'setup': case 'calling': return 'dialing';
    case 'connected': case 'answered': case 'active': case 'unheld': return 'connected';
    case 'held': case 'hold': return 'held';
    case 'ended': case 'hungup': case 'closed': return 'ended';
    default: return null;
  }
}

export function sessionsReducer(list: WbSession[], a: SessionAction): WbSession[] {
  switch (a.type) {
    case 'offer': {
      const d = a.data;
      const callId = str(d.callId);
      if (!callId) return list;
      const number = str(d.callerNumber) ?? str(d.number) ?? str(d.caller) ?? '';
      return upsert(list, callId, a.at, (s) => ({
        ...s,
        offerId: str(d.offerId) ?? s.offerId,
        direction: d.direction === 'internal' ? 'internal' : 'inbound',
        number,
        callerName: str(d.callerName) ?? (str(d.caller) !== number ? str(d.caller) : null),
        location: str(d.location) ?? str(d.callerLocation),
        customerRemark: str(d.customerRemark),
        skillGroupName: str(d.skillGroupName) ?? str(d.skillGroup),
        autoAnswer: d.autoAnswer === true,
        data: d.data && typeof d.data === 'object' ? (d.data as Record<string, string>) : {},
        state: 'ringing',
        startedAt: s.state === 'ended' ? a.at : s.startedAt,
        endedAt: null,
        endReason: null,
      }));
    }
    case 'offerEnded':
      return list.some((s) => s.callId === a.callId && s.state === 'ringing')
        ? upsert(list, a.callId, a.at, (s) => end(s, a.at, a.reason))
        : list;
    case 'callState': {
      const d = a.data;
      const callId = str(d.callId);
      if (callId && (d.state === 'selfService' || d.state === 'digits')) {
        return list.some((s) => s.callId === callId) ? upsert(list, callId, a.at, (s) => ({ ...s, aside: String(d.state) })) : list;
      }
      const state = stateOf(d.state);
      if (!callId || !state) return list;
      return upsert(list, callId, a.at, (s) => {
        const base = { ...s, number: s.number || (str(d.number) ?? str(d.callerNumber) ?? str(d.callee) ?? ''), location: s.location ?? str(d.location) };
        if (state === 'ended') return end(base, a.at, str(d.reason) ?? str(d.cause));
        return {
          ...base,
          state,
          answeredAt: state === 'connected' && !base.answeredAt ? a.at : base.answeredAt,
          muted: typeof d.muted === 'boolean' ? d.muted : base.muted,
          aside: null,
        };
      });
    }
    case 'dialing':
      return upsert(list, a.callId, a.at, (s) => ({
        ...s, direction: a.direction, number: a.number, desc: a.desc, location: a.location, state: s.state === 'ringing' ? 'dialing' : s.state,
      }));
    case 'local':
      return list.some((s) => s.callId === a.callId)
        ? upsert(list, a.callId, a.at, (s) => {
          if (a.patch.state === 'ended') return end(s, a.at, null);
          const next = { ...s, ...a.patch };
          if (a.patch.state === 'connected' && !s.answeredAt) next.answeredAt = a.at;
          return next;
        })
        : list;
    case 'card':
      return list.some((s) => s.callId === a.callId) ? upsert(list, a.callId, 0, (s) => ({ ...s, cards: [...s.cards, a.card] })) : list;
    case 'location':
      return list.some((s) => s.callId === a.callId && !s.location) ? upsert(list, a.callId, 0, (s) => ({ ...s, location: a.location })) : list;
    case 'forget':
      return list.filter((s) => s.callId !== a.callId);
  }
}

export const isLive = (s: WbSession): boolean => s.state !== 'ended';

/** The session the toolbar acts on: a connected/held call first, else one that rings or dials. */
export function currentSession(list: WbSession[]): WbSession | null {
  return list.find((s) => s.state === 'connected' || s.state === 'held')
    ?? list.find((s) => s.state === 'dialing')
    ?? list.find((s) => s.state === 'ringing')
    ?? null;
}
