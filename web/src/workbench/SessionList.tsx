// 服务中 / 已结束: the calls this page has seen, with the cards a screen pop sent on each (sendCard).
import { useState } from 'react';
import { formatTime } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import { partyOf } from './CallPanel';
import type { WbSession } from './types';

const STATE: Record<WbSession['state'], MessageKey> = {
  ringing: 'wb.session.ringing', dialing: 'wb.session.dialing', connected: 'wb.session.connected', held: 'wb.session.held', ended: 'wb.session.ended',
};
const DIR: Record<WbSession['direction'], MessageKey> = { inbound: 'wb.dir.inbound', outbound: 'wb.dir.outbound', internal: 'wb.dir.internal' };

export function SessionList({ sessions }: { sessions: WbSession[] }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<'live' | 'ended'>('live');
  const live = sessions.filter((s) => s.state !== 'ended');
  const ended = sessions.filter((s) => s.state === 'ended');
  const shown = tab === 'live' ? live : ended;
  return (
    <section className="card wb-card" data-testid="wb-sessions">
      <div className="tabs wb-tabs">
        <button type="button" className={`tab${tab === 'live' ? ' on' : ''}`} data-testid="wb-sessions-live" onClick={() => setTab('live')}>
          {t('wb.sessions.live')} <span className="badge badge-inline">{live.length}</span>
        </button>
        <button type="button" className={`tab${tab === 'ended' ? ' on' : ''}`} data-testid="wb-sessions-ended" onClick={() => setTab('ended')}>
          {t('wb.sessions.ended')} <span className="badge badge-inline">{ended.length}</span>
        </button>
      </div>
      {shown.length === 0 && <div className="muted small wb-pad">{t('wb.sessions.none')}</div>}
      <ul className="wb-session-list">
        {shown.map((s) => (
          <li key={s.callId} data-testid={`wb-session-${s.callId}`} data-state={s.state}>
            <div className="wb-session-line">
              <strong>{partyOf(s)}</strong>
              <span className={`badge ${s.state === 'ended' ? 'badge-muted' : 'badge-ok'}`}>{t(STATE[s.state])}</span>
            </div>
            <div className="small muted">{t(DIR[s.direction])} · {formatTime(s.startedAt)}{s.skillGroupName ? ` · ${s.skillGroupName}` : ''}</div>
            {s.cards.map((c, i) => (
              <div key={i} className="wb-card-msg small" data-testid="wb-session-card">
                {c.pic && <img src={c.pic} alt="" referrerPolicy="no-referrer" />}
                <div>
                  <strong>{c.header}</strong>
                  <div className="muted">{c.desc}</div>
                  {c.url && /^https:\/\//.test(c.url) && <a href={c.url} target="_blank" rel="noreferrer noopener">{c.url}</a>}
                </div>
              </div>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
