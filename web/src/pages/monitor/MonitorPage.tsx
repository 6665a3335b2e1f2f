// 实时监控: agents on both axes (status and dispatch) with since-when, queues with their waiting calls, live
// calls, and a chart of waiting calls and agents by state over the last minutes — polled from the ACD's
// snapshot every 2 s. Supervisors in scope force an agent's status (示闲/示忙/小休/签出) and end a call (强拆).
import { useEffect, useRef, useState } from 'react';
import { useConfirm } from '../../components/Confirm';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { errorText, useInterval, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { duration } from '../records/format';
import { monitorApi, type ForcedStatus, type LiveCall, type MonitorAgent, type MonitorSnapshot } from './monitor-api';
import { TrendChart, type Series } from './TrendChart';
import './monitor.css';

const POLL_MS = 2000;
const WINDOW_MS = 10 * 60_000;

interface Sample { at: number; waiting: number; idle: number; inCall: number; ringing: number; away: number }

function sampleOf(s: MonitorSnapshot, groupId: number | ''): Sample {
  const agents = s.agents.filter((a) => groupId === '' || a.skillGroupIds.includes(groupId));
  const queues = s.queues.filter((q) => groupId === '' || q.skillGroupId === groupId);
  return {
    at: s.at,
    waiting: queues.reduce((n, q) => n + q.waiting, 0),
    idle: agents.filter((a) => a.status === 'idle' && a.dispatch === 'waiting').length,
    inCall: agents.filter((a) => a.dispatch === 'in-call').length,
    ringing: agents.filter((a) => a.dispatch === 'ringing' || a.dispatch === 'reserved').length,
    away: agents.filter((a) => a.status === 'busy' || a.status === 'break' || a.status === 'acw').length,
  };
}

function Since({ at, now }: { at: number; now: number }) {
  return <span className="muted small mon-since">{duration(now - at)}</span>;
}

const STATUS_BADGE: Record<string, string> = { idle: 'badge-ok', busy: 'badge-warn', break: 'badge-warn', acw: 'badge-muted', offline: 'badge-muted' };

function AgentActions({ a, reasons, onDone }: { a: MonitorAgent; reasons: { id: number; name: string }[] | null; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [choice, setChoice] = useState('');
  if (a.status === 'offline') return <span className="muted small">—</span>;
  const apply = async (value: string) => {
    setChoice('');
    const s: ForcedStatus | null = value.startsWith('break:') ? { status: 'break', breakReasonId: Number(value.slice(6)) }
      : value === 'idle' || value === 'busy' || value === 'offline' ? { status: value } : null;
    if (!s) return;
    if (s.status === 'offline' && !(await confirm({ message: t('mon.confirmOffline', { name: a.name }), danger: true }))) return;
    try {
      await monitorApi.setStatus(a.agentId, s);
      toast.success(t('mon.statusSet'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    onDone();
  };
  return (
    <select value={choice} onChange={(e) => void apply(e.target.value)} data-testid="mon-agent-force" aria-label={t('mon.force')}>
      <option value="">{t('mon.force')}</option>
      {a.status !== 'idle' && <option value="idle">{t('mon.set.idle')}</option>}
      {a.status !== 'busy' && <option value="busy">{t('mon.set.busy')}</option>}
      {(reasons ?? []).map((r) => <option key={r.id} value={`break:${r.id}`}>{t('mon.set.break', { reason: r.name })}</option>)}
      <option value="offline">{t('mon.set.offline')}</option>
    </select>
  );
}

export function MonitorPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const snap = useLoad(() => monitorApi.snapshot(), []);
  const calls = useLoad(() => monitorApi.calls().catch(() => [] as LiveCall[]), []);
  const reasons = useLoad(() => monitorApi.breakReasons().catch(() => null), []);
  const [groupId, setGroupId] = useState<number | ''>('');
  const [samples, setSamples] = useState<Sample[]>([]);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const lastAt = useRef(0);

  useInterval(() => {
    snap.reload();
    calls.reload();
  }, POLL_MS);

  // Each new snapshot is one sample of the chart (kept for the window; a filter change starts over).
  useEffect(() => {
    const s = snap.data;
    if (!s || s.at === lastAt.current) return;
    lastAt.current = s.at;
    setSamples((prev) => [...prev.filter((p) => p.at > s.at - WINDOW_MS), sampleOf(s, groupId)]);
  }, [snap.data, groupId]);
  useEffect(() => setSamples(snap.data ? [sampleOf(snap.data, groupId)] : []), [groupId]); // eslint-disable-line react-hooks/exhaustive-deps

  const s = snap.data;
  const now = s?.at ?? Date.now();
  const groupName = new Map((s?.queues ?? []).filter((q) => q.skillGroupId !== null).map((q) => [q.skillGroupId!, q.name]));
  const agents = (s?.agents ?? []).filter((a) => groupId === '' || a.skillGroupIds.includes(groupId));
  const queues = (s?.queues ?? []).filter((q) => groupId === '' || q.skillGroupId === groupId);
  const agentName = new Map((s?.agents ?? []).map((a) => [a.agentId, a.staffNo ? `${a.name}（${a.staffNo}）` : a.name]));
  const live = (calls.data ?? []).filter((c) => groupId === '' || c.agentIds.some((id) => agents.some((a) => a.agentId === id)) || queues.some((q) => q.entries.some((e) => e.callId === c.id)));
  const cur = samples.at(-1);
  const count = (st: string) => agents.filter((a) => a.status === st).length;

  const hangup = async (c: LiveCall) => {
    if (!(await confirm({ message: t('mon.confirmHangup', { caller: c.caller, callee: c.callee }), danger: true }))) return;
    try {
      await monitorApi.hangup(c.id);
      toast.success(t('mon.hungUp'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    calls.reload();
    snap.reload();
  };

  const series: Series[] = [
    { key: 'waiting', label: t('mon.series.waiting'), color: '#d9485f', values: samples.map((p) => p.waiting) },
    { key: 'idle', label: t('mon.series.idle'), color: '#1f9d6b', values: samples.map((p) => p.idle) },
    { key: 'inCall', label: t('mon.series.inCall'), color: '#2f6fde', values: samples.map((p) => p.inCall) },
    { key: 'ringing', label: t('mon.series.ringing'), color: '#e09a17', values: samples.map((p) => p.ringing) },
    { key: 'away', label: t('mon.series.away'), color: '#8a94a6', values: samples.map((p) => p.away) },
  ];

  return (
    <>
      <PageHeader title={t('nav.monitor')}
        actions={(
          <label className="check-inline">
            <span className="muted">{t('rec.col.skillGroup')}</span>
            <select value={groupId} onChange={(e) => setGroupId(e.target.value ? Number(e.target.value) : '')} data-testid="mon-group">
              <option value="">{t('common.all')}</option>
              {[...groupName].map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </label>
        )}>
        {t('mon.desc')}
      </PageHeader>
      {snap.error != null && <div className="banner banner-error" role="alert">{errorText(snap.error, t)}</div>}
      <div className="mon-stats" data-testid="mon-stats">
        {([
          ['waiting', cur?.waiting ?? 0], ['online', agents.filter((a) => a.status !== 'offline').length], ['idle', count('idle')],
          ['inCall', cur?.inCall ?? 0], ['busy', count('busy')], ['break', count('break')], ['acw', count('acw')],
        ] as const).map(([k, v]) => (
          <div key={k} className="mon-stat card" data-testid={`mon-stat-${k}`} data-value={v}>
            <span className="muted small">{t(`mon.stat.${k}` as MessageKey)}</span>
            <b>{v}</b>
          </div>
        ))}
      </div>
      <section className="card">
        <h2>{t('mon.chart.title')}</h2>
        <TrendChart series={series} times={samples.map((p) => p.at)} windowMs={WINDOW_MS} testId="mon-chart" />
      </section>
      <section className="card table-card">
        <div className="card-pad"><h2>{t('mon.queues')}</h2></div>
        <table className="table" data-testid="mon-queues">
          <thead><tr>
            <th>{t('rec.col.skillGroup')}</th><th className="num">{t('mon.q.waiting')}</th><th className="num">{t('mon.q.callbacks')}</th>
            <th className="num">{t('mon.q.longest')}</th><th className="num">{t('mon.q.online')}</th><th className="num">{t('mon.q.idle')}</th><th className="col-actions" />
          </tr></thead>
          <tbody>
            {queues.map((q) => {
              const key = String(q.skillGroupId);
              return [
                <tr key={key} data-testid={`mon-queue-${q.name}`} data-waiting={q.waiting}>
                  <td>{q.name}</td>
                  <td className="num" data-testid="mon-queue-waiting">{q.waiting}</td>
                  <td className="num">{q.callbacks}</td>
                  <td className="num">{duration(q.longestWaitMs)}</td>
                  <td className="num">{q.onlineAgents}</td>
                  <td className="num">{q.idleAgents}</td>
                  <td className="col-actions">
                    {q.entries.length > 0 && (
                      <button type="button" className="link" onClick={() => setOpen((o) => ({ ...o, [key]: !o[key] }))} data-testid="mon-queue-toggle">
                        {open[key] ? t('mon.q.hide') : t('mon.q.show', { n: q.entries.length })}
                      </button>
                    )}
                  </td>
                </tr>,
                open[key] && q.entries.map((e) => (
                  <tr key={`${key}:${e.callId}:${e.kind}`} className="mon-entry" data-testid="mon-queue-entry">
                    <td colSpan={2}>#{e.waitNo} {e.callerNumber}{e.kind === 'callback' && <span className="badge badge-muted badge-inline">{t('mon.q.callback')}</span>}</td>
                    <td colSpan={2} className="num">{duration(e.waitedMs)}</td>
                    <td colSpan={3}>{e.ringing ? <span className="badge badge-warn">{t('mon.q.ringing')}</span> : <span className="muted">{t('mon.q.inLine')}</span>}</td>
                  </tr>
                )),
              ];
            })}
            {!queues.length && <tr><td colSpan={7} className="table-empty">{snap.loading ? t('common.loading') : t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="card table-card">
        <div className="card-pad"><h2>{t('mon.agents')}</h2></div>
        <table className="table" data-testid="mon-agents">
          <thead><tr>
            <th>{t('mon.a.agent')}</th><th>{t('mon.a.status')}</th><th>{t('mon.a.dispatch')}</th><th>{t('mon.a.device')}</th>
            <th className="num">{t('mon.a.callsToday')}</th><th>{t('rec.col.skillGroup')}</th><th className="col-actions">{t('common.actions')}</th>
          </tr></thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.agentId} data-testid={`mon-agent-${a.staffNo ?? a.agentId}`} data-status={a.status} data-dispatch={a.dispatch}>
                <td>{a.name}{a.staffNo && <span className="muted small">（{a.staffNo}）</span>}</td>
                <td data-testid="mon-agent-status">
                  <span className={`badge ${STATUS_BADGE[a.status] ?? 'badge-muted'}`}>
                    {t(`mon.status.${a.status}` as MessageKey)}{a.breakReasonName ? ` · ${a.breakReasonName}` : ''}
                  </span>{' '}
                  <Since at={a.statusSince} now={now} />
                  {a.acwEndsAt && <span className="muted small"> {t('mon.a.acwLeft', { s: Math.max(0, Math.ceil((a.acwEndsAt - now) / 1000)) })}</span>}
                </td>
                <td data-testid="mon-agent-dispatch">
                  {a.status === 'offline' ? <span className="muted">—</span> : <>{t(`mon.dispatch.${a.dispatch}` as MessageKey)} <Since at={a.dispatchSince} now={now} /></>}
                </td>
                <td className="small">
                  {[a.presence.web && t('mon.a.web'), a.presence.phoneRegistered && (a.presence.dnd ? t('mon.a.phoneDnd') : t('mon.a.phone'))].filter(Boolean).join(' · ') || '—'}
                </td>
                <td className="num">{a.callsToday}</td>
                <td className="small">{a.skillGroupIds.map((g) => groupName.get(g) ?? g).join('、') || '—'}</td>
                <td className="col-actions"><AgentActions a={a} reasons={reasons.data ?? null} onDone={snap.reload} /></td>
              </tr>
            ))}
            {!agents.length && <tr><td colSpan={7} className="table-empty">{snap.loading ? t('common.loading') : t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="card table-card">
        <div className="card-pad"><h2>{t('mon.calls')}</h2></div>
        <table className="table" data-testid="mon-calls">
          <thead><tr>
            <th>{t('rec.col.direction')}</th><th>{t('rec.col.caller')}</th><th>{t('rec.col.callee')}</th><th>{t('mon.c.state')}</th>
            <th className="num">{t('mon.c.duration')}</th><th>{t('rec.col.agent')}</th><th className="col-actions">{t('common.actions')}</th>
          </tr></thead>
          <tbody>
            {live.map((c) => (
              <tr key={c.id} data-testid={`mon-call-${c.id}`}>
                <td>{t(`rec.dir.${c.direction}` as MessageKey)}</td>
                <td>{c.caller}</td>
                <td>{c.callee}</td>
                <td>{c.state}{c.held && <span className="badge badge-warn badge-inline">{t('mon.c.held')}</span>}{c.muted && <span className="badge badge-muted badge-inline">{t('mon.c.muted')}</span>}</td>
                <td className="num">{duration(now - (c.answeredAt ?? c.startedAt))}</td>
                <td>{c.agentIds.map((id) => agentName.get(id) ?? id).join('、') || '—'}</td>
                <td className="col-actions">
                  <button type="button" className="link link-danger" onClick={() => void hangup(c)} data-testid="mon-call-hangup">{t('mon.c.hangup')}</button>
                </td>
              </tr>
            ))}
            {!live.length && <tr><td colSpan={7} className="table-empty">{t('mon.c.none')}</td></tr>}
          </tbody>
        </table>
      </section>
    </>
  );
}
