// 号码管理: the channels' numbers with their sending prefix and state (待生效 → 已生效), and — for users who
// may manage IVRs — the IVR flow and version each number's calls run (bound from the number's settings).
import { useState, type FormEvent } from 'react';
import { channelsApi, type ChannelNumber, type NumberState } from '../api-channels';
import { ivrApi } from '../api-ivr';
import type { IvrBinding, IvrFlow } from '../api-ivr-types';
import { useAuth } from '../auth';
import { useConfirm } from '../components/Confirm';
import { Field, FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';

type ChannelRef = { id: number; name: string };

function NumberDialog({ number, channels, onClose, onSaved }: {
  number: ChannelNumber | null; channels: ChannelRef[]; onClose: () => void; onSaved: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [value, setValue] = useState(number?.number ?? '');
  const [channelId, setChannelId] = useState<number | ''>(number?.channelId ?? channels[0]?.id ?? '');
  const [sendPrefix, setSendPrefix] = useState(number?.sendPrefix ?? '');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = value.replace(/[\s-]/g, '');
    if (!number && !/^\+?[0-9]{3,20}$/.test(n)) return setErr({ field: 'number', message: t('ivr.bind.numberRule') });
    if (channelId === '') return setErr({ field: 'channelId', message: t('number.chooseChannel') });
    if (!/^[0-9*#+]{0,8}$/.test(sendPrefix)) return setErr({ field: 'sendPrefix', message: t('number.prefixRule') });
    setBusy(true);
    setErr(null);
    try {
      if (number) await channelsApi.updateNumber(number.id, { channelId, sendPrefix });
      else await channelsApi.createNumber({ number: n, channelId, ...(sendPrefix ? { sendPrefix } : {}) });
      toast.success(number ? t('common.saved') : t('number.created'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, ['number', 'channelId', 'sendPrefix']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={number ? t('number.edit') : t('number.add')} onClose={onClose} testId="number-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="number-dialog-error" />
        <Field label={t('number.number')} name="number" error={fe('number')} hint={number ? t('agent.readonlyHint') : t('number.numberHint')} htmlFor="number-number">
          <input id="number-number" inputMode="tel" value={value} disabled={!!number} onChange={(e) => setValue(e.target.value)} data-testid="number-field-number" />
        </Field>
        <Field label={t('number.channel')} name="channelId" error={fe('channelId')}>
          <select value={channelId} onChange={(e) => setChannelId(e.target.value ? Number(e.target.value) : '')} data-testid="number-field-channel">
            <option value="">{t('number.chooseChannel')}</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Field>
        <Field label={t('number.sendPrefix')} name="sendPrefix" optional error={fe('sendPrefix')} hint={t('number.prefixHint')} htmlFor="number-prefix">
          <input id="number-prefix" className="input-narrow" maxLength={8} value={sendPrefix} onChange={(e) => setSendPrefix(e.target.value)} data-testid="number-field-sendPrefix" />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="number-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

/** 绑定 IVR from the number's settings: an inbound flow and one of its published versions, or none. */
function IvrBindDialog({ number, binding, flows, onClose, onSaved }: {
  number: ChannelNumber; binding: IvrBinding | undefined; flows: IvrFlow[]; onClose: () => void; onSaved: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const inbound = flows.filter((f) => f.kind === 'inbound');
  const [flowId, setFlowId] = useState<number | ''>(binding?.flowId ?? '');
  const flow = inbound.find((f) => f.id === flowId);
  const [version, setVersion] = useState(binding?.version ?? '');
  const [err, setErr] = useState('');
  const published = flow?.versions.filter((v) => v.published) ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr('');
    try {
      if (flowId === '') {
        if (binding) await ivrApi.unbindIvrNumber(number.number);
        toast.success(t('ivr.bind.unbound'));
      } else {
        if (!version) return setErr(t('ivr.bind.publishFirst'));
        await ivrApi.bindIvrNumber(number.number, flowId, version);
        toast.success(t('ivr.bind.done', { number: number.number }));
      }
      onSaved();
    } catch (x) {
      setErr(errorText(x, t));
    }
  };

  return (
    <Modal title={t('number.ivrTitle', { number: number.number })} onClose={onClose} testId="number-ivr-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err || undefined} testId="number-ivr-error" />
        <Field label={t('number.ivr')} name="flowId">
          <select value={flowId} data-testid="number-ivr-flow" onChange={(e) => {
            const id = e.target.value ? Number(e.target.value) : '';
            setFlowId(id);
            setVersion(inbound.find((f) => f.id === id)?.versions.find((v) => v.published)?.version ?? '');
          }}>
            <option value="">{t('number.noIvr')}</option>
            {inbound.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </Field>
        {flowId !== '' && (
          <Field label={t('ivr.version.label')} name="version" hint={published.length ? t('ivr.bind.hint') : t('ivr.bind.publishFirst')}>
            <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="number-ivr-version">
              {published.length === 0 && <option value="">—</option>}
              {published.map((v) => <option key={v.version} value={v.version}>{v.version} (r{v.published!.revision})</option>)}
            </select>
          </Field>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" data-testid="number-ivr-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

export function NumbersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const toast = useToast();
  const confirm = useConfirm();
  const [channelId, setChannelId] = useState<number | ''>('');
  const [state, setState] = useState<NumberState | ''>('');
  const numbers = useLoad(() => channelsApi.numbers({ channelId, state }), [channelId, state]);
  const all = useLoad(() => channelsApi.numbers(), []);
  const channelList = useLoad(() => (can('channels') ? channelsApi.channels().catch(() => null) : Promise.resolve(null)), []);
  const withIvr = can('ivr');
  const bindings = useLoad(() => (withIvr ? ivrApi.ivrBindings().catch(() => []) : Promise.resolve([])), []);
  const flows = useLoad(() => (withIvr ? ivrApi.ivrFlows().catch(() => []) : Promise.resolve([])), []);
  const [editing, setEditing] = useState<ChannelNumber | 'new' | null>(null);
  const [binding, setBinding] = useState<ChannelNumber | null>(null);

  // Without the channels permission the channel names come from the numbers themselves.
  const channels: ChannelRef[] = channelList.data
    ? channelList.data.map((c) => ({ id: c.id, name: c.name }))
    : [...new Map((all.data ?? []).map((n) => [n.channelId, { id: n.channelId, name: n.channelName }])).values()];

  const reload = () => {
    numbers.reload();
    all.reload();
  };
  const activate = async (n: ChannelNumber) => {
    if (!(await confirm({ message: t('number.confirmActivate', { number: n.number }) }))) return;
    try {
      await channelsApi.activateNumber(n.id);
      toast.success(t('number.activated'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    reload();
  };
  const remove = async (n: ChannelNumber) => {
    if (!(await confirm({ message: t('number.confirmDelete', { number: n.number }), danger: true }))) return;
    try {
      await channelsApi.deleteNumber(n.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    reload();
  };

  const items = numbers.data ?? [];
  const bindingOf = (n: string) => (bindings.data ?? []).find((b) => b.number === n);
  const cols = withIvr ? 7 : 6;
  return (
    <>
      <PageHeader title={t('nav.numbers')}
        actions={<button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="number-add">{t('number.add')}</button>}>
        {t('number.desc')}
      </PageHeader>
      <div className="filters card" data-testid="number-filters">
        <label className="filter">
          <span>{t('number.channel')}</span>
          <select value={channelId} onChange={(e) => setChannelId(e.target.value ? Number(e.target.value) : '')} data-testid="number-filter-channel">
            <option value="">{t('common.all')}</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label className="filter">
          <span>{t('number.state')}</span>
          <select value={state} onChange={(e) => setState(e.target.value as NumberState | '')} data-testid="number-filter-state">
            <option value="">{t('common.all')}</option>
            <option value="pending">{t('number.state.pending')}</option>
            <option value="effective">{t('number.state.effective')}</option>
          </select>
        </label>
      </div>
      <section className="card table-card">
        {numbers.error != null && <div className="banner banner-error" role="alert">{errorText(numbers.error, t)}</div>}
        <table className="table" data-testid="number-table">
          <thead>
            <tr>
              <th>{t('number.number')}</th>
              <th>{t('number.channel')}</th>
              <th>{t('number.sendPrefix')}</th>
              <th>{t('number.state')}</th>
              {withIvr && <th>{t('number.ivr')}</th>}
              <th>{t('number.createdAt')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((n) => {
              const b = bindingOf(n.number);
              return (
                <tr key={n.id} data-testid={`number-row-${n.number}`} data-state={n.state}>
                  <td><code>{n.number}</code></td>
                  <td>{n.channelName}</td>
                  <td>{n.sendPrefix || '—'}</td>
                  <td data-testid="number-state">
                    <span className={`badge ${n.state === 'effective' ? 'badge-ok' : 'badge-warn'}`}>{t(`number.state.${n.state}` as MessageKey)}</span>
                    {n.effectiveAt && <div className="muted small">{formatTime(n.effectiveAt)}</div>}
                  </td>
                  {withIvr && (
                    <td data-testid="number-ivr">
                      {b ? <Link to={`/ivr/flows/${b.flowId}/${b.version}`}>{b.flowName} · {b.version}</Link> : <span className="muted">{t('number.noIvr')}</span>}
                    </td>
                  )}
                  <td>{formatTime(n.createdAt)}</td>
                  <td className="col-actions">
                    {withIvr && <button type="button" className="link" onClick={() => setBinding(n)} data-testid="number-bind-ivr">{t('number.bindIvr')}</button>}
                    {n.state === 'pending' && <button type="button" className="link" onClick={() => void activate(n)} data-testid="number-activate">{t('number.activate')}</button>}
                    <button type="button" className="link" onClick={() => setEditing(n)} data-testid="number-edit">{t('common.edit')}</button>
                    <button type="button" className="link link-danger" onClick={() => void remove(n)} data-testid="number-delete">{t('common.delete')}</button>
                  </td>
                </tr>
              );
            })}
            {items.length === 0 && <tr><td colSpan={cols} className="table-empty">{numbers.loading ? t('common.loading') : t('number.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {editing && (
        <NumberDialog number={editing === 'new' ? null : editing} channels={channels} onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }} />
      )}
      {binding && (
        <IvrBindDialog number={binding} binding={bindingOf(binding.number)} flows={flows.data ?? []} onClose={() => setBinding(null)}
          onSaved={() => {
            setBinding(null);
            bindings.reload();
          }} />
      )}
    </>
  );
}
