// Small data hooks shared by the pages: load-with-reload, and turning API errors into text.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { currentLang, type TFunction } from './i18n';
import { localizeServerMessage } from './i18n/server-message';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `fn` when `deps` change and on reload(); answers that arrive out of order are dropped. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    fnRef.current()
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => mine === seq.current && setError(e))
      .finally(() => mine === seq.current && setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The server's message when it sent one, else a generic localized one. */
export function errorText(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) {
    if (e.message) return localizeServerMessage(e.message, currentLang());
    if (e.status === 0) return t('error.network');
    return t('error.unknown', { status: e.status || e.code });
  }
  return e instanceof Error && e.message ? e.message : t('error.network');
}

/** Splits an API error into a field error (shown beside the field) or a form-level one. */
export function fieldError(e: unknown, t: TFunction, fields: readonly string[]): { field?: string; message: string } {
  const message = errorText(e, t);
  if (e instanceof ApiError && e.field && fields.includes(e.field)) {
    // Validation messages start with "field: "; beside the field that prefix says nothing.
    const prefix = `${e.field}: `;
    return { field: e.field, message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
  }
  return { message };
}

/** Calls `fn` every `ms` while the page is visible (a background tab stops polling). */
export function useInterval(fn: () => void, ms: number | null): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const id = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') ref.current();
    }, ms);
    return () => window.clearInterval(id);
  }, [ms]);
}

/** Epoch milliseconds as local "YYYY-MM-DD HH:MM:SS". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
