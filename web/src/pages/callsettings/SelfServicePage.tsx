// 自助服务: the self-service IVR flows an agent may hand a customer to during a call (the customer comes back to
// the agent when the flow's end node returns).
import { useState } from 'react';
import { api } from '../../api';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { csApi, type SelfService } from './cs-api';
import { Toggle } from './kit';

function SelfServiceDialog({ entry, onClose, onSaved }: { entry: SelfService | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const flows = useLoad(() => api.ivrFlows().then((f) => f.filter((x) => x.kind === 'selfService')).catch(() => []), []);
  const [name, setName] = useState(entry?.name ?? '');
  const [flowId, setFlowId] = useState<number | ''>(entry?.flowId ?? '');
  const [version, setVersion] = useState(entry?.version ?? 'MAIN');
  const [enabled, setEnabled] = useState(entry?.enabled ?? true);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const flow = flows.data?.find((f) => f.id === flowId);
  const save = async () => {
    setErr(null);
    if (flowId === '') return setErr({ field: 'flowId', message: t('cs.ss.chooseFlow') });
    try {
      const body = { name: name.trim(), flowId, version, enabled };
      if (entry) await csApi.updateSelfService(entry.id, body);
      else await csApi.createSelfService(body);
      toast.success(t('common.saved'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, ['name', 'flowId', 'version']));
    }
  };
  return (
    <Modal title={entry ? t('cs.ss.edit') : t('cs.ss.add')} onClose={onClose} testId="cs-ss-dialog"
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="cs-ss-save">{t('common.save')}</button>
        </>
      )}>
      <div className="form">
        <FormError message={err && !err.field ? err.message : undefined} />
        <Field label={t('cs.ss.name')} name="name" error={err?.field === 'name' ? err.message : undefined}>
          <input value={name} maxLength={32} onChange={(e) => setName(e.target.value)} data-testid="cs-ss-name" />
        </Field>
        <Field label={t('cs.ss.flow')} name="flowId" error={err?.field === 'flowId' ? err.message : undefined} hint={flows.data && !flows.data.length ? t('cs.ss.noFlows') : undefined}>
          <select value={flowId} onChange={(e) => {
            const id = e.target.value ? Number(e.target.value) : '';
            setFlowId(id);
            setVersion(flows.data?.find((f) => f.id === id)?.versions.find((v) => v.published)?.version ?? 'MAIN');
          }} data-testid="cs-ss-flow">
            <option value="">{t('cs.ss.chooseFlow')}</option>
            {(flows.data ?? []).map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </Field>
        <Field label={t('ivr.version.label')} name="version" error={err?.field === 'version' ? err.message : undefined}>
          <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="cs-ss-version">
            {(flow?.versions ?? [{ version }]).map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
          </select>
        </Field>
        <Field label={t('agent.state')} name="enabled"><Toggle checked={enabled} onChange={setEnabled} label={enabled ? t('common.enabled') : t('common.disabled')} testId="cs-ss-enabled" /></Field>
      </div>
    </Modal>
  );
}

export function SelfServicePage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const list = useLoad(csApi.selfServices, []);
  const [open, setOpen] = useState<SelfService | 'new' | null>(null);
  const remove = async (s: SelfService) => {
    if (!(await confirm({ message: t('cs.ss.confirmDelete', { name: s.name }), danger: true }))) return;
    try {
      await csApi.deleteSelfService(s.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    list.reload();
  };
  const items = list.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.csSelfService')} actions={<button type="button" className="btn btn-primary" onClick={() => setOpen('new')} data-testid="cs-ss-add">{t('cs.ss.add')}</button>}>
        {t('cs.ss.desc')}
      </PageHeader>
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="cs-ss-table">
          <thead><tr><th>{t('cs.ss.name')}</th><th>{t('cs.ss.flow')}</th><th>{t('ivr.version.label')}</th><th>{t('agent.state')}</th><th>{t('cs.ss.updatedAt')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid={`cs-ss-row-${s.name}`}>
                <td>{s.name}</td>
                <td>{s.flowName}</td>
                <td>{s.version}</td>
                <td>{s.enabled ? <span className="badge badge-ok">{t('common.enabled')}</span> : <span className="badge badge-muted">{t('common.disabled')}</span>}</td>
                <td>{formatTime(s.updatedAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setOpen(s)} data-testid="cs-ss-edit">{t('common.edit')}</button>
                  <button type="button" className="link link-danger" onClick={() => void remove(s)} data-testid="cs-ss-delete">{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={6} className="table-empty">{list.loading ? t('common.loading') : t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {open && <SelfServiceDialog entry={open === 'new' ? null : open} onClose={() => setOpen(null)} onSaved={() => (setOpen(null), list.reload())} />}
    </>
  );
}
