// Language context: zh-CN by default, English switchable, the choice kept in localStorage
// and mirrored to <html lang> and the document title.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zhCN, type MessageKey, type Messages } from './zh-CN';
import { en } from './en';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogs: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'ccbox.lang';
let active: Lang = 'zh-CN';

/** The language in use, for code outside React (server error messages). */
export function currentLang(): Lang {
  return active;
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage blocked: use the default */
  }
  return 'zh-CN';
}

interface I18n { lang: Lang; setLang: (l: Lang) => void; t: TFunction }

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  active = lang;

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
  }, []);

  const t = useCallback<TFunction>((key, vars) => {
    let s = catalogs[lang][key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
    return s;
  }, [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = catalogs[lang]['app.title'];
  }, [lang]);

  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
