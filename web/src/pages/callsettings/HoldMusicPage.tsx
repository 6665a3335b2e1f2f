// 通话保持放音设置: what a held customer hears — nothing, the box's spoken notice, or a custom TTS text or file.
import { PageHeader } from '../../components/Layout';
import { errorText } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { csApi, type HoldMusic } from './cs-api';
import { Row, SaveBar, useEditable } from './kit';
import { PromptField } from './PromptField';

const MODES: HoldMusic['mode'][] = ['none', 'default', 'custom'];

export function HoldMusicPage() {
  const { t } = useI18n();
  const e = useEditable(csApi.holdMusic, csApi.putHoldMusic, ['prompt', 'prompt.text', 'prompt.promptId']);
  const v = e.value;
  return (
    <>
      <PageHeader title={t('nav.csHold')}>{t('cs.hold.desc')}</PageHeader>
      {e.loadError != null && <div className="banner banner-error" role="alert">{errorText(e.loadError, t)}</div>}
      {v && (
        <section className="card form cs-card" data-testid="cs-hold">
          <Row label={t('cs.hold.mode')}>
            <div className="radios">
              {MODES.map((m) => (
                <label key={m} className="check-inline">
                  <input type="radio" name="holdMode" checked={v.mode === m} data-testid={`cs-hold-mode-${m}`}
                    onChange={() => e.set({ mode: m, prompt: m === 'custom' ? (v.prompt ?? { kind: 'tts', text: '' }) : v.prompt })} />
                  {t(`cs.hold.mode.${m}` as MessageKey)}
                </label>
              ))}
            </div>
          </Row>
          {v.mode === 'custom' && (
            <Row label={t('cs.hold.prompt')} error={e.error?.field?.startsWith('prompt') ? e.error.message : undefined} testId="cs-hold-prompt-row">
              <PromptField value={v.prompt} onChange={(p) => e.set({ ...v, prompt: p })} testId="cs-hold-prompt" />
            </Row>
          )}
          <SaveBar e={e} testId="cs-hold-save" />
        </section>
      )}
    </>
  );
}
