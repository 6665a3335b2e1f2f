// The designer's module palette: one button per module of the manual, dragged onto the canvas or clicked to add
// at its centre; modules the flow's kind may not use, and a second 开始, are disabled with the reason as title.
import type { NodeType } from '../../api-ivr-types';
import { useI18n } from '../../i18n';
import { NODE_TYPES, TYPE_COLOR, typeKey } from './model';

/** The drag payload's type, read back by the canvas's drop handler. */
export const DND_TYPE = 'application/x-ccbox-ivr-module';

export function Palette({ hasStart, allowed, onAdd }: {
  hasStart: boolean;
  allowed: (type: NodeType) => boolean;
  onAdd: (type: NodeType) => void;
}) {
  const { t } = useI18n();
  return (
    <aside className="palette" data-testid="palette">
      <div className="palette-title">{t('ivr.designer.modules')}</div>
      {NODE_TYPES.map((type) => {
        const ok = allowed(type) && !(type === 'start' && hasStart);
        return (
          <button key={type} type="button" className="palette-item" draggable={ok} disabled={!ok}
            title={ok ? t('ivr.designer.dragHint') : allowed(type) ? t('ivr.designer.oneStart') : t('ivr.designer.notInKind')}
            onDragStart={(e) => {
              e.dataTransfer.setData(DND_TYPE, type);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onClick={() => onAdd(type)} data-testid={`palette-${type}`}>
            <span className="palette-dot" style={{ background: TYPE_COLOR[type] }} />
            {t(typeKey(type))}
          </button>
        );
      })}
    </aside>
  );
}
