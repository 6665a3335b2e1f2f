// The designer bar's left half: back to the list, the flow's name and kind, the version being edited (switching
// leaves through the unsaved-changes question), its publish state and the unsaved badge.
import type { IvrFlow } from '../../api-ivr-types';
import { useI18n } from '../../i18n';

export function VersionBar({ flowId, flow, version, dirty, onLeave }: {
  flowId: number;
  flow: IvrFlow | undefined;
  version: string;
  dirty: boolean;
  onLeave: (to: string) => void;
}) {
  const { t } = useI18n();
  const f = flow;
  const versionInfo = f?.versions.find((v) => v.version === version);
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => onLeave('/ivr')} data-testid="designer-back">← {t('ivr.designer.back')}</button>
      <div className="designer-title">
        <strong data-testid="designer-flow-name">{f?.name ?? '…'}</strong>
        {f && <span className="badge badge-muted">{t(`ivr.kind.${f.kind}`)}</span>}
        <select value={version} onChange={(e) => onLeave(`/ivr/flows/${flowId}/${e.target.value}`)} data-testid="designer-version"
          title={t('ivr.version.label')}>
          {(f?.versions ?? [{ version }]).map((v) => (
            <option key={v.version} value={v.version}>{v.version === 'MAIN' ? 'MAIN' : `${t('ivr.version.label')} ${v.version}`}</option>
          ))}
        </select>
        {versionInfo && (
          <span className={`badge ${versionInfo.published ? (versionInfo.unpublishedChanges ? 'badge-warn' : 'badge-ok') : 'badge-muted'}`}
            data-testid="designer-publish-state">
            {versionInfo.published
              ? (versionInfo.unpublishedChanges ? t('ivr.version.changed', { r: versionInfo.published.revision }) : t('ivr.version.published', { r: versionInfo.published.revision }))
              : t('ivr.version.unpublished')}
          </span>
        )}
        {dirty && <span className="badge badge-warn" data-testid="designer-dirty">{t('ivr.designer.unsaved')}</span>}
      </div>
    </>
  );
}
