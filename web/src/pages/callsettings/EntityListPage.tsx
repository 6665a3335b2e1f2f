// The list half of the 通话设置 pages that keep named entries (收号设置, 自助服务): page head with 添加, the table
// with 编辑/删除 per row (删除 after a confirm), the empty and error states, and the entry's dialog when open.
import { useState, type ReactNode } from 'react';
import { useConfirm } from '../../components/Confirm';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { errorText, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';

export interface Column<T> {
  label: ReactNode;
  cell: (row: T) => ReactNode;
  /** long text (URLs) may wrap */
  wrap?: boolean;
}

interface EntityListPageProps<T extends { id: number; name: string }> {
  /** test-id prefix: `<prefix>-add|table|row-<name>|edit|delete` */
  prefix: string;
  title: MessageKey;
  desc: MessageKey;
  addLabel: MessageKey;
  /** a message with `{name}` */
  confirmDelete: MessageKey;
  load: () => Promise<T[]>;
  remove: (id: number) => Promise<unknown>;
  columns: Column<T>[];
  /** the add (entry null) or edit dialog; `onSaved` closes it and reloads the list */
  dialog: (entry: T | null, onClose: () => void, onSaved: () => void) => ReactNode;
}

export function EntityListPage<T extends { id: number; name: string }>({ prefix, title, desc, addLabel, confirmDelete, load, remove, columns, dialog }: EntityListPageProps<T>) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const list = useLoad(load, []);
  const [open, setOpen] = useState<T | 'new' | null>(null);
  const onDelete = async (row: T) => {
    if (!(await confirm({ message: t(confirmDelete, { name: row.name }), danger: true }))) return;
    try {
      await remove(row.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    list.reload();
  };
  const items = list.data ?? [];
  return (
    <>
      <PageHeader title={t(title)} actions={<button type="button" className="btn btn-primary" onClick={() => setOpen('new')} data-testid={`${prefix}-add`}>{t(addLabel)}</button>}>
        {t(desc)}
      </PageHeader>
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid={`${prefix}-table`}>
          <thead><tr>{columns.map((c, i) => <th key={i}>{c.label}</th>)}<th className="col-actions">{t('common.actions')}</th></tr></thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id} data-testid={`${prefix}-row-${row.name}`}>
                {columns.map((c, i) => <td key={i} className={c.wrap ? 'wrap' : undefined}>{c.cell(row)}</td>)}
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setOpen(row)} data-testid={`${prefix}-edit`}>{t('common.edit')}</button>
                  <button type="button" className="link link-danger" onClick={() => void onDelete(row)} data-testid={`${prefix}-delete`}>{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {!items.length && <tr><td colSpan={columns.length + 1} className="table-empty">{list.loading ? t('common.loading') : t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      {open && dialog(open === 'new' ? null : open, () => setOpen(null), () => (setOpen(null), list.reload()))}
    </>
  );
}

/** 启用 / 停用 as a badge. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  return enabled ? <span className="badge badge-ok">{t('common.enabled')}</span> : <span className="badge badge-muted">{t('common.disabled')}</span>;
}
