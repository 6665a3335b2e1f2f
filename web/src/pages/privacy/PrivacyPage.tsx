// 号码隐私保护 (通用设置): off, 掩码保护 (agents see 189****8352), or 真实号码映射为用户 ID through the site's
// HTTPS endpoint with BasicAuth or OAuth2 client credentials. The password / client secret is write-only.
import { useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { privacyApi, type PrivacyInput, type PrivacyMode, type PrivacySettings } from './privacy-api';

const FIELDS = ['mode', 'endpoint', 'endpoint.url', 'endpoint.auth.username', 'endpoint.auth.tokenUrl', 'endpoint.auth.clientId', 'endpoint.caCertPem', 'endpoint.timeoutMs', 'endpoint.cacheTtlMs', 'secret'] as const;

export function PrivacyPage() {
  const { t } = useI18n();
  const loaded = useLoad(() => privacyApi.get(), []);
  return (
    <>
      <PageHeader title={t('nav.privacy')}>{t('privacy.hint')}</PageHeader>
      <section className="card">
        {loaded.error != null && <div className="banner banner-error" role="alert">{errorText(loaded.error, t)}</div>}
        {loaded.loading && loaded.data === undefined && <p className="muted">{t('common.loading')}</p>}
        {loaded.data !== undefined && <PrivacyForm initial={loaded.data} />}
      </section>
    </>
  );
}

function PrivacyForm({ initial: s }: { initial: PrivacySettings }) {
  const { t } = useI18n();
  const toast = useToast();
  const e0 = s.endpoint;
  const [mode, setMode] = useState<PrivacyMode>(s.mode);
  const [form, setForm] = useState({
    url: e0?.url ?? '', authKind: e0?.auth.kind ?? 'basic', username: e0?.auth.kind === 'basic' ? e0.auth.username : '',
    tokenUrl: e0?.auth.kind === 'oauth2' ? e0.auth.tokenUrl : '', clientId: e0?.auth.kind === 'oauth2' ? e0.auth.clientId : '',
    scope: e0?.auth.kind === 'oauth2' ? (e0.auth.scope ?? '') : '', caCertPem: e0?.caCertPem ?? '',
    timeoutMs: String(e0?.timeoutMs ?? 3000), cacheTtlMs: String(e0?.cacheTtlMs ?? 60000), secret: '',
  });
  const [secretSet, setSecretSet] = useState(s.secretSet);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: PrivacyInput = { mode };
    if (mode === 'uid') {
      if (!form.url.trim()) return setErr({ field: 'endpoint.url', message: t('error.required') });
      body.endpoint = {
        url: form.url.trim(),
        auth: form.authKind === 'basic'
          ? { kind: 'basic', username: form.username.trim() }
          : { kind: 'oauth2', tokenUrl: form.tokenUrl.trim(), clientId: form.clientId.trim(), scope: form.scope.trim() || null },
        caCertPem: form.caCertPem.trim() || null, timeoutMs: Number(form.timeoutMs), cacheTtlMs: Number(form.cacheTtlMs),
      };
      if (form.secret) body.secret = form.secret;
    }
    setBusy(true);
    setErr(null);
    try {
      const saved = await privacyApi.put(body);
      setSecretSet(saved.secretSet);
      setForm((f) => ({ ...f, secret: '' }));
      toast.success(t('common.saved'));
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-page" onSubmit={(e) => void submit(e)} noValidate data-testid="privacy-form">
      <FormError message={err && !err.field ? err.message : undefined} testId="privacy-error" />
      <Field label={t('privacy.mode')} name="mode" error={fe('mode')}>
        {(['off', 'mask', 'uid'] as const).map((m) => (
          <label key={m} className="check-inline">
            <input type="radio" name="privacy-mode" checked={mode === m} onChange={() => setMode(m)} data-testid={`privacy-mode-${m}`} />
            {t(`privacy.mode.${m}`)}
          </label>
        ))}
      </Field>
      {mode === 'mask' && <p className="muted small" data-testid="privacy-mask-hint">{t('privacy.maskHint')}</p>}
      {mode === 'uid' && (
        <>
          <p className="muted small">{t('privacy.uidHint')}</p>
          <Field label={t('privacy.url')} name="endpoint.url" error={fe('endpoint.url') ?? fe('endpoint')} htmlFor="privacy-url">
            <input id="privacy-url" value={form.url} onChange={set('url')} placeholder="https://crm.example.com/ccc/map" data-testid="privacy-url" />
          </Field>
          <Field label={t('privacy.auth')} name="authKind">
            <select value={form.authKind} onChange={set('authKind')} data-testid="privacy-auth-kind">
              <option value="basic">BasicAuth</option>
              <option value="oauth2">OAuth2 client credentials</option>
            </select>
          </Field>
          {form.authKind === 'basic' ? (
            <Field label={t('privacy.username')} name="endpoint.auth.username" error={fe('endpoint.auth.username')} htmlFor="privacy-username">
              <input id="privacy-username" value={form.username} onChange={set('username')} autoComplete="off" data-testid="privacy-username" />
            </Field>
          ) : (
            <>
              <Field label={t('privacy.tokenUrl')} name="endpoint.auth.tokenUrl" error={fe('endpoint.auth.tokenUrl')} htmlFor="privacy-token-url">
                <input id="privacy-token-url" value={form.tokenUrl} onChange={set('tokenUrl')} placeholder="https://auth.example.com/oauth/token" data-testid="privacy-token-url" />
              </Field>
              <Field label="Client ID" name="endpoint.auth.clientId" error={fe('endpoint.auth.clientId')} htmlFor="privacy-client-id">
                <input id="privacy-client-id" value={form.clientId} onChange={set('clientId')} autoComplete="off" data-testid="privacy-client-id" />
              </Field>
              <Field label="Scope" name="scope" optional htmlFor="privacy-scope">
                <input id="privacy-scope" value={form.scope} onChange={set('scope')} data-testid="privacy-scope" />
              </Field>
            </>
          )}
          <Field label={form.authKind === 'basic' ? t('privacy.password') : 'Client secret'} name="secret" optional error={fe('secret')} htmlFor="privacy-secret"
            hint={<span data-testid="privacy-secret-state">{secretSet ? t('privacy.secretSet') : t('privacy.secretUnset')}</span>}>
            <input id="privacy-secret" type="password" value={form.secret} onChange={set('secret')} autoComplete="new-password"
              placeholder={secretSet ? '••••••••' : ''} data-testid="privacy-secret" />
          </Field>
          <Field label={t('privacy.ca')} name="endpoint.caCertPem" optional error={fe('endpoint.caCertPem')} htmlFor="privacy-ca">
            <textarea id="privacy-ca" rows={3} value={form.caCertPem} onChange={set('caCertPem')} placeholder="-----BEGIN CERTIFICATE-----" data-testid="privacy-ca" />
          </Field>
          <Field label={t('privacy.timeout')} name="endpoint.timeoutMs" error={fe('endpoint.timeoutMs')} htmlFor="privacy-timeout">
            <input id="privacy-timeout" type="number" min={200} max={30000} className="input-narrow" value={form.timeoutMs} onChange={set('timeoutMs')} data-testid="privacy-timeout" />
          </Field>
          <Field label={t('privacy.cacheTtl')} name="endpoint.cacheTtlMs" error={fe('endpoint.cacheTtlMs')} htmlFor="privacy-cache">
            <input id="privacy-cache" type="number" min={0} max={3600000} className="input-narrow" value={form.cacheTtlMs} onChange={set('cacheTtlMs')} data-testid="privacy-cache" />
          </Field>
        </>
      )}
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="privacy-save">{t('common.save')}</button>
      </div>
    </form>
  );
}
