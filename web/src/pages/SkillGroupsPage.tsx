// 技能组管理: groups with ring mode and 接待人数上限; create/edit, members, delete.
import { useState, type FormEvent } from 'react';
import { directoryApi, type RingMode, type SkillGroup } from '../api-directory';
import { useConfirm } from '../components/Confirm';
import { Field, FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { errorText, fieldError, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { GroupMembersDialog } from './GroupMembersDialog';

const FIELDS = ['name', 'ringMode', 'receptionLimit'] as const;
const MODES: RingMode[] = ['sequential', 'simultaneous'];

function GroupDialog({ group, onClose, onSaved }: { group: SkillGroup | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [name, setName] = useState(group?.name ?? '');
  const [ringMode, setRingMode] = useState<RingMode>(group?.ringMode ?? 'sequential');
  const [limit, setLimit] = useState(String(group?.receptionLimit ?? 10));
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    if (limit.trim() === '' || !Number.isFinite(Number(limit))) {
      return setErr({ field: 'receptionLimit', message: t('error.required') });
    }
    setBusy(true);
    setErr(null);
    const body = { name: name.trim(), ringMode, receptionLimit: Number(limit) };
    try {
      if (group) await directoryApi.updateSkillGroup(group.id, body);
      else await directoryApi.createSkillGroup(body);
      toast.success(group ? t('group.updated') : t('group.created'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={group ? t('group.edit') : t('group.add')} onClose={onClose} testId="group-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="group-dialog-error" />
        <Field label={t('group.name')} name="name" error={fe('name')} htmlFor="group-name">
          <input id="group-name" value={name} onChange={(e) => setName(e.target.value)} data-testid="group-field-name" />
        </Field>
        <Field label={t('group.ringMode')} name="ringMode" error={fe('ringMode')}
          hint={ringMode === 'sequential' ? t('group.sequentialHint') : t('group.simultaneousHint')}>
          <div className="radios">
            {MODES.map((m) => (
              <label key={m} className="check-inline">
                <input type="radio" name="ringMode" checked={ringMode === m} onChange={() => setRingMode(m)}
                  data-testid={`group-field-ringMode-${m}`} />
                {t(`group.${m}`)}
              </label>
            ))}
          </div>
        </Field>
        <Field label={t('group.receptionLimit')} name="receptionLimit" error={fe('receptionLimit')} htmlFor="group-limit">
          <input id="group-limit" type="number" min={1} step={1} value={limit} className="input-narrow"
            onChange={(e) => setLimit(e.target.value)} data-testid="group-field-receptionLimit" />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="group-dialog-cancel">{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="group-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

export function SkillGroupsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const groups = useLoad(() => directoryApi.skillGroups(), []);
  const [editing, setEditing] = useState<SkillGroup | 'new' | null>(null);
  const [members, setMembers] = useState<SkillGroup | null>(null);

  const remove = async (g: SkillGroup) => {
    if (!(await confirm({ message: t('group.confirmDelete', { name: g.name }), danger: true }))) return;
    try {
      await directoryApi.deleteSkillGroup(g.id);
      toast.success(t('common.deleted'));
      groups.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const items = groups.data ?? [];
  return (
    <>
      <PageHeader
        title={t('nav.skillGroups')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="group-add">
            {t('group.add')}
          </button>
        }
      />
      <section className="card table-card">
        {groups.error != null && <div className="banner banner-error" role="alert">{errorText(groups.error, t)}</div>}
        <table className="table" data-testid="group-table">
          <thead>
            <tr>
              <th>{t('group.name')}</th>
              <th>{t('group.ringMode')}</th>
              <th className="num">{t('group.receptionLimit')}</th>
              <th className="num">{t('group.memberCount')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((g) => (
              <tr key={g.id} data-testid={`group-row-${g.name}`}>
                <td>{g.name}</td>
                <td>{t(`group.${g.ringMode}`)}</td>
                <td className="num">{g.receptionLimit}</td>
                <td className="num" data-testid="group-member-count">{g.memberCount}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setMembers(g)} data-testid="group-members">
                    {t('group.members')}
                  </button>
                  <button type="button" className="link" onClick={() => setEditing(g)} data-testid="group-edit">
                    {t('common.edit')}
                  </button>
                  <button type="button" className="link link-danger" onClick={() => void remove(g)} data-testid="group-delete">
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr><td colSpan={5} className="table-empty">{groups.loading ? t('common.loading') : t('common.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
      {editing && (
        <GroupDialog
          group={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            groups.reload();
          }}
        />
      )}
      {members && (
        <GroupMembersDialog group={members} onClose={() => setMembers(null)} onSaved={() => groups.reload()} />
      )}
    </>
  );
}
