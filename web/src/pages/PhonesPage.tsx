// SIP 话机: extensions with their binding, live registration state (refreshed every few seconds),
// password on demand; add, edit, bind, reset password, delete. The box's signalling addresses on top.
import { useState } from 'react';
import { directoryApi } from '../api-directory';
import { phonesApi, type OutboundRights, type Phone, type PhoneContact } from '../api-phones';
import { useConfirm } from '../components/Confirm';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { Secret } from '../components/Secret';
import { useToast } from '../components/Toast';
import { errorText, formatTime, useInterval, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { BindDialog, PhoneDialog, ResetPasswordDialog } from './PhoneDialogs';

const REFRESH_MS = 5000;

function Contact({ c }: { c: PhoneContact }) {
  const { t } = useI18n();
  return (
    <div className="contact" data-testid="phone-contact">
      <span data-testid="phone-contact-address">{c.address}</span>
      <span className="badge badge-muted badge-inline">{c.transport.toUpperCase()}</span>
      <div className="muted small" title={c.contact}>
        {c.userAgent || '—'} · {t('phone.expiresIn', { s: Math.max(0, Math.round(c.expiresIn)) })}
      </div>
    </div>
  );
}

export function SipAddresses() {
  const { t } = useI18n();
  const status = useLoad(() => phonesApi.sipStatus(), []);
  if (status.error) return null;
  const s = status.data;
  return (
    <section className="card sip-status" data-testid="sip-status">
      <div className="card-head">
        <h2>{t('sip.statusTitle')}</h2>
        {s && <span className="muted">{t('sip.registeredContacts', { n: s.registeredContacts })}</span>}
      </div>
      {!s ? <p className="muted">{t('common.loading')}</p> : (
        <div className="kv">
          <span className="kv-k">{t('sip.realm')}</span>
          <code data-testid="sip-realm">{s.realm}</code>
          <span className="kv-k">{t('sip.listening')}</span>
          <span className="addr-list" data-testid="sip-listening">
            {s.listening.length === 0 && <span className="muted">—</span>}
            {s.listening.map((l) => (
              <code key={`${l.transport}-${l.ip}-${l.port}`} data-testid={`sip-listen-${l.transport}`}>
                {l.transport.toUpperCase()} {l.ip.includes(':') ? `[${l.ip}]` : l.ip}:{l.port}
              </code>
            ))}
          </span>
        </div>
      )}
    </section>
  );
}

export function PhonesPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const phones = useLoad(() => phonesApi.phones(), []);
  const groups = useLoad(() => directoryApi.skillGroups().catch(() => []), []);
  // Outbound rights come with the SIP channels; until they run the column is left out.
  const rights = useLoad(() => phonesApi.outboundRights().catch(() => null), []);
  const [editing, setEditing] = useState<Phone | 'new' | null>(null);
  const [binding, setBinding] = useState<Phone | null>(null);
  const [resetting, setResetting] = useState<Phone | null>(null);
  const [created, setCreated] = useState<Phone | null>(null);
  const [filter, setFilter] = useState('');

  useInterval(() => phones.reload(), REFRESH_MS);

  const setRights = async (extension: string, r: OutboundRights) => {
    try {
      await phonesApi.setOutboundRights(extension, { outbound: r.outbound, international: r.outbound && r.international });
      toast.success(t('common.saved'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    rights.reload();
  };
  const rightsOf = (extension: string): OutboundRights | undefined => rights.data?.find((r) => r.extension === extension);

  const remove = async (p: Phone) => {
    if (!(await confirm({ message: t('phone.confirmDelete', { extension: p.extension, name: p.name }), danger: true }))) return;
    try {
      await phonesApi.deletePhone(p.id);
      toast.success(t('common.deleted'));
      phones.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const q = filter.trim().toLowerCase();
  const items = (phones.data ?? []).filter((p) =>
    !q || p.extension.includes(q) || p.name.toLowerCase().includes(q) || (p.binding?.name.toLowerCase().includes(q) ?? false));
  const registered = (phones.data ?? []).filter((p) => p.registration.state === 'registered').length;

  return (
    <>
      <PageHeader
        title={t('nav.phones')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="phone-add">
            {t('phone.add')}
          </button>
        }
      >
        {t('phone.desc')}
      </PageHeader>
      <SipAddresses />
      <div className="toolbar">
        <input className="search-input" placeholder={t('phone.filter')} value={filter} onChange={(e) => setFilter(e.target.value)}
          data-testid="phone-filter" />
        <span className="muted" data-testid="phone-summary">
          {t('phone.summary', { total: phones.data?.length ?? 0, registered })} · {t('phone.autoRefresh', { s: REFRESH_MS / 1000 })}
        </span>
      </div>
      <section className="card table-card">
        {phones.error != null && <div className="banner banner-error" role="alert">{errorText(phones.error, t)}</div>}
        <table className="table" data-testid="phone-table">
          <thead>
            <tr>
              <th>{t('phone.extension')}</th>
              <th>{t('phone.name')}</th>
              <th>{t('phone.binding')}</th>
              <th>{t('phone.registration')}</th>
              <th>{t('phone.password')}</th>
              {rights.data && <th>{t('phone.rights')}</th>}
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-testid={`phone-row-${p.extension}`} data-registered={p.registration.state === 'registered'}>
                <td><strong>{p.extension}</strong></td>
                <td>{p.name}</td>
                <td data-testid="phone-binding">
                  {!p.binding ? <span className="muted">{t('phone.bind.none')}</span>
                    : p.binding.kind === 'agent'
                      ? <>{t('phone.bind.agent')}：{p.binding.name}{p.binding.staffNo ? `（${p.binding.staffNo}）` : ''}</>
                      : <>{t('phone.bind.skillGroup')}：{p.binding.name}</>}
                </td>
                <td className="wrap" data-testid="phone-registration" data-state={p.registration.state}>
                  {p.registration.state === 'registered'
                    ? <span className="badge badge-ok">{t('phone.registered')}</span>
                    : <span className="badge badge-muted">{t('phone.unregistered')}</span>}
                  {p.registration.contacts.map((c) => <Contact key={c.contact} c={c} />)}
                </td>
                <td><Secret value={p.password} testId="phone-password" /></td>
                {rights.data && (
                  <td data-testid="phone-rights">
                    {(() => {
                      const r = rightsOf(p.extension) ?? { extension: p.extension, outbound: true, international: false };
                      return (
                        <span className="inline-checks tight">
                          <label className="check-inline">
                            <input type="checkbox" checked={r.outbound} data-testid="phone-rights-outbound"
                              onChange={(e) => void setRights(p.extension, { ...r, outbound: e.target.checked })} />
                            {t('phone.rightsOutbound')}
                          </label>
                          <label className="check-inline">
                            <input type="checkbox" checked={r.outbound && r.international} disabled={!r.outbound} data-testid="phone-rights-international"
                              onChange={(e) => void setRights(p.extension, { ...r, international: e.target.checked })} />
                            {t('phone.rightsInternational')}
                          </label>
                        </span>
                      );
                    })()}
                  </td>
                )}
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setEditing(p)} data-testid="phone-edit">{t('common.edit')}</button>
                  <button type="button" className="link" onClick={() => setBinding(p)} data-testid="phone-bind">{t('phone.bind.action')}</button>
                  <button type="button" className="link" onClick={() => setResetting(p)} data-testid="phone-reset-password">
                    {t('phone.resetPassword')}
                  </button>
                  <button type="button" className="link link-danger" onClick={() => void remove(p)} data-testid="phone-delete">
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr><td colSpan={rights.data ? 7 : 6} className="table-empty">{phones.loading && !phones.data ? t('common.loading') : t('common.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </section>

      {editing && (
        <PhoneDialog
          phone={editing === 'new' ? null : editing}
          groups={groups.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(p, isNew) => {
            setEditing(null);
            if (isNew) setCreated(p);
            phones.reload();
            rights.reload();
          }}
        />
      )}
      {binding && (
        <BindDialog phone={binding} groups={groups.data ?? []} onClose={() => setBinding(null)}
          onSaved={() => { setBinding(null); phones.reload(); }} />
      )}
      {resetting && <ResetPasswordDialog phone={resetting} onClose={() => setResetting(null)} onDone={() => phones.reload()} />}
      {created && (
        <Modal title={t('phone.createdTitle')} onClose={() => setCreated(null)} testId="phone-created-dialog"
          footer={<button type="button" className="btn btn-primary" onClick={() => setCreated(null)} data-testid="phone-created-close">{t('common.close')}</button>}>
          <p>{t('phone.createdHint')}</p>
          <div className="kv">
            <span className="kv-k">{t('phone.extension')}</span><code data-testid="phone-created-extension">{created.extension}</code>
            <span className="kv-k">{t('phone.password')}</span><Secret value={created.password} testId="phone-created-password" />
          </div>
        </Modal>
      )}
      <p className="muted small">{t('phone.lastRefresh', { time: formatTime(Date.now()) })}</p>
    </>
  );
}
