// Create / edit a custom role: name, module permissions, and a skill-group scope for scoped modules.
import { useState, type FormEvent } from 'react';
import { directoryApi, type Permission, type Role, type SkillGroup } from '../api-directory';
import { CheckList } from '../components/CheckList';
import { Field, FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { fieldError } from '../hooks';
import { useI18n } from '../i18n';

const FIELDS = ['name', 'permissions', 'scopeSkillGroupIds'] as const;

interface Props {
  role: Role | null;
  permissions: Permission[];
  groups: SkillGroup[];
  onClose: () => void;
  onSaved: () => void;
}

export function RoleDialog({ role, permissions, groups, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [name, setName] = useState(role?.name ?? '');
  const [perms, setPerms] = useState<string[]>(role?.permissions ?? []);
  const [scopeAll, setScopeAll] = useState(role ? role.scopeSkillGroupIds === null : true);
  const [scopeIds, setScopeIds] = useState<number[]>(role?.scopeSkillGroupIds ?? []);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const scoped = permissions.filter((p) => p.scoped && perms.includes(p.key));
  const label = (p: Permission) => (lang === 'en' ? p.en : p.zh);
  const fe = (f: string) => (err?.field === f ? err.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    if (perms.length === 0) return setErr({ field: 'permissions', message: t('role.noPermissions') });
    const limited = scoped.length > 0 && !scopeAll;
    if (limited && scopeIds.length === 0) return setErr({ field: 'scopeSkillGroupIds', message: t('role.noScopeGroups') });
    setBusy(true);
    setErr(null);
    // Keep the permissions in the server's order so the list reads the same everywhere.
    const ordered = permissions.map((p) => p.key).filter((k) => perms.includes(k));
    const body = { name: name.trim(), permissions: ordered, scopeSkillGroupIds: limited ? scopeIds : null };
    try {
      if (role) await directoryApi.updateRole(role.id, body);
      else await directoryApi.createRole(body);
      toast.success(role ? t('role.updated') : t('role.created'));
      onSaved();
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={role ? t('role.edit') : t('role.add')} onClose={onClose} testId="role-dialog" wide>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="role-dialog-error" />
        <Field label={t('role.name')} name="name" error={fe('name')} htmlFor="role-name">
          <input id="role-name" value={name} onChange={(e) => setName(e.target.value)} data-testid="role-field-name" />
        </Field>
        <Field label={t('role.permissions')} name="permissions" error={fe('permissions')}>
          <CheckList
            testId="role-perm"
            options={permissions.map((p) => ({ value: p.key, label: label(p) }))}
            value={perms}
            onChange={setPerms}
          />
        </Field>
        {scoped.length > 0 && (
          <Field
            label={t('role.scope')}
            name="scopeSkillGroupIds"
            error={fe('scopeSkillGroupIds')}
            hint={t('role.scopeHint', { mods: scoped.map(label).join('、') })}
          >
            <div className="radios">
              <label className="check-inline">
                <input type="radio" name="scope" checked={scopeAll} onChange={() => setScopeAll(true)} data-testid="role-scope-all" />
                {t('role.scopeAll')}
              </label>
              <label className="check-inline">
                <input type="radio" name="scope" checked={!scopeAll} onChange={() => setScopeAll(false)} data-testid="role-scope-selected" />
                {t('role.scopeSelected')}
              </label>
            </div>
            {!scopeAll && (
              <CheckList
                testId="role-scope-group"
                options={groups.map((g) => ({ value: g.id, label: g.name }))}
                value={scopeIds}
                onChange={setScopeIds}
                empty={t('agent.noGroups')}
              />
            )}
          </Field>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="role-dialog-cancel">{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="role-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
