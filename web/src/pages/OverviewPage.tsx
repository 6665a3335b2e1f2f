// 概览: a welcome for the signed-in user and the box's health (GET /healthz components).
import { authApi } from '../api-auth';
import { useAuth } from '../auth';
import { PageHeader } from '../components/Layout';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

function Badge({ value }: { value: string }) {
  const { t } = useI18n();
  const ok = value === 'ok';
  return <span className={`badge ${ok ? 'badge-ok' : 'badge-bad'}`} data-value={value}>{ok ? t('overview.ok') : value}</span>;
}

export function OverviewPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const health = useLoad(() => authApi.health(), []);
  const components = Object.entries(health.data?.components ?? {});

  return (
    <>
      <PageHeader title={t('nav.overview')} />
      <section className="card welcome" data-testid="overview-welcome">
        <h2>{t('overview.welcome', { name: me?.name || me?.username || '' })}</h2>
        <p className="muted">{t('overview.role', { role: me?.roleName ?? '' })}</p>
        <p>{t('overview.intro')}</p>
      </section>
      <section className="card" data-testid="overview-health">
        <div className="card-head">
          <h2>{t('overview.health')}</h2>
          {health.data && (
            <span data-testid="health-status">{t('overview.overall')}：<Badge value={health.data.status} /></span>
          )}
        </div>
        {health.loading && !health.data && <p className="muted">{t('common.loading')}</p>}
        {health.error != null && <p className="text-error">{t('overview.healthFailed')}</p>}
        {components.length > 0 && (
          <table className="table">
            <thead>
              <tr><th>{t('overview.component')}</th><th>{t('overview.status')}</th></tr>
            </thead>
            <tbody>
              {components.map(([name, status]) => (
                <tr key={name} data-testid={`health-${name}`}>
                  <td>{name}</td>
                  <td><Badge value={String(status)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
