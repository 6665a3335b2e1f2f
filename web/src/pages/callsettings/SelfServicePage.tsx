// 自助服务: the self-service IVR flows an agent may hand a customer to during a call (the customer comes back to
// the agent when the flow's end node returns).
import { useState } from 'react';
import { ivrApi } from '../../api-ivr';
import { Field } from '../../components/Field';
import { formatTime, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { csApi, type SelfService } from './cs-api';
import { EditDialog, useDialogForm } from './EditDialog';
import { EnabledBadge, EntityListPage, type Column } from './EntityListPage';
import { Toggle } from './kit';

const FIELDS = ['name', 'flowId', 'version'];

function SelfServiceDialog({ entry, onClose, onSaved }: { entry: SelfService | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const flows = useLoad(() => ivrApi.ivrFlows().then((f) => f.filter((x) => x.kind === 'selfService')).catch(() => []), []);
  const [name, setName] = useState(entry?.name ?? '');
  const [flowId, setFlowId] = useState<number | ''>(entry?.flowId ?? '');
  const [version, setVersion] = useState(entry?.version ?? 'MAIN');
  const [enabled, setEnabled] = useState(entry?.enabled ?? true);
  const form = useDialogForm(FIELDS, onSaved);
  const { fe } = form;
  const flow = flows.data?.find((f) => f.id === flowId);
  const save = () => {
    if (flowId === '') return form.fail('flowId', t('cs.ss.chooseFlow'));
    const body = { name: name.trim(), flowId, version, enabled };
    return form.submit(() => (entry ? csApi.updateSelfService(entry.id, body) : csApi.createSelfService(body)));
  };
  return (
    <EditDialog title={entry ? t('cs.ss.edit') : t('cs.ss.add')} prefix="cs-ss" form={form} onSave={() => void save()} onClose={onClose}>
      <Field label={t('cs.ss.name')} name="name" error={fe('name')}>
        <input value={name} maxLength={32} onChange={(e) => setName(e.target.value)} data-testid="cs-ss-name" />
      </Field>
      <Field label={t('cs.ss.flow')} name="flowId" error={fe('flowId')} hint={flows.data && !flows.data.length ? t('cs.ss.noFlows') : undefined}>
        <select value={flowId} onChange={(e) => {
          const id = e.target.value ? Number(e.target.value) : '';
          setFlowId(id);
          setVersion(flows.data?.find((f) => f.id === id)?.versions.find((v) => v.published)?.version ?? 'MAIN');
        }} data-testid="cs-ss-flow">
          <option value="">{t('cs.ss.chooseFlow')}</option>
          {(flows.data ?? []).map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
        </select>
      </Field>
      <Field label={t('ivr.version.label')} name="version" error={fe('version')}>
        <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="cs-ss-version">
          {(flow?.versions ?? [{ version }]).map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
        </select>
      </Field>
      <Field label={t('agent.state')} name="enabled"><Toggle checked={enabled} onChange={setEnabled} label={enabled ? t('common.enabled') : t('common.disabled')} testId="cs-ss-enabled" /></Field>
    </EditDialog>
  );
}

export function SelfServicePage() {
  const { t } = useI18n();
  const columns: Column<SelfService>[] = [
    { label: t('cs.ss.name'), cell: (s) => s.name },
    { label: t('cs.ss.flow'), cell: (s) => s.flowName },
    { label: t('ivr.version.label'), cell: (s) => s.version },
    { label: t('agent.state'), cell: (s) => <EnabledBadge enabled={s.enabled} /> },
    { label: t('cs.ss.updatedAt'), cell: (s) => formatTime(s.updatedAt) },
  ];
  return (
    <EntityListPage prefix="cs-ss" title="nav.csSelfService" desc="cs.ss.desc" addLabel="cs.ss.add" confirmDelete="cs.ss.confirmDelete"
      load={csApi.selfServices} remove={csApi.deleteSelfService} columns={columns}
      dialog={(entry, onClose, onSaved) => <SelfServiceDialog entry={entry} onClose={onClose} onSaved={onSaved} />} />
  );
}
