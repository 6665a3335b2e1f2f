// 收号设置: templates an agent starts during a call — the customer hears the prompt and types digits (the agent
// hears nothing), which are POSTed to the template's callback URL.
import { useState } from 'react';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { csApi, type DigitTemplate, type DigitTemplateInput } from './cs-api';
import { EditDialog, useDialogForm } from './EditDialog';
import { EnabledBadge, EntityListPage, type Column } from './EntityListPage';
import { Seconds, Toggle } from './kit';
import { PromptField } from './PromptField';

const FIELDS = ['name', 'prompt', 'prompt.text', 'prompt.promptId', 'minDigits', 'maxDigits', 'terminator', 'timeoutSec', 'callbackUrl'];
const BLANK: DigitTemplateInput = { name: '', prompt: { kind: 'tts', text: '' }, minDigits: 1, maxDigits: 6, terminator: '#', timeoutSec: 10, callbackUrl: '', enabled: true };

function TemplateDialog({ tpl, onClose, onSaved }: { tpl: DigitTemplate | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [v, setV] = useState<DigitTemplateInput>(tpl ? { name: tpl.name, prompt: tpl.prompt, minDigits: tpl.minDigits, maxDigits: tpl.maxDigits, terminator: tpl.terminator, timeoutSec: tpl.timeoutSec, callbackUrl: tpl.callbackUrl, enabled: tpl.enabled } : BLANK);
  const form = useDialogForm(FIELDS, onSaved);
  const { fe } = form;
  const set = (p: Partial<DigitTemplateInput>) => setV({ ...v, ...p });
  const save = () => form.submit(() => {
    const body = { ...v, name: v.name.trim(), callbackUrl: v.callbackUrl.trim() };
    return tpl ? csApi.updateDigitTemplate(tpl.id, body) : csApi.createDigitTemplate(body);
  });
  return (
    <EditDialog title={tpl ? t('cs.dg.edit') : t('cs.dg.add')} prefix="cs-dg" form={form} onSave={() => void save()} onClose={onClose} errorTestId="cs-dg-error" wide>
      <Field label={t('cs.dg.name')} name="name" error={fe('name')}><input value={v.name} maxLength={32} onChange={(e) => set({ name: e.target.value })} data-testid="cs-dg-name" /></Field>
      <Field label={t('cs.dg.prompt')} name="prompt" error={fe('prompt')}><PromptField value={v.prompt} onChange={(p) => p && set({ prompt: p })} testId="cs-dg-prompt" /></Field>
      <Field label={t('cs.dg.digits')} name="minDigits" error={fe('minDigits') ?? fe('maxDigits')} hint={t('cs.dg.digitsHint')}>
        <div className="inline-edit">
          <Seconds value={v.minDigits} min={1} max={32} onChange={(n) => set({ minDigits: n })} testId="cs-dg-min" />
          <span>—</span>
          <Seconds value={v.maxDigits} min={1} max={32} onChange={(n) => set({ maxDigits: n })} testId="cs-dg-max" />
        </div>
      </Field>
      <Field label={t('cs.dg.terminator')} name="terminator">
        <select value={v.terminator ?? ''} onChange={(e) => set({ terminator: (e.target.value || null) as DigitTemplateInput['terminator'] })} data-testid="cs-dg-terminator">
          <option value="#">#</option>
          <option value="*">*</option>
          <option value="">{t('cs.dg.noTerminator')}</option>
        </select>
      </Field>
      <Field label={t('cs.dg.timeout')} name="timeoutSec" error={fe('timeoutSec')}><Seconds value={v.timeoutSec} min={1} max={120} onChange={(n) => set({ timeoutSec: n })} testId="cs-dg-timeout" /></Field>
      <Field label={t('cs.dg.callbackUrl')} name="callbackUrl" error={fe('callbackUrl')} hint={t('cs.dg.callbackHint')}>
        <input value={v.callbackUrl} onChange={(e) => set({ callbackUrl: e.target.value })} placeholder="https://crm.example.com/ccbox/digits" data-testid="cs-dg-url" />
      </Field>
      <Field label={t('agent.state')} name="enabled"><Toggle checked={v.enabled} onChange={(b) => set({ enabled: b })} label={v.enabled ? t('common.enabled') : t('common.disabled')} testId="cs-dg-enabled" /></Field>
    </EditDialog>
  );
}

export function DigitTemplatesPage() {
  const { t } = useI18n();
  const columns: Column<DigitTemplate>[] = [
    { label: t('cs.dg.name'), cell: (d) => d.name },
    { label: t('cs.dg.digits'), cell: (d) => <>{d.minDigits}–{d.maxDigits}</> },
    { label: t('cs.dg.terminator'), cell: (d) => d.terminator ?? '—' },
    { label: t('cs.dg.callbackUrl'), cell: (d) => <code>{d.callbackUrl}</code>, wrap: true },
    { label: t('agent.state'), cell: (d) => <EnabledBadge enabled={d.enabled} /> },
  ];
  return (
    <EntityListPage prefix="cs-dg" title="nav.csDigits" desc="cs.dg.desc" addLabel="cs.dg.add" confirmDelete="cs.dg.confirmDelete"
      load={csApi.digitTemplates} remove={csApi.deleteDigitTemplate} columns={columns}
      dialog={(tpl, onClose, onSaved) => <TemplateDialog tpl={tpl} onClose={onClose} onSaved={onSaved} />} />
  );
}
