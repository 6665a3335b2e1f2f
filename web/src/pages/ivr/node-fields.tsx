// The controls the module forms are built from (rows, numbers, texts, selects, prompts, lists, keys,
// keywords, time ranges, conditions); each control's test id is `param-<path>`.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ivrApi } from '../../api-ivr';
import type { IvrCatalog } from '../../api-ivr-types';
import type { MessageKey, TFunction } from '../../i18n';
import { DIGITS, getIn, type Path } from './model';

export type P = Record<string, unknown>;

export interface FormCtx {
  params: P;
  set: (path: Path, value: unknown) => void;
  /** the error message for a params path (itself or anything below it) */
  err: (path: Path) => string | undefined;
  catalog: IvrCatalog | undefined;
  /** variable names usable as ${…} */
  variables: string[];
  t: TFunction;
}

export const tid = (path: Path) => `param-${path.join('-')}`;

export function Row({ ctx, path, label, hint, children, inline }: {
  ctx: FormCtx; path: Path; label: ReactNode; hint?: ReactNode; children: ReactNode; inline?: boolean;
}) {
  const e = ctx.err(path);
  return (
    <div className={`pfield${e ? ' has-error' : ''}${inline ? ' pfield-inline' : ''}`}>
      <label className="pfield-label">{label}</label>
      <div className="pfield-control">
        {children}
        {e && <div className="field-error" data-testid={`field-error-${tid(path)}`} role="alert">{e}</div>}
        {!e && hint && <div className="field-hint">{hint}</div>}
      </div>
    </div>
  );
}

export function Num({ ctx, path, label, min, max, unit, hint }: {
  ctx: FormCtx; path: Path; label: ReactNode; min?: number; max?: number; unit?: string; hint?: ReactNode;
}) {
  const v = getIn(ctx.params, path);
  return (
    <Row ctx={ctx} path={path} label={label} hint={hint}>
      <span className="with-unit">
        <input type="number" className="input-num" min={min} max={max} value={typeof v === 'number' ? v : ''}
          onChange={(e) => ctx.set(path, e.target.value === '' ? undefined : Number(e.target.value))}
          aria-invalid={!!ctx.err(path)} data-testid={tid(path)} />
        {unit && <span className="unit">{unit}</span>}
      </span>
    </Row>
  );
}

export function Text({ ctx, path, label, placeholder, hint, optional, mono }: {
  ctx: FormCtx; path: Path; label: ReactNode; placeholder?: string; hint?: ReactNode; optional?: boolean; mono?: boolean;
}) {
  const v = getIn(ctx.params, path);
  return (
    <Row ctx={ctx} path={path} label={label} hint={hint}>
      <input className={mono ? 'mono' : undefined} value={typeof v === 'string' ? v : ''} placeholder={placeholder}
        onChange={(e) => ctx.set(path, optional && e.target.value === '' ? undefined : e.target.value)}
        aria-invalid={!!ctx.err(path)} data-testid={tid(path)} />
    </Row>
  );
}

export function Check({ ctx, path, label }: { ctx: FormCtx; path: Path; label: ReactNode }) {
  return (
    <Row ctx={ctx} path={path} label="" inline>
      <label className="check-inline">
        <input type="checkbox" checked={getIn(ctx.params, path) === true} onChange={(e) => ctx.set(path, e.target.checked)}
          data-testid={tid(path)} />
        {label}
      </label>
    </Row>
  );
}

