// 录音保存期限: how many days call records and recordings are kept (0 = forever / as long as the record).
import { useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { fieldError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { recordsApi, type Retention } from './records-api';

function Form({ initial, onClose }: { initial: Retention; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [recordDays, setRecordDays] = useState(String(initial.recordDays));
  const [recordingDays, setRecordingDays] = useState(String(initial.recordingDays));
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = Number(recordDays);
    const f = Number(recordingDays);
    for (const [name, v] of [['recordDays', r], ['recordingDays', f]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 3650) return setErr({ field: name, message: t('rec.retentionRule') });
    }
    setBusy(true);
    setErr(null);
    try {
      await recordsApi.putRetention({ recordDays: r, recordingDays: f });
      toast.success(t('common.saved'));
      onClose();
    } catch (x) {
      setErr(fieldError(x, t, ['recordDays', 'recordingDays']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={err && !err.field ? err.message : undefined} testId="rec-retention-error" />
      <p className="muted">{t('rec.retentionHint')}</p>
      <Field label={t('rec.retentionRecords')} name="recordDays" error={fe('recordDays')} hint={t('rec.retentionRecordsHint')} htmlFor="rec-ret-records">
        <input id="rec-ret-records" className="input-narrow" inputMode="numeric" value={recordDays} onChange={(e) => setRecordDays(e.target.value)} data-testid="rec-retention-records" />
      </Field>
      <Field label={t('rec.retentionRecordings')} name="recordingDays" error={fe('recordingDays')} hint={t('rec.retentionRecordingsHint')} htmlFor="rec-ret-recordings">
        <input id="rec-ret-recordings" className="input-narrow" inputMode="numeric" value={recordingDays} onChange={(e) => setRecordingDays(e.target.value)} data-testid="rec-retention-recordings" />
      </Field>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rec-retention-save">{t('common.save')}</button>
      </div>
    </form>
  );
}

export function RetentionDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const current = useLoad(() => recordsApi.retention(), []);
  return (
    <Modal title={t('rec.retention')} onClose={onClose} testId="rec-retention-dialog">
      {current.error != null && <FormError message={fieldError(current.error, t, []).message} />}
      {current.data ? <Form initial={current.data} onClose={onClose} /> : !current.error && <p className="muted">{t('common.loading')}</p>}
    </Modal>
  );
}
