// Toast notifications in the top-right corner; errors stay a little longer than successes.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

type Kind = 'success' | 'error' | 'info';
interface Item { id: number; kind: Kind; text: string }
interface Toasts { success: (text: string) => void; error: (text: string) => void; info: (text: string) => void }

const ToastContext = createContext<Toasts | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Item[]>([]);
  const next = useRef(1);

  const dismiss = useCallback((id: number) => setItems((xs) => xs.filter((x) => x.id !== id)), []);

  const push = useCallback((kind: Kind, text: string) => {
    const id = next.current++;
    setItems((xs) => [...xs.slice(-4), { id, kind, text }]);
    window.setTimeout(() => dismiss(id), kind === 'error' ? 6000 : 3000);
  }, [dismiss]);

  const api = useMemo<Toasts>(() => ({
    success: (s) => push('success', s),
    error: (s) => push('error', s),
    info: (s) => push('info', s),
  }), [push]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {items.map((x) => (
          <div
            key={x.id}
            className={`toast toast-${x.kind}`}
            data-testid="toast"
            data-kind={x.kind}
            role={x.kind === 'error' ? 'alert' : 'status'}
            onClick={() => dismiss(x.id)}
          >
            <span className="toast-dot" aria-hidden="true" />
            {x.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toasts {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast outside ToastProvider');
  return ctx;
}
