// 邮件服务器: the SMTP relay used to mail agents' passwords. The password is write-only.
import { useState, type FormEvent } from 'react';
import { settingsApi, type SmtpInput, type SmtpSettings } from '../api-settings';
import { Field, FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { useToast } from '../components/Toast';
import { errorText, fieldError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

const FIELDS = ['host', 'port', 'secure', 'user', 'password', 'from', 'allowSelfSigned'] as const;

export function SmtpPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => settingsApi.smtp(), []);
  return (
    <>
      <PageHeader title={t('nav.smtp')}>{t('smtp.hint')}</PageHeader>
      <section className="card">
        {loaded.error != null && <div className="banner banner-error" role="alert">{errorText(loaded.error, t)}</div>}
        {loaded.loading && loaded.data === undefined && <p className="muted">{t('common.loading')}</p>}
        {/* The form appears once the stored values are in, so nothing typed is overwritten. */}
        {loaded.data !== undefined && <SmtpForm initial={loaded.data} />}
      </section>
    </>
  );
}

function SmtpForm({ initial: s }: { initial: SmtpSettings | null }) {
  const { t } = useI18n();
  const toast = useToast();
  const [form, setForm] = useState({
    host: s?.host ?? '', port: String(s?.port ?? 465), secure: s?.secure ?? true, user: s?.user ?? '', password: '',
    from: s?.from ?? '', allowSelfSigned: !!s?.allowSelfSigned,
  });
  const [passwordSet, setPasswordSet] = useState(!!s?.passwordSet);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (k: 'host' | 'port' | 'user' | 'password' | 'from') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = (['host', 'port', 'from'] as const).find((k) => !form[k].trim());
    if (missing) return setErr({ field: missing, message: t('error.required') });
    setBusy(true);
    setErr(null);
    const body: SmtpInput = {
      host: form.host.trim(), port: Number(form.port), secure: form.secure, from: form.from.trim(),
      user: form.user.trim() || null, allowSelfSigned: form.allowSelfSigned,
    };
    if (form.password) body.password = form.password;
    try {
      const saved = await settingsApi.putSmtp(body);
      toast.success(t('common.saved'));
      setPasswordSet(saved && typeof saved.passwordSet === 'boolean' ? saved.passwordSet : passwordSet || !!form.password);
      setForm((f) => ({ ...f, password: '' }));
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-page" onSubmit={submit} noValidate data-testid="smtp-form">
      <FormError message={err && !err.field ? err.message : undefined} testId="smtp-error" />
      <Field label={t('smtp.host')} name="host" error={fe('host')} htmlFor="smtp-host">
        <input id="smtp-host" value={form.host} onChange={set('host')} placeholder="smtp.example.com" data-testid="smtp-host" />
      </Field>
      <Field label={t('smtp.port')} name="port" error={fe('port')} htmlFor="smtp-port">
        <input id="smtp-port" type="number" min={1} max={65535} className="input-narrow" value={form.port}
          onChange={set('port')} data-testid="smtp-port" />
      </Field>
      <Field label="TLS" name="secure" error={fe('secure')}>
        <label className="check-inline">
          <input type="checkbox" checked={form.secure} onChange={(e) => setForm((f) => ({ ...f, secure: e.target.checked }))}
            data-testid="smtp-secure" />
          {t('smtp.secure')}
        </label>
        <label className="check-inline">
          <input type="checkbox" checked={form.allowSelfSigned}
            onChange={(e) => setForm((f) => ({ ...f, allowSelfSigned: e.target.checked }))} data-testid="smtp-allow-self-signed" />
          {t('smtp.allowSelfSigned')}
        </label>
      </Field>
      <Field label={t('smtp.user')} name="user" optional error={fe('user')} htmlFor="smtp-user">
        <input id="smtp-user" value={form.user} onChange={set('user')} autoComplete="off" data-testid="smtp-user" />
      </Field>
      <Field label={t('smtp.password')} name="password" optional error={fe('password')} htmlFor="smtp-password"
        hint={<span data-testid="smtp-password-state">{passwordSet ? t('smtp.passwordSet') : t('smtp.passwordUnset')}</span>}>
        <input id="smtp-password" type="password" value={form.password} onChange={set('password')} autoComplete="new-password"
          placeholder={passwordSet ? '••••••••' : ''} data-testid="smtp-password" />
      </Field>
      <Field label={t('smtp.from')} name="from" error={fe('from')} htmlFor="smtp-from">
        <input id="smtp-from" type="email" value={form.from} onChange={set('from')} placeholder="ccbox@example.com"
          data-testid="smtp-from" />
      </Field>
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="smtp-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
