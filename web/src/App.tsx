// Route table and guards: login when signed out, permission check per page, home = first allowed page.
import { lazy, Suspense, type ComponentType } from 'react';
import { useAuth } from './auth';
import { Layout } from './components/Layout';
import { useI18n } from './i18n';
import { homePath, leafFor } from './nav';
import { AgentsPage } from './pages/AgentsPage';
import { ChannelsPage } from './pages/ChannelsPage';
import { LoginPage } from './pages/LoginPage';
import { NumbersPage } from './pages/NumbersPage';
import { OverviewPage } from './pages/OverviewPage';
import { PhonesPage } from './pages/PhonesPage';
import { RolesPage } from './pages/RolesPage';
import { SipSecurityPage } from './pages/SipSecurityPage';
import { SkillGroupsPage } from './pages/SkillGroupsPage';
import { SmtpPage } from './pages/SmtpPage';
import { StatusSettingsPage } from './pages/StatusSettingsPage';
import { Link, Redirect, usePath } from './router';

// The IVR designer brings @xyflow/react: loaded when first opened.
const IvrPage = lazy(() => import('./pages/IvrPage').then((m) => ({ default: m.IvrPage })));
// The workbench brings mediasoup-client; its settings page is small but lives beside it.
const WorkbenchPage = lazy(() => import('./workbench/WorkbenchPage').then((m) => ({ default: m.WorkbenchPage })));
// 服务记录, 实时监控 and 呼叫设置 (issue 6): loaded when first opened.
const RecordsPage = lazy(() => import('./pages/records/RecordsPage').then((m) => ({ default: m.RecordsPage })));
const MonitorPage = lazy(() => import('./pages/monitor/MonitorPage').then((m) => ({ default: m.MonitorPage })));
const callSettings = () => import('./pages/callsettings');
const AnswerSettingsPage = lazy(() => callSettings().then((m) => ({ default: m.AnswerSettingsPage })));
const OutboundSettingsPage = lazy(() => callSettings().then((m) => ({ default: m.OutboundSettingsPage })));
const NumberSettingsPage = lazy(() => callSettings().then((m) => ({ default: m.NumberSettingsPage })));
const HoldMusicPage = lazy(() => callSettings().then((m) => ({ default: m.HoldMusicPage })));
const BlacklistPage = lazy(() => callSettings().then((m) => ({ default: m.BlacklistPage })));
const DigitTemplatesPage = lazy(() => callSettings().then((m) => ({ default: m.DigitTemplatesPage })));
const SelfServicePage = lazy(() => callSettings().then((m) => ({ default: m.SelfServicePage })));
const PrivacyPage = lazy(() => import('./pages/privacy/PrivacyPage').then((m) => ({ default: m.PrivacyPage })));
const ScreenPopSettingsPage = lazy(() => import('./workbench/ScreenPopSettingsPage').then((m) => ({ default: m.ScreenPopSettingsPage })));

const PAGES: Record<string, ComponentType> = {
  '/overview': OverviewPage,
  '/agents': AgentsPage,
  '/roles': RolesPage,
  '/skill-groups': SkillGroupsPage,
  '/settings/status': StatusSettingsPage,
  '/settings/smtp': SmtpPage,
  '/settings/sip': SipSecurityPage,
  '/phones': PhonesPage,
  '/ivr': IvrPage,
  '/numbers': NumbersPage,
  '/channels': ChannelsPage,
  '/workbench': WorkbenchPage,
  '/settings/screen-pop': ScreenPopSettingsPage,
  '/settings/privacy': PrivacyPage,
  '/records': RecordsPage,
  '/monitor': MonitorPage,
  '/settings/blacklist': BlacklistPage,
  '/call-settings/answer': AnswerSettingsPage,
  '/call-settings/outbound': OutboundSettingsPage,
  '/call-settings/numbers': NumberSettingsPage,
  '/call-settings/hold-music': HoldMusicPage,
  '/call-settings/digit-collection': DigitTemplatesPage,
  '/call-settings/self-service': SelfServicePage,
};

/** Only same-site paths are accepted as a post-login target. */
function nextFromQuery(): string | null {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

function Message({ text, home }: { text: string; home?: string | null }) {
  const { t } = useI18n();
  return (
    <div className="empty-page" data-testid="page-message">
      <p>{text}</p>
      {home && <Link to={home} className="btn">{t('page.backHome')}</Link>}
    </div>
  );
}

export function App() {
  const { me, checking, can } = useAuth();
  const { t } = useI18n();
  const path = usePath();

  if (checking) return <div className="splash">{t('common.loading')}</div>;

  if (path === '/login') {
    if (me) return <Redirect to={nextFromQuery() ?? homePath(can) ?? '/'} />;
    return <LoginPage />;
  }
  if (!me) {
    const here = window.location.pathname + window.location.search;
    return <Redirect to={here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} />;
  }

  const home = homePath(can);
  if (path === '/') {
    return home ? <Redirect to={home} /> : <Layout><Message text={t('page.noAccess')} /></Layout>;
  }
  // A page owns its sub-paths (the IVR designer lives under /ivr/flows/…).
  const leaf = leafFor(path)?.leaf;
  const Page = leaf?.path ? PAGES[leaf.path] : undefined;
  if (!leaf || !Page || !can(leaf.perm)) {
    return <Layout><Message text={t('page.notFound')} home={home} /></Layout>;
  }
  return (
    <Layout>
      <Suspense fallback={<div className="splash-inline">{t('common.loading')}</div>}>
        <Page key={leaf.path} />
      </Suspense>
    </Layout>
  );
}
