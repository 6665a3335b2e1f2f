// Promise-based confirmation dialog: `if (await confirm({...})) …`.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Modal } from './Modal';
import { useI18n } from '../i18n';

interface ConfirmOptions { title?: string; message: ReactNode; okText?: string; danger?: boolean }
type ConfirmFn = (o: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<ConfirmFn | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<(ConfirmOptions & { resolve: (ok: boolean) => void }) | null>(null);

  const confirm = useCallback<ConfirmFn>((o) => new Promise((resolve) => setPending({ ...o, resolve })), []);

  const close = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {pending && (
        <Modal
          title={pending.title ?? t('common.confirmTitle')}
          onClose={() => close(false)}
          testId="confirm-dialog"
          footer={
            <>
              <button type="button" className="btn" data-testid="confirm-cancel" onClick={() => close(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className={pending.danger ? 'btn btn-danger' : 'btn btn-primary'}
                data-testid="confirm-ok"
                onClick={() => close(true)}
                autoFocus
              >
                {pending.okText ?? t('common.ok')}
              </button>
            </>
          }
        >
          <p className="confirm-text" data-testid="confirm-message">{pending.message}</p>
        </Modal>
      )}
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): ConfirmFn {
  const ctx = useContext(ConfirmContext);
  if (!ctx) throw new Error('useConfirm outside ConfirmProvider');
  return ctx;
}
