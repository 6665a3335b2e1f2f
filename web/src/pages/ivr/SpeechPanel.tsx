// 语音设置 (IVR 管理 tab): which engines recognize speech for 语音识别导航 and speak TTS prompts, and the
// Tencent Cloud account they use. SecretId/SecretKey are write-only; the server validates and names the field.
import { useState, type FormEvent } from 'react';
import { useConfirm } from '../../components/Confirm';
import { Field, FormError } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { ASR_ENGINES, speechApi, TENCENT_DEFAULTS, TTS_ENGINES, type AsrEngine, type SpeechSettings, type SpeechSettingsInput, type TtsEngine } from './speech-api';
import { SpeechTestCard } from './SpeechTestCard';

const FIELDS = [
  'asrEngine', 'ttsEngine', 'tencent', 'tencent.appId', 'tencent.secretId', 'tencent.secretKey', 'tencent.region', 'tencent.asrModel',
  'tencent.ttsVoiceZh', 'tencent.ttsVoiceEn',
] as const;
const REGIONS = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-nanjing', 'ap-hongkong', 'ap-singapore'];
const ASR_MODELS = ['8k_zh', '8k_en', '16k_zh', '16k_en'];

export function SpeechPanel() {
  const { t } = useI18n();
  const loaded = useLoad(() => speechApi.settings(), []);
  return (
    <>
      <section className="card">
        {loaded.error != null && <div className="banner banner-error" role="alert">{errorText(loaded.error, t)}</div>}
        {loaded.loading && loaded.data === undefined && <p className="muted">{t('common.loading')}</p>}
        {/* The form appears once the stored values are in, so nothing typed is overwritten. */}
        {loaded.data !== undefined && <SpeechForm initial={loaded.data} />}
      </section>
      <SpeechTestCard />
    </>
  );
}

interface Form {
  asrEngine: AsrEngine; ttsEngine: TtsEngine; useTencent: boolean;
  appId: string; secretId: string; secretKey: string; region: string; asrModel: string; ttsVoiceZh: string; ttsVoiceEn: string;
}

function formOf(s: SpeechSettings): Form {
  const a = s.tencent ?? { appId: '', ...TENCENT_DEFAULTS };
  return {
    asrEngine: s.asrEngine, ttsEngine: s.ttsEngine, useTencent: !!s.tencent, appId: a.appId, secretId: '', secretKey: '',
    region: a.region, asrModel: a.asrModel, ttsVoiceZh: String(a.ttsVoiceZh), ttsVoiceEn: String(a.ttsVoiceEn),
  };
}

function bodyOf(f: Form): SpeechSettingsInput {
  if (!f.useTencent) return { asrEngine: f.asrEngine, ttsEngine: f.ttsEngine, tencent: null };
  return {
    asrEngine: f.asrEngine,
    ttsEngine: f.ttsEngine,
    tencent: {
      appId: f.appId.trim(), region: f.region.trim(), asrModel: f.asrModel.trim(), ttsVoiceZh: Number(f.ttsVoiceZh), ttsVoiceEn: Number(f.ttsVoiceEn),
      // Empty = keep the stored secret (the server refuses a new account without one, naming the field).
      ...(f.secretId.trim() ? { secretId: f.secretId.trim() } : {}),
      ...(f.secretKey.trim() ? { secretKey: f.secretKey.trim() } : {}),
    },
  };
}

