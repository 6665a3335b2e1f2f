// Multi-select as a bordered list of checkboxes (no UI library is available).
import type { ReactNode } from 'react';

interface CheckListProps<K extends string | number> {
  options: { value: K; label: ReactNode }[];
  value: K[];
  onChange: (v: K[]) => void;
  testId: string;
  empty?: ReactNode;
  disabled?: boolean;
}

export function CheckList<K extends string | number>({ options, value, onChange, testId, empty, disabled }: CheckListProps<K>) {
  const toggle = (k: K, on: boolean) => onChange(on ? [...value, k] : value.filter((x) => x !== k));
  return (
    <div className="checklist" data-testid={testId}>
      {options.length === 0 && <span className="muted">{empty}</span>}
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            checked={value.includes(o.value)}
            disabled={disabled}
            onChange={(e) => toggle(o.value, e.target.checked)}
            data-testid={`${testId}-${o.value}`}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

/** An on/off switch rendered from a checkbox, so it stays accessible. */
export function Switch({ checked, onChange, testId, label, disabled }: {
  checked: boolean; onChange: (v: boolean) => void; testId?: string; label: string; disabled?: boolean;
}) {
  return (
    <label className="switch" title={label}>
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        aria-label={label}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <span className="switch-track" aria-hidden="true" />
    </label>
  );
}
