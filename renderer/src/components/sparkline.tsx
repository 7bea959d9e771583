/**
 * A tiny SVG line of values over versions (no chart library: it sits in every catalog row).
 */
import type { ReactNode } from 'react';

const WIDTH = 96;
const HEIGHT = 22;

/** Oldest value on the left; "—" when there are fewer than two points. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }): ReactNode {
  if (values.length < 2) return <span className="muted" aria-label={label}>—</span>;
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const points = values.map((value, i) => {
    const x = 2 + (i / (values.length - 1)) * (WIDTH - 4);
    const y = HEIGHT - 2 - ((value - min) / span) * (HEIGHT - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(' ');
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}
