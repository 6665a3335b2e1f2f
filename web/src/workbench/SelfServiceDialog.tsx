// 自助服务: pick one of the self-service flows (通用设置 - 自助服务) and send the customer to it; the agent stays
// on the call and the flow's result comes back on the session.
import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { wb } from './wb-api';

export function SelfServiceDialog({ onPick, onClose }: { onPick: (id: number) => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<{ id: number; name: string }[] | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    wb.selfServices().then((l) => setList(l.filter((x) => x.enabled)), (e: unknown) => (setList([]), setError(errorText(e, t))));
  }, [t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value) return setError(t('wb.selfService.pick'));
    setBusy(true);
    setError(undefined);
    try {
      await onPick(Number(value));
      onClose();
    } catch (x) {
      setError(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('wb.call.selfService')} onClose={onClose} testId="wb-self-service-dialog"
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="wb-self-service-form" className="btn btn-primary" disabled={busy || !list?.length} data-testid="wb-self-service-submit">{t('wb.transfer.submit')}</button>
        </>
      )}>
      <form id="wb-self-service-form" className="form" onSubmit={(e) => void submit(e)}>
        <FormError message={error} testId="wb-self-service-error" />
        {list && list.length === 0 && !error && <p className="muted">{t('wb.selfService.none')}</p>}
        {list && list.length > 0 && (
          <select value={value} onChange={(e) => setValue(e.target.value)} data-testid="wb-self-service-target">
            <option value="">{t('wb.selfService.pick')}</option>
            {list.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        )}
      </form>
    </Modal>
  );
}
