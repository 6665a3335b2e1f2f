// The side panel's parameter forms, one per module, with the manual's field names. Every control's
// test id is `param-<path>` (e.g. param-prompt-text, param-keys-0-key); server errors for a field
// (`params.<path>…`) appear beside it.
import type { NodeType } from '../../api-ivr-types';
import { Check, Condition, Days, DigitSelect, type FormCtx, Keywords, List, Mini, Num, PromptField, Row, Select, Text, TimeRanges, Timing, keysOf, nextFree } from './node-fields';
export type { FormCtx } from './node-fields';

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
