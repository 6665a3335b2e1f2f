// 模拟测试: a simulated call on the saved draft — the transcript, what the flow waits for, a keypad
// (0–9 * #), typed keys or speech, timeouts, the outcome of transfers, variables and the path taken
// (which the canvas highlights).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ivrApi } from '../../api-ivr';
import type { FlowNode, SimLine, SimStep, Simulation } from '../../api-ivr-types';
import { errorText } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { DIGITS } from './model';

interface Props {
  flowId: number;
  version: string;
  dirty: boolean;
  nodes: Pick<FlowNode, 'id' | 'label' | 'type'>[];
  onTrace: (visited: string[], current: string | null) => void;
}

const keyId = (k: string) => (k === '*' ? 'star' : k === '#' ? 'hash' : k);

export function SimulatorPanel({ flowId, version, dirty, nodes, onTrace }: Props) {
  const { t } = useI18n();
  const [sim, setSim] = useState<Simulation | null>(null);
  const [lines, setLines] = useState<SimLine[]>([]);
  const [caller, setCaller] = useState('13800138000');
  const [digits, setDigits] = useState('');
  const [speech, setSpeech] = useState('');
  const [staffNo, setStaffNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const session = useRef<string | null>(null);
  const log = useRef<HTMLDivElement>(null);

  // End the server's session when the panel goes away.
  useEffect(() => () => {
    if (session.current) void ivrApi.simEnd(flowId, session.current).catch(() => undefined);
  }, [flowId]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [lines]);

  const show = (s: Simulation, fresh: boolean) => {
    setSim(s);
    setLines((ls) => (fresh ? s.lines : [...ls, ...s.lines]));
    const path = s.trace.path.map((p) => p.nodeId);
    onTrace(path, s.ended ? null : (path[path.length - 1] ?? null));
  };

  const start = async () => {
    setBusy(true);
    setErr('');
    try {
      if (session.current) await ivrApi.simEnd(flowId, session.current).catch(() => undefined);
      const s = await ivrApi.simulate(flowId, { version, from: 'draft', ...(caller.trim() ? { callerNumber: caller.trim() } : {}) });
      session.current = s.ended ? null : s.sessionId;
      show(s, true);
    } catch (x) {
      setErr(errorText(x, t));
      setSim(null);
      setLines([]);
      onTrace([], null);
    } finally {
      setBusy(false);
    }
  };

  const step = async (input: SimStep) => {
    if (!sim) return;
    setBusy(true);
    setErr('');
    try {
      const s = await ivrApi.simStep(flowId, sim.sessionId, input);
      if (s.ended) session.current = null;
      show(s, false);
    } catch (x) {
      setErr(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };

  const sendDigits = (e: FormEvent) => {
    e.preventDefault();
    if (/^[0-9*#]{1,32}$/.test(digits)) {
      void step({ digits });
      setDigits('');
    }
  };
  const sendSpeech = (e: FormEvent) => {
    e.preventDefault();
    if (speech.trim()) {
      void step({ speech: speech.trim() });
      setSpeech('');
    }
  };

  const w = sim && !sim.ended ? sim.waitingFor : null;
  const label = (id: string | null | undefined) => {
    const n = nodes.find((x) => x.id === id);
    return n ? n.label || t(`ivr.type.${n.type}` as MessageKey) : (id ?? '');
  };
  const endText = () => {
    const e = sim?.end;
    if (!e) return t('ivr.sim.ended');
    switch (e.reason) {
      case 'hangup': return t('ivr.sim.end.hangup', { cause: e.cause });
      case 'callerHangup': return t('ivr.sim.end.callerHangup');
      case 'transferred': return t('ivr.sim.end.transferred', { to: e.to });
      case 'returned': return t('ivr.sim.end.returned');
      case 'error': return t('ivr.sim.end.error', { message: e.message });
    }
  };

  return (
    <div className="sim" data-testid="sim-panel">
      {dirty && <div className="banner banner-warn" data-testid="sim-dirty">{t('ivr.sim.dirty')}</div>}
      <div className="sim-start">
        <label className="filter">
          <span>{t('ivr.sim.caller')}</span>
          <input value={caller} onChange={(e) => setCaller(e.target.value)} data-testid="sim-caller" />
        </label>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void start()} data-testid="sim-start">
          {sim ? t('ivr.sim.restart') : t('ivr.sim.start')}
        </button>
        {sim && !sim.ended && (
          <button type="button" className="btn" disabled={busy} onClick={() => void step({ hangup: true })} data-testid="sim-hangup">
            {t('ivr.sim.hangup')}
          </button>
        )}
      </div>
      {err && <div className="banner banner-error" role="alert" data-testid="sim-error">{err}</div>}
      {!sim && !err && <p className="muted">{t('ivr.sim.intro', { version })}</p>}
      {sim && (
        <>
          <div className="sim-log" ref={log} data-testid="sim-transcript">
            {lines.map((l, i) => (
              <div key={i} className={`sim-line sim-${l.kind}`} data-testid="sim-line" data-kind={l.kind}>
                <span className="sim-kind">{t(`ivr.sim.kind.${l.kind}` as MessageKey)}</span>
                <span>{l.text}</span>
              </div>
            ))}
          </div>
          <div className="sim-state" data-testid="sim-waiting" data-kind={sim.ended ? 'ended' : (w?.kind ?? 'none')}>
            {sim.ended ? (
              <span className="badge badge-muted" data-testid="sim-ended" data-reason={sim.end?.reason ?? ''}>{endText()}</span>
            ) : w?.kind === 'digits' ? (
              t('ivr.sim.waitDigits', { n: w.maxDigits, typed: w.typed || '—' })
            ) : w?.kind === 'speech' ? (
              t('ivr.sim.waitSpeech', { words: w.keywords.join('、') })
            ) : w?.kind === 'outcome' ? (
              t('ivr.sim.waitOutcome', { op: t(`ivr.sim.op.${w.op}` as MessageKey) })
            ) : (
              t('ivr.sim.running')
            )}
          </div>
          {w?.kind === 'digits' && (
            <>
              <div className="keypad" data-testid="sim-keypad">
                {DIGITS.map((k) => (
                  <button key={k} type="button" className="key" disabled={busy} onClick={() => void step({ digits: k })}
                    data-testid={`sim-key-${keyId(k)}`}>{k}</button>
                ))}
              </div>
              <form className="sim-input" onSubmit={sendDigits}>
                <input value={digits} placeholder={t('ivr.sim.typeDigits')} onChange={(e) => setDigits(e.target.value.replace(/[^0-9*#]/g, ''))}
                  data-testid="sim-digits" />
                <button type="submit" className="btn btn-sm" disabled={busy || !digits} data-testid="sim-send-digits">{t('ivr.sim.send')}</button>
              </form>
            </>
          )}
          {w?.kind === 'speech' && (
            <form className="sim-input" onSubmit={sendSpeech}>
              <input value={speech} placeholder={t('ivr.sim.typeSpeech')} onChange={(e) => setSpeech(e.target.value)} data-testid="sim-speech" />
              <button type="submit" className="btn btn-sm" disabled={busy || !speech.trim()} data-testid="sim-send-speech">{t('ivr.sim.say')}</button>
            </form>
          )}
          {(w?.kind === 'digits' || w?.kind === 'speech') && (
            <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void step({ timeout: true })} data-testid="sim-timeout">
              {t('ivr.sim.timeout')}
            </button>
          )}
          {w?.kind === 'outcome' && (
            <div className="sim-outcomes">
              {w.op === 'transferToQueue' && (
                <input value={staffNo} placeholder={t('ivr.sim.staffNo')} onChange={(e) => setStaffNo(e.target.value)} data-testid="sim-staffNo" />
              )}
              {w.choices.map((c) => (
                <button key={c} type="button" className="btn btn-sm" disabled={busy} data-testid={`sim-outcome-${c}`}
                  onClick={() => void step({ outcome: c, ...(staffNo && c === 'agentHungUp' ? { staffNo } : {}), ...(c === 'finished' ? { seconds: 10 } : {}) })}>
                  {t(`ivr.sim.outcome.${c}` as MessageKey)}
                </button>
              ))}
            </div>
          )}
          <h3 className="section-title">{t('ivr.sim.path')}</h3>
          <ol className="sim-path" data-testid="sim-path">
            {sim.trace.path.map((p, i) => (
              <li key={i} data-node-id={p.nodeId}>{label(p.nodeId)}{p.outlet ? <span className="muted"> → {p.outlet}</span> : null}</li>
            ))}
          </ol>
          <h3 className="section-title">{t('ivr.sim.variables')}</h3>
          <table className="table table-compact" data-testid="sim-variables">
            <tbody>
              {Object.entries(sim.variables).map(([k, v]) => (
                <tr key={k} data-testid={`sim-var-${k}`}><td><code>{k}</code></td><td className="wrap">{v}</td></tr>
              ))}
            </tbody>
          </table>
          {sim.trace.http.length > 0 && (
            <>
              <h3 className="section-title">{t('ivr.sim.http')}</h3>
              <ul className="sim-http">
                {sim.trace.http.map((h, i) => (
                  <li key={i}>{h.ok ? '✓' : '✗'} {h.url} — {h.tries.map((x) => x.status ?? x.error).join(', ')}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
