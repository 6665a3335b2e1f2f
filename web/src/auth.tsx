// Session state: who is logged in, the CSRF token (memory only), and the 401 → login rule.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthorized, setCsrfToken } from './api';
import { authApi, type Me } from './api-auth';
import { navigate } from './router';

interface Auth {
  me: Me | null;
  /** true until GET /auth/me has answered once */
  checking: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<Auth | null>(null);

function loginPathWithNext(): string {
  const here = window.location.pathname + window.location.search;
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(null);
      setMe(null);
      if (!window.location.pathname.startsWith('/login')) navigate(loginPathWithNext(), { replace: true });
    });
    let live = true;
    authApi.me()
      .then((s) => {
        if (!live) return;
        setCsrfToken(s.csrfToken);
        setMe(s.user);
      })
      .catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn('auth/me failed', e);
      })
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
      onUnauthorized(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const s = await authApi.login(username, password);
    setCsrfToken(s.csrfToken);
    setMe(s.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setCsrfToken(null);
      setMe(null);
      navigate('/login', { replace: true });
    }
  }, []);

  const can = useCallback((p: string) => !!me && me.permissions.includes(p), [me]);

  const value = useMemo(() => ({ me, checking, login, logout, can }), [me, checking, login, logout, can]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
