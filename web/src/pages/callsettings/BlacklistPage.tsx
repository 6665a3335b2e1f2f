// 通用设置-黑名单: numbers whose calls are refused with the blacklist prompt (optionally until a date), and that prompt.
import { useState, type FormEvent } from 'react';
import { useConfirm } from '../../components/Confirm';
import { PageHeader } from '../../components/Layout';
import { Pager } from '../../components/Pager';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { fromLocalInput } from '../records/format';
import { csApi } from './cs-api';
import { Row, SaveBar, useEditable } from './kit';
import { PromptField } from './PromptField';

function AddForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [number, setNumber] = useState('');
  const [remark, setRemark] = useState('');
  const [until, setUntil] = useState('');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    try {
      await csApi.addBlacklist({ number: number.replace(/[\s-]/g, ''), ...(remark.trim() ? { remark: remark.trim() } : {}), ...(until ? { expiresAt: fromLocalInput(until) ?? null } : {}) });
      toast.success(t('cs.bl.added'));
      setNumber('');
      setRemark('');
      setUntil('');
      onAdded();
    } catch (x) {
      setErr(fieldError(x, t, ['number', 'remark', 'expiresAt']));
    }
  };
  return (
    <form className="filters" onSubmit={submit} data-testid="cs-bl-add-form">
      <label className="filter"><span>{t('cs.bl.number')}</span>
        <input value={number} inputMode="tel" onChange={(e) => setNumber(e.target.value)} data-testid="cs-bl-number" /></label>
      <label className="filter"><span>{t('cs.bl.remark')}</span>
        <input value={remark} maxLength={100} onChange={(e) => setRemark(e.target.value)} data-testid="cs-bl-remark" /></label>
      <label className="filter"><span>{t('cs.bl.until')}</span>
        <input type="datetime-local" className="cs-time" value={until} onChange={(e) => setUntil(e.target.value)} data-testid="cs-bl-until" /></label>
      <div className="filter-actions"><button type="submit" className="btn btn-primary" disabled={!number.trim()} data-testid="cs-bl-add">{t('common.add')}</button></div>
      {err && <div className="banner banner-error full" role="alert" data-testid={err.field ? `field-error-${err.field}` : 'cs-bl-error'}>{err.message}</div>}
    </form>
  );
}

export function BlacklistPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useLoad(() => csApi.blacklist({ number: q.trim() || undefined, page, pageSize }), [q, page, pageSize]);
  const general = useEditable(csApi.general, csApi.putGeneral, ['blacklistPrompt', 'blacklistPrompt.text', 'blacklistPrompt.promptId']);
  const remove = async (id: number, number: string) => {
    if (!(await confirm({ message: t('cs.bl.confirmRemove', { number }), danger: true }))) return;
    try {
      await csApi.removeBlacklist(id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    list.reload();
  };
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('nav.csBlacklist')}>{t('cs.bl.desc')}</PageHeader>
      <section className="card">
        <AddForm onAdded={list.reload} />
      </section>
      <section className="card table-card">
        <div className="toolbar card-pad">
          <input className="search-input" placeholder={t('cs.bl.search')} value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} data-testid="cs-bl-search" />
        </div>
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="cs-bl-table">
          <thead><tr><th>{t('cs.bl.number')}</th><th>{t('cs.bl.remark')}</th><th>{t('cs.bl.until')}</th><th>{t('cs.bl.addedBy')}</th><th>{t('cs.bl.addedAt')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id} data-testid={`cs-bl-row-${b.number}`}>
                <td><code>{b.number}</code></td>
                <td className="wrap">{b.remark || '—'}</td>
                <td>{b.expiresAt ? formatTime(b.expiresAt) : t('cs.bl.forever')}</td>
                <td>{b.createdBy?.name ?? '—'}</td>
                <td>{formatTime(b.createdAt)}</td>
                <td className="col-actions"><button type="button" className="link link-danger" onClick={() => void remove(b.id, b.number)} data-testid="cs-bl-remove">{t('cs.bl.remove')}</button></td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={6} className="table-empty">{list.loading ? t('common.loading') : t('cs.bl.empty')}</td></tr>}
          </tbody>
        </table>
        {list.data && <Pager page={page} pageSize={pageSize} total={list.data.total} onPage={setPage} onPageSize={(n) => (setPageSize(n), setPage(1))} />}
      </section>
      {general.value && (
        <section className="card form cs-card" data-testid="cs-bl-prompt">
          <h2>{t('cs.bl.prompt')}</h2>
          <Row label={t('cs.bl.promptLabel')} hint={t('cs.bl.promptHint')} error={general.error?.field ? general.error.message : undefined}>
            <PromptField nullable value={general.value.blacklistPrompt} onChange={(p) => general.set({ blacklistPrompt: p })} testId="cs-bl-prompt-field" />
          </Row>
          <SaveBar e={general} testId="cs-bl-prompt-save" />
        </section>
      )}
    </>
  );
}
