// The side panel's parameter forms, one per module, with the manual's field names. Every control's
// test id is `param-<path>` (e.g. param-prompt-text, param-keys-0-key); server errors for a field
// (`params.<path>…`) appear beside it.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type IvrCatalog, type NodeType } from '../../api';
import type { MessageKey, TFunction } from '../../i18n';
import { DIGITS, getIn, type Path } from './model';

type P = Record<string, unknown>;

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

const tid = (path: Path) => `param-${path.join('-')}`;

function Row({ ctx, path, label, hint, children, inline }: {
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

function Num({ ctx, path, label, min, max, unit, hint }: {
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

function Text({ ctx, path, label, placeholder, hint, optional, mono }: {
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

function Check({ ctx, path, label }: { ctx: FormCtx; path: Path; label: ReactNode }) {
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

function Select<V extends string | number>({ ctx, path, label, options, empty, hint }: {
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
function VariableInsert({ ctx, onInsert, testId }: { ctx: FormCtx; onInsert: (s: string) => void; testId: string }) {
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
    if (v?.promptId) playUrl(api.promptAudioUrl(v.promptId));
  };
  const previewTts = async () => {
    if (!v?.text?.trim()) return;
    setPreviewError('');
    setPlaying(true);
    try {
      const blob = await api.ttsPreview(v.text, v.voice === 'en' ? 'en' : 'cmn');
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
function List({ ctx, path, label, make, render, max, addLabel }: {
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
function Mini({ ctx, path, placeholder, width, type = 'text', title }: {
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

function DigitSelect({ ctx, path, used }: { ctx: FormCtx; path: Path; used: string[] }) {
  const v = getIn(ctx.params, path) as string | undefined;
  return (
    <select className="digit-select" value={v ?? ''} onChange={(e) => ctx.set(path, e.target.value)} data-testid={tid(path)}
      aria-invalid={!!ctx.err(path)}>
      {DIGITS.map((d) => <option key={d} value={d} disabled={d !== v && used.includes(d)}>{d}</option>)}
    </select>
  );
}

const nextFree = (used: string[]): string => DIGITS.find((d) => !used.includes(d)) ?? '0';
const keysOf = (items: unknown[], k = 'key') => items.map((x) => (x as Record<string, string>)[k] ?? '');

/** Comma- or 、-separated keywords, edited as text and stored as an array. */
function Keywords({ ctx, path }: { ctx: FormCtx; path: Path }) {
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

function TimeRanges({ ctx, path }: { ctx: FormCtx; path: Path }) {
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

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function Days({ ctx, path }: { ctx: FormCtx; path: Path }) {
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

function Timing({ ctx, errorsKey = 'maxErrors' }: { ctx: FormCtx; errorsKey?: string }) {
  const { t } = ctx;
  return (
    <>
      <Num ctx={ctx} path={[errorsKey]} label={t(errorsKey === 'maxRetries' ? 'ivr.form.maxRetries' : 'ivr.form.maxErrors')} min={1} max={10}
        hint={t('ivr.form.maxErrorsHint')} />
      <Num ctx={ctx} path={['timeoutSec']} label={t('ivr.form.timeoutSec')} min={1} max={60} unit={t('ivr.form.sec')} />
    </>
  );
}

export function NodeForm({ type, ctx }: { type: NodeType; ctx: FormCtx }) {
  const { t } = ctx;
  const p = ctx.params;
  switch (type) {
    case 'start':
      return <p className="muted">{t('ivr.form.startHint')}</p>;
    case 'end':
      return (
        <>
          <p className="muted">{t('ivr.form.endHint')}</p>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.endPrompt')} optional />
        </>
      );
    case 'play':
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.prompt')} />
          <Check ctx={ctx} path={['interruptible']} label={t('ivr.form.interruptible')} />
          <Num ctx={ctx} path={['playCount']} label={t('ivr.form.playCount')} min={1} max={10} unit={t('ivr.form.times')} />
        </>
      );
    case 'menu': {
      const keys = (p.keys as unknown[] | undefined) ?? [];
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.menuPrompt')} />
          <List ctx={ctx} path={['keys']} label={t('ivr.form.keys')} max={12} addLabel={t('ivr.form.addKey')}
            make={(items) => ({ key: nextFree(keysOf(items)), label: '' })}
            render={(ip, i) => (
              <span className="inline-fields">
                <DigitSelect ctx={ctx} path={[...ip, 'key']} used={keysOf(keys).filter((_, j) => j !== i)} />
                <Mini ctx={ctx} path={[...ip, 'label']} placeholder={t('ivr.form.keyLabel')} />
              </span>
            )} />
          <PromptField ctx={ctx} path={['timeoutPrompt']} label={t('ivr.form.timeoutPrompt')} optional />
          <PromptField ctx={ctx} path={['errorPrompt']} label={t('ivr.form.errorPrompt')} optional />
          <Timing ctx={ctx} />
          <Num ctx={ctx} path={['interDigitTimeoutSec']} label={t('ivr.form.interDigit')} min={1} max={30} unit={t('ivr.form.sec')} />
          <Text ctx={ctx} path={['dynamicVariable']} label={t('ivr.form.dynamicVariable')} optional mono hint={t('ivr.form.dynamicHint')} />
        </>
      );
    }
    case 'speechMenu': {
      const branches = (p.branches as unknown[] | undefined) ?? [];
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.prompt')} />
          <List ctx={ctx} path={['branches']} label={t('ivr.form.speechBranches')} max={12} addLabel={t('ivr.form.addBranch')}
            make={(items) => ({ key: nextFree(keysOf(items)), label: '', keywords: [] })}
            render={(bp, i) => (
              <div className="stack-fields">
                <span className="inline-fields">
                  <DigitSelect ctx={ctx} path={[...bp, 'key']} used={keysOf(branches).filter((_, j) => j !== i)} />
                  <Mini ctx={ctx} path={[...bp, 'label']} placeholder={t('ivr.form.keyLabel')} />
                </span>
                <Keywords ctx={ctx} path={[...bp, 'keywords']} />
              </div>
            )} />
          <Select ctx={ctx} path={['defaultKey']} label={t('ivr.form.defaultKey')} empty={t('ivr.form.defaultKeyNone')}
            options={keysOf(branches).map((k) => ({ value: k, label: k }))} hint={t('ivr.form.defaultKeyHint')} />
          <Select ctx={ctx} path={['hotWordListId']} label={t('ivr.form.hotWordList')} empty={t('ivr.form.none')}
            options={(ctx.catalog?.hotWordLists ?? []).map((h) => ({ value: h.id, label: h.name }))} />
          <PromptField ctx={ctx} path={['timeoutPrompt']} label={t('ivr.form.timeoutPrompt')} optional />
          <PromptField ctx={ctx} path={['nomatchPrompt']} label={t('ivr.form.nomatchPrompt')} optional />
          <Timing ctx={ctx} errorsKey="maxRetries" />
        </>
      );
    }
    case 'toAgent': {
      const mode = (p.mode as string | undefined) ?? 'skillGroup';
      return (
        <>
          <Row ctx={ctx} path={['mode']} label={t('ivr.form.agentMode')}>
            <div className="radios">
              {(['skillGroup', 'specifiedSeat'] as const).map((m) => (
                <label key={m} className="check-inline">
                  <input type="radio" checked={mode === m} onChange={() => ctx.set(['mode'], m)} data-testid={`param-mode-${m}`} />
                  {t(`ivr.form.mode.${m}`)}
                </label>
              ))}
            </div>
          </Row>
          <Select ctx={ctx} path={['skillGroupId']} label={t('ivr.form.skillGroup')} empty={t('ivr.form.chooseGroup')}
            options={(ctx.catalog?.skillGroups ?? []).map((g) => ({ value: g.id, label: g.name }))}
            hint={mode === 'specifiedSeat' ? t('ivr.form.seatGroupHint') : undefined} />
          {mode === 'specifiedSeat' && (
            <>
              <Text ctx={ctx} path={['callbackUrl']} label={t('ivr.form.callbackUrl')} placeholder="https://" optional mono
                hint={t('ivr.form.seatHint')} />
              <Text ctx={ctx} path={['sdkAppId']} label="SdkAppId" mono />
              <Num ctx={ctx} path={['callbackTimeoutSec']} label={t('ivr.form.callbackTimeout')} min={1} max={30} unit={t('ivr.form.sec')} />
              <Num ctx={ctx} path={['callbackMaxErrors']} label={t('ivr.form.callbackTries')} min={1} max={5} />
            </>
          )}
          <Num ctx={ctx} path={['priority']} label={t('ivr.form.priority')} min={1} max={5} hint={t('ivr.form.priorityHint')} />
          <Num ctx={ctx} path={['maxWaitSec']} label={t('ivr.form.maxWait')} min={1} max={7200} unit={t('ivr.form.sec')} />
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.transferPrompt')} optional />
        </>
      );
    }
    case 'hours':
      return (
        <>
          <Text ctx={ctx} path={['timeZone']} label={t('ivr.form.timeZone')} placeholder="Asia/Shanghai" optional hint={t('ivr.form.timeZoneHint')} />
          <List ctx={ctx} path={['weekly']} label={t('ivr.form.weekly')} max={14} addLabel={t('ivr.form.addWeekly')}
            make={() => ({ days: [1, 2, 3, 4, 5], ranges: [{ from: '09:00', to: '18:00' }] })}
            render={(wp) => (
              <div className="stack-fields">
                <Days ctx={ctx} path={[...wp, 'days']} />
                <TimeRanges ctx={ctx} path={[...wp, 'ranges']} />
              </div>
            )} />
          <List ctx={ctx} path={['holidays']} label={t('ivr.form.holidays')} addLabel={t('ivr.form.addHoliday')}
            make={() => ({ from: new Date().toISOString().slice(0, 10), name: '' })}
            render={(hp) => (
              <span className="inline-fields wrap">
                <Mini ctx={ctx} path={[...hp, 'from']} type="date" width={140} title={t('ivr.form.from')} />
                <span>–</span>
                <Mini ctx={ctx} path={[...hp, 'to']} type="date" width={140} title={t('ivr.form.to')} />
                <Mini ctx={ctx} path={[...hp, 'name']} placeholder={t('ivr.form.holidayName')} width={110} />
              </span>
            )} />
          <List ctx={ctx} path={['specialDays']} label={t('ivr.form.specialDays')} addLabel={t('ivr.form.addSpecial')}
            make={() => ({ date: new Date().toISOString().slice(0, 10), ranges: [{ from: '09:00', to: '12:00' }], name: '' })}
            render={(sp) => (
              <div className="stack-fields">
                <span className="inline-fields">
                  <Mini ctx={ctx} path={[...sp, 'date']} type="date" width={140} />
                  <Mini ctx={ctx} path={[...sp, 'name']} placeholder={t('ivr.form.holidayName')} width={110} />
                </span>
                <TimeRanges ctx={ctx} path={[...sp, 'ranges']} />
              </div>
            )} />
          <p className="muted small">{t('ivr.form.hoursHint')}</p>
        </>
      );
    case 'survey': {
      const options = (p.options as unknown[] | undefined) ?? [];
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.prompt')} />
          <List ctx={ctx} path={['options']} label={t('ivr.form.surveyOptions')} max={12} addLabel={t('ivr.form.addOption')}
            make={(items) => ({ key: nextFree(keysOf(items)), label: '' })}
            render={(op, i) => (
              <span className="inline-fields">
                <DigitSelect ctx={ctx} path={[...op, 'key']} used={keysOf(options).filter((_, j) => j !== i)} />
                <Mini ctx={ctx} path={[...op, 'label']} placeholder={t('ivr.form.optionLabel')} />
              </span>
            )} />
          <PromptField ctx={ctx} path={['errorPrompt']} label={t('ivr.form.errorPrompt')} optional />
          <PromptField ctx={ctx} path={['thanksPrompt']} label={t('ivr.form.thanksPrompt')} optional />
          <Timing ctx={ctx} />
          <Text ctx={ctx} path={['keyVariable']} label={t('ivr.form.keyVariable')} mono />
          <Text ctx={ctx} path={['labelVariable']} label={t('ivr.form.labelVariable')} mono />
        </>
      );
    }
    case 'toExternal': {
      const callee = (p.callee as { mode?: string } | undefined) ?? {};
      return (
        <>
          <Text ctx={ctx} path={['callerNumber']} label={t('ivr.form.callerNumber')} mono hint={t('ivr.form.callerNumberHint')} />
          <Row ctx={ctx} path={['callee', 'mode']} label={t('ivr.form.callee')}>
            <div className="radios">
              {(['fixed', 'callback'] as const).map((m) => (
                <label key={m} className="check-inline">
                  <input type="radio" checked={(callee.mode ?? 'fixed') === m} data-testid={`param-callee-mode-${m}`}
                    onChange={() => ctx.set(['callee'], m === 'fixed' ? { mode: 'fixed', number: '' } : { mode: 'callback', url: 'https://', timeoutSec: 3 })} />
                  {t(`ivr.form.callee.${m}`)}
                </label>
              ))}
            </div>
          </Row>
          {(callee.mode ?? 'fixed') === 'fixed' ? (
            <Text ctx={ctx} path={['callee', 'number']} label={t('ivr.form.calleeNumber')} mono hint={t('ivr.form.numberOrVar')} />
          ) : (
            <>
              <Text ctx={ctx} path={['callee', 'url']} label={t('ivr.form.callbackUrl')} mono />
              <Num ctx={ctx} path={['callee', 'timeoutSec']} label={t('ivr.form.callbackTimeout')} min={1} max={30} unit={t('ivr.form.sec')} />
              <Text ctx={ctx} path={['callee', 'fallbackNumber']} label={t('ivr.form.fallbackNumber')} optional mono hint={t('ivr.form.numberOrVar')} />
            </>
          )}
          <PromptField ctx={ctx} path={['connectingPrompt']} label={t('ivr.form.connectingPrompt')} optional />
          <Num ctx={ctx} path={['ringTimeoutSec']} label={t('ivr.form.ringTimeout')} min={1} max={120} unit={t('ivr.form.sec')} />
        </>
      );
    }
    case 'collect':
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.prompt')} />
          <Text ctx={ctx} path={['variable']} label={t('ivr.form.targetVariable')} mono hint={t('ivr.form.variableHint')} />
          <Row ctx={ctx} path={['endMode']} label={t('ivr.form.endMode')}>
            <div className="radios">
              {(['hash', 'fixed'] as const).map((m) => (
                <label key={m} className="check-inline">
                  <input type="radio" checked={((p.endMode as string | undefined) ?? 'hash') === m} onChange={() => ctx.set(['endMode'], m)}
                    data-testid={`param-endMode-${m}`} />
                  {t(`ivr.form.endMode.${m}`)}
                </label>
              ))}
            </div>
          </Row>
          <Num ctx={ctx} path={['maxDigits']} label={t('ivr.form.maxDigits')} min={1} max={32} />
          <Num ctx={ctx} path={['minDigits']} label={t('ivr.form.minDigits')} min={1} max={32} />
          <PromptField ctx={ctx} path={['timeoutPrompt']} label={t('ivr.form.timeoutPrompt')} optional />
          <PromptField ctx={ctx} path={['failPrompt']} label={t('ivr.form.failPrompt')} optional />
          <Timing ctx={ctx} />
          <Num ctx={ctx} path={['interDigitTimeoutSec']} label={t('ivr.form.interDigit')} min={1} max={30} unit={t('ivr.form.sec')} />
        </>
      );
    case 'http':
      return (
        <>
          <Text ctx={ctx} path={['url']} label={t('ivr.form.url')} mono hint={t('ivr.form.urlHint')} />
          <List ctx={ctx} path={['inputs']} label={t('ivr.form.inputs')} max={50} addLabel={t('ivr.form.addInput')}
            make={() => ({ name: '', value: '' })}
            render={(ip) => (
              <span className="inline-fields">
                <Mini ctx={ctx} path={[...ip, 'name']} placeholder={t('ivr.form.inputName')} width={110} />
                <Mini ctx={ctx} path={[...ip, 'value']} placeholder={t('ivr.form.inputValue')} />
              </span>
            )} />
          <List ctx={ctx} path={['outputs']} label={t('ivr.form.outputs')} max={50} addLabel={t('ivr.form.addOutput')}
            make={() => ({ variable: '', field: '', default: '' })}
            render={(op) => (
              <span className="inline-fields wrap">
                <Mini ctx={ctx} path={[...op, 'variable']} placeholder={t('ivr.form.outputVariable')} width={110} />
                <Mini ctx={ctx} path={[...op, 'field']} placeholder={t('ivr.form.outputField')} width={110} />
                <Mini ctx={ctx} path={[...op, 'default']} placeholder={t('ivr.form.outputDefault')} width={90} />
              </span>
            )} />
          <Num ctx={ctx} path={['timeoutSec']} label={t('ivr.form.httpTimeout')} min={1} max={30} unit={t('ivr.form.sec')} />
          <Num ctx={ctx} path={['maxErrors']} label={t('ivr.form.httpTries')} min={1} max={5} hint={t('ivr.form.httpHint')} />
        </>
      );
    case 'condition':
      return (
        <>
          <List ctx={ctx} path={['branches']} label={t('ivr.form.conditionBranches')} max={20} addLabel={t('ivr.form.addBranch')}
            make={(items) => ({ id: `b${items.length + 1}`, label: '', conditions: [{ left: '', op: 'eq', right: '', compare: 'text' }] })}
            render={(bp) => (
              <div className="stack-fields">
                <span className="inline-fields">
                  <Mini ctx={ctx} path={[...bp, 'id']} placeholder="ID" width={70} title={t('ivr.form.branchId')} />
                  <Mini ctx={ctx} path={[...bp, 'label']} placeholder={t('ivr.form.keyLabel')} />
                </span>
                <List ctx={ctx} path={[...bp, 'conditions']} label={t('ivr.form.allOf')} max={20} addLabel={t('ivr.form.addCondition')}
                  make={() => ({ left: '', op: 'eq', right: '', compare: 'text' })}
                  render={(cp) => <Condition ctx={ctx} path={cp} />} />
              </div>
            )} />
          <p className="muted small">{t('ivr.form.conditionHint')}</p>
        </>
      );
    case 'toExtension':
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.extensionPrompt')} />
          <Num ctx={ctx} path={['extensionLength']} label={t('ivr.form.extensionLength')} min={3} max={8} />
          <PromptField ctx={ctx} path={['timeoutPrompt']} label={t('ivr.form.timeoutPrompt')} optional />
          <PromptField ctx={ctx} path={['errorPrompt']} label={t('ivr.form.errorPrompt')} optional />
          <Timing ctx={ctx} />
          <Num ctx={ctx} path={['interDigitTimeoutSec']} label={t('ivr.form.interDigit')} min={1} max={30} unit={t('ivr.form.sec')} />
          <Num ctx={ctx} path={['ringTimeoutSec']} label={t('ivr.form.ringTimeout')} min={1} max={120} unit={t('ivr.form.sec')} />
        </>
      );
    case 'voicemail':
      return (
        <>
          <PromptField ctx={ctx} path={['prompt']} label={t('ivr.form.voicemailPrompt')} optional />
          <Check ctx={ctx} path={['beep']} label={t('ivr.form.beep')} />
          <Num ctx={ctx} path={['maxSeconds']} label={t('ivr.form.maxSeconds')} min={5} max={600} unit={t('ivr.form.sec')}
            hint={t('ivr.form.voicemailHint')} />
          <PromptField ctx={ctx} path={['endPrompt']} label={t('ivr.form.voicemailEnd')} optional />
        </>
      );
  }
}

const OPS = [
  { value: 'eq', label: '=' }, { value: 'ne', label: '≠' }, { value: 'gt', label: '>' },
  { value: 'lt', label: '<' }, { value: 'ge', label: '≥' }, { value: 'le', label: '≤' },
];

function Condition({ ctx, path }: { ctx: FormCtx; path: Path }) {
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
