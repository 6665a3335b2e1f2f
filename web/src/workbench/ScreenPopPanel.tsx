// 来电弹屏: the configured business pages as tabs of iframes. On ringing, answer and end each page's URL hash
// carries the call and the agent (mobile, userId, nickName, avatar, status 100/200/400, type, agent…, sdkAppId);
// a page may post {source: 'ccc-sdk', type: 'callOut' | 'sendCard'} back — accepted only from the configured
// pages' origins and from our own frames.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useToast } from '../components/Toast';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { lastEnded } from './CallPanel';
import { pageOrigins, parsePopMessage, popHash, popUrl, visiblePages } from './screen-pop';
import type { Workbench } from './useWorkbench';

export function ScreenPopPanel({ w }: { w: Workbench }) {
  const { t } = useI18n();
  const toast = useToast();
  const pages = useMemo(() => w.ctx?.screenPops ?? [], [w.ctx]);
  const session = w.current ?? lastEnded(w.sessions);
  const shown = visiblePages(pages, session);
  const [active, setActive] = useState<number | null>(null);
  const frames = useRef(new Map<number, HTMLIFrameElement>());
  const hash = popHash({ session, agent: w.ctx?.agent ?? null, sdkAppId: w.ctx?.sdkAppId ?? '' });
  const activeId = shown.some((p) => p.id === active) ? active : shown[0]?.id ?? null;

  // Messages from the pages: the latest session and actions through refs, so the listener stays put.
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const actionsRef = useRef(w.actions);
  actionsRef.current = w.actions;
  useEffect(() => {
    const origins = pageOrigins(pages);
    const onMessage = (e: MessageEvent) => {
      const fromOurFrame = [...frames.current.values()].some((f) => f.contentWindow === e.source);
      const msg = fromOurFrame ? parsePopMessage(e.origin, e.data, origins) : null;
      if (!msg) return;
      if (msg.kind === 'callOut') {
        actionsRef.current.dial(msg.phoneNumber, { desc: msg.desc }).catch((x: unknown) => toast.error(errorText(x, t)));
      } else {
        const s = sessionRef.current;
        if (!s) return;
        actionsRef.current.addCard(s.callId, { header: msg.header, desc: msg.desc, pic: msg.pic, url: msg.url });
        toast.info(t('wb.pop.cardLogged'));
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [pages, t, toast]);

  if (!w.ctx) return null;
  if (shown.length === 0) {
    return (
      <section className="card wb-card wb-pop wb-pop-empty" data-testid="wb-screenpop" data-empty="true">
        <div className="muted small" data-testid="wb-pop-empty">{pages.length ? t('wb.pop.onCallOnly') : t('wb.pop.none')}</div>
      </section>
    );
  }
  return (
    <section className="card wb-card wb-pop" data-testid="wb-screenpop" data-hash={hash}>
      <div className="tabs wb-tabs">
        {shown.map((p) => (
          <button key={p.id} type="button" className={`tab${p.id === activeId ? ' on' : ''}`} data-testid={`wb-pop-tab-${p.id}`}
            data-name={p.name} data-active={p.id === activeId} onClick={() => setActive(p.id)}>
            {p.name}
          </button>
        ))}
      </div>
      <div className="wb-pop-frames">
        {shown.map((p) => (
          <iframe
            key={p.id}
            ref={(el) => {
              if (el) frames.current.set(p.id, el);
              else frames.current.delete(p.id);
            }}
            title={p.name}
            src={popUrl(p.url, hash)}
            data-testid={`wb-pop-frame-${p.id}`}
            className={p.id === activeId ? 'on' : ''}
            referrerPolicy="no-referrer"
            allow="clipboard-write"
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals"
          />
        ))}
      </div>
    </section>
  );
}
