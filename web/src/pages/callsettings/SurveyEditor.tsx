// One 满意度评价 (呼入评价配置 or 呼出评价配置): on/off, the question, the keys and their labels, thanks, timing.
import { useI18n } from '../../i18n';
import type { Survey } from './cs-api';
import { Row, Seconds, Toggle } from './kit';
import { PromptField } from './PromptField';

export function SurveyEditor({ value, onChange, testId, error }: { value: Survey; onChange: (s: Survey) => void; testId: string; error?: { field: string; message: string } }) {
  const { t } = useI18n();
  const set = (p: Partial<Survey>) => onChange({ ...value, ...p });
  const err = (f: string) => (error && error.field.startsWith(f) ? error.message : undefined);
  const setOption = (i: number, p: Partial<Survey['options'][number]>) => set({ options: value.options.map((o, j) => (j === i ? { ...o, ...p } : o)) });
  return (
    <div className="form" data-testid={testId}>
      <Row label={t('cs.survey.enabled')}><Toggle checked={value.enabled} onChange={(b) => set({ enabled: b })} label={t('cs.survey.enabledHint')} testId={`${testId}-enabled`} /></Row>
      {value.enabled && (
        <>
          <Row label={t('cs.survey.prompt')} error={err('prompt')}><PromptField value={value.prompt} onChange={(p) => p && set({ prompt: p })} testId={`${testId}-prompt`} /></Row>
          <Row label={t('cs.survey.options')} error={err('options')}>
            <div className="cs-options">
              {value.options.map((o, i) => (
                <div key={i} className="inline-edit" data-testid={`${testId}-option`}>
                  <select value={o.key} onChange={(e) => setOption(i, { key: e.target.value })} data-testid={`${testId}-option-key`}>
                    {'0123456789'.split('').map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                  <input value={o.label} maxLength={16} onChange={(e) => setOption(i, { label: e.target.value })} data-testid={`${testId}-option-label`} />
                  <button type="button" className="link link-danger" disabled={value.options.length <= 1} onClick={() => set({ options: value.options.filter((_, j) => j !== i) })}>{t('common.delete')}</button>
                </div>
              ))}
              {value.options.length < 10 && (
                <button type="button" className="link" data-testid={`${testId}-option-add`}
                  onClick={() => set({ options: [...value.options, { key: '0123456789'.split('').find((k) => !value.options.some((o) => o.key === k)) ?? '0', label: '' }] })}>
                  {t('cs.survey.addOption')}
                </button>
              )}
            </div>
          </Row>
          <Row label={t('cs.survey.thanks')} error={err('thanksPrompt')}><PromptField nullable value={value.thanksPrompt} onChange={(p) => set({ thanksPrompt: p })} testId={`${testId}-thanks`} /></Row>
          <Row label={t('cs.survey.timeout')} error={err('timeoutSec')}><Seconds value={value.timeoutSec} min={1} max={60} onChange={(n) => set({ timeoutSec: n })} testId={`${testId}-timeout`} /></Row>
          <Row label={t('cs.survey.maxErrors')} error={err('maxErrors')}><Seconds value={value.maxErrors} min={1} max={3} onChange={(n) => set({ maxErrors: n })} testId={`${testId}-maxErrors`} /></Row>
        </>
      )}
    </div>
  );
}
