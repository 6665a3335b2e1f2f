// 您所在的技能组排队情况: waiting callers per group of the agent (GET /queues, refreshed every few seconds).
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import type { QueueSummary } from './types';

const mmss = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export function QueuePanel({ queues, error }: { queues: QueueSummary[] | null; error: unknown }) {
  const { t } = useI18n();
  return (
    <section className="card wb-card" data-testid="wb-queues">
      <h3 className="wb-card-title">{t('wb.queues.title')}</h3>
      {error != null && !queues && <div className="small text-error">{errorText(error, t)}</div>}
      {queues && queues.length === 0 && <div className="muted small">{t('wb.queues.none')}</div>}
      {queues && queues.length > 0 && (
        <table className="table table-compact">
          <thead>
            <tr>
              <th>{t('wb.queues.group')}</th>
              <th className="num">{t('wb.queues.waiting')}</th>
              <th className="num">{t('wb.queues.longest')}</th>
              <th className="num">{t('wb.queues.idle')}</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.skillGroupId ?? q.name} data-testid={`wb-queue-${q.skillGroupId ?? 'none'}`} data-waiting={q.waiting}>
                <td>{q.name}</td>
                <td className="num"><strong className={q.waiting > 0 ? 'text-error' : ''}>{q.waiting}</strong></td>
                <td className="num">{q.waiting > 0 ? mmss(q.longestWaitMs) : '—'}</td>
                <td className="num">{q.idleAgents}/{q.onlineAgents}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
