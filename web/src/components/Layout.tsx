// The console frame: left navigation, top bar (breadcrumb, language, user), page content.
import { useState, type ReactNode } from 'react';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { isGroup, leafFor, visibleNav, type NavLeaf } from '../nav';
import { Link, usePath } from '../router';
import { PasswordDialog } from './PasswordDialog';

function NavLink({ leaf, active, nested }: { leaf: NavLeaf; active: boolean; nested?: boolean }) {
  const { t } = useI18n();
  const cls = `nav-item${nested ? ' nav-sub' : ''}${active ? ' active' : ''}`;
  if (!leaf.path) {
    return (
      <span
        className={`${cls} disabled`}
        aria-disabled="true"
        title={t('common.comingSoon')}
        data-testid={`nav-${leaf.id}`}
      >
        {t(leaf.label)}
        <span className="soon">{t('common.soonBadge')}</span>
      </span>
    );
  }
  return (
    <Link to={leaf.path} className={cls} data-testid={`nav-${leaf.id}`} aria-current={active ? 'page' : undefined}>
      {t(leaf.label)}
    </Link>
  );
}

function Sidebar({ path }: { path: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  return (
    <nav className="sidebar" data-testid="nav">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">cc</span>
        <span className="brand-name">ccbox</span>
        <span className="brand-sub">{t('app.console')}</span>
      </div>
      <div className="nav-list">
        {visibleNav(can).map((n) =>
          isGroup(n) ? (
            <div key={n.id} className="nav-group">
              <button
                type="button"
                className={`nav-group-title${closed[n.id] ? ' closed' : ''}`}
                aria-expanded={!closed[n.id]}
                onClick={() => setClosed((c) => ({ ...c, [n.id]: !c[n.id] }))}
                data-testid={`nav-${n.id}`}
              >
                {t(n.label)}
                <span className="chevron" aria-hidden="true">▾</span>
              </button>
              {!closed[n.id] && n.children.map((c) => (
                <NavLink key={c.id} leaf={c} nested active={!!c.path && leafFor(path)?.leaf.id === c.id} />
              ))}
            </div>
          ) : (
            <NavLink key={n.id} leaf={n} active={!!n.path && leafFor(path)?.leaf.id === n.id} />
          ),
        )}
      </div>
    </nav>
  );
}

function TopBar({ path }: { path: string }) {
  const { t, lang, setLang } = useI18n();
  const { me, logout } = useAuth();
  const [pwdOpen, setPwdOpen] = useState(false);
  const here = leafFor(path);
  return (
    <header className="topbar">
      <div className="crumbs" data-testid="breadcrumb">
        {here?.group && <span className="crumb-parent">{t(here.group.label)} /</span>}
        <span className="crumb">{here ? t(here.leaf.label) : ''}</span>
      </div>
      <div className="topbar-right">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          data-testid="lang-switch"
          data-lang={lang}
          title={t('lang.switch')}
          onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {lang === 'zh-CN' ? t('lang.en') : t('lang.zh-CN')}
        </button>
        <span className="user" data-testid="current-user">
          <span className="avatar" aria-hidden="true">{(me?.name || me?.username || '?').slice(0, 1)}</span>
          {me?.name || me?.username}
        </span>
        <button type="button" className="btn btn-ghost btn-sm" data-testid="change-password" onClick={() => setPwdOpen(true)}>
          {t('top.changePassword')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" data-testid="logout" onClick={() => void logout()}>
          {t('top.logout')}
        </button>
      </div>
      {pwdOpen && <PasswordDialog onClose={() => setPwdOpen(false)} />}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const path = usePath();
  return (
    <div className="shell">
      <Sidebar path={path} />
      <div className="main">
        <TopBar path={path} />
        <main className="content">{children}</main>
      </div>
    </div>
  );
}

/** Page heading with optional actions on the right. */
export function PageHeader({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {children && <p className="page-desc">{children}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
