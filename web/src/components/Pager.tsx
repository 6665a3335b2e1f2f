// Paging bar under a table: total, page size, previous/next.
import { useI18n } from '../i18n';

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (p: number) => void;
  onPageSize: (n: number) => void;
}

const SIZES = [10, 20, 50, 100];

export function Pager({ page, pageSize, total, onPage, onPageSize }: PagerProps) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="pager" data-testid="pager">
      <span data-testid="pager-total">{t('pager.total', { total })}</span>
      <select
        value={pageSize}
        onChange={(e) => onPageSize(Number(e.target.value))}
        data-testid="pager-size"
        aria-label={t('pager.size', { n: pageSize })}
      >
        {SIZES.map((n) => <option key={n} value={n}>{t('pager.size', { n })}</option>)}
      </select>
      <button type="button" className="btn btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="pager-prev">
        {t('pager.prev')}
      </button>
      <span data-testid="pager-page">{t('pager.page', { page, pages })}</span>
      <button type="button" className="btn btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="pager-next">
        {t('pager.next')}
      </button>
    </div>
  );
}
