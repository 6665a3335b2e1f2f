// 批量导入: template links, file picker, upload, then poll the job every 300 ms with a progress bar;
// a failed import lists row-numbered errors and imported nothing.
import { useEffect, useRef, useState } from 'react';
import { ApiError, type ImportRowError } from '../api';
import { directoryApi, type Job } from '../api-directory';
import { Modal } from '../components/Modal';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { localizeServerMessage } from '../i18n/server-message';

const POLL_MS = 300;
type Phase = 'pick' | 'running' | 'failed' | 'done';

/** The job's result shape is not fixed by the contract; take the first count it offers. */
function importedCount(job: Job): number {
  const r = (job.result ?? {}) as Record<string, unknown>;
  for (const k of ['imported', 'created', 'count', 'total']) if (typeof r[k] === 'number') return r[k] as number;
  if (typeof job.result === 'number') return job.result;
  return job.done || job.total;
}

function mailFailures(job: Job): { staffNo: string; message: string }[] {
  const r = job.result as { mailFailures?: { staffNo: string; message: string }[] } | undefined;
  return Array.isArray(r?.mailFailures) ? r.mailFailures : [];
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('pick');
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<{ message: string; rows: ImportRowError[] } | null>(null);
  const [pickError, setPickError] = useState('');
  const alive = useRef(true);

  useEffect(() => () => {
    alive.current = false;
  }, []);

  const fail = (message: string, rows: ImportRowError[] = []) => {
    setFailure({ message, rows });
    setPhase('failed');
  };

  const poll = async (jobId: string) => {
    while (alive.current) {
      let j: Job;
      try {
        j = await directoryApi.job(jobId);
      } catch (x) {
        return fail(errorText(x, t));
      }
      if (!alive.current) return;
      setJob(j);
      if (j.state === 'failed') return fail(localizeServerMessage(j.error?.message ?? '', lang), j.error?.rows ?? []);
      if (j.state === 'done') {
        setPhase('done');
        onImported();
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const upload = async () => {
    if (!file) return;
    setPhase('running');
    setJob(null);
    setFailure(null);
    try {
      const { jobId } = await directoryApi.importAgents(file);
      await poll(jobId);
    } catch (x) {
      fail(errorText(x, t), x instanceof ApiError ? x.rows ?? [] : []);
    }
  };

  const pick = (f: File | null) => {
    setPickError('');
    if (f && !/\.(csv|xlsx)$/i.test(f.name)) {
      setPickError(t('import.badType'));
      setFile(null);
      return;
    }
    setFile(f);
    setPhase('pick');
    setFailure(null);
  };

  const total = job?.total ?? 0;
  const done = job?.done ?? 0;
  const pct = total > 0 ? Math.round((done / total) * 100) : Math.round((job?.progress ?? 0) * 100);

  return (
    <Modal title={t('import.title')} onClose={onClose} testId="import-dialog" wide>
      <ol className="steps">
        <li>
          <p>{t('import.step1')}</p>
          <div className="row-gap">
            <a className="btn btn-sm" href={directoryApi.importTemplateUrl('csv')} download data-testid="import-template-csv">
              {t('import.templateCsv')}
            </a>
            <a className="btn btn-sm" href={directoryApi.importTemplateUrl('xlsx')} download data-testid="import-template-xlsx">
              {t('import.templateXlsx')}
            </a>
          </div>
        </li>
        <li>
          <p>{t('import.step2')}</p>
          <div className="row-gap">
            <input
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => pick(e.target.files?.[0] ?? null)}
              disabled={phase === 'running'}
              data-testid="import-file"
            />
            <button
              type="button"
              className="btn btn-primary"
              disabled={!file || phase === 'running'}
              onClick={() => void upload()}
              data-testid="import-upload"
            >
              {phase === 'failed' ? t('import.again') : t('import.upload')}
            </button>
          </div>
          {pickError && <div className="field-error">{pickError}</div>}
        </li>
      </ol>

      {(phase === 'running' || (phase === 'done' && job)) && (
        <div className="progress-wrap" data-testid="import-progress" data-done={done} data-total={total}>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total || 100} aria-valuenow={total ? done : pct}>
            <div className="progress-bar" style={{ width: `${pct}%` }} />
          </div>
          <span className="muted">{t('import.progress', { done, total })}</span>
        </div>
      )}

      {phase === 'done' && job && (
        <div className="banner banner-ok" role="status" data-testid="import-success">
          {t('import.success', { count: importedCount(job) })}
        </div>
      )}
      {phase === 'done' && job && mailFailures(job).length > 0 && (
        <div className="banner banner-error" data-testid="import-mail-failures">
          <div>{t('import.mailFailures')}</div>
          {mailFailures(job).map((f) => <div key={f.staffNo}>{f.staffNo}: {f.message}</div>)}
        </div>
      )}

      {phase === 'failed' && failure && (
        <div data-testid="import-failed">
          <div className="banner banner-error" role="alert">
            <div>{t('import.failed')}</div>
            {failure.message && <div className="muted-strong">{failure.message}</div>}
          </div>
          {failure.rows.length > 0 && (
            <div className="scroll-box">
              <table className="table table-compact" data-testid="import-errors">
                <thead>
                  <tr><th>{t('import.row')}</th><th>{t('import.field')}</th><th>{t('import.message')}</th></tr>
                </thead>
                <tbody>
                  {failure.rows.map((r, i) => (
                    <tr key={`${r.row}-${r.field}-${i}`} data-testid={`import-error-row-${r.row}`}>
                      <td>{r.row}</td>
                      <td>{r.field}</td>
                      <td>{localizeServerMessage(r.message, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Modal>
  );
}
