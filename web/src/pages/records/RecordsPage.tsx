// 服务记录: the call records in the reader's scope with the manual's filters and paging, three tabs (通话记录,
// 语音信箱, 内线通话), 查看详情, playback and download of recordings, CSV export, and — for users who may change
// settings — 录音保存期限.
import { useState, type FormEvent } from 'react';
import { directoryApi } from '../../api-directory';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/Layout';
import { Pager } from '../../components/Pager';
import { errorText, formatTime, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { fromLocalInput, isMasked, duration, satisfactionText } from './format';
import { RecordDetailDialog, Audio } from './RecordDetailDialog';
import { RetentionDialog } from './RetentionDialog';
import { END_STATUS_CODES, recordsApi, type CallRecord, type RecordQuery } from './records-api';
import './records.css';

type Tab = 'calls' | 'voicemail' | 'internal';
const TABS: Tab[] = ['calls', 'voicemail', 'internal'];

interface Form {
  from: string; to: string; caller: string; callee: string; staffNo: string;
  direction: '' | 'inbound' | 'outbound'; skillGroupId: number | ''; remark: string; endStatus: string;
}
const EMPTY: Form = { from: '', to: '', caller: '', callee: '', staffNo: '', direction: '', skillGroupId: '', remark: '', endStatus: '' };

function toQuery(f: Form, tab: Tab): RecordQuery {
  return {
    from: fromLocalInput(f.from), to: fromLocalInput(f.to), caller: f.caller.trim(), callee: f.callee.trim(), staffNo: f.staffNo.trim(),
    direction: tab === 'internal' ? 'internal' : f.direction, skillGroupId: f.skillGroupId, remark: f.remark.trim(),
    endStatus: f.endStatus, voicemail: tab === 'voicemail' || undefined,
  };
}

function Filters({ tab, form, setForm, groups, statuses, onSearch, onReset }: {
  tab: Tab; form: Form; setForm: (f: Form) => void; groups: { id: number; name: string }[] | null;
  statuses: { code: string; zh: string }[]; onSearch: () => void; onReset: () => void;
}) {
  const { t } = useI18n();
  // A status this build has no string for shows the server's Chinese.
  const label = (s: { code: string; zh: string }) => {
    const key = `rec.end.${s.code}` as MessageKey;
    const text = t(key);
    return text === key ? s.zh : text;
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch();
  };
  const text = (k: 'caller' | 'callee' | 'staffNo' | 'remark', label: MessageKey) => (
    <label className="filter">
      <span>{t(label)}</span>
      <input value={form[k]} maxLength={k === 'remark' ? 100 : 32} onChange={(e) => set(k, e.target.value)} data-testid={`rec-filter-${k}`} />
    </label>
  );
  return (
    <form className="filters card" onSubmit={submit} data-testid="rec-filters">
      <label className="filter">
        <span>{t('rec.filter.from')}</span>
        <input type="datetime-local" className="rec-time" value={form.from} onChange={(e) => set('from', e.target.value)} data-testid="rec-filter-from" />
      </label>
      <label className="filter">
        <span>{t('rec.filter.to')}</span>
        <input type="datetime-local" className="rec-time" value={form.to} onChange={(e) => set('to', e.target.value)} data-testid="rec-filter-to" />
      </label>
      {text('caller', 'rec.col.caller')}
      {text('callee', 'rec.col.callee')}
      {text('staffNo', 'rec.filter.staffNo')}
      {tab !== 'internal' && (
        <label className="filter">
          <span>{t('rec.col.direction')}</span>
          <select value={form.direction} onChange={(e) => set('direction', e.target.value as Form['direction'])} data-testid="rec-filter-direction">
            <option value="">{t('common.all')}</option>
            <option value="inbound">{t('rec.dir.inbound')}</option>
            <option value="outbound">{t('rec.dir.outbound')}</option>
          </select>
        </label>
      )}
      {groups && (
        <label className="filter">
          <span>{t('rec.col.skillGroup')}</span>
          <select value={form.skillGroupId} onChange={(e) => set('skillGroupId', e.target.value ? Number(e.target.value) : '')} data-testid="rec-filter-skillGroup">
            <option value="">{t('common.all')}</option>
            {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </label>
      )}
      {text('remark', 'rec.col.remark')}
      <label className="filter">
        <span>{t('rec.col.endStatus')}</span>
        <select value={form.endStatus} onChange={(e) => set('endStatus', e.target.value)} data-testid="rec-filter-endStatus">
          <option value="">{t('common.all')}</option>
          {statuses.map((c) => <option key={c.code} value={c.code}>{label(c)}</option>)}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit" className="btn btn-primary" data-testid="rec-search">{t('common.search')}</button>
        <button type="button" className="btn" onClick={onReset} data-testid="rec-reset">{t('common.reset')}</button>
      </div>
    </form>
  );
}

function Cell({ n }: { n: string }) {
  const { t } = useI18n();
  return isMasked(n) ? <span title={t('rec.masked')} data-masked="true">{n}</span> : <>{n}</>;
}

function Row({ r, tab, onOpen, playing, onPlay }: { r: CallRecord; tab: Tab; onOpen: () => void; playing: boolean; onPlay: () => void }) {
  const { t } = useI18n();
  const vm = tab === 'voicemail';
  return (
    <>
      <tr data-testid={`rec-row-${r.id}`} data-end-status={r.endStatus}>
        <td>{formatTime(r.startedAt)}</td>
        <td>{t(`rec.dir.${r.direction}` as MessageKey)}</td>
        <td><Cell n={r.caller} /></td>
        <td><Cell n={r.callee} /></td>
        <td>{r.agentName ? <>{r.agentName}{r.staffNo && <span className="muted small">（{r.staffNo}）</span>}</> : '—'}</td>
        {!vm && <td>{r.agentDevice ? t(`rec.device.${r.agentDevice}` as MessageKey) : '—'}</td>}
        <td>{r.skillGroupName ?? '—'}</td>
        <td data-testid="rec-end-status">
          <span className={`badge ${r.endStatus === 'normal' ? 'badge-ok' : 'badge-muted'}`}>{r.endStatusText}</span>
        </td>
        {!vm && <td className="num">{duration(r.ringMs)}</td>}
        <td className="num">{duration(vm && r.voicemail ? r.voicemail.durationMs : r.talkMs)}</td>
        {!vm && <td className="num">{duration(r.totalMs)}</td>}
        {!vm && <td>{r.ivrKeys || '—'}</td>}
        {!vm && <td data-testid="rec-satisfaction">{satisfactionText(r, t('rec.survey.offered'))}</td>}
        {!vm && <td>{r.hangupSide ? t(`rec.side.${r.hangupSide}` as MessageKey) : '—'}</td>}
        <td className="wrap">{r.remark || <span className="muted">—</span>}</td>
        <td className="col-actions">
          <button type="button" className="link" onClick={onOpen} data-testid="rec-open">{t('rec.viewDetail')}</button>
          {(vm ? r.voicemail : r.recording) && (
            <button type="button" className="link" onClick={onPlay} data-testid="rec-play">{playing ? t('rec.hidePlayer') : t('rec.play')}</button>
          )}
        </td>
      </tr>
      {playing && (
        <tr className="rec-player-row">
          <td colSpan={vm ? 10 : 16}>
            {vm ? <Audio src={recordsApi.voicemailUrl(r.id)} name={`${r.id}-voicemail.wav`} testId="rec-row-voicemail" />
              : <Audio src={recordsApi.recordingUrl(r.id)} name={`${r.id}.wav`} testId="rec-row-recording" />}
          </td>
        </tr>
      )}
    </>
  );
}

export function RecordsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState<Tab>('calls');
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<Form>(EMPTY);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [open, setOpen] = useState<string | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [retention, setRetention] = useState(false);
  const q = toQuery(applied, tab);
  const list = useLoad(() => recordsApi.list({ ...q, page, pageSize }), [JSON.stringify(q), page, pageSize]);
  // The group filter needs the group names; a role without 技能组管理 filters without it.
  const groups = useLoad(() => directoryApi.skillGroups().then((g) => g.map(({ id, name }) => ({ id, name }))).catch(() => null), []);
  const statuses = useLoad(() => recordsApi.endStatuses().catch(() => END_STATUS_CODES.map((code) => ({ code, zh: code }))), []);

  const search = () => {
    setApplied(form);
    setPage(1);
    list.reload();
  };
  const switchTab = (next: Tab) => {
    setTab(next);
    setPage(1);
    setPlaying(null);
  };
  const items = list.data?.items ?? [];
  const vm = tab === 'voicemail';
  const cols: MessageKey[] = vm
    ? ['rec.col.startedAt', 'rec.col.direction', 'rec.col.caller', 'rec.col.callee', 'rec.col.agent', 'rec.col.skillGroup', 'rec.col.endStatus', 'rec.col.voicemailLength', 'rec.col.remark']
    : ['rec.col.startedAt', 'rec.col.direction', 'rec.col.caller', 'rec.col.callee', 'rec.col.agent', 'rec.col.device', 'rec.col.skillGroup', 'rec.col.endStatus',
      'rec.col.ringMs', 'rec.col.talkMs', 'rec.col.totalMs', 'rec.col.ivrKeys', 'rec.col.satisfaction', 'rec.col.hangupSide', 'rec.col.remark'];
  return (
    <>
      <PageHeader title={t('nav.records')}
        actions={(
          <>
            {can('settings') && <button type="button" className="btn" onClick={() => setRetention(true)} data-testid="rec-retention">{t('rec.retention')}</button>}
            <a className="btn" href={recordsApi.exportUrl(q)} download="call-records.csv" data-testid="rec-export">{t('rec.export')}</a>
          </>
        )}>
        {t('rec.desc')}
      </PageHeader>
      <nav className="tabs" data-testid="rec-tabs">
        {TABS.map((x) => (
          <button key={x} type="button" className={`tab link${tab === x ? ' on' : ''}`} onClick={() => switchTab(x)} data-testid={`rec-tab-${x}`} aria-pressed={tab === x}>
            {t(`rec.tab.${x}` as MessageKey)}
          </button>
        ))}
      </nav>
      <Filters tab={tab} form={form} setForm={setForm} groups={groups.data ?? null} statuses={statuses.data ?? []} onSearch={search}
        onReset={() => {
          setForm(EMPTY);
          setApplied(EMPTY);
          setPage(1);
        }} />
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="rec-table" data-tab={tab}>
          <thead>
            <tr>
              {cols.map((c) => <th key={c}>{t(c)}</th>)}
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <Row key={r.id} r={r} tab={tab} onOpen={() => setOpen(r.id)} playing={playing === r.id}
                onPlay={() => setPlaying((p) => (p === r.id ? null : r.id))} />
            ))}
            {items.length === 0 && (
              <tr><td colSpan={cols.length + 1} className="table-empty">{list.loading ? t('common.loading') : t(vm ? 'rec.emptyVoicemail' : 'rec.empty')}</td></tr>
            )}
          </tbody>
        </table>
        {list.data && (
          <Pager page={page} pageSize={pageSize} total={list.data.total} onPage={setPage}
            onPageSize={(n) => {
              setPageSize(n);
              setPage(1);
            }} />
        )}
      </section>
      {open && <RecordDetailDialog id={open} onClose={() => setOpen(null)} onChanged={list.reload} />}
      {retention && <RetentionDialog onClose={() => setRetention(false)} />}
    </>
  );
}
