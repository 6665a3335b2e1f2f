// 通用设置 › 来电弹屏: the business pages the workbench shows beside a call (name, HTTPS URL, 常显 or only on
// calls, enabled), and the click-to-call SDK's settings (the box's ID, origins allowed to embed its call bar).
import { useState, type FormEvent } from 'react';
import { Switch } from '../components/CheckList';
import { useConfirm } from '../components/Confirm';
import { Field, FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import type { ScreenPopMode, ScreenPopPage } from './types';
import { wb } from './wb-api';

const FIELDS = ['name', 'url', 'mode'] as const;

function PageDialog({ page, onClose, onSaved }: { page: ScreenPopPage | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [name, setName] = useState(page?.name ?? '');
  const [url, setUrl] = useState(page?.url ?? 'https://');
  const [mode, setMode] = useState<ScreenPopMode>(page?.mode ?? 'onCall');
  const [enabled, setEnabled] = useState(page?.enabled ?? true);
  const [err, setErr] = useState<{ field?: string; message: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(undefined);
    try {
      const body = { name: name.trim(), url: url.trim(), mode, enabled };
      if (page) await wb.updateScreenPop(page.id, body);
      else await wb.createScreenPop(body);
      toast.success(t('common.saved'));
      onSaved();
      onClose();
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={page ? t('sp.edit') : t('sp.add')} onClose={onClose} testId="sp-dialog"
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="sp-form" className="btn btn-primary" disabled={busy} data-testid="sp-dialog-submit">{t('common.save')}</button>
        </>
      )}>
      <form id="sp-form" className="form" onSubmit={(e) => void submit(e)}>
        <FormError message={err && !err.field ? err.message : undefined} testId="sp-dialog-error" />
        <Field label={t('sp.name')} name="name" error={err?.field === 'name' ? err.message : undefined} htmlFor="sp-name">
          <input id="sp-name" value={name} maxLength={32} onChange={(e) => setName(e.target.value)} data-testid="sp-field-name" />
        </Field>
        <Field label={t('sp.url')} name="url" error={err?.field === 'url' ? err.message : undefined} hint={t('sp.urlHint')} htmlFor="sp-url">
          <input id="sp-url" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="sp-field-url" spellCheck={false} />
        </Field>
        <Field label={t('sp.mode')} name="mode" error={err?.field === 'mode' ? err.message : undefined}>
          <div className="radios">
            {(['always', 'onCall'] as const).map((m) => (
              <label key={m} className="check-inline">
                <input type="radio" name="sp-mode" checked={mode === m} onChange={() => setMode(m)} data-testid={`sp-field-mode-${m}`} />
                {m === 'always' ? t('sp.mode.always') : t('sp.mode.onCall')}
              </label>
            ))}
          </div>
        </Field>
        <Field label={t('sp.enabled')} name="enabled">
          <Switch checked={enabled} onChange={setEnabled} label={t('sp.enabled')} testId="sp-field-enabled" />
        </Field>
      </form>
    </Modal>
  );
}

function SdkSection() {
  const { t } = useI18n();
  const toast = useToast();
  const loaded = useLoad(() => wb.sdkSettings(), []);
  const [text, setText] = useState<string | null>(null);
  const [err, setErr] = useState<string>();
  const [busy, setBusy] = useState(false);
  const value = text ?? loaded.data?.allowedOrigins.join('\n') ?? '';

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(undefined);
    try {
      const origins = value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
      await wb.putSdkSettings(origins);
      toast.success(t('common.saved'));
      setText(null);
      loaded.reload();
    } catch (x) {
      setErr(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card card-pad" data-testid="sdk-settings">
      <h2>{t('sp.sdk.title')}</h2>
      <p className="muted small">{t('sp.sdk.desc')}</p>
      <form className="form" onSubmit={(e) => void save(e)}>
        <Field label="SdkAppId" name="sdkAppId" hint={t('sp.sdk.appIdHint')}>
          <code className="mono" data-testid="sdk-app-id">{loaded.data?.sdkAppId ?? '…'}</code>
        </Field>
        <Field label={t('sp.sdk.script')} name="script">
          <code className="mono small">{`<script src="${window.location.origin}/sdk/tccc.js" crossorigin="anonymous"></script>`}</code>
        </Field>
        <Field label={t('sp.sdk.origins')} name="allowedOrigins" error={err} hint={t('sp.sdk.originsHint')}>
          <textarea rows={3} value={value} onChange={(e) => setText(e.target.value)} data-testid="sdk-origins" spellCheck={false} placeholder="https://crm.example.com" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sdk-origins-save">{t('common.save')}</button>
        </div>
      </form>
    </section>
  );
}

export function ScreenPopSettingsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const list = useLoad(() => wb.screenPops(), []);
  const [editing, setEditing] = useState<ScreenPopPage | null | 'new'>(null);

  const toggle = async (p: ScreenPopPage, enabled: boolean) => {
    try {
      await wb.updateScreenPop(p.id, { enabled });
      list.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };
  const remove = async (p: ScreenPopPage) => {
    if (!(await confirm({ message: t('sp.confirmDelete', { name: p.name }), danger: true }))) return;
    try {
      await wb.deleteScreenPop(p.id);
      toast.success(t('common.deleted'));
      list.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  return (
    <div className="stack-page">
      <PageHeader title={t('nav.screenPop')} actions={<button type="button" className="btn btn-primary" data-testid="sp-add" onClick={() => setEditing('new')}>{t('sp.add')}</button>}>
        {t('sp.desc')}
      </PageHeader>
      <div className="card table-card">
        {list.error != null && <div className="banner banner-error">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="sp-table">
          <thead>
            <tr>
              <th>{t('sp.name')}</th>
              <th>{t('sp.url')}</th>
              <th>{t('sp.mode')}</th>
              <th>{t('sp.enabled')}</th>
              <th>{t('sp.updatedAt')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((p) => (
              <tr key={p.id} data-testid={`sp-row-${p.name}`} data-enabled={p.enabled} data-mode={p.mode}>
                <td>{p.name}</td>
                <td className="wrap mono small">{p.url}</td>
                <td>{p.mode === 'always' ? t('sp.mode.always') : t('sp.mode.onCall')}</td>
                <td><Switch checked={p.enabled} onChange={(v) => void toggle(p, v)} label={t('sp.enabled')} testId="sp-toggle" /></td>
                <td className="small">{formatTime(p.updatedAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link" data-testid="sp-edit" onClick={() => setEditing(p)}>{t('common.edit')}</button>
                  <button type="button" className="link link-danger" data-testid="sp-delete" onClick={() => void remove(p)}>{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {list.data && list.data.length === 0 && (
              <tr><td colSpan={6} className="table-empty">{t('sp.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </div>
      <SdkSection />
      {editing && <PageDialog page={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={list.reload} />}
    </div>
  );
}
