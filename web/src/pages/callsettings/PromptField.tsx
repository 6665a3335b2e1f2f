// A prompt of the call settings: none (when allowed), TTS text, or a 放音文件 from the IVR's library (listed
// when the user may read it; otherwise the current file's ID is kept as is).
import { ivrApi } from '../../api-ivr';
import type { IvrPrompt } from '../../api-ivr-types';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import type { Prompt } from './cs-api';

let promptsOnce: Promise<IvrPrompt[] | null> | null = null;
const loadPrompts = () => (promptsOnce ??= ivrApi.ivrPrompts().catch(() => null));

export function PromptField({ value, onChange, nullable, testId }: { value: Prompt | null; onChange: (p: Prompt | null) => void; nullable?: boolean; testId: string }) {
  const { t } = useI18n();
  const files = useLoad(loadPrompts, []);
  const kind = value?.kind ?? 'none';
  const setKind = (k: string) => {
    if (k === 'none') onChange(null);
    else if (k === 'tts') onChange({ kind: 'tts', text: value?.kind === 'tts' ? value.text : '' });
    else onChange({ kind: 'file', promptId: value?.kind === 'file' ? value.promptId : (files.data?.[0]?.id ?? '') });
  };
  return (
    <div className="cs-prompt" data-testid={testId}>
      <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid={`${testId}-kind`} className="cs-prompt-kind">
        {nullable && <option value="none">{t('cs.prompt.none')}</option>}
        <option value="tts">{t('cs.prompt.tts')}</option>
        <option value="file">{t('cs.prompt.file')}</option>
      </select>
      {value?.kind === 'tts' && (
        <textarea rows={2} maxLength={1000} value={value.text} onChange={(e) => onChange({ ...value, text: e.target.value })} data-testid={`${testId}-text`}
          placeholder={t('cs.prompt.ttsHint')} />
      )}
      {value?.kind === 'file' && (
        files.data ? (
          <select value={value.promptId} onChange={(e) => onChange({ kind: 'file', promptId: e.target.value })} data-testid={`${testId}-file`}>
            {!files.data.some((f) => f.id === value.promptId) && <option value={value.promptId}>{value.promptId || t('cs.prompt.chooseFile')}</option>}
            {files.data.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        ) : <input value={value.promptId} onChange={(e) => onChange({ kind: 'file', promptId: e.target.value })} placeholder={t('cs.prompt.fileId')} data-testid={`${testId}-file`} />
      )}
    </div>
  );
}
