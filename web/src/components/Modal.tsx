// Modal dialog: backdrop, title, body, footer; Esc and the × close it; focus moves inside on open.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n';

interface ModalProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}

export function Modal({ title, onClose, children, footer, testId = 'dialog', wide }: ModalProps) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeRef.current();
    window.addEventListener('keydown', onKey);
    // Keep a child's autoFocus (the confirm button); else focus the first field, else the dialog.
    if (!box.current?.contains(document.activeElement)) {
      const first = box.current?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select, textarea');
      (first ?? box.current)?.focus();
    }
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={wide ? 'modal modal-wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        data-testid={testId}
        ref={box}
        tabIndex={-1}
      >
        <header className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={onClose}>×</button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
