// Shared bits of the 通话设置 pages: a loaded-then-edited settings object with save, and small form rows.
import { useState, type ReactNode } from 'react';
import { Switch } from '../../components/CheckList';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';

export interface Editable<T> {
  value: T | undefined;
  set: (v: T) => void;
  save: () => Promise<void>;
  busy: boolean;
  dirty: boolean;
  loadError: unknown;
  /** The server's error for a field path (e.g. `prompt.text`), else a form-level one. */
  error: { field?: string; message: string } | null;
}

export function useEditable<T>(load: () => Promise<T>, save: (v: T) => Promise<T>, fields: readonly string[] = []): Editable<T> {
  const { t } = useI18n();
  const toast = useToast();
  const loaded = useLoad(load, []);
  const [edit, setEdit] = useState<T | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const value = edit ?? loaded.data;
  return {
    value,
    set: setEdit,
    busy,
    dirty: edit !== undefined,
    loadError: loaded.error,
    error,
    save: async () => {
      if (value === undefined) return;
      setBusy(true);
      setError(null);
      try {
        setEdit(await save(value));
        toast.success(t('common.saved'));
      } catch (x) {
        const fe = fieldError(x, t, fields);
        setError(fe.field ? fe : { message: errorText(x, t) });
        toast.error(fe.message);
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A labelled row of a settings card. */
export function Row({ label, hint, children, error, testId }: { label: ReactNode; hint?: ReactNode; children: ReactNode; error?: string; testId?: string }) {
  return (
    <div className={error ? 'field has-error' : 'field'} data-testid={testId}>
      <span className="field-label">{label}</span>
      <div className="field-control">
        {children}
        {error ? <div className="field-error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>{error}</div> : hint && <div className="field-hint">{hint}</div>}
      </div>
    </div>
  );
}

export function Toggle({ checked, onChange, label, testId }: { checked: boolean; onChange: (v: boolean) => void; label: string; testId: string }) {
  return (
    <div className="check-inline">
      <Switch checked={checked} onChange={onChange} label={label} testId={testId} />
      <span>{label}</span>
    </div>
  );
}

/** Whole seconds in [min, max] from a number input (empty → min). */
export function Seconds({ value, onChange, min, max, testId }: { value: number; onChange: (n: number) => void; min: number; max: number; testId: string }) {
  return (
    <input type="number" className="input-narrow" min={min} max={max} step={1} value={value}
      onChange={(e) => onChange(e.target.value === '' ? min : Math.round(Number(e.target.value)))} data-testid={testId} />
  );
}

export function SaveBar({ e, testId }: { e: Pick<Editable<unknown>, 'busy' | 'value' | 'error' | 'save'>; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="form-actions form-actions-left">
      {e.error && !e.error.field && <span className="field-error" role="alert" data-testid={`${testId}-error`}>{e.error.message}</span>}
      <button type="button" className="btn btn-primary" disabled={e.busy || e.value === undefined} onClick={() => void e.save()} data-testid={testId}>{t('common.save')}</button>
    </div>
  );
}
