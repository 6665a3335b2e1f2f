// SIP 安全: the box's signalling addresses and realm, and the SIP defences' current bans (liftable).
import { phonesApi, type SipBan } from '../api-phones';
import { useConfirm } from '../components/Confirm';
import { PageHeader } from '../components/Layout';
import { useToast } from '../components/Toast';
import { errorText, formatTime, useInterval, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { SipAddresses } from './PhonesPage';

export function SipSecurityPage() {
  const { t } = useI18n();
  const toast = useToast();
  const confirm = useConfirm();
  const bans = useLoad(() => phonesApi.sipBans(), []);
  useInterval(() => bans.reload(), 5000);

  const lift = async (b: SipBan) => {
    if (!(await confirm({ message: t('sip.confirmLift', { value: b.value }) }))) return;
    try {
      await phonesApi.liftSipBan(b.key);
      toast.success(t('sip.lifted'));
    } catch (x) {
      toast.error(errorText(x, t));
    }
    bans.reload();
  };

  const items = bans.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.sipSecurity')}>{t('sip.desc')}</PageHeader>
      <SipAddresses />
      <section className="card table-card">
        <div className="card-head card-pad">
          <h2>{t('sip.bansTitle')}</h2>
          <button type="button" className="btn btn-sm" onClick={() => bans.reload()} data-testid="sip-bans-refresh">{t('common.refresh')}</button>
        </div>
        {bans.error != null && <div className="banner banner-error" role="alert">{errorText(bans.error, t)}</div>}
        <table className="table" data-testid="sip-ban-table">
          <thead>
            <tr>
              <th>{t('sip.banKind')}</th>
              <th>{t('sip.banValue')}</th>
              <th>{t('sip.banReason')}</th>
              <th>{t('sip.lastIp')}</th>
              <th>{t('sip.since')}</th>
              <th>{t('sip.expiresAt')}</th>
              <th className="col-actions">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.key} data-testid={`sip-ban-row-${b.key}`} data-kind={b.kind}>
                <td>{b.kind === 'ip' ? t('sip.kindIp') : t('sip.kindUser')}</td>
                <td><code>{b.value}</code></td>
                <td>{b.reason === 'rate-limit' ? t('sip.reasonRate') : t('sip.reasonAuth')}</td>
                <td>{b.lastIp || '—'}</td>
                <td>{formatTime(b.since)}</td>
                <td>{formatTime(b.expiresAt)}</td>
                <td className="col-actions">
                  <button type="button" className="link link-danger" onClick={() => void lift(b)} data-testid="sip-ban-lift">{t('sip.lift')}</button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr><td colSpan={7} className="table-empty">{bans.loading && !bans.data ? t('common.loading') : t('sip.noBans')}</td></tr>
            )}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{t('sip.policyTitle')}</h2>
        <ul className="policy">
          <li>{t('sip.policyRate')}</li>
          <li>{t('sip.policyAuth')}</li>
          <li>{t('sip.policyUser')}</li>
          <li>{t('sip.policyScanner')}</li>
          <li>{t('sip.policyTrusted')}</li>
        </ul>
      </section>
    </>
  );
}
