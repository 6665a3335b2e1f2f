// 拨号盘呼出: type or key in a number, pick the caller ID when the agent may (允许座席指定号码呼出), call; and
// 工作台呼叫话机: call a colleague's extension from the list.
import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../components/Field';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { Keypad } from './Keypad';
import type { CallerIdChoice } from './types';
import { wb } from './wb-api';
import type { Workbench } from './useWorkbench';
import { dialInput } from './screen-pop';


export function DialPad({ w, number, setNumber }: { w: Workbench; number: string; setNumber: (n: string) => void }) {
  const { t } = useI18n();
  const [callerIds, setCallerIds] = useState<CallerIdChoice | null>(null);
  const [callerNumber, setCallerNumber] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<'pad' | 'colleagues'>('pad');
  const live = w.current !== null;

  useEffect(() => {
    wb.callerIds().then(setCallerIds, () => setCallerIds(null));
  }, []);

  const dial = async (to: string, internal = false) => {
    const clean = dialInput(to);
    if (!clean) return setError(t('wb.dial.invalid'));
    setBusy(true);
    setError(undefined);
    w.ringtone.unlock();
    try {
      await w.actions.dial(clean, { internal, ...(callerNumber ? { callerNumber } : {}) });
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void dial(number);
  };

  const colleagues = (w.ctx?.directory.agents ?? []).filter((a) => a.id !== w.me.id && a.extension);
  const groupPhones = (w.ctx?.directory.phones ?? []).filter((p) => !colleagues.some((a) => a.extension === p.extension));

  return (
    <section className="card wb-card" data-testid="wb-dialpad">
      <div className="tabs wb-tabs">
        <button type="button" className={`tab${tab === 'pad' ? ' on' : ''}`} data-testid="wb-dial-tab-pad" onClick={() => setTab('pad')}>{t('wb.dial.title')}</button>
        <button type="button" className={`tab${tab === 'colleagues' ? ' on' : ''}`} data-testid="wb-dial-tab-colleagues" onClick={() => setTab('colleagues')}>{t('wb.dial.colleagues')}</button>
      </div>
      {tab === 'pad' ? (
        <form onSubmit={submit} className="wb-dial-form">
          <FormError message={error} testId="wb-dial-error" />
          <input className="wb-dial-input mono" value={number} inputMode="tel" placeholder={t('wb.dial.placeholder')} data-testid="wb-dial-input"
            onChange={(e) => setNumber(e.target.value)} />
          <Keypad testPrefix="wb-dial-key" onKey={(k) => setNumber((number + k).slice(0, 32))} />
          {callerIds?.allowed && callerIds.numbers.length > 0 && (
            <label className="small wb-callerid">
              {t('wb.dial.callerId')}
              <select value={callerNumber} onChange={(e) => setCallerNumber(e.target.value)} data-testid="wb-dial-callerid">
                <option value="">{t('wb.dial.callerIdAuto')}</option>
                {callerIds.numbers.map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </label>
          )}
          <div className="wb-dial-actions">
            <button type="button" className="btn" onClick={() => setNumber(number.slice(0, -1))} data-testid="wb-dial-backspace" aria-label={t('wb.dial.backspace')}>⌫</button>
            <button type="submit" className="btn btn-primary grow" disabled={busy || live || !number} data-testid="wb-dial-call">{t('wb.dial.call')}</button>
          </div>
        </form>
      ) : (
        <ul className="pick-list wb-colleagues" data-testid="wb-colleagues">
          {colleagues.length === 0 && groupPhones.length === 0 && <li className="muted small">{t('common.empty')}</li>}
          {colleagues.map((a) => (
            <li key={a.id} data-testid={`wb-colleague-${a.staffNo}`}>
              <span className="grow">{a.name} <span className="muted small">{a.staffNo} · {a.extension}</span></span>
              <button type="button" className="btn btn-sm" disabled={busy || live} data-testid="wb-colleague-call" onClick={() => void dial(a.extension!, true)}>{t('wb.dial.call')}</button>
            </li>
          ))}
          {groupPhones.map((p) => (
            <li key={p.extension} data-testid={`wb-phone-${p.extension}`}>
              <span className="grow">{p.name} <span className="muted small">{p.extension}</span></span>
              <button type="button" className="btn btn-sm" disabled={busy || live} onClick={() => void dial(p.extension, true)}>{t('wb.dial.call')}</button>
            </li>
          ))}
          {error && <li className="text-error small" data-testid="wb-colleague-error">{error}</li>}
        </ul>
      )}
    </section>
  );
}