export function Select<V extends string | number>({ ctx, path, label, options, empty, hint }: {
  ctx: FormCtx; path: Path; label: ReactNode; options: { value: V; label: string }[]; empty?: string; hint?: ReactNode;
}) {
  const v = getIn(ctx.params, path);
  const numeric = typeof options[0]?.value === 'number';
  return (
    <Row ctx={ctx} path={path} label={label} hint={hint}>
      <select value={v === undefined || v === null ? '' : String(v)}
        onChange={(e) => ctx.set(path, e.target.value === '' ? undefined : numeric ? Number(e.target.value) : e.target.value)}
        aria-invalid={!!ctx.err(path)} data-testid={tid(path)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        {v !== undefined && v !== '' && !options.some((o) => String(o.value) === String(v)) && <option value={String(v)}>{String(v)}</option>}
      </select>
    </Row>
  );
}

/** Inserts `${name}` at the caret of the text area. */
export function VariableInsert({ ctx, onInsert, testId }: { ctx: FormCtx; onInsert: (s: string) => void; testId: string }) {
  const { t } = ctx;
  return (
    <select className="var-insert" value="" onChange={(e) => e.target.value && onInsert(`\${${e.target.value}}`)} data-testid={testId}
      title={t('ivr.form.insertVariable')}>
      <option value="">{t('ivr.form.insertVariable')}</option>
      {ctx.variables.map((v) => <option key={v} value={v}>{`\${${v}}`}</option>)}
    </select>
  );
}

/** 放音: TTS text (with ${variables}) or an uploaded prompt file, with 试听 of either (TTS rendered on the box). */
export function PromptField({ ctx, path, label, optional }: { ctx: FormCtx; path: Path; label: ReactNode; optional?: boolean }) {
  const { t } = ctx;
  const v = getIn(ctx.params, path) as { kind?: string; text?: string; promptId?: string; voice?: string } | undefined;
  const kind = v?.kind ?? 'none';
  const area = useRef<HTMLTextAreaElement>(null);
  const [playing, setPlaying] = useState(false);
  const [previewError, setPreviewError] = useState('');
  const audio = useRef<HTMLAudioElement | null>(null);
  const blobUrl = useRef<string | null>(null);
  useEffect(() => () => {
    audio.current?.pause();
    if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
  }, []);

  const setKind = (k: string) => {
    if (k === 'none') ctx.set(path, undefined);
    else if (k === 'tts') ctx.set(path, { kind: 'tts', text: v?.text ?? '' });
    else ctx.set(path, { kind: 'file', promptId: v?.promptId ?? ctx.catalog?.prompts[0]?.id ?? '' });
  };
  const insert = (s: string) => {
    const el = area.current;
    const text = v?.text ?? '';
    const at = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    ctx.set([...path, 'text'], text.slice(0, at) + s + text.slice(end));
  };
  const playUrl = (url: string) => {
    audio.current?.pause();
    const a = new Audio(url);
    audio.current = a;
    setPlaying(true);
    a.onended = a.onerror = () => setPlaying(false);
    void a.play().catch(() => setPlaying(false));
  };
  const play = () => {
    if (v?.promptId) playUrl(ivrApi.promptAudioUrl(v.promptId));
  };
  const previewTts = async () => {
    if (!v?.text?.trim()) return;
    setPreviewError('');
    setPlaying(true);
    try {
      const blob = await ivrApi.ttsPreview(v.text, v.voice === 'en' ? 'en' : 'cmn');
      if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
      blobUrl.current = URL.createObjectURL(blob);
      playUrl(blobUrl.current);
    } catch (e) {
      setPlaying(false);
      setPreviewError(`${t('ivr.prompt.previewFailed')}${e instanceof Error && e.message ? `: ${e.message}` : ''}`);
    }
  };

  return (
    <Row ctx={ctx} path={path} label={label}>
      <div className="prompt-field">
        <div className="seg">
          {optional && (
            <button type="button" className={kind === 'none' ? 'on' : ''} onClick={() => setKind('none')} data-testid={`${tid(path)}-kind-none`}>
              {t('ivr.form.promptNone')}
            </button>
          )}
          <button type="button" className={kind === 'tts' ? 'on' : ''} onClick={() => setKind('tts')} data-testid={`${tid(path)}-kind-tts`}>
            {t('ivr.form.promptTts')}
          </button>
          <button type="button" className={kind === 'file' ? 'on' : ''} onClick={() => setKind('file')} data-testid={`${tid(path)}-kind-file`}>
            {t('ivr.form.promptFile')}
          </button>
        </div>
        {kind === 'tts' && (
          <>
            <textarea ref={area} rows={3} value={v?.text ?? ''} maxLength={1000}
              onChange={(e) => ctx.set([...path, 'text'], e.target.value)} aria-invalid={!!ctx.err([...path, 'text'])}
              data-testid={`${tid(path)}-text`} />
            <div className="row-gap tight">
              <VariableInsert ctx={ctx} onInsert={insert} testId={`${tid(path)}-var`} />
              <button type="button" className="btn btn-sm" disabled={!v?.text?.trim() || playing} onClick={() => void previewTts()} data-testid={`${tid(path)}-preview`}>
                {playing ? t('ivr.prompt.playing') : t('ivr.prompt.play')}
              </button>
            </div>
            {previewError && <div className="field-error" role="alert" data-testid={`${tid(path)}-preview-error`}>{previewError}</div>}
          </>
        )}
        {kind === 'file' && (
          <div className="row-gap tight">
            <select value={v?.promptId ?? ''} onChange={(e) => ctx.set([...path, 'promptId'], e.target.value)} data-testid={`${tid(path)}-file`}>
              <option value="">{t('ivr.form.choosePrompt')}</option>
              {(ctx.catalog?.prompts ?? []).map((p) => (
                <option key={p.id} value={p.id}>{p.name}（{(p.durationMs / 1000).toFixed(1)}s）</option>
              ))}
            </select>
            <button type="button" className="btn btn-sm" disabled={!v?.promptId || playing} onClick={play} data-testid={`${tid(path)}-play`}>
              {playing ? t('ivr.prompt.playing') : t('ivr.prompt.play')}
            </button>
          </div>
        )}
      </div>
    </Row>
  );
}

/** A list of objects with add / remove; `render` draws one item at its path. */
export function List({ ctx, path, label, make, render, max, addLabel }: {
  ctx: FormCtx; path: Path; label: ReactNode; make: (items: unknown[]) => unknown; render: (p: Path, i: number) => ReactNode;
  max?: number; addLabel?: string;
}) {
  const { t } = ctx;
  const items = (getIn(ctx.params, path) as unknown[] | undefined) ?? [];
  return (
    <Row ctx={ctx} path={path} label={label}>
      <div className="plist" data-testid={tid(path)}>
        {items.map((_, i) => (
          <div key={i} className="plist-item">
            <div className="plist-body">{render([...path, i], i)}</div>
            <button type="button" className="icon-btn" title={t('common.delete')} aria-label={t('common.delete')}
              onClick={() => ctx.set([...path, i], undefined)} data-testid={`${tid([...path, i])}-remove`}>×</button>
          </div>
        ))}
        {(max === undefined || items.length < max) && (
          <button type="button" className="btn btn-sm" onClick={() => ctx.set(path, [...items, make(items)])} data-testid={`${tid(path)}-add`}>
            + {addLabel ?? t('common.add')}
          </button>
        )}
      </div>
    </Row>
  );
}

/** Compact inputs used inside list items. */
export function Mini({ ctx, path, placeholder, width, type = 'text', title }: {
  ctx: FormCtx; path: Path; placeholder?: string; width?: number; type?: string; title?: string;
}) {
  const v = getIn(ctx.params, path);
  return (
    <input type={type} style={width ? { width } : undefined} placeholder={placeholder} title={title ?? placeholder}
      value={v === undefined || v === null ? '' : String(v)}
      onChange={(e) => ctx.set(path, type === 'number' ? (e.target.value === '' ? undefined : Number(e.target.value)) : e.target.value)}
      aria-invalid={!!ctx.err(path)} data-testid={tid(path)} />
  );
}

export function DigitSelect({ ctx, path, used }: { ctx: FormCtx; path: Path; used: string[] }) {
  const v = getIn(ctx.params, path) as string | undefined;
  return (
    <select className="digit-select" value={v ?? ''} onChange={(e) => ctx.set(path, e.target.value)} data-testid={tid(path)}
      aria-invalid={!!ctx.err(path)}>
      {DIGITS.map((d) => <option key={d} value={d} disabled={d !== v && used.includes(d)}>{d}</option>)}
    </select>
  );
}

export const nextFree = (used: string[]): string => DIGITS.find((d) => !used.includes(d)) ?? '0';
export const keysOf = (items: unknown[], k = 'key') => items.map((x) => (x as Record<string, string>)[k] ?? '');

/** Comma- or 、-separated keywords, edited as text and stored as an array. */
export function Keywords({ ctx, path }: { ctx: FormCtx; path: Path }) {
  const arr = (getIn(ctx.params, path) as string[] | undefined) ?? [];
  const joined = arr.join('，');
  const [text, setText] = useState(joined);
  const split = (s: string) => s.split(/[,，、;；]/).map((x) => x.trim()).filter(Boolean);
  useEffect(() => {
    if (split(text).join('，') !== joined) setText(joined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [joined]);
  return (
    <input value={text} placeholder={ctx.t('ivr.form.keywordsHint')} title={ctx.t('ivr.form.keywordsHint')}
      onChange={(e) => {
        setText(e.target.value);
        ctx.set(path, split(e.target.value));
      }}
      aria-invalid={!!ctx.err(path)} data-testid={tid(path)} />
  );
}

export function TimeRanges({ ctx, path }: { ctx: FormCtx; path: Path }) {
  const { t } = ctx;
  return (
    <List ctx={ctx} path={path} label={t('ivr.form.ranges')} addLabel={t('ivr.form.addRange')}
      make={() => ({ from: '09:00', to: '18:00' })}
      render={(p) => (
        <span className="inline-fields">
          <Mini ctx={ctx} path={[...p, 'from']} type="time" width={110} title={t('ivr.form.from')} />
          <span>–</span>
          <Mini ctx={ctx} path={[...p, 'to']} type="time" width={110} title={t('ivr.form.to')} />
        </span>
      )} />
  );
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function Days({ ctx, path }: { ctx: FormCtx; path: Path }) {
  const days = (getIn(ctx.params, path) as number[] | undefined) ?? [];
  return (
    <span className="days" data-testid={tid(path)}>
      {WEEKDAYS.map((d) => (
        <label key={d} className={`day${days.includes(d) ? ' on' : ''}`}>
          <input type="checkbox" checked={days.includes(d)} data-testid={`${tid(path)}-${d}`}
            onChange={(e) => ctx.set(path, e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d))} />
          {ctx.t(`ivr.weekday.${d}` as MessageKey)}
        </label>
      ))}
    </span>
  );
}

// ---------------------------------------------------------------- per-module forms

export function Timing({ ctx, errorsKey = 'maxErrors' }: { ctx: FormCtx; errorsKey?: string }) {
  const { t } = ctx;
  return (
    <>
      <Num ctx={ctx} path={[errorsKey]} label={t(errorsKey === 'maxRetries' ? 'ivr.form.maxRetries' : 'ivr.form.maxErrors')} min={1} max={10}
        hint={t('ivr.form.maxErrorsHint')} />
      <Num ctx={ctx} path={['timeoutSec']} label={t('ivr.form.timeoutSec')} min={1} max={60} unit={t('ivr.form.sec')} />
    </>
  );
}

export const OPS = [
  { value: 'eq', label: '=' }, { value: 'ne', label: '≠' }, { value: 'gt', label: '>' },
  { value: 'lt', label: '<' }, { value: 'ge', label: '≥' }, { value: 'le', label: '≤' },
];

export function Condition({ ctx, path }: { ctx: FormCtx; path: Path }) {
  const { t } = ctx;
  const v = (getIn(ctx.params, path) as { op?: string; compare?: string } | undefined) ?? {};
  return (
    <span className="inline-fields wrap">
      <Mini ctx={ctx} path={[...path, 'left']} placeholder={t('ivr.form.left')} width={120} />
      <select value={v.op ?? 'eq'} onChange={(e) => ctx.set([...path, 'op'], e.target.value)} data-testid={tid([...path, 'op'])}>
        {OPS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <Mini ctx={ctx} path={[...path, 'right']} placeholder={t('ivr.form.right')} width={100} />
      <select value={v.compare ?? 'text'} onChange={(e) => ctx.set([...path, 'compare'], e.target.value)} data-testid={tid([...path, 'compare'])}>
        <option value="text">{t('ivr.form.compareText')}</option>
        <option value="number">{t('ivr.form.compareNumber')}</option>
      </select>
    </span>
  );
}
