// 客服管理: filterable, paged agent table with add/edit/delete, 重置密码, 强制下线/恢复 and 批量导入.
import { useState, type FormEvent } from 'react';
import { directoryApi, type Agent, type AgentQuery } from '../api-directory';
import { useConfirm } from '../components/Confirm';
import { PageHeader } from '../components/Layout';
import { Pager } from '../components/Pager';
import { useToast } from '../components/Toast';
import { errorText, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { AgentDialog } from './AgentDialog';
import { ImportDialog } from './ImportDialog';

type Filters = Required<Pick<AgentQuery, 'staffNo' | 'email' | 'name' | 'mobile' | 'skillGroupId'>>;
const EMPTY: Filters = { staffNo: '', email: '', name: '', mobile: '', skillGroupId: '' };
const TEXT_FILTERS = ['staffNo', 'email', 'name', 'mobile'] as const;

export function AgentsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<Agent | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const list = useLoad(() => directoryApi.agents({ ...filters, page, pageSize }), [filters, page, pageSize]);
  // Lookups for the filter and the dialog; a role without these permissions just gets empty lists.
  const groups = useLoad(() => directoryApi.skillGroups().catch(() => []), []);
  const roles = useLoad(() => directoryApi.roles().catch(() => []), []);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setFilters({ ...draft });
  };
  const clear = () => {
    setDraft(EMPTY);
    setFilters(EMPTY);
    setPage(1);
  };

  const act = async (message: string, run: () => Promise<unknown>, done: string, danger = true) => {
    if (!(await confirm({ message, danger }))) return;
    try {
      await run();
      toast.success(done);
      list.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('nav.agents')}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setImporting(true)} data-testid="agent-import">
              {t('agent.import')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="agent-add">
              {t('agent.add')}
            </button>
          </>
        }
      />
      <form className="filters card" onSubmit={search} data-testid="agent-filters">
        {TEXT_FILTERS.map((k) => (
          <label key={k} className="filter">
            <span>{t(`agent.${k}`)}</span>
            <input
              value={draft[k]}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              data-testid={`agent-filter-${k}`}
            />
          </label>
        ))}
        <label className="filter">
          <span>{t('agent.skillGroups')}</span>
          <select
            value={draft.skillGroupId}
            onChange={(e) => setDraft({ ...draft, skillGroupId: e.target.value ? Number(e.target.value) : '' })}
            data-testid="agent-filter-skillGroup"
          >
            <option value="">{t('agent.allGroups')}</option>
            {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary" data-testid="agent-search">{t('common.search')}</button>
          <button type="button" className="btn" onClick={clear} data-testid="agent-filter-reset">{t('common.reset')}</button>
        </div>
      </form>

      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="agent-table">
          <thead>
            <tr>
              <th>{t('agent.staffNo')}</th>
              <th>{t('agent.name')}</th>
              <th>{t('agent.nickname')}</th>
              <th>{t('agent.email')}</th>
              <th>{t('agent.mobile')}</th>
              <th>{t('agent.role')}</th>
              <th>{t('agent.skillGroups')}</th>
              <th>{t('agent.state')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-testid={`agent-row-${a.staffNo}`} data-state={a.state}>
                <td>{a.staffNo}</td>
                <td>{a.name}</td>
                <td>{a.nickname}</td>
                <td>{a.email}</td>
                <td>{a.mobile ?? '—'}</td>
                <td>{a.roleName}</td>
                <td>{a.skillGroups.map((g) => g.name).join('、') || '—'}</td>
                <td data-testid="agent-state">
                  {a.state === 'active'
                    ? <span className="badge badge-ok">{t('agent.stateActive')}</span>
                    : <span className="badge badge-bad">{t('agent.stateForced')}</span>}
                </td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setEditing(a)} data-testid="agent-edit">
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="link"
                    data-testid="agent-reset-password"
                    onClick={() => act(t('agent.confirmReset', { name: a.name, email: a.email }),
                      () => directoryApi.resetPassword(a.id), t('agent.resetDone'), false)}
                  >
                    {t('agent.resetPassword')}
                  </button>
                  {a.state === 'active' ? (
                    <button
                      type="button"
                      className="link link-danger"
                      data-testid="agent-force-offline"
                      onClick={() => act(t('agent.confirmForce'), () => directoryApi.forceOffline(a.id), t('agent.forcedDone'))}
                    >
                      {t('agent.forceOffline')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="link"
                      data-testid="agent-restore"
                      onClick={() => act(t('agent.confirmRestore', { name: a.name }),
                        () => directoryApi.restoreAgent(a.id), t('agent.restoredDone'), false)}
                    >
                      {t('agent.restore')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="link link-danger"
                    data-testid="agent-delete"
                    onClick={() => act(t('agent.confirmDelete', { name: a.name, staffNo: a.staffNo }),
                      () => directoryApi.deleteAgent(a.id), t('common.deleted'))}
                  >
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={9} className="table-empty">{list.loading ? t('common.loading') : t('common.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
        <Pager
          page={page}
          pageSize={pageSize}
          total={list.data?.total ?? 0}
          onPage={setPage}
          onPageSize={(n) => {
            setPageSize(n);
            setPage(1);
          }}
        />
      </section>

      {editing && (
        <AgentDialog
          agent={editing === 'new' ? null : editing}
          roles={roles.data ?? []}
          groups={groups.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={() => {
            list.reload();
            groups.reload();
          }}
        />
      )}
    </>
  );
}
