// 放音文件管理: upload mp3/wav ≤ 5 MB with a name (progress, then the box converts it), list with
// duration, 试听 in the browser, download, rename, delete (refused while a flow uses it: the server names them).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ivrApi } from '../../api-ivr';
import type { IvrPrompt } from '../../api-ivr-types';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, formatTime, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';

export const MAX_PROMPT_BYTES = 5 * 1024 * 1024;
const NAME_RE = /^[^\\/:*?"<>|\u0000-\u001f]{1,64}$/u;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const size = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(b / 1024))} KB`);

function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const pick = (f: File | null) => {
    setErr(null);
    setFile(f);
    if (f && !name) setName(f.name.replace(/\.[^.]+$/, '').slice(0, 64));
    if (f && !/\.(mp3|wav)$/i.test(f.name)) setErr({ field: 'file', message: t('ivr.prompt.badType') });
    else if (f && f.size > MAX_PROMPT_BYTES) setErr({ field: 'file', message: t('ivr.prompt.tooBig') });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setErr({ field: 'file', message: t('ivr.prompt.noFile') });
    if (!/\.(mp3|wav)$/i.test(file.name)) return setErr({ field: 'file', message: t('ivr.prompt.badType') });
    if (file.size > MAX_PROMPT_BYTES) return setErr({ field: 'file', message: t('ivr.prompt.tooBig') });
    if (!NAME_RE.test(name.trim())) return setErr({ field: 'name', message: t('ivr.prompt.nameRule') });
    setErr(null);
    setProgress(0);
    try {
      await ivrApi.uploadIvrPrompt(file, name.trim(), setProgress);
      toast.success(t('ivr.prompt.uploaded', { name: name.trim() }));
      setFile(null);
      setName('');
      if (input.current) input.current.value = '';
      onUploaded();
    } catch (x) {
      const f = fieldError(x, t, ['name', 'file', 'content-type']);
      setErr(f.field === 'content-type' ? { ...f, field: 'file' } : f);
    } finally {
      setProgress(null);
    }
  };

  const pct = progress === null ? 0 : Math.round(progress * 100);
  return (
    <form className="card form prompt-upload" onSubmit={submit} noValidate data-testid="prompt-upload">
      <h2>{t('ivr.prompt.upload')}</h2>
      <FormError message={err && !err.field ? err.message : undefined} testId="prompt-upload-error" />
      <Field label={t('ivr.prompt.file')} name="file" error={err?.field === 'file' ? err.message : undefined} hint={t('ivr.prompt.fileHint')}>
        <input ref={input} type="file" accept=".mp3,.wav,audio/mpeg,audio/wav" onChange={(e) => pick(e.target.files?.[0] ?? null)}
          data-testid="prompt-upload-file" />
      </Field>
      <Field label={t('ivr.prompt.name')} name="name" error={err?.field === 'name' ? err.message : undefined} htmlFor="prompt-name">
        <input id="prompt-name" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} data-testid="prompt-upload-name" />
      </Field>
      {progress !== null && (
        <div className="progress-wrap" data-testid="prompt-upload-progress" data-percent={pct}>
          <div className="progress"><div className="progress-bar" style={{ width: `${pct}%` }} /></div>
          <span>{pct < 100 ? t('ivr.prompt.uploading', { pct }) : t('ivr.prompt.converting')}</span>
        </div>
      )}
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={progress !== null} data-testid="prompt-upload-submit">
          {t('ivr.prompt.uploadSubmit')}
        </button>
      </div>
    </form>
  );
}

export function PromptsPanel() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const list = useLoad(() => ivrApi.ivrPrompts(), []);
  const [playing, setPlaying] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const audio = useRef<HTMLAudioElement | null>(null);
  useEffect(() => () => audio.current?.pause(), []);

  const play = (p: IvrPrompt) => {
    audio.current?.pause();
    if (playing === p.id) return setPlaying(null);
    const a = new Audio(ivrApi.promptAudioUrl(p.id));
    audio.current = a;
    setPlaying(p.id);
    a.onended = () => setPlaying(null);
    a.onerror = () => {
      setPlaying(null);
      toast.error(t('ivr.prompt.playFailed'));
    };
    void a.play().catch(() => setPlaying(null));
  };

  const rename = async () => {
    if (!renaming) return;
    if (!NAME_RE.test(renaming.name.trim())) return toast.error(t('ivr.prompt.nameRule'));
    try {
      await ivrApi.renameIvrPrompt(renaming.id, renaming.name.trim());
      setRenaming(null);
      toast.success(t('common.saved'));
      list.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };

  const remove = async (p: IvrPrompt) => {
    if (!(await confirm({ message: t('ivr.prompt.confirmDelete', { name: p.name }), danger: true }))) return;
    try {
      await ivrApi.deleteIvrPrompt(p.id);
      toast.success(t('common.deleted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    list.reload();
  };

  const items = list.data ?? [];
  return (
    <>
      <UploadForm onUploaded={list.reload} />
      <section className="card table-card">
        {list.error != null && <div className="banner banner-error" role="alert">{errorText(list.error, t)}</div>}
        <table className="table" data-testid="prompt-table">
          <thead>
            <tr>
              <th>{t('ivr.prompt.name')}</th>
              <th>{t('ivr.prompt.originalName')}</th>
              <th className="num">{t('ivr.prompt.duration')}</th>
              <th className="num">{t('ivr.prompt.size')}</th>
              <th>{t('ivr.prompt.status')}</th>
              <th>{t('ivr.prompt.usedBy')}</th>
              <th>{t('ivr.prompt.uploadedAt')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-testid={`prompt-row-${p.name}`} data-id={p.id} data-used={p.usedBy.length > 0}>
                <td>
                  {renaming?.id === p.id ? (
                    <span className="inline-edit">
                      <input value={renaming.name} maxLength={64} onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                        onKeyDown={(e) => e.key === 'Enter' && void rename()} data-testid="prompt-rename-input" autoFocus />
                      <button type="button" className="btn btn-sm btn-primary" onClick={() => void rename()} data-testid="prompt-rename-save">{t('common.save')}</button>
                      <button type="button" className="btn btn-sm" onClick={() => setRenaming(null)}>{t('common.cancel')}</button>
                    </span>
                  ) : p.name}
                </td>
                <td className="muted">{p.originalName}</td>
                <td className="num" data-testid="prompt-duration">{seconds(p.durationMs)}</td>
                <td className="num">{size(p.sizeBytes)}</td>
                <td><span className="badge badge-ok">{t('ivr.prompt.approved')}</span></td>
                <td className="wrap">{p.usedBy.length ? p.usedBy.map((u) => `${u.flowName} (${u.versions.join(', ')})`).join('、') : '—'}</td>
                <td>{formatTime(p.createdAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link" onClick={() => play(p)} data-testid="prompt-play" data-playing={playing === p.id}>
                    {playing === p.id ? t('ivr.prompt.stop') : t('ivr.prompt.play')}
                  </button>
                  <a className="link" href={ivrApi.promptAudioUrl(p.id)} download={`${p.name}.wav`} data-testid="prompt-download">{t('ivr.prompt.download')}</a>
                  <button type="button" className="link" onClick={() => setRenaming({ id: p.id, name: p.name })} data-testid="prompt-rename">
                    {t('status.rename')}
                  </button>
                  <button type="button" className="link link-danger" onClick={() => void remove(p)} data-testid="prompt-delete">{t('common.delete')}</button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr><td colSpan={8} className="table-empty">{list.loading ? t('common.loading') : t('ivr.prompt.empty')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}
