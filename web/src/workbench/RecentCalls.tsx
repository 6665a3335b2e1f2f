// The agent's own recent calls from the call records (GET /records/calls?agentId=…), reloaded after each call.
import { useCallback, useEffect, useState } from 'react';
import { errorText, formatTime, useInterval } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import type { RecentCall } from './types';
import { wb } from './wb-api';

const DIR: Record<RecentCall['direction'], MessageKey> = { inbound: 'wb.dir.inbound', outbound: 'wb.dir.outbound', internal: 'wb.dir.internal' };

export function RecentCalls({ agentId, reloadKey, onDial }: { agentId: number; reloadKey: number; onDial: (n: string) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<RecentCall[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    wb.recentCalls(agentId).then((r) => (setRows(r), setError(null)), setError);
  }, [agentId]);
  useEffect(load, [load, reloadKey]);
  // The record of a call is written a moment after it ends: look again now and then.
  useInterval(load, 30_000);
  return (
    <section className="card wb-card" data-testid="wb-recent">
      <h3 className="wb-card-title">{t('wb.recent.title')}</h3>
      {error != null && <div className="small muted" data-testid="wb-recent-error">{errorText(error, t)}</div>}
      {rows && rows.length === 0 && <div className="small muted">{t('common.empty')}</div>}
      <ul className="wb-session-list">
        {(rows ?? []).map((r) => {
          const other = r.direction === 'inbound' ? r.caller : r.callee;
          return (
            <li key={r.id} data-testid="wb-recent-row">
              <div className="wb-session-line">
                <strong className="mono">{other}</strong>
                <button type="button" className="link" onClick={() => onDial(other)}>{t('wb.after.redial')}</button>
              </div>
              <div className="small muted">{t(DIR[r.direction] ?? 'wb.dir.inbound')} · {formatTime(r.startedAt)}{r.endStatusText ? ` · ${r.endStatusText}` : ''}</div>
              {r.remark && <div className="small">{r.remark}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
