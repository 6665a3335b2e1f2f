// A secret shown on demand (masked until 显示), with a copy button; and a bare copy button.
import { useState } from 'react';
import { useI18n } from '../i18n';
import { useToast } from './Toast';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  // Plain HTTP on the LAN has no clipboard API: the old selection trick still works.
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export function CopyButton({ text, testId, label }: { text: string; testId?: string; label?: string }) {
  const { t } = useI18n();
  const toast = useToast();
  return (
    <button
      type="button"
      className="link"
      data-testid={testId}
      onClick={async () => ((await copyText(text)) ? toast.success(t('common.copied')) : toast.error(t('common.copyFailed')))}
    >
      {label ?? t('common.copy')}
    </button>
  );
}

export function Secret({ value, testId }: { value: string; testId: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <span className="secret" data-testid={testId} data-shown={shown}>
      <code className="secret-value" data-testid={`${testId}-value`}>{shown ? value : '••••••••'}</code>
      <button type="button" className="link" onClick={() => setShown(!shown)} data-testid={`${testId}-toggle`}>
        {shown ? t('common.hide') : t('common.show')}
      </button>
      <CopyButton text={value} testId={`${testId}-copy`} />
    </span>
  );
}
