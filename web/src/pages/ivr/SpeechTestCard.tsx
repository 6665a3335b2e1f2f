// 试听 on the 语音设置 tab: the box renders a text with the TTS engine as saved (POST /ivr/tts/preview, the
// same render calls play) and the page plays it. The API has no recognition test, so none is offered here.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ivrApi } from '../../api-ivr';
import { Field } from '../../components/Field';
import { errorText } from '../../hooks';
import { useI18n } from '../../i18n';

/** Seconds of speech in the preview: a 44-byte WAV header, then 8 kHz 16-bit mono. */
const seconds = (bytes: number): string => (Math.max(0, bytes - 44) / 16000).toFixed(1);

export function SpeechTestCard() {
  const { t, lang } = useI18n();
  const [text, setText] = useState(() => t('speech.test.sample'));
  const [voice, setVoice] = useState<'cmn' | 'en'>(lang === 'en' ? 'en' : 'cmn');
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'done'; seconds: string } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const audio = useRef<HTMLAudioElement | null>(null);
  const blobUrl = useRef<string | null>(null);

  useEffect(() => () => {
    audio.current?.pause();
    if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'busy' });
    try {
      const blob = await ivrApi.ttsPreview(text, voice);
      audio.current?.pause();
      if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
      blobUrl.current = URL.createObjectURL(blob);
      audio.current = new Audio(blobUrl.current);
      // A browser that refuses to play still got the render: the box's TTS works.
      void audio.current.play().catch(() => undefined);
      setState({ kind: 'done', seconds: seconds(blob.size) });
    } catch (x) {
      setState({ kind: 'error', message: errorText(x, t) });
    }
  };

  return (
    <section className="card" data-testid="speech-test">
      <h2>{t('speech.test.title')}</h2>
      <p className="muted small">{t('speech.test.hint')}</p>
      <form className="form form-page" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('speech.test.text')} name="text" error={state.kind === 'error' ? state.message : undefined} htmlFor="speech-test-text">
          <textarea id="speech-test-text" rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} data-testid="speech-test-text" />
        </Field>
        <Field label={t('speech.test.voice')} name="voice" htmlFor="speech-test-voice">
          <select id="speech-test-voice" value={voice} onChange={(e) => setVoice(e.target.value === 'en' ? 'en' : 'cmn')} data-testid="speech-test-voice">
            <option value="cmn">{t('speech.test.voiceZh')}</option>
            <option value="en">{t('speech.test.voiceEn')}</option>
          </select>
        </Field>
        <div className="form-actions form-actions-left">
          <button type="submit" className="btn" disabled={state.kind === 'busy' || !text.trim()} data-testid="speech-test-play">
            {state.kind === 'busy' ? t('speech.test.rendering') : t('speech.test.play')}
          </button>
          {state.kind === 'done' && <span className="muted small speech-test-result" role="status" data-testid="speech-test-result">{t('speech.test.done', { seconds: state.seconds })}</span>}
        </div>
      </form>
    </section>
  );
}
