// The workbench's controller, shared by the full page and the SDK's call bar: context (screen pops, the box's
// ID, colleagues), the agent's status and queues (polled), sessions from the socket's events, the ringing
// sound, and the call actions — every one through the control API (POST /api/v1/calls…).
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Me } from '../api-auth';
import { settingsApi, type BreakReason } from '../api-settings';
import { useInterval } from '../hooks';
import { currentLang } from '../i18n';
import { Ringtone } from './ringtone';
import { currentSession, sessionsReducer } from './sessions';
import { useSoftphone, type SoftphoneHandle } from './useSoftphone';
import { wb } from './wb-api';
import type { AgentStatusName, AgentStatusView, QueueSummary, SessionCard, TransferTarget, WbSession, WorkbenchContext } from './types';

const POLL_MS = 5_000;

export interface CallActions {
  dial: (number: string, o?: { desc?: string | null; callerNumber?: string; internal?: boolean }) => Promise<string>;
  answer: (callId: string) => Promise<void>;
  reject: (callId: string) => Promise<void>;
  hangup: (callId: string) => Promise<void>;
  hold: (callId: string, held: boolean) => Promise<void>;
  mute: (callId: string, muted: boolean) => Promise<void>;
  transfer: (callId: string, target: TransferTarget) => Promise<void>;
  dtmf: (callId: string, digits: string) => Promise<void>;
  /** 添加至黑名单 the customer of one of the agent's calls. */
  blacklist: (callId: string) => Promise<void>;
  /** 自助服务: the customer goes to a self-service flow. */
  selfService: (callId: string, selfServiceId: number) => Promise<void>;
  addCard: (callId: string, card: Omit<SessionCard, 'at'>) => void;
  forget: (callId: string) => void;
}

export interface Workbench {
  me: Me;
  ctx: WorkbenchContext | null;
  ctxError: unknown;
  status: AgentStatusView | null;
  statusError: unknown;
  setStatus: (s: AgentStatusName, breakReasonId?: number | null) => Promise<void>;
  refreshStatus: () => void;
  breakReasons: BreakReason[];
  queues: QueueSummary[] | null;
  queuesError: unknown;
  sessions: WbSession[];
  current: WbSession | null;
  actions: CallActions;
  phone: SoftphoneHandle;
  ringtone: Ringtone;
  /** 'replaced' (another page took over) or 'ended' (logged out elsewhere, forced offline). */
  closedBy: 'replaced' | 'ended' | null;
  /** Bumped whenever a session ends or a remark is saved (recent calls reload). */
  endedCount: number;
  /** Recent calls changed on the box (a remark saved). */
  touchRecent: () => void;
}

