// 呼入接听设置 with the routing and queue settings of the ACD: the global settings, or one skill group's own
// (a group without its own follows the global ones). Permission 技能组管理 (skillGroups); a scoped role edits
// only its groups (the server answers 403/404 for the rest).
import { useState } from 'react';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { errorText, fieldError, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { csApi, type AcdSettings, type Distribution, type QueueAction } from './cs-api';
import { Row, Seconds, Toggle } from './kit';

const DISTRIBUTIONS: Distribution[] = ['sequential', 'groupPriority', 'longestIdle', 'fewestCalls'];

function ActionField({ value, onChange, groups, testId }: { value: QueueAction; onChange: (a: QueueAction) => void; groups: { id: number; name: string }[]; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="inline-edit cs-action" data-testid={testId}>
      <select value={value.action} data-testid={`${testId}-action`}
        onChange={(e) => {
          const a = e.target.value;
          onChange(a === 'overflow' ? { action: 'overflow', skillGroupId: groups[0]?.id ?? 0 } : a === 'voicemail' ? { action: 'voicemail' } : { action: 'hangup', prompt: null });
        }}>
        <option value="overflow">{t('cs.ans.action.overflow')}</option>
        <option value="voicemail">{t('cs.ans.action.voicemail')}</option>
        <option value="hangup">{t('cs.ans.action.hangup')}</option>
      </select>
      {value.action === 'overflow' && (
        <select value={value.skillGroupId} onChange={(e) => onChange({ action: 'overflow', skillGroupId: Number(e.target.value) })} data-testid={`${testId}-group`}>
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
      )}
      {value.action === 'hangup' && (
        <input value={value.prompt ?? ''} maxLength={500} placeholder={t('cs.ans.hangupPrompt')} onChange={(e) => onChange({ action: 'hangup', prompt: e.target.value || null })} data-testid={`${testId}-prompt`} />
      )}
    </div>
  );
}

function Editor({ value, onChange, groups, error }: { value: AcdSettings; onChange: (s: AcdSettings) => void; groups: { id: number; name: string }[]; error: { field?: string; message: string } | null }) {
  const { t } = useI18n();
  const a = value.answer;
  const r = value.routing;
  const q = value.queue;
  const setA = (p: Partial<AcdSettings['answer']>) => onChange({ ...value, answer: { ...a, ...p } });
  const setR = (p: Partial<AcdSettings['routing']>) => onChange({ ...value, routing: { ...r, ...p } });
  const setQ = (p: Partial<AcdSettings['queue']>) => onChange({ ...value, queue: { ...q, ...p } });
  const err = (f: string) => (error?.field && (error.field === f || error.field.startsWith(`${f}.`) || error.field.startsWith(`settings.${f}`)) ? error.message : undefined);
  return (
    <>
      <section className="card form cs-card" data-testid="cs-answer">
        <h2>{t('cs.ans.answer')}</h2>
        <Row label={t('cs.ans.autoAnswer')} hint={t('cs.ans.autoAnswerHint')}><Toggle checked={a.autoAnswer} onChange={(b) => setA({ autoAnswer: b })} label={t('cs.ans.autoAnswer')} testId="cs-ans-auto" /></Row>
        <Row label={t('cs.ans.ringTimeout')} hint={t('cs.ans.ringTimeoutHint')} error={err('answer.ringTimeout')}>
          <div className="inline-edit">
            <Toggle checked={a.ringTimeout.enabled} onChange={(b) => setA({ ringTimeout: { ...a.ringTimeout, enabled: b } })} label={t('common.enabled')} testId="cs-ans-ring-on" />
            {a.ringTimeout.enabled && <><Seconds value={a.ringTimeout.seconds} min={5} max={300} onChange={(n) => setA({ ringTimeout: { ...a.ringTimeout, seconds: n } })} testId="cs-ans-ring-s" /><span>{t('cs.sec')}</span></>}
          </div>
        </Row>
        <Row label={t('cs.ans.afterCall')} hint={t('cs.ans.afterCallHint')} error={err('answer.afterCallIdle')}>
          <div className="inline-edit">
            <Toggle checked={a.afterCallIdle.enabled} onChange={(b) => setA({ afterCallIdle: { ...a.afterCallIdle, enabled: b } })} label={t('common.enabled')} testId="cs-ans-acw-on" />
            {a.afterCallIdle.enabled && <><Seconds value={a.afterCallIdle.seconds} min={1} max={3600} onChange={(n) => setA({ afterCallIdle: { ...a.afterCallIdle, seconds: n } })} testId="cs-ans-acw-s" /><span>{t('cs.sec')}</span></>}
          </div>
        </Row>
        <Row label={t('cs.ans.breakAfter')} hint={t('cs.ans.breakAfterHint')}><Toggle checked={a.breakAfterRingTimeout} onChange={(b) => setA({ breakAfterRingTimeout: b })} label={t('cs.ans.breakAfter')} testId="cs-ans-break" /></Row>
      </section>
      <section className="card form cs-card" data-testid="cs-routing">
        <h2>{t('cs.ans.routing')}</h2>
        <Row label={t('cs.ans.distribution')} hint={t('cs.ans.distributionHint')}>
          <select value={r.distribution} onChange={(e) => setR({ distribution: e.target.value as Distribution })} data-testid="cs-ans-distribution">
            {DISTRIBUTIONS.map((d) => <option key={d} value={d}>{t(`cs.ans.dist.${d}` as MessageKey)}</option>)}
          </select>
        </Row>
        <Row label={t('cs.ans.lastAgent')} hint={t('cs.ans.lastAgentHint')}><Toggle checked={r.lastAgentFirst} onChange={(b) => setR({ lastAgentFirst: b })} label={t('cs.ans.lastAgent')} testId="cs-ans-last" /></Row>
      </section>
      <section className="card form cs-card" data-testid="cs-queue">
        <h2>{t('cs.ans.queue')}</h2>
        <Row label={t('cs.ans.maxWait')} error={err('queue.maxWaitSec')}>
          <div className="inline-edit"><Seconds value={q.maxWaitSec} min={10} max={7200} onChange={(n) => setQ({ maxWaitSec: n })} testId="cs-ans-maxwait" /><span>{t('cs.sec')}</span></div>
        </Row>
        <Row label={t('cs.ans.announce')} hint={t('cs.ans.announceHint')} error={err('queue.announce')}>
          <div className="inline-edit">
            <Seconds value={q.announce.intervalSec} min={0} max={600} onChange={(n) => setQ({ announce: { ...q.announce, intervalSec: n } })} testId="cs-ans-announce" /><span>{t('cs.sec')}</span>
            <label className="check-inline"><input type="checkbox" checked={q.announce.position} onChange={(e) => setQ({ announce: { ...q.announce, position: e.target.checked } })} />{t('cs.ans.position')}</label>
            <label className="check-inline"><input type="checkbox" checked={q.announce.estimatedWait} onChange={(e) => setQ({ announce: { ...q.announce, estimatedWait: e.target.checked } })} />{t('cs.ans.estimated')}</label>
          </div>
        </Row>
        <Row label={t('cs.ans.noAgent')} error={err('queue.noAgentAction')}><ActionField value={q.noAgentAction} onChange={(x) => setQ({ noAgentAction: x })} groups={groups} testId="cs-ans-noagent" /></Row>
        <Row label={t('cs.ans.maxWaitAction')} error={err('queue.maxWaitAction')}><ActionField value={q.maxWaitAction} onChange={(x) => setQ({ maxWaitAction: x })} groups={groups} testId="cs-ans-maxwaitaction" /></Row>
        <Row label={t('cs.ans.callback')} hint={t('cs.ans.callbackHint')} error={err('queue.callback')}>
          <div className="inline-edit">
            <Toggle checked={q.callback.enabled} onChange={(b) => setQ({ callback: { ...q.callback, enabled: b } })} label={t('common.enabled')} testId="cs-ans-callback" />
            {q.callback.enabled && <><span>{t('cs.ans.attempts')}</span><Seconds value={q.callback.maxAttempts} min={1} max={5} onChange={(n) => setQ({ callback: { ...q.callback, maxAttempts: n } })} testId="cs-ans-callback-n" /></>}
          </div>
        </Row>
      </section>
    </>
  );
}

export function AnswerSettingsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const view = useLoad(csApi.acdSettings, []);
  const [scope, setScope] = useState<number | 'global'>('global');
  const [edit, setEdit] = useState<AcdSettings | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const v = view.data;
  const group = scope === 'global' ? null : v?.groups.find((g) => g.skillGroupId === scope) ?? null;
  const own = scope === 'global' ? v?.global : group?.settings ?? null;
  const shown = edit ?? own ?? null;
  const groups = (v?.groups ?? []).map((g) => ({ id: g.skillGroupId, name: g.name }));

  const put = async (settings: AcdSettings | null) => {
    setBusy(true);
    setError(null);
    try {
      await csApi.putAcdSettings(scope === 'global' ? null : scope, settings);
      toast.success(t('common.saved'));
      setEdit(null);
      view.reload();
    } catch (x) {
      const fe = fieldError(x, t, []);
      const field = (x as { field?: string }).field;
      // Validation messages start with "field: "; beside the field (and in the toast) that prefix says nothing.
      const message = field && fe.message.startsWith(`${field}: `) ? fe.message.slice(field.length + 2) : fe.message;
      setError(field ? { field, message } : { message });
      toast.error(message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title={t('nav.csAnswer')}
        actions={(
          <label className="check-inline">
            <span className="muted">{t('cs.ans.scope')}</span>
            <select value={scope} onChange={(e) => (setScope(e.target.value === 'global' ? 'global' : Number(e.target.value)), setEdit(null), setError(null))} data-testid="cs-ans-scope">
              {v?.global && <option value="global">{t('cs.ans.global')}</option>}
              {(v?.groups ?? []).map((g) => <option key={g.skillGroupId} value={g.skillGroupId}>{g.name}{g.settings ? '' : ` · ${t('cs.ans.followsGlobal')}`}</option>)}
            </select>
          </label>
        )}>
        {t('cs.ans.desc')}
      </PageHeader>
      {view.error != null && <div className="banner banner-error" role="alert">{errorText(view.error, t)}</div>}
      {v && scope !== 'global' && !shown && (
        <section className="card" data-testid="cs-ans-follows">
          <p>{t('cs.ans.groupFollows', { name: group?.name ?? '' })}</p>
          <button type="button" className="btn" onClick={() => setEdit(structuredClone(v.global))} data-testid="cs-ans-override">{t('cs.ans.override')}</button>
        </section>
      )}
      {shown && (
        <>
          <Editor value={shown} onChange={setEdit} groups={groups.filter((g) => g.id !== scope)} error={error} />
          <div className="form-actions form-actions-left">
            {error && <span className="field-error" role="alert" data-testid="cs-ans-error">{error.message}</span>}
            {scope !== 'global' && group?.settings && (
              <button type="button" className="btn" disabled={busy} onClick={() => void put(null)} data-testid="cs-ans-revert">{t('cs.ans.revert')}</button>
            )}
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void put(shown)} data-testid="cs-ans-save">{t('common.save')}</button>
          </div>
        </>
      )}
    </>
  );
}
