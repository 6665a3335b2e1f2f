// A small line chart in plain SVG: a few series sampled over the last minutes (实时监控's "numbers over time").
// Integer counts, so the y axis steps in whole numbers; the newest sample sits at the right edge.
import { useI18n } from '../../i18n';

export interface Series { key: string; label: string; color: string; values: number[] }

const W = 640;
const H = 160;
const PAD = { l: 32, r: 8, t: 10, b: 22 };

export function TrendChart({ series, times, windowMs, testId }: { series: Series[]; times: number[]; windowMs: number; testId: string }) {
  const { t } = useI18n();
  const now = times.length ? times[times.length - 1]! : Date.now();
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const top = max <= 4 ? max : Math.ceil(max / 4) * 4;
  const x = (at: number) => PAD.l + ((at - (now - windowMs)) / windowMs) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / top) * (H - PAD.t - PAD.b);
  const ticks = [0, top / 2, top].filter((v, i, a) => Number.isInteger(v) && a.indexOf(v) === i);
  const minutes = Math.round(windowMs / 60_000);
  return (
    <figure className="mon-chart" data-testid={testId} data-samples={times.length}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={series.map((s) => `${s.label} ${s.values.at(-1) ?? 0}`).join(', ')}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="mon-grid" />
            <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" className="mon-axis">{v}</text>
          </g>
        ))}
        <text x={PAD.l} y={H - 4} className="mon-axis">{t('mon.chart.ago', { n: minutes })}</text>
        <text x={W - PAD.r} y={H - 4} textAnchor="end" className="mon-axis">{t('mon.chart.now')}</text>
        {series.map((s) => {
          const pts = s.values.map((v, i) => `${x(times[i]!).toFixed(1)},${y(v).toFixed(1)}`);
          if (!pts.length) return null;
          return (
            <g key={s.key} data-testid={`${testId}-${s.key}`} data-last={s.values.at(-1)}>
              {pts.length > 1 && <polyline points={pts.join(' ')} fill="none" stroke={s.color} strokeWidth={2} strokeLinejoin="round" />}
              <circle cx={x(times[times.length - 1]!)} cy={y(s.values.at(-1)!)} r={3} fill={s.color} />
            </g>
          );
        })}
      </svg>
      <figcaption className="mon-legend">
        {series.map((s) => (
          <span key={s.key}><i style={{ background: s.color }} />{s.label} <b>{s.values.at(-1) ?? 0}</b></span>
        ))}
      </figcaption>
    </figure>
  );
}