function SpeechForm({ initial }: { initial: SpeechSettings }) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [saved, setSaved] = useState(initial);
  const [form, setForm] = useState(() => formOf(initial));
  const [err, setErr] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: 'appId' | 'secretId' | 'secretKey' | 'region' | 'asrModel' | 'ttsVoiceZh' | 'ttsVoiceEn') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const fe = (f: string) => (err?.field === f ? err.message : undefined);
  const account = saved.tencent;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.useTencent) {
      const missing = (['ttsVoiceZh', 'ttsVoiceEn'] as const).find((k) => !form[k].trim());
      if (missing) return setErr({ field: `tencent.${missing}`, message: t('error.required') });
    }
    if (account && !form.useTencent && !(await confirm({ message: t('speech.confirmRemove'), danger: true }))) return;
    setBusy(true);
    setErr(null);
    try {
      const next = await speechApi.putSettings(bodyOf(form));
      setSaved(next);
      setForm(formOf(next));
      toast.success(t('common.saved'));
    } catch (x) {
      setErr(fieldError(x, t, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-page" onSubmit={(e) => void submit(e)} noValidate data-testid="speech-form">
      <FormError message={err && !err.field ? err.message : undefined} testId="speech-error" />
      <Field label={t('speech.asrEngine')} name="asrEngine" error={fe('asrEngine')}>
        <div className="stack-fields">
          {ASR_ENGINES.map((k) => (
            <label key={k} className="check-inline">
              <input type="radio" name="speech-asr" checked={form.asrEngine === k} onChange={() => setForm((f) => ({ ...f, asrEngine: k }))} data-testid={`speech-asr-${k}`} />
              {t(`speech.asr.${k}`)}
            </label>
          ))}
        </div>
      </Field>
      <Field label={t('speech.ttsEngine')} name="ttsEngine" error={fe('ttsEngine')}>
        <div className="stack-fields">
          {TTS_ENGINES.map((k) => (
            <label key={k} className="check-inline">
              <input type="radio" name="speech-tts" checked={form.ttsEngine === k} onChange={() => setForm((f) => ({ ...f, ttsEngine: k }))} data-testid={`speech-tts-${k}`} />
              {t(`speech.tts.${k}`)}
            </label>
          ))}
        </div>
      </Field>
      <Field label={t('speech.tencent')} name="tencent" error={fe('tencent')} hint={t('speech.tencentHint')}>
        <label className="check-inline">
          <input type="checkbox" checked={form.useTencent} onChange={(e) => setForm((f) => ({ ...f, useTencent: e.target.checked }))} data-testid="speech-use-tencent" />
          {t('speech.useTencent')}
        </label>
      </Field>
      {form.useTencent && (
        <>
          <Field label="AppId" name="tencent.appId" error={fe('tencent.appId')} htmlFor="speech-app-id">
            <input id="speech-app-id" value={form.appId} onChange={set('appId')} inputMode="numeric" autoComplete="off" placeholder="1250000000" data-testid="speech-app-id" />
          </Field>
          <Field label="SecretId" name="tencent.secretId" optional={!!account} error={fe('tencent.secretId')} htmlFor="speech-secret-id"
            hint={<span data-testid="speech-secret-id-state">{account ? t('speech.secretIdSet', { hint: account.secretIdHint }) : t('speech.secretUnset')}</span>}>
            <input id="speech-secret-id" type="password" value={form.secretId} onChange={set('secretId')} autoComplete="new-password"
              placeholder={account ? account.secretIdHint : ''} data-testid="speech-secret-id" />
          </Field>
          <Field label="SecretKey" name="tencent.secretKey" optional={!!account} error={fe('tencent.secretKey')} htmlFor="speech-secret-key"
            hint={<span data-testid="speech-secret-key-state">{account?.secretKeySet ? t('speech.secretKeySet') : t('speech.secretUnset')}</span>}>
            <input id="speech-secret-key" type="password" value={form.secretKey} onChange={set('secretKey')} autoComplete="new-password"
              placeholder={account?.secretKeySet ? '••••••••' : ''} data-testid="speech-secret-key" />
          </Field>
          <Field label={t('speech.region')} name="tencent.region" error={fe('tencent.region')} hint={t('speech.regionHint')} htmlFor="speech-region">
            <input id="speech-region" list="speech-regions" value={form.region} onChange={set('region')} data-testid="speech-region" />
            <datalist id="speech-regions">{REGIONS.map((r) => <option key={r} value={r} />)}</datalist>
          </Field>
          <Field label={t('speech.asrModel')} name="tencent.asrModel" error={fe('tencent.asrModel')} hint={t('speech.asrModelHint')} htmlFor="speech-asr-model">
            <input id="speech-asr-model" list="speech-asr-models" value={form.asrModel} onChange={set('asrModel')} data-testid="speech-asr-model" />
            <datalist id="speech-asr-models">{ASR_MODELS.map((m) => <option key={m} value={m} />)}</datalist>
          </Field>
          <Field label={t('speech.ttsVoiceZh')} name="tencent.ttsVoiceZh" error={fe('tencent.ttsVoiceZh')} hint={t('speech.voiceHint')} htmlFor="speech-voice-zh">
            <input id="speech-voice-zh" type="number" min={0} max={9999999} step={1} className="input-narrow" value={form.ttsVoiceZh} onChange={set('ttsVoiceZh')} data-testid="speech-voice-zh" />
          </Field>
          <Field label={t('speech.ttsVoiceEn')} name="tencent.ttsVoiceEn" error={fe('tencent.ttsVoiceEn')} htmlFor="speech-voice-en">
            <input id="speech-voice-en" type="number" min={0} max={9999999} step={1} className="input-narrow" value={form.ttsVoiceEn} onChange={set('ttsVoiceEn')} data-testid="speech-voice-en" />
          </Field>
        </>
      )}
      {!form.useTencent && account && <p className="muted small" data-testid="speech-remove-note">{t('speech.removeNote')}</p>}
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="speech-save">{t('common.save')}</button>
      </div>
    </form>
  );
}
