/**
 * A tiny SVG line of values over versions (no chart library: it sits in every catalog row).
 *
 * The numbers are in the accessible name (oldest to newest), each point carries a
 * tooltip (SVG title), and the newest value is printed beside the line.
 */
import type { ReactNode } from 'react';

const WIDTH = 96;
const HEIGHT = 22;

export interface SparkPoint { readonly label: string; readonly value: number }

/** Oldest point on the left; "—" when there are fewer than two points. */
export function Sparkline({ points, label, format = String }: {
  points: readonly SparkPoint[];
  label: string;
  format?: (value: number) => string;
}): ReactNode {
  if (points.length < 2) return <span className="muted" aria-label={`${label}: fewer than two versions`}>—</span>;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const xy = points.map((p, i) => ({
    ...p,
    x: 3 + (i / (points.length - 1)) * (WIDTH - 6),
    y: HEIGHT - 3 - ((p.value - min) / span) * (HEIGHT - 6),
  }));
  const first = points[0]!;
  const last = points.at(-1)!;
  const change = last.value - first.value;
  const spoken = `${label}: ${points.map((p) => `${p.label} ${format(p.value)}`).join(', ')}`;
  return (
    <span className="sparkline-wrap">
      <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={spoken}>
        <title>{`${label}: ${format(first.value)} (${first.label}) → ${format(last.value)} (${last.label})`}</title>
        <polyline points={xy.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} fill="none" stroke="var(--accent)" strokeWidth={1.5} strokeLinejoin="round" />
        {xy.map((p) => (
          <circle key={`${p.label}-${p.x}`} cx={p.x} cy={p.y} r={2} fill="var(--accent)">
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </circle>
        ))}
      </svg>
      <span className="small muted" aria-hidden="true">{format(last.value)}{change !== 0 && ` (${change > 0 ? '+' : '−'}${format(Math.abs(change))})`}</span>
    </span>
  );
}
