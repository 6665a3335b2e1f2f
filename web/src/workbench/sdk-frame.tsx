// Entry of web/workbench.html, served as /sdk/frame: the call bar a business page embeds through tccc.js. It
// uses the agent's session on the box (same-site deployments) and answers the parent page's SDK calls —
// only the parent window, only from the origin the frame was opened for (frame-ancestors already limits who
// may embed it to the allowed origins).
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { authApi, type Me } from '../api-auth';
import { ConfirmProvider } from '../components/Confirm';
import { ToastProvider } from '../components/Toast';
import { I18nProvider, useI18n } from '../i18n';
import '../styles.css';
import { CallPanel } from './CallPanel';
import { DialPad } from './DialPad';
import { isSdkRequest, runSdkMethod, sessionEvents, SDK_SOURCE, TO_SDK_STATUS } from './sdk-bridge';
import { SoftphonePanel } from './SoftphonePanel';
import { StatusControl } from './StatusControl';
import { useWorkbench } from './useWorkbench';
import type { WbSession } from './types';
import './workbench.css';

const params = new URLSearchParams(window.location.search);
/** The embedding page's origin, as tccc.js passed it (checked against every message's origin). */
const parentOrigin = ((): string | null => {
  try {
    const o = new URL(params.get('origin') ?? '').origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
})();

function post(msg: Record<string, unknown>): void {
  if (parentOrigin && window.parent !== window) window.parent.postMessage({ source: SDK_SOURCE, ...msg }, parentOrigin);
}

function Bar({ me }: { me: Me }) {
  const w = useWorkbench(me);
  const [number, setNumber] = useState('');
  const ref = useRef(w);
  ref.current = w;
  const before = useRef<WbSession[]>([]);
  const readySent = useRef(false);

  // Requests from the parent page.
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent || e.origin !== parentOrigin || !isSdkRequest(e.data)) return;
      const { id, method, params: p } = e.data;
      const cur = ref.current;
      runSdkMethod(method, p ?? {}, {
        actions: cur.actions, sessions: () => ref.current.sessions, ctx: () => ref.current.ctx, setStatus: cur.setStatus,
      }).then(
        (data) => post({ id, ok: true, data: data ?? {} }),
        (err: unknown) => post({ id, ok: false, errorMsg: err instanceof Error && err.message ? err.message : String(err) }),
      );
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  // ready once the agent's context is in and the softphone settled (ready, or why not).
  const settled = ['ready', 'unavailable', 'denied', 'no-mic', 'failed'].includes(w.phone.state);
  useEffect(() => {
    if (readySent.current || !w.ctx || !settled) return;
    readySent.current = true;
    post({ event: 'ready', data: { sdkAppId: w.ctx.sdkAppId, userId: w.ctx.agent.email ?? '', softphone: w.phone.state === 'ready', softphoneState: w.phone.state, softphoneError: w.phone.error, staffNo: me.staffNo } });
  }, [w.ctx, settled, w.phone.state, me.staffNo]);

  useEffect(() => {
    for (const ev of sessionEvents(before.current, w.sessions)) post(ev);
    before.current = w.sessions;
  }, [w.sessions]);

  const status = w.status?.status;
  useEffect(() => {
    if (status) post({ event: 'statusChanged', data: { status: TO_SDK_STATUS[status] } });
  }, [status]);

  return (
    <div className="wb-bar" data-testid="wb-bar" onPointerDown={() => w.ringtone.unlock()}>
      <SoftphonePanel phone={w.phone} compact />
      <StatusControl w={w} />
      <CallPanel w={w} onDial={setNumber} />
      {!w.current && <DialPad w={w} number={number} setNumber={setNumber} />}
    </div>
  );
}

function Frame() {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    authApi.me().then((s) => setMe(s.user), () => setMe(null));
  }, []);
  useEffect(() => {
    if (me === null) post({ event: 'tokenExpired', data: { errorMsg: 'not logged in to the workbench' } });
  }, [me]);
  if (me === undefined) return null;
  if (!me || !me.staffNo) {
    return (
      <div className="wb-bar wb-bar-login" data-testid="wb-bar-login">
        <p>{me ? t('wb.bar.notAgent') : t('wb.bar.login')}</p>
        <a className="btn btn-primary" href="/workbench" target="_blank" rel="noopener">{t('wb.bar.open')}</a>
      </div>
    );
  }
  return <Bar me={me} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ToastProvider>
        <ConfirmProvider>
          <Frame />
        </ConfirmProvider>
      </ToastProvider>
    </I18nProvider>
  </StrictMode>,
);
