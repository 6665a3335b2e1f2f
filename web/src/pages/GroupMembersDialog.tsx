// Members of one skill group: priority 1 (highest)…5 (default 3), add agents by search, remove, save.
// 同时振铃 allows at most 2 members; the server's 400 message is shown as is.
import { useEffect, useState } from 'react';
import { directoryApi, type Agent, type GroupMember, type SkillGroup } from '../api-directory';
import { FormError } from '../components/Field';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { errorText, useLoad } from '../hooks';
import { useI18n } from '../i18n';

const PRIORITIES = [1, 2, 3, 4, 5];
const DEFAULT_PRIORITY = 3;
const memberKey = (m: Pick<GroupMember, 'kind' | 'id'>) => `${m.kind}:${m.id}`;

interface Props { group: SkillGroup; onClose: () => void; onSaved: () => void }

/** Search agents by name (or staff number when digits are typed) and add them. */
function MemberPicker({ isMember, onAdd }: { isMember: (id: number) => boolean; onAdd: (a: Agent) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = window.setTimeout(() => setDebounced(query.trim()), 250);
    return () => window.clearTimeout(h);
  }, [query]);
  const found = useLoad(
    () => directoryApi.agents({ ...(/^\d+$/.test(debounced) ? { staffNo: debounced } : { name: debounced }), page: 1, pageSize: 20 }),
    [debounced],
  );
  const items = found.data?.items ?? [];
  return (
    <>
      <h3 className="section-title">{t('group.addMember')}</h3>
      <input className="search" placeholder={t('group.searchAgent')} value={query} onChange={(e) => setQuery(e.target.value)}
        data-testid="member-search" />
      <ul className="pick-list" data-testid="member-candidates">
        {items.map((a) => (
          <li key={a.id}>
            <span>{a.name} <span className="muted">{a.staffNo}</span></span>
            {isMember(a.id) ? (
              <span className="muted">{t('group.isMember')}</span>
            ) : (
              <button type="button" className="btn btn-sm" data-testid={`member-add-${a.staffNo}`} onClick={() => onAdd(a)}>
                {t('common.add')}
              </button>
            )}
          </li>
        ))}
        {!found.loading && items.length === 0 && <li className="muted">{t('group.noMatch')}</li>}
      </ul>
    </>
  );
}

export function GroupMembersDialog({ group, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const toast = useToast();
  const loaded = useLoad(() => directoryApi.groupMembers(group.id), [group.id]);
  const [rows, setRows] = useState<GroupMember[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data && rows === null) setRows(loaded.data);
  }, [loaded.data, rows]);
  const members = rows ?? [];
  const isMember = (id: number) => members.some((m) => m.kind === 'agent' && m.id === id);
  const setPriority = (key: string, priority: number) =>
    setRows(members.map((m) => (memberKey(m) === key ? { ...m, priority } : m)));

  const save = async () => {
    setBusy(true);
    setError('');
    try {
      const saved = await directoryApi.putGroupMembers(group.id, members.map((m) => ({ kind: m.kind, id: m.id, priority: m.priority })));
      setRows(saved ?? members);
      toast.success(t('group.membersSaved'));
      onSaved();
      onClose();
    } catch (x) {
      const message = errorText(x, t);
      setError(message);
      toast.error(message);
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <>
      <button type="button" className="btn" onClick={onClose} data-testid="group-members-cancel">{t('common.cancel')}</button>
      <button type="button" className="btn btn-primary" disabled={busy || rows === null} onClick={() => void save()}
        data-testid="group-members-save">
        {t('common.save')}
      </button>
    </>
  );

  return (
    <Modal title={t('group.membersTitle', { name: group.name })} onClose={onClose} testId="group-members-dialog" wide footer={footer}>
      <p className="muted">
        {t(`group.${group.ringMode}`)} · {group.ringMode === 'simultaneous' ? t('group.simultaneousHint') : t('group.priorityHint')}
      </p>
      <FormError message={error || (loaded.error != null ? errorText(loaded.error, t) : undefined)} testId="group-members-error" />
      <table className="table table-compact" data-testid="group-member-table">
        <thead>
          <tr>
            <th>{t('agent.name')}</th>
            <th>{t('agent.staffNo')}</th>
            <th>{t('group.priority')}</th>
            <th className="col-actions">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={memberKey(m)} data-testid={`member-row-${m.staffNo ?? m.extension ?? m.id}`}>
              <td>
                {m.name}
                {m.kind === 'phone' && <span className="badge badge-muted badge-inline">{t('group.kindPhone')}</span>}
              </td>
              <td>{m.staffNo ?? m.extension ?? '—'}</td>
              <td>
                <select value={m.priority} onChange={(e) => setPriority(memberKey(m), Number(e.target.value))}
                  aria-label={t('group.priority')} data-testid="member-priority">
                  {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
                </select>
              </td>
              <td className="col-actions">
                <button type="button" className="link link-danger" data-testid="member-remove"
                  onClick={() => setRows(members.filter((x) => memberKey(x) !== memberKey(m)))}>
                  {t('group.remove')}
                </button>
              </td>
            </tr>
          ))}
          {members.length === 0 && (
            <tr><td colSpan={4} className="table-empty">{rows === null ? t('common.loading') : t('group.noMembers')}</td></tr>
          )}
        </tbody>
      </table>

      {rows !== null && (
        <MemberPicker
          isMember={isMember}
          onAdd={(a) => setRows([...members, { kind: 'agent', id: a.id, name: a.name, staffNo: a.staffNo, priority: DEFAULT_PRIORITY }])}
        />
      )}
    </Modal>
  );
}
