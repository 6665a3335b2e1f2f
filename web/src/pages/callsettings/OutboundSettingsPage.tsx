// 外呼设置: 外呼外显规则 (the skill group's numbers first, or by the callee's 归属地), 允许座席指定号码呼出, international
// calls for workbench-only agents, the prompts played to the agent, and the numbers each skill group shows.
import { useState } from 'react';
import { directoryApi } from '../../api-directory';
import { channelsApi } from '../../api-channels';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { errorText, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { csApi, type OutboundSettings } from './cs-api';
import { Row, SaveBar, Toggle, useEditable } from './kit';
import { PromptField } from './PromptField';

function GroupNumbers() {
  const { t } = useI18n();
  const toast = useToast();
  const groups = useLoad(() => directoryApi.skillGroups().catch(() => []), []);
  const numbers = useLoad(() => channelsApi.numbers().catch(() => []), []);
  const bound = useLoad(csApi.outboundNumbers, []);
  const [editing, setEditing] = useState<Record<number, string[]>>({});
  const current = (id: number) => editing[id] ?? bound.data?.find((b) => b.skillGroupId === id)?.numbers ?? [];
  const toggle = (id: number, n: string) => {
    const list = current(id);
    setEditing((e) => ({ ...e, [id]: list.includes(n) ? list.filter((x) => x !== n) : [...list, n] }));
  };
  const save = async (id: number) => {
    try {
      await csApi.putOutboundNumbers(id, current(id));
      toast.success(t('common.saved'));
      setEditing((e) => {
        const { [id]: _, ...rest } = e;
        return rest;
      });
      bound.reload();
    } catch (x) {
      toast.error(errorText(x, t));
    }
  };
  return (
    <section className="card" data-testid="cs-outbound-numbers">
      <h2>{t('cs.out.groupNumbers')}</h2>
      <p className="muted">{t('cs.out.groupNumbersHint')}</p>
      {bound.error != null && <div className="banner banner-error" role="alert">{errorText(bound.error, t)}</div>}
      <table className="table">
        <thead><tr><th>{t('rec.col.skillGroup')}</th><th>{t('cs.out.numbers')}</th><th className="col-actions">{t('common.actions')}</th></tr></thead>
        <tbody>
          {(groups.data ?? []).map((g) => (
            <tr key={g.id} data-testid={`cs-outbound-group-${g.name}`}>
              <td>{g.name}</td>
              <td className="wrap">
                <div className="inline-checks">
                  {(numbers.data ?? []).map((n) => (
                    <label key={n.id} className="check-inline">
                      <input type="checkbox" checked={current(g.id).includes(n.number)} onChange={() => toggle(g.id, n.number)} data-testid={`cs-outbound-number-${n.number}`} />
                      {n.number}
                    </label>
                  ))}
                  {!numbers.data?.length && <span className="muted">{t('number.empty')}</span>}
                </div>
              </td>
              <td className="col-actions">
                <button type="button" className="btn btn-sm" disabled={editing[g.id] === undefined} onClick={() => void save(g.id)} data-testid="cs-outbound-group-save">{t('common.save')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function OutboundSettingsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const e = useEditable(csApi.outbound, csApi.putOutbound);
  const v = e.value;
  const set = (p: Partial<OutboundSettings>) => v && e.set({ ...v, ...p });
  const err = (f: string) => (e.error?.field?.startsWith(f) ? e.error.message : undefined);
  return (
    <>
      <PageHeader title={t('nav.csOutbound')}>{t('cs.out.desc')}</PageHeader>
      {e.loadError != null && <div className="banner banner-error" role="alert">{errorText(e.loadError, t)}</div>}
      {v && (
        <section className="card form cs-card" data-testid="cs-outbound">
          <Row label={t('cs.out.rule')} hint={t(`cs.out.rule.${v.callerIdRule}.hint` as MessageKey)}>
            <div className="radios">
              {(['group', 'region'] as const).map((r) => (
                <label key={r} className="check-inline">
                  <input type="radio" name="callerIdRule" checked={v.callerIdRule === r} onChange={() => set({ callerIdRule: r })} data-testid={`cs-outbound-rule-${r}`} />
                  {t(`cs.out.rule.${r}` as MessageKey)}
                </label>
              ))}
            </div>
          </Row>
          <Row label={t('cs.out.agentChoice')}><Toggle checked={v.allowAgentChoice} onChange={(b) => set({ allowAgentChoice: b })} label={t('cs.out.agentChoiceHint')} testId="cs-outbound-choice" /></Row>
          <Row label={t('cs.out.international')}><Toggle checked={v.allowInternational} onChange={(b) => set({ allowInternational: b })} label={t('cs.out.internationalHint')} testId="cs-outbound-intl" /></Row>
          <Row label={t('cs.out.noAnswerPrompt')} error={err('noAnswerPrompt')}>
            <PromptField nullable value={v.noAnswerPrompt} onChange={(p) => set({ noAnswerPrompt: p })} testId="cs-outbound-noanswer" />
          </Row>
          <Row label={t('cs.out.hangupPrompt')} error={err('customerHangupPrompt')}>
            <PromptField nullable value={v.customerHangupPrompt} onChange={(p) => set({ customerHangupPrompt: p })} testId="cs-outbound-hangup" />
          </Row>
          <SaveBar e={e} testId="cs-outbound-save" />
        </section>
      )}
      {can('numbers') && <GroupNumbers />}
    </>
  );
}
