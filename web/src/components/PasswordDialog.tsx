// Change one's own password (PUT /auth/password).
import { useState, type FormEvent } from 'react';
import { authApi } from '../api-auth';
import { fieldError } from '../hooks';
import { useI18n } from '../i18n';
import { Field, FormError } from './Field';
import { Modal } from './Modal';
import { useToast } from './Toast';

const FIELDS = ['oldPassword', 'newPassword'] as const;

export function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [again, setAgain] = useState('');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (newPassword !== again) return setErr({ field: 'again', message: t('pwd.mismatch') });
    setBusy(true);
    try {
      await authApi.changePassword(oldPassword, newPassword);
      toast.success(t('pwd.changed'));
      onClose();
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const fe = (f: string) => (err?.field === f ? err.message : undefined);
  return (
    <Modal title={t('top.changePassword')} onClose={onClose} testId="password-dialog">
      <form onSubmit={submit} className="form">
        <FormError message={err && !err.field ? err.message : undefined} />
        <Field label={t('pwd.old')} name="oldPassword" error={fe('oldPassword')} htmlFor="pwd-old">
          <input id="pwd-old" type="password" autoComplete="current-password" required value={oldPassword}
            onChange={(e) => setOld(e.target.value)} data-testid="pwd-old" />
        </Field>
        <Field label={t('pwd.new')} name="newPassword" error={fe('newPassword')} htmlFor="pwd-new">
          <input id="pwd-new" type="password" autoComplete="new-password" required value={newPassword}
            onChange={(e) => setNew(e.target.value)} data-testid="pwd-new" />
        </Field>
        <Field label={t('pwd.confirm')} name="again" error={fe('again')} htmlFor="pwd-again">
          <input id="pwd-again" type="password" autoComplete="new-password" required value={again}
            onChange={(e) => setAgain(e.target.value)} data-testid="pwd-again" />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="pwd-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
