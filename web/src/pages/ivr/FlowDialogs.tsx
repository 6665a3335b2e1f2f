// IVR dialogs: 新建并选择模板, edit name/description, 版本管理 (create from a version with a note, publish,
// open, delete), and 绑定号码 (a number → a published version of this flow).
import { useState, type FormEvent } from 'react';
import { channelsApi } from '../../api-channels';
import { ivrApi } from '../../api-ivr';
import type { FlowKind, IvrCatalog, IvrFlow } from '../../api-ivr-types';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';

export function NewFlowDialog({ catalog, onClose, onCreated }: {
  catalog: IvrCatalog | undefined; onClose: () => void; onCreated: (f: IvrFlow) => void;
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<FlowKind>('inbound');
  const [description, setDescription] = useState('');
  const [template, setTemplate] = useState('welcomeMenuAgent');
  const [groupId, setGroupId] = useState<number | ''>(catalog?.skillGroups[0]?.id ?? '');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);
  // Self-service flows start empty (the templates use inbound-only modules).
  const effective = kind === 'selfService' ? 'empty' : template;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    setBusy(true);
    setErr(null);
    try {
      const f = await ivrApi.createIvrFlow({
        name: name.trim(), kind, template: effective,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(effective === 'welcomeMenuAgent' && groupId !== '' ? { skillGroupId: groupId } : {}),
      });
      toast.success(t('ivr.flow.created'));
      onCreated(f);
    } catch (x) {
      setErr(fieldError(x, t, ['name', 'kind', 'description', 'template', 'skillGroupId']));
    } finally {
      setBusy(false);
    }
  };

  const templates = catalog?.templates ?? [{ key: 'empty', zh: '空白流程', en: 'Empty flow' }];
  return (
    <Modal title={t('ivr.flow.add')} onClose={onClose} testId="flow-dialog" wide>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="flow-dialog-error" />
        <Field label={t('ivr.flow.name')} name="name" error={fe('name')} htmlFor="flow-name">
          <input id="flow-name" maxLength={32} value={name} onChange={(e) => setName(e.target.value)} data-testid="flow-field-name" />
        </Field>
        <Field label={t('ivr.flow.kind')} name="kind" error={fe('kind')} hint={t(`ivr.kindHint.${kind}`)}>
          <div className="radios">
            {(['inbound', 'selfService'] as const).map((k) => (
              <label key={k} className="check-inline">
                <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} data-testid={`flow-field-kind-${k}`} />
                {t(`ivr.kind.${k}`)}
              </label>
            ))}
          </div>
        </Field>
        <Field label={t('ivr.flow.description')} name="description" optional error={fe('description')} htmlFor="flow-desc">
          <input id="flow-desc" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="flow-field-description" />
        </Field>
        <Field label={t('ivr.flow.template')} name="template" error={fe('template')}>
          <div className="template-grid">
            {templates.map((tp) => {
              const disabled = kind === 'selfService' && tp.key !== 'empty';
              return (
                <label key={tp.key} className={`template-card${effective === tp.key ? ' on' : ''}${disabled ? ' disabled' : ''}`}>
                  <input type="radio" name="template" checked={effective === tp.key} disabled={disabled}
                    onChange={() => setTemplate(tp.key)} data-testid={`flow-template-${tp.key}`} />
                  <strong>{lang === 'en' ? tp.en : tp.zh}</strong>
                  <span className="muted small">{t(`ivr.template.${tp.key}` as MessageKey)}</span>
                </label>
              );
            })}
          </div>
        </Field>
        {effective === 'welcomeMenuAgent' && (
          <Field label={t('ivr.form.skillGroup')} name="skillGroupId" error={fe('skillGroupId')} hint={t('ivr.flow.groupHint')}>
            <select value={groupId} onChange={(e) => setGroupId(e.target.value ? Number(e.target.value) : '')} data-testid="flow-field-skillGroup">
              <option value="">{t('ivr.form.chooseGroup')}</option>
              {(catalog?.skillGroups ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </Field>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="flow-dialog-submit">{t('ivr.flow.createAndDesign')}</button>
        </div>
      </form>
    </Modal>
  );
}

export function EditFlowDialog({ flow, onClose, onSaved }: { flow: IvrFlow; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [name, setName] = useState(flow.name);
  const [description, setDescription] = useState(flow.description);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    try {
      await ivrApi.updateIvrFlow(flow.id, { name: name.trim(), description: description.trim() });
      toast.success(t('common.saved'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, ['name', 'description']));
    }
  };
  return (
    <Modal title={t('ivr.flow.edit')} onClose={onClose} testId="flow-edit-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="flow-edit-error" />
        <Field label={t('ivr.flow.name')} name="name" error={err?.field === 'name' ? err.message : undefined} htmlFor="flow-edit-name">
          <input id="flow-edit-name" maxLength={32} value={name} onChange={(e) => setName(e.target.value)} data-testid="flow-edit-name" />
        </Field>
        <Field label={t('ivr.flow.description')} name="description" optional htmlFor="flow-edit-desc">
          <input id="flow-edit-desc" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="flow-edit-description" />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" data-testid="flow-edit-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

export function VersionsDialog({ flow, current, dirty, onClose, onOpen, onSaveFirst, onChanged }: {
  flow: IvrFlow; current?: string; dirty?: boolean; onClose: () => void; onOpen: (version: string) => void;
  onSaveFirst?: () => Promise<boolean>; onChanged: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [from, setFrom] = useState(current ?? 'MAIN');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setErr('');
    try {
      await fn();
      toast.success(done);
      onChanged();
    } catch (x) {
      setErr(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (dirty && from === current && onSaveFirst && !(await onSaveFirst())) throw new Error(t('ivr.version.saveFailed'));
      const v = await ivrApi.createIvrVersion(flow.id, from, note.trim());
      setNote('');
      return v;
    }, t('ivr.version.created'));
  };

  const publish = async (v: string) => {
    const saveFirst = dirty && v === current && onSaveFirst;
    if (!(await confirm({ message: saveFirst ? t('ivr.version.confirmSavePublish', { v }) : t('ivr.version.confirmPublish', { v }) }))) return;
    void run(async () => {
      if (saveFirst && !(await onSaveFirst())) throw new Error(t('ivr.version.saveFailed'));
      return ivrApi.publishIvrVersion(flow.id, v);
    }, t('ivr.version.publishedDone', { v }));
  };

  const remove = async (v: string) => {
    if (!(await confirm({ message: t('ivr.version.confirmDelete', { v }), danger: true }))) return;
    void run(() => ivrApi.deleteIvrVersion(flow.id, v), t('common.deleted'));
  };

  return (
    <Modal title={t('ivr.version.title', { name: flow.name })} onClose={onClose} testId="versions-dialog" wide>
      {err && <div className="banner banner-error" role="alert" data-testid="versions-error">{err}</div>}
      <table className="table table-compact" data-testid="version-table">
        <thead>
          <tr>
            <th>{t('ivr.version.label')}</th>
            <th>{t('ivr.version.basedOn')}</th>
            <th>{t('ivr.version.note')}</th>
            <th>{t('ivr.version.updated')}</th>
            <th>{t('ivr.version.state')}</th>
            <th className="col-actions">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {flow.versions.map((v) => {
            const bound = flow.bindings.filter((b) => b.version === v.version).map((b) => b.number);
            return (
              <tr key={v.version} data-testid={`version-row-${v.version}`} data-published={!!v.published}
                className={v.version === current ? 'row-current' : undefined}>
                <td><strong>{v.version}</strong>{v.version === current && <span className="badge badge-muted badge-inline">{t('ivr.version.current')}</span>}</td>
                <td>{v.basedOn ?? '—'}</td>
                <td className="wrap">{v.note || '—'}</td>
                <td>{formatTime(v.updatedAt)}</td>
                <td className="wrap" data-testid="version-state">
                  {v.published
                    ? <span className={`badge ${v.unpublishedChanges ? 'badge-warn' : 'badge-ok'}`}>
                      {v.unpublishedChanges ? t('ivr.version.changed', { r: v.published.revision }) : t('ivr.version.published', { r: v.published.revision })}
                    </span>
                    : <span className="badge badge-muted">{t('ivr.version.unpublished')}</span>}
                  {bound.length > 0 && <div className="muted small">{t('ivr.version.boundTo', { numbers: bound.join('、') })}</div>}
                </td>
                <td className="col-actions">
                  {v.version !== current && (
                    <button type="button" className="link" onClick={() => onOpen(v.version)} data-testid="version-open">{t('ivr.version.open')}</button>
                  )}
                  <button type="button" className="link" disabled={busy} onClick={() => void publish(v.version)} data-testid="version-publish">
                    {t('ivr.version.publish')}
                  </button>
                  {v.version !== 'MAIN' && (
                    <button type="button" className="link link-danger" disabled={busy} onClick={() => void remove(v.version)} data-testid="version-delete">
                      {t('common.delete')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form className="version-new" onSubmit={create}>
        <h3>{t('ivr.version.new')}</h3>
        <div className="inline-fields wrap">
          <label className="filter">
            <span>{t('ivr.version.from')}</span>
            <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="version-new-from">
              {flow.versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          </label>
          <label className="filter grow">
            <span>{t('ivr.version.note')}</span>
            <input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('ivr.version.notePlaceholder')}
              data-testid="version-new-note" />
          </label>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="version-create">{t('ivr.version.create')}</button>
        </div>
        <p className="muted small">{t('ivr.version.hint')}</p>
      </form>
    </Modal>
  );
}

export function BindDialog({ flow, onClose, onChanged }: { flow: IvrFlow; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const all = useLoad(() => ivrApi.ivrBindings(), []);
  // The channels' numbers as suggestions (a role without the numbers permission types them).
  const numbers = useLoad(() => channelsApi.numbers().catch(() => []), []);
  const published = flow.versions.filter((v) => v.published);
  const [number, setNumber] = useState('');
  const [version, setVersion] = useState(published[0]?.version ?? 'MAIN');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const other = (all.data ?? []).find((b) => b.number === number.trim() && b.flowId !== flow.id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = number.trim();
    if (!/^\+?[0-9]{3,20}$/.test(n)) return setErr({ field: 'number', message: t('ivr.bind.numberRule') });
    if (other && !(await confirm({ message: t('ivr.bind.confirmMove', { number: n, flow: other.flowName }) }))) return;
    setBusy(true);
    setErr(null);
    try {
      await ivrApi.bindIvrNumber(n, flow.id, version);
      toast.success(t('ivr.bind.done', { number: n }));
      setNumber('');
      all.reload();
      onChanged();
    } catch (x) {
      setErr(fieldError(x, t, ['number', 'version', 'flowId']));
    } finally {
      setBusy(false);
    }
  };

  const unbind = async (n: string) => {
    if (!(await confirm({ message: t('ivr.bind.confirmUnbind', { number: n }), danger: true }))) return;
    try {
      await ivrApi.unbindIvrNumber(n);
      toast.success(t('ivr.bind.unbound'));
      all.reload();
      onChanged();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const mine = (all.data ?? []).filter((b) => b.flowId === flow.id);
  return (
    <Modal title={t('ivr.bind.title', { name: flow.name })} onClose={onClose} testId="bind-dialog" wide>
      <p className="muted">{t('ivr.bind.hint')}</p>
      <table className="table table-compact" data-testid="bind-table">
        <thead><tr><th>{t('ivr.bind.number')}</th><th>{t('ivr.version.label')}</th><th>{t('ivr.version.updated')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
        <tbody>
          {mine.map((b) => (
            <tr key={b.number} data-testid={`bind-row-${b.number}`}>
              <td><code>{b.number}</code></td>
              <td>{b.version}</td>
              <td>{formatTime(b.updatedAt)}</td>
              <td className="col-actions">
                <button type="button" className="link link-danger" onClick={() => void unbind(b.number)} data-testid="bind-unbind">{t('ivr.bind.unbind')}</button>
              </td>
            </tr>
          ))}
          {mine.length === 0 && <tr><td colSpan={4} className="table-empty">{all.loading ? t('common.loading') : t('ivr.bind.none')}</td></tr>}
        </tbody>
      </table>
      <form className="form bind-form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="bind-error" />
        {published.length === 0 && <div className="banner banner-warn" data-testid="bind-unpublished">{t('ivr.bind.publishFirst')}</div>}
        <Field label={t('ivr.bind.number')} name="number" error={err?.field === 'number' ? err.message : undefined}
          hint={other ? t('ivr.bind.boundElsewhere', { flow: other.flowName, version: other.version }) : t('ivr.bind.numberHint')} htmlFor="bind-number">
          <input id="bind-number" inputMode="tel" list="bind-number-options" value={number} onChange={(e) => setNumber(e.target.value)} data-testid="bind-number" />
          <datalist id="bind-number-options">
            {(numbers.data ?? []).map((n) => <option key={n.id} value={n.number}>{n.channelName}</option>)}
          </datalist>
        </Field>
        <Field label={t('ivr.version.label')} name="version" error={err?.field === 'version' ? err.message : undefined}>
          <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="bind-version">
            {flow.versions.map((v) => (
              <option key={v.version} value={v.version} disabled={!v.published}>
                {v.version}{v.published ? ` (${t('ivr.version.published', { r: v.published.revision })})` : ` (${t('ivr.version.unpublished')})`}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.close')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy || published.length === 0} data-testid="bind-submit">{t('ivr.bind.submit')}</button>
        </div>
      </form>
    </Modal>
  );
}
