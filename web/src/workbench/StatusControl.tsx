// Status control: 示闲 / 示忙 / 小休 (with the enabled reasons) / 离线, and the 话后整理 countdown with
// 继续整理 and 恢复接待 — all through PUT /agents/{id}/status.
import { useEffect, useState } from 'react';
import { useToast } from '../components/Toast';
import { errorText } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import type { AgentStatusName } from './types';
import type { Workbench } from './useWorkbench';

const LABEL: Record<AgentStatusName, MessageKey> = {
  offline: 'wb.status.offline', idle: 'wb.status.idle', busy: 'wb.status.busy', break: 'wb.status.break', acw: 'wb.status.acw',
};
const DISPATCH: Record<string, MessageKey> = {
  waiting: 'wb.dispatch.waiting', ringing: 'wb.dispatch.ringing', 'in-call': 'wb.dispatch.inCall', reserved: 'wb.dispatch.reserved',
};

/** Seconds left until `endsAt`, ticking every second. */
export function useCountdown(endsAt: number | null): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (endsAt === null) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [endsAt]);
  return endsAt === null ? null : Math.max(0, Math.ceil((endsAt - now) / 1000));
}

export function StatusControl({ w }: { w: Workbench }) {
  const { t } = useI18n();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [reasonsOpen, setReasonsOpen] = useState(false);
  const s = w.status;
  const left = useCountdown(s?.status === 'acw' ? s.acwEndsAt : null);

  const set = async (status: AgentStatusName, reasonId?: number) => {
    setBusy(true);
    setReasonsOpen(false);
    try {
      await w.setStatus(status, reasonId);
    } catch (e) {
      toast.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const label = s ? (s.status === 'break' && s.breakReasonName ? `${t('wb.status.break')} · ${s.breakReasonName}` : t(LABEL[s.status])) : '…';
  const btn = (status: AgentStatusName, testId: string) => (
    <button type="button" className={`btn btn-sm${s?.status === status ? ' btn-on' : ''}`} disabled={busy || !s} data-testid={testId}
      onClick={() => void set(status)}>
      {t(LABEL[status])}
    </button>
  );

  return (
    <div className="wb-status" data-testid="wb-status" data-status={s?.status ?? ''} data-dispatch={s?.dispatch ?? ''}>
      <span className={`wb-dot wb-dot-${s?.status ?? 'offline'}`} aria-hidden="true" />
      <strong data-testid="wb-status-label">{label}</strong>
      {s && s.dispatch !== 'waiting' && <span className="badge badge-warn">{t(DISPATCH[s.dispatch] ?? 'wb.dispatch.waiting')}</span>}
      {w.statusError != null && !s && <span className="text-error small" data-testid="wb-status-error">{errorText(w.statusError, t)}</span>}
      <div className="wb-status-actions">
        {s?.status === 'acw' ? (
          <>
            <span className="wb-acw" data-testid="wb-acw-countdown" data-seconds={left ?? ''}>
              {left === null ? t('wb.acw.manual') : t('wb.acw.left', { seconds: left })}
            </span>
            <button type="button" className="btn btn-sm" disabled={busy} data-testid="wb-acw-extend" onClick={() => void set('acw')}>{t('wb.acw.extend')}</button>
            <button type="button" className="btn btn-sm btn-primary" disabled={busy} data-testid="wb-acw-resume" onClick={() => void set('idle')}>{t('wb.acw.resume')}</button>
          </>
        ) : (
          <>
            {btn('idle', 'wb-status-idle')}
            {btn('busy', 'wb-status-busy')}
            <span className="wb-menu-anchor">
              <button type="button" className={`btn btn-sm${s?.status === 'break' ? ' btn-on' : ''}`} disabled={busy || !s || !w.breakReasons.length}
                data-testid="wb-status-break" aria-expanded={reasonsOpen} onClick={() => setReasonsOpen((o) => !o)}
                title={w.breakReasons.length ? undefined : t('wb.break.none')}>
                {t('wb.status.break')} ▾
              </button>
              {reasonsOpen && (
                <ul className="wb-menu" data-testid="wb-break-reasons" role="menu">
                  {w.breakReasons.map((r) => (
                    <li key={r.id}>
                      <button type="button" role="menuitem" data-testid={`wb-break-reason-${r.id}`} onClick={() => void set('break', r.id)}>{r.name}</button>
                    </li>
                  ))}
                </ul>
              )}
            </span>
            {btn('offline', 'wb-status-offline')}
          </>
        )}
      </div>
    </div>
  );
}
