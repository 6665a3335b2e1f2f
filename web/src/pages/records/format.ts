// Small display rules shared by the records views: durations, local datetime inputs, masked numbers, satisfaction.

/** Milliseconds as m:ss, or h:mm:ss from an hour on. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const p = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${p(m)}:${p(s % 60)}` : `${m}:${p(s % 60)}`;
}

/** Offset from the call's start, as +m:ss.s (the detail view's timeline). */
export function offset(at: number, start: number): string {
  const ms = Math.max(0, at - start);
  return `+${duration(Math.floor(ms / 1000) * 1000)}.${Math.floor((ms % 1000) / 100)}`;
}

/** epoch ms ↔ the value of <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function fromLocalInput(v: string): number | undefined {
  if (!v) return undefined;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** A number the server masked for this reader (138****8000): shown as is, flagged for the page. */
export const isMasked = (n: string): boolean => /\*{2,}/.test(n);

/**
 * 满意度 of a record: the answered key's label (with the key in the detail view), 未评价 when the survey was
 * offered and the customer gave no key, — when there was none. `offered` is the translated 未评价 text.
 */
export function satisfactionText(
  r: { satisfaction: { key: string | null; label: string | null } | null; surveyStatus: 'none' | 'offered' | 'answered' },
  offered: string,
  withKey = false,
): string {
  if (r.satisfaction && (r.satisfaction.label || r.satisfaction.key)) {
    return `${r.satisfaction.label ?? ''}${withKey && r.satisfaction.key ? `（${r.satisfaction.key}）` : ''}` || '—';
  }
  return r.surveyStatus === 'offered' ? offered : '—';
}
