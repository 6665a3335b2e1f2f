// The designer bar's actions: the last check's result, 校验, 保存 (also Ctrl/⌘+S in the designer), versions,
// bind a number (inbound flows only) and the simulator toggle.
import type { FlowKind } from '../../api-ivr-types';
import { useI18n } from '../../i18n';

export type CheckState = 'none' | 'ok' | 'errors';

export function DesignerToolbar({ kind, checked, errorCount, busy, loaded, simulating, onValidate, onSave, onVersions, onBind, onToggleSim }: {
  kind: FlowKind;
  checked: CheckState;
  errorCount: number;
  busy: boolean;
  loaded: boolean;
  simulating: boolean;
  onValidate: () => void;
  onSave: () => void;
  onVersions: () => void;
  onBind: () => void;
  onToggleSim: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="designer-actions">
      <span className={`check-state check-${checked}`} data-testid="designer-status" data-state={checked}>
        {checked === 'ok' ? t('ivr.designer.valid') : checked === 'errors' ? t('ivr.designer.invalid', { n: errorCount }) : ''}
      </span>
      <button type="button" className="btn btn-sm" disabled={busy || !loaded} onClick={onValidate} data-testid="designer-validate">
        {t('ivr.designer.validate')}
      </button>
      <button type="button" className="btn btn-sm btn-primary" disabled={busy || !loaded} onClick={onSave} data-testid="designer-save"
        title={t('ivr.designer.saveHint')}>
        {t('common.save')}
      </button>
      <button type="button" className="btn btn-sm" onClick={onVersions} data-testid="designer-versions">
        {t('ivr.designer.versions')}
      </button>
      {kind === 'inbound' && (
        <button type="button" className="btn btn-sm" onClick={onBind} data-testid="designer-bind">
          {t('ivr.designer.bind')}
        </button>
      )}
      <button type="button" className={`btn btn-sm${simulating ? ' btn-on' : ''}`} data-testid="designer-simulate"
        onClick={onToggleSim}>
        {t('ivr.designer.simulate')}
      </button>
    </div>
  );
}
