// 转技能组 / 转座席 / 转外线: pick the target and hand the call over through POST /calls/{id}/transfer.
import { useState, type FormEvent } from 'react';
import { FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { errorText } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import type { TransferTarget, WorkbenchContext } from './types';

export type TransferKind = TransferTarget['kind'];
const TITLE: Record<TransferKind, MessageKey> = { skillGroup: 'wb.call.toGroup', agent: 'wb.call.toAgent', external: 'wb.call.toExternal' };

export function TransferDialog({ kind, ctx, selfId, onTransfer, onClose }: {
  kind: TransferKind;
  ctx: WorkbenchContext | null;
  selfId: number;
  onTransfer: (t: TransferTarget) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const groups = ctx?.directory.skillGroups ?? [];
  const agents = (ctx?.directory.agents ?? []).filter((a) => a.id !== selfId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return setError(t('wb.transfer.pick'));
    const target: TransferTarget = kind === 'skillGroup' ? { kind, skillGroupId: Number(v) } : kind === 'agent' ? { kind, agentId: Number(v) } : { kind, number: v };
    setBusy(true);
    setError(undefined);
    try {
      await onTransfer(target);
      onClose();
    } catch (x) {
      setError(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t(TITLE[kind])} onClose={onClose} testId="wb-transfer-dialog"
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="wb-transfer-form" className="btn btn-primary" disabled={busy} data-testid="wb-transfer-submit">{t('wb.transfer.submit')}</button>
        </>
      )}>
      <form id="wb-transfer-form" className="form" onSubmit={(e) => void submit(e)}>
        <FormError message={error} testId="wb-transfer-error" />
        {kind === 'external' ? (
          <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="tel" placeholder={t('wb.transfer.numberHint')} data-testid="wb-transfer-number" autoFocus />
        ) : (
          <select value={value} onChange={(e) => setValue(e.target.value)} data-testid="wb-transfer-target">
            <option value="">{t('wb.transfer.pick')}</option>
            {kind === 'skillGroup'
              ? groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)
              : agents.map((a) => <option key={a.id} value={a.id}>{`${a.name} (${a.staffNo})`}</option>)}
          </select>
        )}
      </form>
    </Modal>
  );
}
