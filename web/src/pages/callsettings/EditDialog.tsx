// The edit half of the 通话设置 list pages: a dialog with 取消/保存 whose save shows the server's error beside its
// field (or above the form), toasts 已保存 and hands back to the list.
import { useState, type ReactNode } from 'react';
import { FormError } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { fieldError } from '../../hooks';
import { useI18n } from '../../i18n';

type FormErr = { field?: string; message: string } | null;

export interface DialogForm {
  err: FormErr;
  busy: boolean;
  /** The error for a field or a path under it (`prompt` also shows `prompt.text`). */
  fe: (field: string) => string | undefined;
  /** A check made in the page before asking the server. */
  fail: (field: string, message: string) => void;
  /** Runs the save: 已保存 and `onSaved` on success, else the error beside its field (one of `fields`). */
  submit: (save: () => Promise<unknown>) => Promise<void>;
}

export function useDialogForm(fields: readonly string[], onSaved: () => void): DialogForm {
  const { t } = useI18n();
  const toast = useToast();
  const [err, setErr] = useState<FormErr>(null);
  const [busy, setBusy] = useState(false);
  return {
    err,
    busy,
    fe: (f) => (err?.field?.startsWith(f) ? err.message : undefined),
    fail: (field, message) => setErr({ field, message }),
    submit: async (save) => {
      setBusy(true);
      setErr(null);
      try {
        await save();
        toast.success(t('common.saved'));
        onSaved();
      } catch (x) {
        setErr(fieldError(x, t, fields));
      } finally {
        setBusy(false);
      }
    },
  };
}

interface EditDialogProps {
  title: ReactNode;
  /** test-id prefix: `<prefix>-dialog`, `<prefix>-save` */
  prefix: string;
  form: DialogForm;
  onSave: () => void;
  onClose: () => void;
  /** test id of the form-level error (FormError's default when absent) */
  errorTestId?: string;
  wide?: boolean;
  children: ReactNode;
}

export function EditDialog({ title, prefix, form, onSave, onClose, errorTestId, wide, children }: EditDialogProps) {
  const { t } = useI18n();
  return (
    <Modal title={title} onClose={onClose} testId={`${prefix}-dialog`} wide={wide}
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" disabled={form.busy} onClick={onSave} data-testid={`${prefix}-save`}>{t('common.save')}</button>
        </>
      )}>
      <div className="form">
        <FormError message={form.err && !form.err.field ? form.err.message : undefined} testId={errorTestId} />
        {children}
      </div>
    </Modal>
  );
}