export function useWorkbench(me: Me): Workbench {
  const [ctx, setCtx] = useState<WorkbenchContext | null>(null);
  const [ctxError, setCtxError] = useState<unknown>(null);
  const [status, setStatusView] = useState<AgentStatusView | null>(null);
  const [statusError, setStatusError] = useState<unknown>(null);
  const [breakReasons, setBreakReasons] = useState<BreakReason[]>([]);
  const [queues, setQueues] = useState<QueueSummary[] | null>(null);
  const [queuesError, setQueuesError] = useState<unknown>(null);
  const [sessions, dispatch] = useReducer(sessionsReducer, []);
  const [closedBy, setClosedBy] = useState<'replaced' | 'ended' | null>(null);
  const ringtone = useMemo(() => new Ringtone(), []);
  const autoAnswered = useRef(new Set<string>());

  const loadStatus = useCallback(() => {
    wb.status(me.id).then((s) => (setStatusView(s), setStatusError(null)), setStatusError);
  }, [me.id]);
  const loadQueues = useCallback(() => {
    wb.queues().then((q) => (setQueues(q), setQueuesError(null)), setQueuesError);
  }, []);

  useEffect(() => {
    wb.context().then(setCtx, setCtxError);
    settingsApi.statusSettings().then((s) => setBreakReasons(s.breakReasons.filter((r) => r.enabled)), () => undefined);
    loadStatus();
    loadQueues();
    return () => ringtone.close();
  }, [loadStatus, loadQueues, ringtone]);
  useInterval(() => {
    loadStatus();
    loadQueues();
  }, POLL_MS);

  /** 归属地 for a session whose event did not carry one (region and carrier, e.g. 北京市 中国移动). */
  const locate = useCallback((callId: string, number: string) => {
    if (!/^\+?\d{7,20}$/.test(number)) return;
    wb.numberInfo(number, currentLang() === 'en' ? 'en' : 'zh').then((i) => {
      const location = [i.location, i.carrier].filter(Boolean).join(' ');
      if (location) dispatch({ type: 'location', callId, location });
    }, () => undefined);
  }, []);

  const onEvent = useCallback((event: string, data: Record<string, unknown>) => {
    const at = Date.now();
    switch (event) {
      case 'incoming':
      case 'callOffer': {
        dispatch({ type: 'offer', data, at });
        const number = String(data.callerNumber ?? data.number ?? data.caller ?? '');
        // The box adds 归属地 (from the real number, which the agent may not see); older boxes leave it to the page.
        if (typeof data.callId === 'string' && !('location' in data)) locate(data.callId, number);
        // 呼入自动接听: the box answers for the agent; asking again is harmless and covers a box that waits for it.
        const callId = typeof data.callId === 'string' ? data.callId : null;
        if (data.autoAnswer === true && callId && !autoAnswered.current.has(callId)) {
          autoAnswered.current.add(callId);
          void wb.answer(callId).catch(() => undefined);
        }
        loadStatus();
        break;
      }
      case 'callOfferEnded':
        if (typeof data.callId === 'string') dispatch({ type: 'offerEnded', callId: data.callId, reason: String(data.reason ?? ''), at });
        loadStatus();
        break;
      case 'callState':
        dispatch({ type: 'callState', data, at });
        loadStatus();
        break;
      case 'replaced':
        setClosedBy('replaced');
        break;
      case 'sessionEnded':
        setClosedBy('ended');
        break;
    }
  }, [loadStatus, locate]);

  const phone = useSoftphone(!!me.staffNo && closedBy === null, onEvent);

  // Ring while an inbound call rings and nobody answers for the agent.
  const ringing = sessions.some((s) => s.state === 'ringing' && s.direction !== 'outbound' && !s.autoAnswer);
  useEffect(() => {
    if (ringing) ringtone.start();
    else ringtone.stop();
  }, [ringing, ringtone]);
  useEffect(() => ringtone.setSink(phone.outputId), [phone.outputId, ringtone]);

  const [recentTick, setRecentTick] = useState(0);
  const touchRecent = useCallback(() => setRecentTick((n) => n + 1), []);
  const endedCount = sessions.filter((s) => s.state === 'ended').length + recentTick;

  const setStatus = useCallback(async (s: AgentStatusName, breakReasonId?: number | null) => {
    const view = await wb.setStatus(me.id, s, breakReasonId);
    setStatusView(view);
    setStatusError(null);
  }, [me.id]);

  const local = (callId: string, patch: Partial<Pick<WbSession, 'muted' | 'state'>>) => dispatch({ type: 'local', callId, patch, at: Date.now() });

  const actions = useMemo<CallActions>(() => ({
    dial: async (number, o = {}) => {
      const r = await wb.dial({ to: number, ...(o.callerNumber ? { callerNumber: o.callerNumber } : {}) });
      dispatch({
        type: 'dialing', callId: r.callId, number, desc: o.desc ?? null, direction: o.internal ? 'internal' : 'outbound', location: r.location ?? null, at: Date.now(),
      });
      if (!r.location && !o.internal) locate(r.callId, number);
      loadStatus();
      return r.callId;
    },
    answer: async (callId) => {
      await wb.answer(callId);
      local(callId, { state: 'connected' });
    },
    reject: async (callId) => {
      await wb.reject(callId);
      local(callId, { state: 'ended' });
      loadStatus();
    },
    hangup: async (callId) => {
      await wb.hangup(callId);
      local(callId, { state: 'ended' });
      loadStatus();
    },
    hold: async (callId, held) => {
      await (held ? wb.hold(callId) : wb.unhold(callId));
      local(callId, { state: held ? 'held' : 'connected' });
    },
    mute: async (callId, muted) => {
      await (muted ? wb.mute(callId) : wb.unmute(callId));
      // The box mutes the agent's leg; the microphone producer pauses too so nothing leaves the PC.
      await phone.setMuted(muted).catch(() => undefined);
      local(callId, { muted });
    },
    transfer: async (callId, target) => {
      await wb.transfer(callId, target);
      local(callId, { state: 'ended' });
      loadStatus();
    },
    dtmf: async (callId, digits) => {
      await wb.dtmf(callId, digits);
    },
    blacklist: async (callId) => {
      await wb.blacklist(callId);
    },
    selfService: async (callId, selfServiceId) => {
      await wb.selfService(callId, selfServiceId);
    },
    addCard: (callId, card) => dispatch({ type: 'card', callId, card: { ...card, at: Date.now() } }),
    forget: (callId) => dispatch({ type: 'forget', callId }),
  }), [loadStatus, locate, phone.setMuted]);

  return {
    me, ctx, ctxError, status, statusError, setStatus, refreshStatus: loadStatus, breakReasons, queues, queuesError,
    sessions, current: currentSession(sessions), actions, phone, ringtone, closedBy, endedCount, touchRecent,
  };
}
