// Login: admin, e-mail or staff number + password; shows the server's reason when it refuses.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { errorText } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';

const FALLBACK: Record<string, MessageKey> = {
  CCBOX_ERR_AUTH: 'login.err.auth',
  CCBOX_ERR_LOCKED: 'login.err.locked',
  CCBOX_ERR_FORCED_OFFLINE: 'login.err.forced',
};

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return setError({ code: 'REQUIRED', message: t('login.required') });
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (x) {
      const code = x instanceof ApiError ? x.code : 'NETWORK';
      const fallback = FALLBACK[code];
      const message = x instanceof ApiError && !x.message && fallback ? t(fallback) : errorText(x, t);
      setError({ code, message });
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <button
        type="button"
        className="btn btn-ghost btn-sm login-lang"
        data-testid="lang-switch"
        data-lang={lang}
        onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
      >
        {lang === 'zh-CN' ? t('lang.en') : t('lang.zh-CN')}
      </button>
      <form className="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div className="brand brand-login">
          <span className="brand-mark" aria-hidden="true">cc</span>
          <span className="brand-name">ccbox</span>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="login-error" data-code={error.code}>
            {error.message}
          </div>
        )}
        <label className="stack">
          <span>{t('login.username')}</span>
          <input
            name="username"
            autoComplete="username"
            autoFocus
            placeholder={t('login.usernamePlaceholder')}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            data-testid="login-username"
          />
        </label>
        <label className="stack">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
