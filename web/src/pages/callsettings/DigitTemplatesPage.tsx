// 收号设置: templates an agent starts during a call — the customer hears the prompt and types digits (the agent
// hears nothing), which are POSTed to the template's callback URL.
import { useState } from 'react';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { csApi, type DigitTemplate, type DigitTemplateInput } from './cs-api';
import { Seconds, Toggle } from './kit';
import { PromptField } from './PromptField';

const FIELDS = ['name', 'prompt', 'prompt.text', 'prompt.promptId', 'minDigits', 'maxDigits', 'terminator', 'timeoutSec', 'callbackUrl'];
const BLANK: DigitTemplateInput = { name: '', prompt: { kind: 'tts', text: '' }, minDigits: 1, maxDigits: 6, terminator: '#', timeoutSec: 10, callbackUrl: '', enabled: true };

function TemplateDialog({ tpl, onClose, onSaved }: { tpl: DigitTemplate | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [v, setV] = useState<DigitTemplateInput>(tpl ? { name: tpl.name, prompt: tpl.prompt, minDigits: tpl.minDigits, maxDigits: tpl.maxDigits, terminator: tpl.terminator, timeoutSec: tpl.timeoutSec, callbackUrl: tpl.callbackUrl, enabled: tpl.enabled } : BLANK);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field?.startsWith(f) ? err.message : undefined);
  const set = (p: Partial<DigitTemplateInput>) => setV({ ...v, ...p });
  const save = async () => {
    setBusy(true);
    setErr(null);
    try {
      const body = { ...v, name: v.name.trim(), callbackUrl: v.callbackUrl.trim() };
      if (tpl) await csApi.updateDigitTemplate(tpl.id, body);
      else await csApi.createDigitTemplate(body);
      toast.success(t('common.saved'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={tpl ? t('cs.dg.edit') : t('cs.dg.add')} onClose={onClose} testId="cs-dg-dialog" wide
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="cs-dg-save">{t('common.save')}</button>
        </>
      )}>
      <div className="form">
        <FormError message={err && !err.field ? err.message : undefined} testId="cs-dg-error" />
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
      </div>
    </Modal>
  );
}

export function DigitTemplatesPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const list = useLoad(csApi.digitTemplates, []);
  const [open, setOpen] = useState<DigitTemplate | 'new' | null>(null);
  const remove = async (tpl: DigitTemplate) => {
    if (!(await confirm({ message: t('cs.dg.confirmDelete', { name: tpl.name }), danger: true }))) return;
    try {
      await csApi.deleteDigitTemplate(tpl.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    list.reload();
  };
  const items = list.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.csDigits')} actions={<button type="button" className="btn btn-primary" onClick={() => setOpen('new')} data-testid="cs-dg-add">{t('cs.dg.add')}</button>}>
        {t('cs.dg.desc')}
      </PageHeader>
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="cs-dg-table">
          <thead><tr><th>{t('cs.dg.name')}</th><th>{t('cs.dg.digits')}</th><th>{t('cs.dg.terminator')}</th><th>{t('cs.dg.callbackUrl')}</th><th>{t('agent.state')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid={`cs-dg-row-${d.name}`}>
                <td>{d.name}</td>
                <td>{d.minDigits}–{d.maxDigits}</td>
                <td>{d.terminator ?? '—'}</td>
                <td className="wrap"><code>{d.callbackUrl}</code></td>
                <td>{d.enabled ? <span className="badge badge-ok">{t('common.enabled')}</span> : <span className="badge badge-muted">{t('common.disabled')}</span>}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setOpen(d)} data-testid="cs-dg-edit">{t('common.edit')}</button>
                  <button type="button" className="link link-danger" onClick={() => void remove(d)} data-testid="cs-dg-delete">{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={6} className="table-empty">{list.loading ? t('common.loading') : t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {open && <TemplateDialog tpl={open === 'new' ? null : open} onClose={() => setOpen(null)} onSaved={() => (setOpen(null), list.reload())} />}
    </>
  );
}
