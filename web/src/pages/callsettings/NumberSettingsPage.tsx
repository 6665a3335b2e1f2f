// 号码设置 (per number of 号码管理): 外呼指定分配 (a customer calling back within 3 days reaches the agent who last
// called them — only that agent, or that agent first) and 满意度评价 after inbound and outbound calls.
import { useState } from 'react';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { csApi, type NumberSettings } from './cs-api';
import { PromptField } from './PromptField';
import { SurveyEditor } from './SurveyEditor';

const FIELDS_PREFIXES = ['lastAgentRouting', 'inboundSurvey', 'outboundSurvey'];

function NumberDialog({ initial, onClose, onSaved }: { initial: NumberSettings; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [v, setV] = useState(initial);
  const [tab, setTab] = useState<'lastAgent' | 'inbound' | 'outbound'>('lastAgent');
  const [err, setErr] = useState<{ field: string; message: string } | null>(null);
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setErr(null);
    setFormErr('');
    try {
      await csApi.putNumber(v);
      toast.success(t('common.saved'));
      onSaved();
    } catch (x) {
      const fe = fieldError(x, t, []);
      const field = (x as { field?: string }).field;
      if (field && FIELDS_PREFIXES.some((p) => field.startsWith(p))) {
        setErr({ field, message: fe.message });
        setTab(field.startsWith('inbound') ? 'inbound' : field.startsWith('outbound') ? 'outbound' : 'lastAgent');
      } else setFormErr(fe.message);
    } finally {
      setBusy(false);
    }
  };
  const sub = (prefix: string) => (err && err.field.startsWith(`${prefix}.`) ? { field: err.field.slice(prefix.length + 1), message: err.message } : undefined);
  return (
    <Modal title={t('cs.num.title', { number: v.number })} onClose={onClose} testId="cs-number-dialog" wide
      footer={(
        <>
          {formErr && <span className="field-error" role="alert" data-testid="cs-number-error">{formErr}</span>}
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="cs-number-save">{t('common.save')}</button>
        </>
      )}>
      <nav className="tabs">
        {(['lastAgent', 'inbound', 'outbound'] as const).map((x) => (
          <button key={x} type="button" className={`tab link${tab === x ? ' on' : ''}`} onClick={() => setTab(x)} data-testid={`cs-number-tab-${x}`}>{t(`cs.num.tab.${x}` as MessageKey)}</button>
        ))}
      </nav>
      {tab === 'lastAgent' && (
        <div className="form">
          <Field label={t('cs.num.mode')} name="lastAgentRouting.mode">
            <div className="radios">
              {(['off', 'only', 'first'] as const).map((m) => (
                <label key={m} className="check-inline">
                  <input type="radio" name="lastAgentMode" checked={v.lastAgentRouting.mode === m} data-testid={`cs-number-mode-${m}`}
                    onChange={() => setV({ ...v, lastAgentRouting: { ...v.lastAgentRouting, mode: m } })} />
                  {t(`cs.num.mode.${m}` as MessageKey)}
                </label>
              ))}
            </div>
          </Field>
          <p className="muted small">{t('cs.num.modeHint')}</p>
          {v.lastAgentRouting.mode === 'only' && (
            <Field label={t('cs.num.failurePrompt')} name="lastAgentRouting.failurePrompt" error={sub('lastAgentRouting')?.message}>
              <PromptField nullable value={v.lastAgentRouting.failurePrompt} onChange={(p) => setV({ ...v, lastAgentRouting: { ...v.lastAgentRouting, failurePrompt: p } })} testId="cs-number-failure" />
            </Field>
          )}
        </div>
      )}
      {tab === 'inbound' && <SurveyEditor value={v.inboundSurvey} onChange={(s) => setV({ ...v, inboundSurvey: s })} testId="cs-survey-inbound" error={sub('inboundSurvey')} />}
      {tab === 'outbound' && <SurveyEditor value={v.outboundSurvey} onChange={(s) => setV({ ...v, outboundSurvey: s })} testId="cs-survey-outbound" error={sub('outboundSurvey')} />}
    </Modal>
  );
}

export function NumberSettingsPage() {
  const { t } = useI18n();
  const list = useLoad(csApi.numbers, []);
  const [open, setOpen] = useState<NumberSettings | null>(null);
  const items = list.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.csNumbers')}>{t('cs.num.desc')}</PageHeader>
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="cs-number-table">
          <thead><tr><th>{t('number.number')}</th><th>{t('cs.num.tab.lastAgent')}</th><th>{t('cs.num.tab.inbound')}</th><th>{t('cs.num.tab.outbound')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
          <tbody>
            {items.map((n) => (
              <tr key={n.number} data-testid={`cs-number-row-${n.number}`}>
                <td><code>{n.number}</code></td>
                <td>{t(`cs.num.mode.${n.lastAgentRouting.mode}` as MessageKey)}</td>
                <td data-testid="cs-number-inbound">{n.inboundSurvey.enabled ? <span className="badge badge-ok">{t('common.enabled')}</span> : <span className="badge badge-muted">{t('common.disabled')}</span>}</td>
                <td data-testid="cs-number-outbound">{n.outboundSurvey.enabled ? <span className="badge badge-ok">{t('common.enabled')}</span> : <span className="badge badge-muted">{t('common.disabled')}</span>}</td>
                <td className="col-actions"><button type="button" className="link" onClick={() => setOpen(n)} data-testid="cs-number-edit">{t('cs.num.edit')}</button></td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={5} className="table-empty">{list.loading ? t('common.loading') : t('number.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {open && <NumberDialog initial={open} onClose={() => setOpen(null)} onSaved={() => (setOpen(null), list.reload())} />}
    </>
  );
}
