// 查看详情: one call record — its fields, timings, satisfaction, the recording (played in the page from the
// recording endpoint, or downloaded), the voicemail, and the call's story: legs, IVR path and keys, queue stays,
// the devices rung, and transfers, each at its offset from the start.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { errorText, formatTime, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n';
import { duration, isMasked, offset, satisfactionText } from './format';
import { recordsApi, type CallRecordDetail } from './records-api';

function Num({ n }: { n: string }) {
  const { t } = useI18n();
  return isMasked(n) ? <span title={t('rec.masked')} data-masked="true">{n}</span> : <span>{n}</span>;
}

export function Audio({ src, name, testId }: { src: string; name: string; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="rec-audio">
      {/* preload=metadata: the duration shows at once, the bytes come when played (Range requests). */}
      <audio controls preload="metadata" src={src} data-testid={`${testId}-audio`} />
      <a className="btn btn-sm" href={src} download={name} data-testid={`${testId}-download`}>{t('rec.download')}</a>
    </div>
  );
}

function Remark({ rec, onSaved }: { rec: CallRecordDetail; onSaved: (r: CallRecordDetail) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [value, setValue] = useState(rec.remark);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onSaved(await recordsApi.setRemark(rec.id, value.trim()));
      toast.success(t('common.saved'));
    } catch (x) {
      toast.error(errorText(x, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-edit" onSubmit={save}>
      <input value={value} maxLength={200} onChange={(e) => setValue(e.target.value)} data-testid="rec-remark-input" className="search-input" />
      <button type="submit" className="btn btn-sm" disabled={busy || value.trim() === rec.remark} data-testid="rec-remark-save">{t('common.save')}</button>
    </form>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="rec-section" data-testid={testId}>
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

function Body({ rec, onChanged }: { rec: CallRecordDetail; onChanged: (r: CallRecordDetail) => void }) {
  const { t } = useI18n();
  const d = rec.detail;
  const start = rec.startedAt;
  const kv: [string, ReactNode, string][] = [
    [t('rec.col.startedAt'), formatTime(rec.startedAt), 'startedAt'],
    [t('rec.col.direction'), t(`rec.dir.${rec.direction}` as MessageKey), 'direction'],
    [t('rec.col.caller'), <Num n={rec.caller} />, 'caller'],
    [t('rec.col.callee'), <Num n={rec.callee} />, 'callee'],
    [t('rec.col.endStatus'), rec.endStatusText, 'endStatus'],
    [t('rec.endCause'), rec.endCause ?? '—', 'endCause'],
    [t('rec.col.agent'), rec.agentName ? `${rec.agentName}${rec.staffNo ? `（${rec.staffNo}）` : ''}` : '—', 'agent'],
    [t('rec.col.device'), rec.agentDevice ? t(`rec.device.${rec.agentDevice}` as MessageKey) : '—', 'device'],
    [t('rec.col.skillGroup'), rec.skillGroupName ?? '—', 'skillGroup'],
    [t('rec.col.ivrKeys'), rec.ivrKeys || '—', 'ivrKeys'],
    [t('rec.col.satisfaction'), satisfactionText(rec, t('rec.survey.offered'), true), 'satisfaction'],
    [t('rec.col.hangupSide'), rec.hangupSide ? t(`rec.side.${rec.hangupSide}` as MessageKey) : '—', 'hangupSide'],
    [t('rec.timings'), t('rec.timingsValue', { ring: duration(rec.ringMs), queue: duration(rec.queueMs), talk: duration(rec.talkMs), total: duration(rec.totalMs) }), 'timings'],
  ];
  return (
    <div className="rec-detail">
      <div className="kv" data-testid="rec-detail-fields">
        {kv.map(([k, v, id]) => (
          <div key={id} style={{ display: 'contents' }}>
            <span className="kv-k">{k}</span>
            <span data-testid={`rec-detail-${id}`}>{v}</span>
          </div>
        ))}
        <span className="kv-k">{t('rec.col.remark')}</span>
        <Remark rec={rec} onSaved={onChanged} />
      </div>
      <Section title={t('rec.recording')} testId="rec-detail-recording">
        {rec.recording ? (
          <>
            <p className="muted small">{t('rec.recordingHint', { duration: duration(rec.recording.durationMs), channels: rec.recording.channels })}</p>
            <Audio src={recordsApi.recordingUrl(rec.id)} name={`${rec.id}.wav`} testId="rec-recording" />
          </>
        ) : <p className="muted">{t('rec.noRecording')}</p>}
        {rec.voicemail && (
          <>
            <p className="muted small">{t('rec.voicemailHint', { duration: duration(rec.voicemail.durationMs) })}</p>
            <Audio src={recordsApi.voicemailUrl(rec.id)} name={`${rec.id}-voicemail.wav`} testId="rec-voicemail" />
          </>
        )}
      </Section>
      <Section title={t('rec.legs')} testId="rec-detail-legs">
        <table className="table table-compact">
          <thead><tr><th>{t('rec.leg.role')}</th><th>{t('rec.leg.kind')}</th><th>{t('rec.leg.party')}</th><th>{t('rec.leg.started')}</th><th>{t('rec.leg.answered')}</th><th>{t('rec.leg.ended')}</th><th>{t('rec.leg.cause')}</th></tr></thead>
          <tbody>
            {d.legs.map((l) => (
              <tr key={l.id}>
                <td>{t(`rec.leg.role.${l.role}` as MessageKey)}</td>
                <td>{t(`rec.leg.kind.${l.kind}` as MessageKey)}</td>
                <td><Num n={l.party} /></td>
                <td>{offset(l.startedAt, start)}</td>
                <td>{l.answeredAt ? offset(l.answeredAt, start) : '—'}</td>
                <td>{l.endedAt ? offset(l.endedAt, start) : '—'}</td>
                <td>{l.cause ?? '—'}</td>
              </tr>
            ))}
            {!d.legs.length && <tr><td colSpan={7} className="table-empty">{t('common.empty')}</td></tr>}
          </tbody>
        </table>
      </Section>
      <Section title={t('rec.ivrPath')} testId="rec-detail-ivr">
        {d.ivr ? (
          <>
            <p className="muted small">{d.ivr.flowName} · {d.ivr.version}</p>
            <ol className="rec-path">
              {d.ivr.path.map((s, i) => (
                <li key={`${s.nodeId}-${i}`} data-testid="rec-ivr-step" data-type={s.type}>
                  <span className="muted small">{offset(s.at, start)}</span> {s.label || s.type}
                  {s.outlet && <span className="badge badge-muted badge-inline">{s.outlet}</span>}
                </li>
              ))}
            </ol>
            {d.ivr.keys.length > 0 && (
              <p data-testid="rec-ivr-keys">{t('rec.keysPressed')}：{d.ivr.keys.map((k, i) => (
                <code key={i} className={k.accepted ? '' : 'muted'} title={offset(k.at, start)}>{k.digits}</code>
              ))}</p>
            )}
          </>
        ) : <p className="muted">{t('rec.noIvr')}</p>}
      </Section>
      {d.queue.length > 0 && (
        <Section title={t('rec.queue')} testId="rec-detail-queue">
          <ul className="rec-list">
            {d.queue.map((q, i) => (
              <li key={i}>{q.skillGroupName ?? '—'}：{offset(q.enteredAt, start)} → {q.leftAt ? offset(q.leftAt, start) : '—'} {q.outcome && <span className="badge badge-muted badge-inline">{q.outcome}</span>}</li>
            ))}
          </ul>
        </Section>
      )}
      <Section title={t('rec.offers')} testId="rec-detail-offers">
        {d.offers.length ? (
          <ul className="rec-list">
            {d.offers.map((o, i) => (
              <li key={i} data-testid="rec-offer" data-result={o.result}>
                {offset(o.at, start)} {o.staffNo ? t('rec.staffNo', { staffNo: o.staffNo }) : '—'} · {t(`rec.device.${o.device}` as MessageKey)} · {t(`rec.offer.${o.result}` as MessageKey)}
              </li>
            ))}
          </ul>
        ) : <p className="muted">{t('common.empty')}</p>}
      </Section>
      <Section title={t('rec.transfers')} testId="rec-detail-transfers">
        {d.transfers.length ? (
          <ul className="rec-list">
            {d.transfers.map((x, i) => (
              <li key={i}>{offset(x.at, start)} {x.by} → {t(`rec.transfer.${x.kind}` as MessageKey)} {x.to} · {t(`rec.transfer.result.${x.result}` as MessageKey)}</li>
            ))}
          </ul>
        ) : <p className="muted">{t('rec.noTransfers')}</p>}
      </Section>
      {d.notes.length > 0 && (
        <Section title={t('rec.notes')} testId="rec-detail-notes">
          <ul className="rec-list">{d.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
        </Section>
      )}
    </div>
  );
}

export function RecordDetailDialog({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const rec = useLoad(() => recordsApi.get(id), [id]);
  const [edited, setEdited] = useState<CallRecordDetail | null>(null);
  const shown = edited ?? rec.data;
  return (
    <Modal title={t('rec.detailTitle')} onClose={onClose} testId="rec-detail" wide>
      {rec.error != null && <div className="banner banner-error" role="alert">{errorText(rec.error, t)}</div>}
      {!shown && rec.loading && <p className="muted">{t('common.loading')}</p>}
      {shown && <Body rec={shown} onChanged={(r) => (setEdited(r), onChanged())} />}
    </Modal>
  );
}
