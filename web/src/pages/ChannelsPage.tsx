// 线路 (自有号码接入): channels of the three access modes — public SIP trunk, the carrier's SIP account (the
// box registers out), or an account the customer's gateway registers in — with live registration
// (已注册/未注册/异常), OPTIONS health, concurrent calls and their numbers; refreshed every few seconds.
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { channelsApi, type Channel, type ChannelInput, type ChannelMode, type DeviceType, type Transport } from '../api-channels';
import { Switch } from '../components/CheckList';
import { useConfirm } from '../components/Confirm';
import { Field, FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { Secret } from '../components/Secret';
import { useToast } from '../components/Toast';
import { errorText, fieldError, formatTime, useInterval, useLoad } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import { strongPassword } from './PhoneDialogs';

const DEVICES: DeviceType[] = ['sipTrunk', 'e1t1', 'analog'];
const MODES: ChannelMode[] = ['publicTrunk', 'registerOut', 'registerIn'];
const TRANSPORTS: Transport[] = ['udp', 'tcp', 'tls'];
const PER_UNIT: Record<DeviceType, number> = { analog: 1, e1t1: 30, sipTrunk: 1 };
const FIELDS = [
  'name', 'deviceType', 'capacity', 'mode', 'inboundExtension',
  'publicTrunk', 'publicTrunk.carrierHost', 'publicTrunk.carrierPort', 'publicTrunk.transport', 'publicTrunk.trustedIps',
  'registerOut', 'registerOut.username', 'registerOut.authUsername', 'registerOut.password', 'registerOut.server',
  'registerOut.outboundProxy', 'registerOut.port', 'registerOut.transport', 'registerOut.expires',
  'registerIn', 'registerIn.username', 'registerIn.password',
];

function BoxAddress({ c }: { c: Channel }) {
  const { t } = useI18n();
  const a = c.status.boxAddress;
  return (
    <span className="addr-list" data-testid="channel-box-address">
      {(['udp', 'tcp', 'tls'] as const).filter((k) => a[k]).map((k) => <code key={k}>{k.toUpperCase()} {a[k]}</code>)}
      {!a.udp && !a.tcp && !a.tls && <span className="muted">{t('channel.noAddress')}</span>}
    </span>
  );
}

interface Form {
  name: string; deviceType: DeviceType; capacity: string; mode: ChannelMode; inboundExtension: string; enabled: boolean;
  carrierHost: string; carrierPort: string; ptTransport: Transport; trustedIps: string;
  roUsername: string; roAuthUsername: string; roPassword: string; roServer: string; roProxy: string; roPort: string; roTransport: Transport; roExpires: string;
  riUsername: string; riPassword: string;
}

function initial(c: Channel | null): Form {
  return {
    name: c?.name ?? '', deviceType: c?.deviceType ?? 'sipTrunk', capacity: String(c?.capacity ?? 30), mode: c?.mode ?? 'publicTrunk',
    inboundExtension: c?.inboundExtension ?? '', enabled: c?.enabled ?? true,
    carrierHost: c?.publicTrunk?.carrierHost ?? '', carrierPort: String(c?.publicTrunk?.carrierPort ?? 5060),
    ptTransport: c?.publicTrunk?.transport ?? 'udp', trustedIps: (c?.publicTrunk?.trustedIps ?? []).join('\n'),
    roUsername: c?.registerOut?.username ?? '', roAuthUsername: c?.registerOut?.authUsername ?? '', roPassword: '',
    roServer: c?.registerOut?.server ?? '', roProxy: c?.registerOut?.outboundProxy ?? '', roPort: String(c?.registerOut?.port ?? 5060),
    roTransport: c?.registerOut?.transport ?? 'udp', roExpires: String(c?.registerOut?.expires ?? 3600),
    riUsername: c?.registerIn?.username ?? '', riPassword: '',
  };
}

function ChannelDialog({ channel, onClose, onSaved }: { channel: Channel | null; onClose: () => void; onSaved: (c: Channel, created: boolean) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [f, setF] = useState<Form>(() => initial(channel));
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const fe = (...names: string[]) => (err?.field && names.includes(err.field) ? err.message : undefined);

  const text = (k: keyof Form, testId: string, opts: { type?: string; placeholder?: string; narrow?: boolean } = {}) => (
    <input type={opts.type ?? 'text'} value={f[k] as string} placeholder={opts.placeholder} className={opts.narrow ? 'input-narrow' : undefined}
      onChange={(e) => set(k)(e.target.value as never)} data-testid={testId} autoComplete="off" />
  );
  const transportSelect = (k: 'ptTransport' | 'roTransport', testId: string) => (
    <select value={f[k]} onChange={(e) => set(k)(e.target.value as Transport)} data-testid={testId} className="input-narrow">
      {TRANSPORTS.map((x) => <option key={x} value={x}>{x.toUpperCase()}</option>)}
    </select>
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f.name.trim()) return setErr({ field: 'name', message: t('error.required') });
    const capacity = Number(f.capacity);
    if (!Number.isInteger(capacity) || capacity < 1) return setErr({ field: 'capacity', message: t('channel.capacityRule') });
    if (f.inboundExtension && !/^[1-8][0-9]{3,5}$/.test(f.inboundExtension)) return setErr({ field: 'inboundExtension', message: t('phone.extensionRule') });
    const body: ChannelInput = {
      name: f.name.trim(), deviceType: f.deviceType, capacity, mode: f.mode, enabled: f.enabled,
      inboundExtension: f.inboundExtension.trim() || null,
    };
    if (f.mode === 'publicTrunk') {
      if (!f.carrierHost.trim()) return setErr({ field: 'publicTrunk.carrierHost', message: t('error.required') });
      body.publicTrunk = {
        carrierHost: f.carrierHost.trim(), carrierPort: Number(f.carrierPort) || 5060, transport: f.ptTransport,
        trustedIps: f.trustedIps.split(/[\s,，]+/).map((x) => x.trim()).filter(Boolean),
      };
    } else if (f.mode === 'registerOut') {
      if (!f.roUsername.trim()) return setErr({ field: 'registerOut.username', message: t('error.required') });
      if (!f.roServer.trim()) return setErr({ field: 'registerOut.server', message: t('error.required') });
      const keep = channel?.mode === 'registerOut' && channel.registerOut?.passwordSet;
      if (!f.roPassword && !keep) return setErr({ field: 'registerOut.password', message: t('error.required') });
      body.registerOut = {
        username: f.roUsername.trim(), authUsername: f.roAuthUsername.trim() || null, server: f.roServer.trim(),
        outboundProxy: f.roProxy.trim() || null, port: Number(f.roPort) || 5060, transport: f.roTransport,
        expires: Number(f.roExpires) || 3600, ...(f.roPassword ? { password: f.roPassword } : {}),
      };
    } else {
      if (!f.riUsername.trim()) return setErr({ field: 'registerIn.username', message: t('error.required') });
      if (f.riPassword && !strongPassword(f.riPassword)) return setErr({ field: 'registerIn.password', message: t('phone.passwordRule') });
      body.registerIn = { username: f.riUsername.trim(), ...(f.riPassword ? { password: f.riPassword } : {}) };
    }
    setBusy(true);
    setErr(null);
    try {
      const saved = channel ? await channelsApi.updateChannel(channel.id, body) : await channelsApi.createChannel(body);
      toast.success(channel ? t('channel.updated') : t('channel.created'));
      onSaved(saved, !channel);
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const unit = t(`channel.unit.${f.deviceType}` as MessageKey);
  const maxCalls = (Number(f.capacity) || 0) * PER_UNIT[f.deviceType];
  return (
    <Modal title={channel ? t('channel.edit') : t('channel.add')} onClose={onClose} testId="channel-dialog" wide>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="channel-dialog-error" />
        <Field label={t('channel.name')} name="name" error={fe('name')}>{text('name', 'channel-field-name')}</Field>
        <Field label={t('channel.deviceType')} name="deviceType" error={fe('deviceType')}>
          <div className="radios">
            {DEVICES.map((d) => (
              <label key={d} className="check-inline">
                <input type="radio" checked={f.deviceType === d} onChange={() => set('deviceType')(d)} data-testid={`channel-field-device-${d}`} />
                {t(`channel.device.${d}` as MessageKey)}
              </label>
            ))}
          </div>
        </Field>
        <Field label={t('channel.capacity')} name="capacity" error={fe('capacity')} hint={t('channel.capacityHint', { unit, n: maxCalls })}>
          <span className="with-unit">
            <input type="number" min={1} className="input-num" value={f.capacity} onChange={(e) => set('capacity')(e.target.value)} data-testid="channel-field-capacity" />
            <span className="unit">{unit}</span>
          </span>
        </Field>
        <Field label={t('channel.mode')} name="mode" error={fe('mode', 'publicTrunk', 'registerOut', 'registerIn')}>
          <div className="template-grid">
            {MODES.map((m) => (
              <label key={m} className={`template-card${f.mode === m ? ' on' : ''}`}>
                <input type="radio" checked={f.mode === m} onChange={() => set('mode')(m)} data-testid={`channel-field-mode-${m}`} />
                <strong>{t(`channel.mode.${m}` as MessageKey)}</strong>
                <span className="muted small">{t(`channel.modeHint.${m}` as MessageKey)}</span>
              </label>
            ))}
          </div>
        </Field>
        {f.mode === 'publicTrunk' && (
          <>
            <Field label={t('channel.carrierHost')} name="publicTrunk.carrierHost" error={fe('publicTrunk.carrierHost')} hint={t('channel.carrierHostHint')}>
              {text('carrierHost', 'channel-field-carrierHost', { placeholder: '203.0.113.10' })}
            </Field>
            <Field label={t('channel.port')} name="publicTrunk.carrierPort" error={fe('publicTrunk.carrierPort', 'publicTrunk.transport')}>
              <span className="inline-fields">
                {text('carrierPort', 'channel-field-carrierPort', { type: 'number', narrow: true })}
                {transportSelect('ptTransport', 'channel-field-ptTransport')}
              </span>
            </Field>
            <Field label={t('channel.trustedIps')} name="publicTrunk.trustedIps" optional error={fe('publicTrunk.trustedIps')} hint={t('channel.trustedIpsHint')}>
              <textarea rows={3} value={f.trustedIps} onChange={(e) => set('trustedIps')(e.target.value)} data-testid="channel-field-trustedIps" />
            </Field>
          </>
        )}
        {f.mode === 'registerOut' && (
          <>
            <Field label={t('channel.account')} name="registerOut.username" error={fe('registerOut.username')} hint={t('channel.accountHint')}>
              {text('roUsername', 'channel-field-roUsername')}
            </Field>
            <Field label={t('channel.authUsername')} name="registerOut.authUsername" optional error={fe('registerOut.authUsername')}>
              {text('roAuthUsername', 'channel-field-roAuthUsername')}
            </Field>
            <Field label={t('channel.password')} name="registerOut.password" error={fe('registerOut.password')}
              hint={channel?.registerOut?.passwordSet ? t('channel.passwordKept') : t('channel.passwordCarrier')}>
              {text('roPassword', 'channel-field-roPassword', { type: 'password' })}
            </Field>
            <Field label={t('channel.server')} name="registerOut.server" error={fe('registerOut.server')}>
              {text('roServer', 'channel-field-roServer', { placeholder: 'sip.carrier.example' })}
            </Field>
            <Field label={t('channel.outboundProxy')} name="registerOut.outboundProxy" optional error={fe('registerOut.outboundProxy')}>
              {text('roProxy', 'channel-field-roProxy')}
            </Field>
            <Field label={t('channel.port')} name="registerOut.port" error={fe('registerOut.port', 'registerOut.transport')}>
              <span className="inline-fields">
                {text('roPort', 'channel-field-roPort', { type: 'number', narrow: true })}
                {transportSelect('roTransport', 'channel-field-roTransport')}
              </span>
            </Field>
            <Field label={t('channel.expires')} name="registerOut.expires" error={fe('registerOut.expires')} hint={t('channel.expiresHint')}>
              <span className="with-unit">{text('roExpires', 'channel-field-roExpires', { type: 'number', narrow: true })}<span className="unit">{t('ivr.form.sec')}</span></span>
            </Field>
          </>
        )}
        {f.mode === 'registerIn' && (
          <>
            <Field label={t('channel.gatewayAccount')} name="registerIn.username" error={fe('registerIn.username')} hint={t('channel.gatewayAccountHint')}>
              {text('riUsername', 'channel-field-riUsername')}
            </Field>
            <Field label={t('channel.password')} name="registerIn.password" optional error={fe('registerIn.password')}
              hint={channel?.mode === 'registerIn' ? t('channel.gatewayPasswordKeep') : t('phone.passwordHint')}>
              {text('riPassword', 'channel-field-riPassword')}
            </Field>
            <p className="form-note muted small">{t('channel.tlsHint')}</p>
          </>
        )}
        <Field label={t('channel.inboundExtension')} name="inboundExtension" optional error={fe('inboundExtension')} hint={t('channel.inboundExtensionHint')}>
          {text('inboundExtension', 'channel-field-inboundExtension', { narrow: true })}
        </Field>
        <Field label={t('channel.enabled')} name="enabled">
          <div className="check-inline">
            <Switch checked={f.enabled} onChange={set('enabled')} label={t('channel.enabled')} testId="channel-field-enabled" />
          </div>
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="channel-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

function Registration({ c }: { c: Channel }) {
  const { t } = useI18n();
  const r = c.status.registration;
  if (!r) return <span className="muted">{t('channel.noRegistration')}</span>;
  const cls = r.state === 'registered' ? 'badge-ok' : r.state === 'failed' ? 'badge-bad' : 'badge-muted';
  return (
    <span data-testid="channel-registration" data-state={r.state}>
      <span className={`badge ${cls}`}>{t(`channel.reg.${r.state}` as MessageKey)}</span>
      {r.detail && <div className="muted small">{r.detail}</div>}
      {r.state === 'registered' && r.expiresIn !== null && <div className="muted small">{t('phone.expiresIn', { s: Math.round(r.expiresIn) })}</div>}
    </span>
  );
}

function HealthBadge({ c }: { c: Channel }) {
  const { t } = useI18n();
  const h = c.status.health;
  const cls = h.state === 'up' ? 'badge-ok' : h.state === 'down' ? 'badge-bad' : 'badge-muted';
  return (
    <span data-testid="channel-health" data-state={h.state} title={h.lastCheckedAt ? formatTime(h.lastCheckedAt) : undefined}>
      <span className={`badge ${cls}`}>{t(`channel.health.${h.state}` as MessageKey)}</span>
      {h.rttMs !== null && h.state === 'up' && <span className="muted small"> {h.rttMs} ms</span>}
      {h.detail && h.state !== 'up' && <div className="muted small">{h.detail}</div>}
    </span>
  );
}

function Details({ c }: { c: Channel }) {
  const { t } = useI18n();
  const rows: [string, ReactNode][] = [[t('channel.boxAddress'), <BoxAddress c={c} />]];
  if (c.publicTrunk) {
    rows.push([t('channel.carrierHost'), <code>{c.publicTrunk.carrierHost}:{c.publicTrunk.carrierPort} {c.publicTrunk.transport.toUpperCase()}</code>]);
    rows.push([t('channel.trustedIps'), c.publicTrunk.trustedIps.join('、') || '—']);
  }
  if (c.registerOut) {
    rows.push([t('channel.account'), <code>{c.registerOut.username}{c.registerOut.authUsername ? ` (${c.registerOut.authUsername})` : ''}</code>]);
    rows.push([t('channel.server'), <code>{c.registerOut.server}:{c.registerOut.port} {c.registerOut.transport.toUpperCase()}{c.registerOut.outboundProxy ? ` via ${c.registerOut.outboundProxy}` : ''}</code>]);
    rows.push([t('channel.expires'), `${c.registerOut.expires} ${t('ivr.form.sec')}`]);
  }
  if (c.registerIn) {
    rows.push([t('channel.gatewayAccount'), <code data-testid="channel-gateway-account">{c.registerIn.username}</code>]);
    rows.push([t('channel.password'), <Secret value={c.registerIn.password} testId="channel-gateway-password" />]);
    rows.push([t('channel.gatewayContacts'), (c.status.registration?.contacts ?? []).map((x) => `${x.address} ${x.transport.toUpperCase()} ${x.userAgent}`).join('；') || '—']);
  }
  rows.push([t('channel.inboundExtension'), c.inboundExtension ?? '—']);
  return (
    <div className="kv" data-testid="channel-details">
      {rows.map(([k, v], i) => <Fragment key={i}><span className="kv-k">{k}</span><span>{v}</span></Fragment>)}
    </div>
  );
}

export function ChannelsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const channels = useLoad(() => channelsApi.channels(), []);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [created, setCreated] = useState<Channel | null>(null);
  useInterval(() => channels.reload(), 5000);

  const check = async (c: Channel) => {
    try {
      const r = await channelsApi.checkChannel(c.id);
      toast.info(t('channel.checked', { state: t(`channel.health.${r.status.health.state}` as MessageKey) }));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    channels.reload();
  };
  const toggle = async (c: Channel, enabled: boolean) => {
    try {
      await channelsApi.updateChannel(c.id, { enabled });
    } catch (x) {
      toast.error(errorText(x, t));
    }
    channels.reload();
  };
  const remove = async (c: Channel) => {
    if (!(await confirm({ message: t('channel.confirmDelete', { name: c.name }), danger: true }))) return;
    try {
      await channelsApi.deleteChannel(c.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    channels.reload();
  };

  const items = channels.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.channels')}
        actions={<button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="channel-add">{t('channel.add')}</button>}>
        {t('channel.desc')}
      </PageHeader>
      <section className="card table-card">
        {channels.error != null && <div className="banner banner-error" role="alert">{errorText(channels.error, t)}</div>}
        <table className="table" data-testid="channel-table">
          <thead>
            <tr>
              <th>{t('channel.name')}</th>
              <th>{t('channel.deviceType')}</th>
              <th>{t('channel.mode')}</th>
              <th>{t('channel.registration')}</th>
              <th>{t('channel.healthTitle')}</th>
              <th className="num">{t('channel.calls')}</th>
              <th>{t('channel.numbers')}</th>
              <th>{t('channel.enabled')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <Fragment key={c.id}>
                <tr data-testid={`channel-row-${c.name}`} data-mode={c.mode}>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(open === c.id ? null : c.id)} data-testid="channel-toggle-details"
                      aria-expanded={open === c.id}>
                      {open === c.id ? '▾' : '▸'} {c.name}
                    </button>
                  </td>
                  <td>{t(`channel.device.${c.deviceType}` as MessageKey)} × {c.capacity}</td>
                  <td>{t(`channel.mode.${c.mode}` as MessageKey)}</td>
                  <td><Registration c={c} /></td>
                  <td><HealthBadge c={c} /></td>
                  <td className="num" data-testid="channel-calls">{c.status.activeCalls} / {c.maxCalls}</td>
                  <td className="wrap" data-testid="channel-numbers">
                    {c.numbers.length ? c.numbers.map((n) => (
                      <code key={n.id} className="chip" title={t(`number.state.${n.state}` as MessageKey)}>{n.number}{n.state === 'pending' ? ` · ${t('number.state.pending')}` : ''}</code>
                    )) : <span className="muted">—</span>}
                  </td>
                  <td><Switch checked={c.enabled} onChange={(v) => void toggle(c, v)} label={t('channel.enabled')} testId="channel-enabled" /></td>
                  <td className="col-actions">
                    <button type="button" className="link" onClick={() => void check(c)} data-testid="channel-check">{t('channel.check')}</button>
                    <button type="button" className="link" onClick={() => setEditing(c)} data-testid="channel-edit">{t('common.edit')}</button>
                    <button type="button" className="link link-danger" onClick={() => void remove(c)} data-testid="channel-delete">{t('common.delete')}</button>
                  </td>
                </tr>
                {open === c.id && (
                  <tr className="details-row"><td colSpan={9}><Details c={c} /></td></tr>
                )}
              </Fragment>
            ))}
            {items.length === 0 && <tr><td colSpan={9} className="table-empty">{channels.loading && !channels.data ? t('common.loading') : t('channel.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {editing && (
        <ChannelDialog channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)}
          onSaved={(c, isNew) => {
            setEditing(null);
            if (isNew && c.mode !== 'registerOut') setCreated(c);
            channels.reload();
          }} />
      )}
      {created && (
        <Modal title={t('channel.createdTitle')} onClose={() => setCreated(null)} testId="channel-created-dialog"
          footer={<button type="button" className="btn btn-primary" onClick={() => setCreated(null)} data-testid="channel-created-close">{t('common.close')}</button>}>
          <p>{t(created.mode === 'registerIn' ? 'channel.createdGateway' : 'channel.createdTrunk')}</p>
          <Details c={created} />
        </Modal>
      )}
    </>
  );
}
