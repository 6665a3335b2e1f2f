// 角色权限管理: roles with their permissions and skill-group scope; built-in roles are read-only.
import { useState } from 'react';
import { directoryApi, type Permission, type Role } from '../api-directory';
import { useConfirm } from '../components/Confirm';
import { PageHeader } from '../components/Layout';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { errorText, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { RoleDialog } from './RoleDialog';

function RoleMembersDialog({ role, onClose }: { role: Role; onClose: () => void }) {
  const { t } = useI18n();
  const members = useLoad(() => directoryApi.roleMembers(role.id), [role.id]);
  const items = members.data ?? [];
  return (
    <Modal title={t('role.members', { name: role.name })} onClose={onClose} testId="role-members-dialog">
      {members.error != null && <div className="banner banner-error">{errorText(members.error, t)}</div>}
      <table className="table table-compact">
        <thead>
          <tr><th>{t('agent.staffNo')}</th><th>{t('agent.name')}</th><th>{t('agent.email')}</th></tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} data-testid={`role-member-${m.staffNo ?? m.id}`}>
              <td>{m.staffNo ?? '—'}</td><td>{m.name}</td><td>{m.email ?? '—'}</td>
            </tr>
          ))}
          {items.length === 0 && (
            <tr><td colSpan={3} className="table-empty">{members.loading ? t('common.loading') : t('role.noMembers')}</td></tr>
          )}
        </tbody>
      </table>
    </Modal>
  );
}

export function RolesPage() {
  const { t, lang } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const roles = useLoad(() => directoryApi.roles(), []);
  const perms = useLoad(() => directoryApi.permissions(), []);
  const groups = useLoad(() => directoryApi.skillGroups().catch(() => []), []);
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [viewing, setViewing] = useState<Role | null>(null);

  const permName = (key: string) => {
    const p = (perms.data ?? []).find((x: Permission) => x.key === key);
    return p ? (lang === 'en' ? p.en : p.zh) : key;
  };
  const scopeText = (r: Role) =>
    r.scopeSkillGroupIds === null
      ? t('role.scopeAll')
      : r.scopeSkillGroupIds.map((id) => groups.data?.find((g) => g.id === id)?.name ?? `#${id}`).join('、');

  const remove = async (r: Role) => {
    if (!(await confirm({ message: t('role.confirmDelete', { name: r.name }), danger: true }))) return;
    try {
      await directoryApi.deleteRole(r.id);
      toast.success(t('common.deleted'));
      roles.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const items = roles.data ?? [];
  return (
    <>
      <PageHeader
        title={t('nav.roles')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="role-add">
            {t('role.add')}
          </button>
        }
      />
      <section className="card table-card">
        {roles.error != null && <div className="banner banner-error" role="alert">{errorText(roles.error, t)}</div>}
        <table className="table" data-testid="role-table">
          <thead>
            <tr>
              <th>{t('role.name')}</th>
              <th>{t('role.permissions')}</th>
              <th>{t('role.scope')}</th>
              <th className="num">{t('role.memberCount')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-testid={`role-row-${r.name}`} data-builtin={r.builtin}>
                <td>
                  {r.name}
                  {r.builtin && <span className="badge badge-muted badge-inline" data-testid="role-builtin">{t('common.builtin')}</span>}
                </td>
                <td className="wrap">{r.permissions.map(permName).join('、')}</td>
                <td>{scopeText(r)}</td>
                <td className="num">{r.memberCount}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setViewing(r)} data-testid="role-members">
                    {t('common.members')}
                  </button>
                  <button type="button" className="link" disabled={r.builtin} title={r.builtin ? t('role.builtinHint') : undefined}
                    onClick={() => setEditing(r)} data-testid="role-edit">
                    {t('common.edit')}
                  </button>
                  <button type="button" className="link link-danger" disabled={r.builtin}
                    title={r.builtin ? t('role.builtinHint') : undefined}
                    onClick={() => void remove(r)} data-testid="role-delete">
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr><td colSpan={5} className="table-empty">{roles.loading ? t('common.loading') : t('common.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
      {editing && (
        <RoleDialog
          role={editing === 'new' ? null : editing}
          permissions={perms.data ?? []}
          groups={groups.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            roles.reload();
          }}
        />
      )}
      {viewing && <RoleMembersDialog role={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}
