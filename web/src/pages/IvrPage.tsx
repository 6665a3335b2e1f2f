// IVR 管理: tabs for the flows (新建并选择模板, versions, bindings), 放音文件管理, 热词, number bindings and 语音设置;
// /ivr/flows/<id>[/<version>] opens the canvas designer.
import { useState, type FormEvent } from 'react';
import { ivrApi } from '../api-ivr';
import type { IvrFlow } from '../api-ivr-types';
import { useConfirm } from '../components/Confirm';
import { PageHeader } from '../components/Layout';
import { useToast } from '../components/Toast';
import { errorText, formatTime, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { Link, navigate, usePath } from '../router';
import { BindDialog, EditFlowDialog, NewFlowDialog, VersionsDialog } from './ivr/FlowDialogs';
import { HotWordsPanel } from './ivr/HotWordsPanel';
import { IvrDesigner } from './ivr/IvrDesigner';
import { PromptsPanel } from './ivr/PromptsPanel';
import { SpeechPanel } from './ivr/SpeechPanel';

const TABS = [
  { id: 'flows', path: '/ivr', label: 'ivr.tab.flows' },
  { id: 'prompts', path: '/ivr/prompts', label: 'ivr.tab.prompts' },
  { id: 'hot-words', path: '/ivr/hot-words', label: 'ivr.tab.hotWords' },
  { id: 'bindings', path: '/ivr/bindings', label: 'ivr.tab.bindings' },
  { id: 'speech', path: '/ivr/speech', label: 'ivr.tab.speech' },
] as const;

export function IvrPage() {
  const path = usePath();
  const { t } = useI18n();
  const m = /^\/ivr\/flows\/(\d+)(?:\/(MAIN|\d+))?\/?$/.exec(path);
  if (m) return <IvrDesigner key={`${m[1]}-${m[2] ?? 'MAIN'}`} flowId={Number(m[1])} version={m[2] ?? 'MAIN'} />;
  const tab = TABS.find((x) => x.path === path) ?? TABS[0];
  return (
    <>
      <PageHeader title={t('nav.ivr')}>{t('ivr.desc')}</PageHeader>
      <div className="tabs" role="tablist">
        {TABS.map((x) => (
          <Link key={x.id} to={x.path} role="tab" aria-selected={x.id === tab.id} className={`tab${x.id === tab.id ? ' on' : ''}`}
            data-testid={`ivr-tab-${x.id}`}>
            {t(x.label)}
          </Link>
        ))}
      </div>
      {tab.id === 'flows' && <FlowsPanel />}
      {tab.id === 'prompts' && <PromptsPanel />}
      {tab.id === 'hot-words' && <HotWordsPanel />}
      {tab.id === 'bindings' && <BindingsPanel />}
      {tab.id === 'speech' && <SpeechPanel />}
    </>
  );
}

function FlowsPanel() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const flows = useLoad(() => ivrApi.ivrFlows(), []);
  const catalog = useLoad(() => ivrApi.ivrCatalog(), []);
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<{ kind: 'edit' | 'versions' | 'bind'; flowId: number } | null>(null);

  const remove = async (f: IvrFlow) => {
    if (!(await confirm({ message: t('ivr.flow.confirmDelete', { name: f.name }), danger: true }))) return;
    try {
      await ivrApi.deleteIvrFlow(f.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    flows.reload();
  };

  const items = flows.data ?? [];
  const open = dialog && items.find((f) => f.id === dialog.flowId);
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="flow-add">{t('ivr.flow.add')}</button>
      </div>
      <section className="card table-card">
        {flows.error != null && <div className="banner banner-error" role="alert">{errorText(flows.error, t)}</div>}
        <table className="table" data-testid="flow-table">
          <thead>
            <tr>
              <th>{t('ivr.flow.name')}</th>
              <th>{t('ivr.flow.kind')}</th>
              <th>{t('ivr.flow.numbers')}</th>
              <th>{t('ivr.flow.versions')}</th>
              <th>{t('ivr.version.updated')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} data-testid={`flow-row-${f.name}`} data-kind={f.kind} data-id={f.id}>
                <td>
                  <Link to={`/ivr/flows/${f.id}`} data-testid="flow-name">{f.name}</Link>
                  {f.description && <div className="muted small">{f.description}</div>}
                </td>
                <td>{t(`ivr.kind.${f.kind}`)}</td>
                <td className="wrap" data-testid="flow-numbers">
                  {f.bindings.length ? f.bindings.map((b) => <code key={b.number} className="chip">{b.number} · {b.version}</code>) : <span className="muted">—</span>}
                </td>
                <td className="wrap" data-testid="flow-versions-summary">
                  {f.versions.map((v) => (
                    <span key={v.version} className={`badge badge-inline ${v.published ? (v.unpublishedChanges ? 'badge-warn' : 'badge-ok') : 'badge-muted'}`}
                      title={v.note}>
                      {v.version}{v.published ? ` r${v.published.revision}` : ''}
                    </span>
                  ))}
                </td>
                <td>{formatTime(f.updatedAt)}</td>
                <td className="col-actions">
                  <Link to={`/ivr/flows/${f.id}`} className="link" data-testid="flow-open">{t('ivr.flow.design')}</Link>
                  <button type="button" className="link" onClick={() => setDialog({ kind: 'versions', flowId: f.id })} data-testid="flow-versions">
                    {t('ivr.designer.versions')}
                  </button>
                  {f.kind === 'inbound' && (
                    <button type="button" className="link" onClick={() => setDialog({ kind: 'bind', flowId: f.id })} data-testid="flow-bind">
                      {t('ivr.designer.bind')}
                    </button>
                  )}
                  <button type="button" className="link" onClick={() => setDialog({ kind: 'edit', flowId: f.id })} data-testid="flow-edit">{t('common.edit')}</button>
                  <button type="button" className="link link-danger" onClick={() => void remove(f)} data-testid="flow-delete">{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {items.length === 0 && <tr><td colSpan={6} className="table-empty">{flows.loading ? t('common.loading') : t('ivr.flow.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {creating && (
        <NewFlowDialog catalog={catalog.data} onClose={() => setCreating(false)}
          onCreated={(f) => {
            setCreating(false);
            navigate(`/ivr/flows/${f.id}`);
          }} />
      )}
      {open && dialog?.kind === 'edit' && (
        <EditFlowDialog flow={open} onClose={() => setDialog(null)} onSaved={() => {
          setDialog(null);
          flows.reload();
        }} />
      )}
      {open && dialog?.kind === 'versions' && (
        <VersionsDialog flow={open} onClose={() => setDialog(null)} onOpen={(v) => navigate(`/ivr/flows/${open.id}/${v}`)} onChanged={flows.reload} />
      )}
      {open && dialog?.kind === 'bind' && <BindDialog flow={open} onClose={() => setDialog(null)} onChanged={flows.reload} />}
    </>
  );
}

function BindingsPanel() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const bindings = useLoad(() => ivrApi.ivrBindings(), []);
  const flows = useLoad(() => ivrApi.ivrFlows(), []);
  const [number, setNumber] = useState('');
  const [flowId, setFlowId] = useState<number | ''>('');
  const [version, setVersion] = useState('');
  const [err, setErr] = useState('');

  const inbound = (flows.data ?? []).filter((f) => f.kind === 'inbound');
  const flow = inbound.find((f) => f.id === flowId);
  const published = flow?.versions.filter((v) => v.published) ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = number.trim();
    if (!/^\+?[0-9]{3,20}$/.test(n)) return setErr(t('ivr.bind.numberRule'));
    if (flowId === '' || !version) return setErr(t('ivr.bind.chooseFlow'));
    setErr('');
    try {
      await ivrApi.bindIvrNumber(n, flowId, version);
      toast.success(t('ivr.bind.done', { number: n }));
      setNumber('');
      bindings.reload();
    } catch (x) {
      setErr(errorText(x, t));
    }
  };

  const unbind = async (n: string) => {
    if (!(await confirm({ message: t('ivr.bind.confirmUnbind', { number: n }), danger: true }))) return;
    try {
      await ivrApi.unbindIvrNumber(n);
      toast.success(t('ivr.bind.unbound'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    bindings.reload();
  };

  const items = bindings.data ?? [];
  return (
    <>
      <form className="card filters" onSubmit={submit} data-testid="binding-form">
        <label className="filter">
          <span>{t('ivr.bind.number')}</span>
          <input value={number} onChange={(e) => setNumber(e.target.value)} data-testid="binding-number" />
        </label>
        <label className="filter">
          <span>{t('ivr.flow.name')}</span>
          <select value={flowId} onChange={(e) => {
            const id = e.target.value ? Number(e.target.value) : '';
            setFlowId(id);
            setVersion(inbound.find((f) => f.id === id)?.versions.find((v) => v.published)?.version ?? '');
          }} data-testid="binding-flow">
            <option value="">{t('ivr.bind.chooseFlow')}</option>
            {inbound.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </label>
        <label className="filter">
          <span>{t('ivr.version.label')}</span>
          <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="binding-version">
            {published.length === 0 && <option value="">{flow ? t('ivr.bind.publishFirst') : '—'}</option>}
            {published.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary" data-testid="binding-submit">{t('ivr.bind.submit')}</button>
        </div>
        {err && <div className="banner banner-error full" role="alert" data-testid="binding-error">{err}</div>}
      </form>
      <section className="card table-card">
        <table className="table" data-testid="binding-table">
          <thead>
            <tr>
              <th>{t('ivr.bind.number')}</th>
              <th>{t('ivr.flow.name')}</th>
              <th>{t('ivr.version.label')}</th>
              <th>{t('ivr.version.updated')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.number} data-testid={`binding-row-${b.number}`}>
                <td><code>{b.number}</code></td>
                <td><Link to={`/ivr/flows/${b.flowId}/${b.version}`}>{b.flowName}</Link></td>
                <td>{b.version}</td>
                <td>{formatTime(b.updatedAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link link-danger" onClick={() => void unbind(b.number)} data-testid="binding-unbind">{t('ivr.bind.unbind')}</button>
                </td>
              </tr>
            ))}
            {items.length === 0 && <tr><td colSpan={5} className="table-empty">{bindings.loading ? t('common.loading') : t('ivr.bind.none')}</td></tr>}
          </tbody>
        </table>
      </section>
      <p className="muted small">{t('ivr.bind.pageHint')}</p>
    </>
  );
}
