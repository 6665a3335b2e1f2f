// 座席工作台: status, softphone, the call area and dial pad, the screen-pop pages, queues, sessions and recent
// calls — one page in the console frame, loaded lazily (it brings mediasoup-client).
import { useEffect, useState } from 'react';
import { useAuth } from '../auth';
import { PageHeader } from '../components/Layout';
import { errorText } from '../hooks';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { CallPanel } from './CallPanel';
import { DialPad } from './DialPad';
import { QueuePanel } from './QueuePanel';
import { RecentCalls } from './RecentCalls';
import { ScreenPopPanel } from './ScreenPopPanel';
import { SessionList } from './SessionList';
import { SoftphonePanel } from './SoftphonePanel';
import { StatusControl } from './StatusControl';
import { useWorkbench } from './useWorkbench';
import { setUnauthorizedHandler } from './wb-api';
import './workbench.css';

function Workbench({ me }: { me: NonNullable<ReturnType<typeof useAuth>['me']> }) {
  const { t } = useI18n();
  const w = useWorkbench(me);
  const [dialNumber, setDialNumber] = useState('');

  useEffect(() => {
    setUnauthorizedHandler(() => navigate('/login?next=%2Fworkbench', { replace: true }));
    return () => setUnauthorizedHandler(null);
  }, []);
  useEffect(() => {
    if (w.closedBy === 'ended') navigate('/login?next=%2Fworkbench', { replace: true });
  }, [w.closedBy]);
  // For diagnostics and the browser tests (drop the socket, read the softphone's stats).
  useEffect(() => {
    (window as unknown as { ccboxWorkbench?: unknown }).ccboxWorkbench = { socket: w.phone.socket, phone: w.phone.phone };
  }, [w.phone.socket, w.phone.phone]);

  return (
    <div className="workbench" data-testid="workbench" onPointerDown={() => w.ringtone.unlock()}>
      <PageHeader title={t('wb.title')} actions={<SoftphonePanel phone={w.phone} />}>
        {me.staffNo ? t('wb.subtitle', { name: me.name, staffNo: me.staffNo }) : t('wb.noStaffNo')}
      </PageHeader>
      {w.closedBy === 'replaced' && (
        <div className="banner banner-warn" data-testid="wb-replaced">
          {t('wb.replaced')} <button type="button" className="link" onClick={() => window.location.reload()}>{t('wb.reclaim')}</button>
        </div>
      )}
      {w.ctxError != null && <div className="banner banner-error">{errorText(w.ctxError, t)}</div>}
      <StatusControl w={w} />
      <div className="wb-grid">
        <div className="wb-col">
          <CallPanel w={w} onDial={setDialNumber} />
          <DialPad w={w} number={dialNumber} setNumber={setDialNumber} />
        </div>
        <div className="wb-col wb-col-main">
          <ScreenPopPanel w={w} />
        </div>
        <div className="wb-col">
          <QueuePanel queues={w.queues} error={w.queuesError} />
          <SessionList sessions={w.sessions} />
          <RecentCalls agentId={me.id} reloadKey={w.endedCount} onDial={setDialNumber} />
        </div>
      </div>
    </div>
  );
}

export function WorkbenchPage() {
  const { me } = useAuth();
  return me ? <Workbench me={me} /> : null;
}
