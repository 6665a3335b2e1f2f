// 热词: named lists of words with weights 1–10 (≤ 1000 words on the box) for the speech menus: create,
// edit, delete, batch delete, download, and import of a `word|weight` .txt that replaces a list.
import { useState, type FormEvent } from 'react';
import { ApiError, type ImportRowError } from '../../api';
import { ivrApi } from '../../api-ivr';
import type { HotWordList } from '../../api-ivr-types';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../../hooks';
import { currentLang, useI18n, type TFunction } from '../../i18n';
import { localizeServerMessage } from '../../i18n/server-message';

export const MAX_HOT_WORDS = 1000;
const HAN = /\p{Script=Han}/u;
const WORD_CHARS = /^[\p{Script=Han}A-Za-z0-9_\- ]+$/u;

/** The manual's rule: ≤ 10 Chinese characters or ≤ 20 characters (a Han character counts two). */
export function hotWordProblem(word: string, t: TFunction): string | null {
  if (!word.trim()) return t('error.required');
  if (!WORD_CHARS.test(word)) return t('ivr.hot.charsRule');
  const width = [...word].reduce((n, ch) => n + (HAN.test(ch) ? 2 : 1), 0);
  return width > 20 ? t('ivr.hot.lengthRule') : null;
}

function ListDialog({ list, total, onClose, onSaved }: { list: HotWordList | null; total: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [name, setName] = useState(list?.name ?? '');
  const [words, setWords] = useState<{ word: string; weight: number | '' }[]>(list?.words.map((w) => ({ ...w })) ?? [{ word: '', weight: 5 }]);
  const [bulk, setBulk] = useState('');
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [rowErr, setRowErr] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const others = total - (list?.words.length ?? 0);

  const set = (i: number, patch: Partial<{ word: string; weight: number | '' }>) => setWords((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w)));

  const addBulk = () => {
    const parsed = bulk.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
      const m = /^(.*?)\s*[|｜]\s*(\d+)\s*$/.exec(l);
      return m ? { word: m[1]!.trim(), weight: Number(m[2]) } : { word: l, weight: 5 };
    });
    setWords((ws) => [...ws.filter((w) => w.word.trim()), ...parsed]);
    setBulk('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setErr({ field: 'name', message: t('error.required') });
    const rows = words.filter((w) => w.word.trim() || w.weight !== '');
    const problems: Record<number, string> = {};
    const seen = new Set<string>();
    rows.forEach((w, i) => {
      const p = hotWordProblem(w.word.trim(), t)
        ?? (w.weight === '' || w.weight < 1 || w.weight > 10 || !Number.isInteger(w.weight) ? t('ivr.hot.weightRule') : null)
        ?? (seen.has(w.word.trim()) ? t('ivr.hot.duplicate') : null);
      seen.add(w.word.trim());
      if (p) problems[i] = p;
    });
    setWords(rows.length ? rows : [{ word: '', weight: 5 }]);
    setRowErr(problems);
    if (Object.keys(problems).length) return setErr({ message: t('ivr.hot.fixRows') });
    if (others + rows.length > MAX_HOT_WORDS) return setErr({ message: t('ivr.hot.tooMany', { max: MAX_HOT_WORDS }) });
    setBusy(true);
    setErr(null);
    const body = { name: name.trim(), words: rows.map((w) => ({ word: w.word.trim(), weight: Number(w.weight) })) };
    try {
      if (list) await ivrApi.updateHotWordList(list.id, body);
      else await ivrApi.createHotWordList(body);
      toast.success(t('common.saved'));
      onSaved();
    } catch (x) {
      const f = fieldError(x, t, ['name', 'words']);
      const m = x instanceof ApiError && x.field ? /^words\.(\d+)/.exec(x.field) : null;
      if (m) {
        setRowErr({ [Number(m[1])]: f.message.replace(/^words\.\d+(\.\w+)?: /, '') });
        setErr({ message: t('ivr.hot.fixRows') });
      } else setErr(f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={list ? t('ivr.hot.edit') : t('ivr.hot.add')} onClose={onClose} testId="hw-dialog" wide>
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={err && !err.field ? err.message : undefined} testId="hw-dialog-error" />
        <Field label={t('ivr.hot.listName')} name="name" error={err?.field === 'name' ? err.message : undefined} htmlFor="hw-name">
          <input id="hw-name" maxLength={32} value={name} onChange={(e) => setName(e.target.value)} data-testid="hw-field-name" />
        </Field>
        <Field label={t('ivr.hot.words')} name="words" hint={t('ivr.hot.rule')}>
          <div className="hw-words" data-testid="hw-words">
            {words.map((w, i) => (
              <div key={i} className={`hw-word${rowErr[i] ? ' has-error' : ''}`} data-testid={`hw-word-${i}`}>
                <input value={w.word} placeholder={t('ivr.hot.word')} onChange={(e) => set(i, { word: e.target.value })} data-testid={`hw-word-${i}-word`}
                  aria-invalid={!!rowErr[i]} />
                <input type="number" min={1} max={10} className="input-num" value={w.weight} title={t('ivr.hot.weight')}
                  onChange={(e) => set(i, { weight: e.target.value === '' ? '' : Number(e.target.value) })} data-testid={`hw-word-${i}-weight`} />
                <button type="button" className="icon-btn" aria-label={t('common.delete')} onClick={() => setWords((ws) => ws.filter((_, j) => j !== i))}
                  data-testid={`hw-word-${i}-remove`}>×</button>
                {rowErr[i] && <span className="field-error" data-testid={`hw-word-${i}-error`}>{rowErr[i]}</span>}
              </div>
            ))}
            <button type="button" className="btn btn-sm" onClick={() => setWords((ws) => [...ws, { word: '', weight: 5 }])} data-testid="hw-word-add">
              + {t('ivr.hot.addWord')}
            </button>
          </div>
        </Field>
        <Field label={t('ivr.hot.bulk')} name="bulk" optional hint={t('ivr.hot.bulkHint')}>
          <div className="stack-fields">
            <textarea rows={3} value={bulk} onChange={(e) => setBulk(e.target.value)} placeholder={'售后|8\n维修|6'} data-testid="hw-bulk" />
            <button type="button" className="btn btn-sm" disabled={!bulk.trim()} onClick={addBulk} data-testid="hw-bulk-add">{t('ivr.hot.bulkAdd')}</button>
          </div>
        </Field>
        <p className="muted small">{t('ivr.hot.count', { n: words.filter((w) => w.word.trim()).length, total: others + words.filter((w) => w.word.trim()).length, max: MAX_HOT_WORDS })}</p>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="hw-dialog-submit">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

function ImportErrors({ rows, message, onClose }: { rows: ImportRowError[]; message: string; onClose: () => void }) {
  const { t } = useI18n();
  const loc = (m: string) => localizeServerMessage(m, currentLang());
  return (
    <Modal title={t('ivr.hot.importFailed')} onClose={onClose} testId="hw-import-errors" wide
      footer={<button type="button" className="btn btn-primary" onClick={onClose}>{t('common.close')}</button>}>
      <div className="banner banner-error">{message}</div>
      <div className="scroll-box">
        <table className="table table-compact">
          <thead><tr><th>{t('import.row')}</th><th>{t('import.field')}</th><th>{t('import.message')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.row}-${r.field}`} data-testid={`hw-import-error-row-${r.row}`}><td>{r.row}</td><td>{r.field}</td><td className="wrap">{loc(r.message)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}

export function HotWordsPanel() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const lists = useLoad(() => ivrApi.hotWordLists(), []);
  const [editing, setEditing] = useState<HotWordList | 'new' | null>(null);
  const [checked, setChecked] = useState<number[]>([]);
  const [importErr, setImportErr] = useState<{ rows: ImportRowError[]; message: string } | null>(null);

  const items = lists.data ?? [];
  const total = items.reduce((n, l) => n + l.words.length, 0);

  const remove = async (ls: HotWordList[]) => {
    if (!ls.length) return;
    const message = ls.length === 1 ? t('ivr.hot.confirmDelete', { name: ls[0]!.name }) : t('ivr.hot.confirmBatch', { n: ls.length });
    if (!(await confirm({ message, danger: true }))) return;
    try {
      if (ls.length === 1) await ivrApi.deleteHotWordList(ls[0]!.id);
      else await ivrApi.deleteHotWordLists(ls.map((l) => l.id));
      toast.success(t('common.deleted'));
      setChecked([]);
    } catch (x) {
      toast.error(errorText(x, t));
    }
    lists.reload();
  };

  const importFile = async (l: HotWordList, file: File | undefined) => {
    if (!file) return;
    if (!/\.txt$/i.test(file.name)) return toast.error(t('ivr.hot.importType'));
    if (file.size > 100 * 1024) return toast.error(t('ivr.hot.importTooBig'));
    if (!(await confirm({ message: t('ivr.hot.confirmImport', { name: l.name }) }))) return;
    try {
      const r = await ivrApi.importHotWords(l.id, file);
      toast.success(t('ivr.hot.imported', { n: r.words.length }));
      lists.reload();
    } catch (x) {
      if (x instanceof ApiError && x.rows?.length) setImportErr({ rows: x.rows, message: errorText(x, t) });
      else toast.error(errorText(x, t));
    }
  };

  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="hw-add">{t('ivr.hot.add')}</button>
        <button type="button" className="btn" disabled={!checked.length} data-testid="hw-batch-delete"
          onClick={() => void remove(items.filter((l) => checked.includes(l.id)))}>
          {t('ivr.hot.batchDelete')}{checked.length ? ` (${checked.length})` : ''}
        </button>
        <span className="muted" data-testid="hw-total">{t('ivr.hot.total', { n: total, max: MAX_HOT_WORDS })}</span>
      </div>
      <section className="card table-card">
        {lists.error != null && <div className="banner banner-error" role="alert">{errorText(lists.error, t)}</div>}
        <table className="table" data-testid="hw-table">
          <thead>
            <tr>
              <th className="col-check">
                <input type="checkbox" aria-label={t('common.all')} checked={items.length > 0 && checked.length === items.length}
                  onChange={(e) => setChecked(e.target.checked ? items.map((l) => l.id) : [])} data-testid="hw-select-all" />
              </th>
              <th>{t('ivr.hot.listName')}</th>
              <th className="num">{t('ivr.hot.wordCount')}</th>
              <th>{t('ivr.hot.preview')}</th>
              <th>{t('ivr.prompt.usedBy')}</th>
              <th>{t('ivr.version.updated')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((l) => (
              <tr key={l.id} data-testid={`hw-row-${l.name}`}>
                <td className="col-check">
                  <input type="checkbox" checked={checked.includes(l.id)} data-testid="hw-select"
                    onChange={(e) => setChecked((c) => (e.target.checked ? [...c, l.id] : c.filter((x) => x !== l.id)))} />
                </td>
                <td>{l.name}</td>
                <td className="num" data-testid="hw-count">{l.words.length}</td>
                <td className="wrap muted">{l.words.slice(0, 6).map((w) => `${w.word}|${w.weight}`).join('  ')}{l.words.length > 6 ? ' …' : ''}</td>
                <td className="wrap">{l.usedBy.length ? l.usedBy.map((u) => u.flowName).join('、') : '—'}</td>
                <td>{formatTime(l.updatedAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => setEditing(l)} data-testid="hw-edit">{t('common.edit')}</button>
                  <a className="link" href={ivrApi.hotWordExportUrl(l.id)} download={`${l.name}.txt`} data-testid="hw-export">{t('ivr.hot.export')}</a>
                  <label className="link file-link">
                    {t('ivr.hot.import')}
                    <input type="file" accept=".txt,text/plain" hidden data-testid="hw-import"
                      onChange={(e) => {
                        void importFile(l, e.target.files?.[0]);
                        e.target.value = '';
                      }} />
                  </label>
                  <button type="button" className="link link-danger" onClick={() => void remove([l])} data-testid="hw-delete">{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {items.length === 0 && <tr><td colSpan={7} className="table-empty">{lists.loading ? t('common.loading') : t('ivr.hot.empty')}</td></tr>}
          </tbody>
        </table>
      </section>
      <p className="muted small">{t('ivr.hot.importHint')}</p>
      {editing && (
        <ListDialog list={editing === 'new' ? null : editing} total={total} onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            lists.reload();
          }} />
      )}
      {importErr && <ImportErrors {...importErr} onClose={() => setImportErr(null)} />}
    </>
  );
}

