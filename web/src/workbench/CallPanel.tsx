// The call area: an incoming call ringing (caller, number, location; 接听 / 拒接), the toolbar of a call
// (挂断, 通话保持/取回, 静音, 转技能组, 转座席, 转外线, 自助服务, 输分机号) and, after it, 再次拨打 and 添加至黑名单.
import { useEffect, useState } from 'react';
import { useConfirm } from '../components/Confirm';
import { useToast } from '../components/Toast';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { Keypad } from './Keypad';
import { SelfServiceDialog } from './SelfServiceDialog';
import { TransferDialog, type TransferKind } from './TransferDialog';
import type { WbSession } from './types';
import { wb } from './wb-api';
import type { Workbench } from './useWorkbench';

function useElapsed(since: number | null): string {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (since === null) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [since]);
  if (since === null) return '00:00';
  const s = Math.max(0, Math.floor((now - since) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

export const partyOf = (s: WbSession): string => s.desc || s.callerName || s.number;

/** The latest ended session when nothing is live: what 再次拨打 and 添加至黑名单 act on. */
export function lastEnded(list: WbSession[]): WbSession | null {
  return list.find((s) => s.state === 'ended') ?? null;
}

export function CallPanel({ w, onDial }: { w: Workbench; onDial?: (number: string) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const [busy, setBusy] = useState(false);
  const [transfer, setTransfer] = useState<TransferKind | null>(null);
  const [keypad, setKeypad] = useState(false);
  const [selfService, setSelfService] = useState(false);
  const [typed, setTyped] = useState('');
  const [remark, setRemark] = useState('');
  const s = w.current;
  const after = s ? null : lastEnded(w.sessions);
  const elapsed = useElapsed(s && (s.state === 'connected' || s.state === 'held') ? s.answeredAt : null);

  useEffect(() => {
    setKeypad(false);
    setTyped('');
  }, [s?.callId]);
  useEffect(() => setRemark(''), [after?.callId]);

  const run = async (fn: () => Promise<unknown>, ok?: string) => {
    setBusy(true);
    try {
      await fn();
      if (ok) toast.success(ok);
    } catch (e) {
      toast.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (s && s.state === 'ringing' && s.direction !== 'outbound') {
    return (
      <section className="card wb-card wb-incoming" data-testid="wb-incoming" data-call-id={s.callId} data-auto-answer={s.autoAnswer}>
        <div className="wb-ring-icon" aria-hidden="true">☎</div>
        <div className="wb-incoming-body">
          <div className="muted small">{s.autoAnswer ? t('wb.incoming.autoAnswer') : t('wb.incoming.title')}{s.skillGroupName ? ` · ${s.skillGroupName}` : ''}</div>
          {s.callerName && <div className="wb-party" data-testid="wb-incoming-caller">{s.callerName}</div>}
          <div data-testid="wb-incoming-number" className={s.callerName ? 'mono' : 'mono wb-party'}>{s.number}</div>
          <div className="small muted" data-testid="wb-incoming-location">{s.location || t('wb.incoming.unknownLocation')}</div>
          {s.customerRemark && <div className="small" data-testid="wb-incoming-remark">{t('wb.customerRemark', { remark: s.customerRemark })}</div>}
        </div>
        <div className="wb-incoming-actions">
          <button type="button" className="btn btn-primary wb-answer" disabled={busy} data-testid="wb-answer"
            onClick={() => (w.ringtone.unlock(), void run(() => w.actions.answer(s.callId)))}>{t('wb.incoming.answer')}</button>
          <button type="button" className="btn btn-danger" disabled={busy} data-testid="wb-reject"
            onClick={() => void run(() => w.actions.reject(s.callId))}>{t('wb.incoming.reject')}</button>
        </div>
      </section>
    );
  }

  if (s) {
    const held = s.state === 'held';
    const talking = s.state === 'connected' || held;
    return (
      <section className="card wb-card wb-call" data-testid="wb-call" data-state={s.state} data-call-id={s.callId}>
        <div className="wb-call-head">
          <div>
            <div className="muted small" data-testid="wb-call-phase" data-aside={s.aside ?? ''}>
              {s.aside === 'selfService' ? t('wb.call.inSelfService') : s.aside ? t('wb.call.aside') : s.state === 'dialing' ? t('wb.call.dialing') : held ? t('wb.call.held') : t('wb.call.talking')}
            </div>
            <div className="wb-party" data-testid="wb-call-party">{partyOf(s)}</div>
            {s.desc && <div className="small muted mono">{s.number}</div>}
            {s.location && <div className="small muted" data-testid="wb-call-location">{s.location}</div>}
            {s.customerRemark && <div className="small" data-testid="wb-call-remark">{t('wb.customerRemark', { remark: s.customerRemark })}</div>}
          </div>
          <span className="wb-timer mono" data-testid="wb-call-timer">{elapsed}</span>
        </div>
        <div className="wb-toolbar">
          <button type="button" className="btn btn-danger" disabled={busy} data-testid="wb-hangup" onClick={() => void run(() => w.actions.hangup(s.callId))}>{t('wb.call.hangup')}</button>
          <button type="button" className={`btn${held ? ' btn-on' : ''}`} disabled={busy || !talking} data-testid="wb-hold" data-held={held}
            onClick={() => void run(() => w.actions.hold(s.callId, !held))}>{held ? t('wb.call.unhold') : t('wb.call.hold')}</button>
          <button type="button" className={`btn${s.muted ? ' btn-on' : ''}`} disabled={busy || !talking} data-testid="wb-mute" data-muted={s.muted}
            onClick={() => void run(() => w.actions.mute(s.callId, !s.muted))}>{s.muted ? t('wb.call.unmute') : t('wb.call.mute')}</button>
          <button type="button" className="btn" disabled={busy || !talking} data-testid="wb-transfer-group" onClick={() => setTransfer('skillGroup')}>{t('wb.call.toGroup')}</button>
          <button type="button" className="btn" disabled={busy || !talking} data-testid="wb-transfer-agent" onClick={() => setTransfer('agent')}>{t('wb.call.toAgent')}</button>
          <button type="button" className="btn" disabled={busy || !talking} data-testid="wb-transfer-external" onClick={() => setTransfer('external')}>{t('wb.call.toExternal')}</button>
          <button type="button" className="btn" disabled={busy || !talking} data-testid="wb-self-service" onClick={() => setSelfService(true)}>{t('wb.call.selfService')}</button>
          <button type="button" className={`btn${keypad ? ' btn-on' : ''}`} disabled={!talking} data-testid="wb-dtmf" onClick={() => setKeypad((k) => !k)}>{t('wb.call.dtmf')}</button>
        </div>
        {selfService && (
          <SelfServiceDialog onClose={() => setSelfService(false)}
            onPick={async (id) => {
              await w.actions.selfService(s.callId, id);
              toast.success(t('wb.selfService.done'));
            }} />
        )}
        {keypad && (
          <div className="wb-dtmf" data-testid="wb-dtmf-pad">
            <div className="mono wb-typed" data-testid="wb-dtmf-typed">{typed || ' '}</div>
            <Keypad testPrefix="wb-dtmf-key" onKey={(k) => {
              setTyped((x) => (x + k).slice(-32));
              void w.actions.dtmf(s.callId, k).catch((e: unknown) => toast.error(errorText(e, t)));
            }} />
          </div>
        )}
        {transfer && (
          <TransferDialog kind={transfer} ctx={w.ctx} selfId={w.me.id} onClose={() => setTransfer(null)}
            onTransfer={async (target) => {
              await w.actions.transfer(s.callId, target);
              toast.success(t('wb.transfer.done'));
            }} />
        )}
      </section>
    );
  }

  if (after) {
    return (
      <section className="card wb-card wb-after" data-testid="wb-after" data-call-id={after.callId}>
        <div className="muted small">{t('wb.after.title')}</div>
        <div className="wb-party">{partyOf(after)}</div>
        {after.desc && <div className="small muted mono">{after.number}</div>}
        <div className="wb-toolbar">
          <button type="button" className="btn btn-primary" disabled={busy || !after.number} data-testid="wb-redial"
            onClick={() => (onDial ? onDial(after.number) : void run(() => w.actions.dial(after.number, { desc: after.desc })))}>{t('wb.after.redial')}</button>
          {after.direction !== 'internal' && (
            <button type="button" className="btn" disabled={busy || !after.number} data-testid="wb-blacklist"
              onClick={() => void confirm({ message: t('wb.after.blacklistConfirm', { number: after.number }), danger: true }).then((yes) => { if (yes) void run(() => w.actions.blacklist(after.callId), t('wb.after.blacklisted')); })}>
              {t('wb.after.blacklist')}
            </button>
          )}
        </div>
        <form className="wb-remark" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await wb.remark(after.callId, remark.trim());
            w.touchRecent();
          }, t('wb.after.remarkSaved'));
        }}>
          <input value={remark} maxLength={200} placeholder={t('wb.after.remark')} onChange={(e) => setRemark(e.target.value)} data-testid="wb-remark" />
          <button type="submit" className="btn btn-sm" disabled={busy || !remark.trim()} data-testid="wb-remark-save">{t('common.save')}</button>
        </form>
      </section>
    );
  }

  return (
    <section className="card wb-card wb-idle" data-testid="wb-no-call">
      <div className="muted">{t('wb.call.none')}</div>
    </section>
  );
}
