// Form row: label, control, optional hint, and the server's error for this field.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';

interface FieldProps {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
  optional?: boolean;
  children: ReactNode;
  /** id of the control, so the label is clickable */
  htmlFor?: string;
}

export function Field({ label, name, error, hint, optional, children, htmlFor }: FieldProps) {
  const { t } = useI18n();
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label className="field-label" htmlFor={htmlFor}>
        {label}
        {optional && <span className="field-optional">（{t('common.optional')}）</span>}
      </label>
      <div className="field-control">
        {children}
        {error && <div className="field-error" data-testid={`field-error-${name}`} role="alert">{error}</div>}
        {!error && hint && <div className="field-hint">{hint}</div>}
      </div>
    </div>
  );
}

/** A form-level error banner (errors that belong to no single field). */
export function FormError({ message, testId = 'form-error' }: { message?: string; testId?: string }) {
  if (!message) return null;
  return <div className="banner banner-error" role="alert" data-testid={testId}>{message}</div>;
}
