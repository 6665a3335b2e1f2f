// 上线状态与小休原因: default status after login (示闲/示忙) and the break reasons list.
import { useState, type FormEvent } from 'react';
import { settingsApi, type BreakReason, type StatusSettings } from '../api-settings';
import { Switch } from '../components/CheckList';
import { PageHeader } from '../components/Layout';
import { useToast } from '../components/Toast';
import { errorText, useLoad } from '../hooks';
import { useI18n } from '../i18n';

const STATUSES: StatusSettings['defaultStatus'][] = ['idle', 'busy'];

function ReasonRow({ reason, onChanged }: { reason: BreakReason; onChanged: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(reason.name);
  const [busy, setBusy] = useState(false);

  const update = async (p: { name?: string; enabled?: boolean }) => {
    setBusy(true);
    try {
      await settingsApi.updateBreakReason(reason.id, p);
      toast.success(t('common.saved'));
      setEditing(false);
      onChanged();
    } catch (x) {
      toast.error(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  const rename = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || name.trim() === reason.name) return setEditing(false);
    void update({ name: name.trim() });
  };

  return (
    <tr data-testid={`break-reason-row-${reason.name}`} data-enabled={reason.enabled}>
      <td>
        {editing ? (
          <form className="inline-edit" onSubmit={rename}>
            <input value={name} autoFocus onChange={(e) => setName(e.target.value)} data-testid="break-reason-name-input"
              onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setName(reason.name), setEditing(false))} />
            <button type="submit" className="btn btn-sm btn-primary" disabled={busy} data-testid="break-reason-rename-save">
              {t('common.save')}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => (setName(reason.name), setEditing(false))}>
              {t('common.cancel')}
            </button>
          </form>
        ) : (
          <span className={reason.enabled ? '' : 'muted'}>{reason.name}</span>
        )}
      </td>
      <td>
        <div className="check-inline">
          <Switch checked={reason.enabled} disabled={busy} label={reason.enabled ? t('common.enabled') : t('common.disabled')}
            onChange={(v) => void update({ enabled: v })} testId="break-reason-toggle" />
          <span>{reason.enabled ? t('common.enabled') : t('common.disabled')}</span>
        </div>
      </td>
      <td className="col-actions">
        {!editing && (
          <button type="button" className="link" onClick={() => setEditing(true)} data-testid="break-reason-rename">
            {t('status.rename')}
          </button>
        )}
      </td>
    </tr>
  );
}

export function StatusSettingsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const settings = useLoad(() => settingsApi.statusSettings(), []);
  // The user's pick, else what the server has.
  const [chosen, setDefaultStatus] = useState<StatusSettings['defaultStatus'] | null>(null);
  const defaultStatus = chosen ?? settings.data?.defaultStatus ?? 'idle';
  const [newName, setNewName] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      toast.success(done);
      settings.reload();
      return true;
    } catch (x) {
      toast.error(errorText(x, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!newName.trim()) return;
    if (await run(() => settingsApi.createBreakReason(newName.trim()), t('status.added'))) setNewName('');
  };

  const reasons = settings.data?.breakReasons ?? [];
  return (
    <>
      <PageHeader title={t('nav.status')} />
      {settings.error != null && <div className="banner banner-error" role="alert">{errorText(settings.error, t)}</div>}
      <section className="card" data-testid="status-default">
        <h2>{t('status.defaultTitle')}</h2>
        <p className="muted">{t('status.defaultHint')}</p>
        {settings.data && (
          <div className="row-gap">
            <div className="radios">
              {STATUSES.map((s) => (
                <label key={s} className="check-inline">
                  <input type="radio" name="defaultStatus" checked={defaultStatus === s} onChange={() => setDefaultStatus(s)}
                    data-testid={`status-default-${s}`} />
                  {t(`status.${s}`)}
                </label>
              ))}
            </div>
            <button type="button" className="btn btn-primary" disabled={busy}
              onClick={() => void run(() => settingsApi.putStatusSettings(defaultStatus), t('common.saved'))} data-testid="status-save">
              {t('common.save')}
            </button>
          </div>
        )}
      </section>
      <section className="card">
        <h2>{t('status.breakTitle')}</h2>
        <p className="muted">{t('status.breakHint')}</p>
        <form className="row-gap" onSubmit={add}>
          <input placeholder={t('status.newReason')} value={newName} onChange={(e) => setNewName(e.target.value)}
            maxLength={50} data-testid="break-reason-new" />
          <button type="submit" className="btn" disabled={busy || !newName.trim()} data-testid="break-reason-add">
            {t('common.add')}
          </button>
        </form>
        <table className="table" data-testid="break-reason-table">
          <thead>
            <tr>
              <th>{t('status.reasonName')}</th>
              <th>{t('agent.state')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map((r) => <ReasonRow key={`${r.id}:${r.name}`} reason={r} onChanged={settings.reload} />)}
            {reasons.length === 0 && (
              <tr><td colSpan={3} className="table-empty">{settings.loading ? t('common.loading') : t('common.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}
