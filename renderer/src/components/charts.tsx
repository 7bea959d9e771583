/**
 * Bar charts (recharts) in labelled figures; only pages that chart import this module,
 * so recharts loads with them and not with the first screen.
 *
 * When the bars are skewed (the largest over 20 times the smallest non-zero one), the
 * value axis becomes a square-root scale with labelled ticks, so small bars stay visible;
 * the caption says so and the tooltip gives each true value. Every chart also carries its
 * numbers as text (the figure's description) for screen readers.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../lib/format.js';

export interface BarSeries { readonly key: string; readonly name: string; readonly color: string }

const SKEW = 20;

/** Whether a linear axis would flatten the small bars to nothing. */
export function isSkewed(values: readonly number[]): boolean {
  const sizes = values.map(Math.abs).filter((v) => v > 0);
  if (sizes.length < 2) return false;
  return Math.max(...sizes) / Math.min(...sizes) > SKEW;
}

/** Ticks for a square-root axis: 0 and a few values spread evenly in sqrt space, each side. */
export function sqrtTicks(min: number, max: number): number[] {
  const ticks = new Set<number>([0]);
  for (const edge of [max, min]) {
    if (edge === 0) continue;
    for (const share of [1, 0.5625, 0.25, 0.0625]) ticks.add(roundNice(edge * share));
  }
  return [...ticks].sort((a, b) => a - b);
}

function roundNice(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.abs(value)));
  return Math.round(value / magnitude) * magnitude;
}

/** A grouped bar chart over categories. */
export function BarsChart({ label, data, category, series, bytes = false, width = 520, height = 220 }: {
  label: string;
  data: readonly Record<string, string | number>[];
  category: string;
  series: readonly BarSeries[];
  bytes?: boolean;
  width?: number;
  height?: number;
}): ReactNode {
  const show = (v: number): string => (bytes ? `${v < 0 ? '−' : ''}${formatBytes(Math.abs(v))}` : v.toLocaleString('en-US'));
  const values = data.flatMap((row) => series.map((s) => Number(row[s.key] ?? 0)));
  const skewed = isSkewed(values);
  const min = Math.min(0, ...values);
  const max = Math.max(0, ...values);
  const described = data.map((row) => `${String(row[category])}: ${series.map((s) => `${s.name} ${show(Number(row[s.key] ?? 0))}`).join(', ')}`).join('; ');
  return (
    <figure className="chart" aria-label={label} aria-description={described}>
      <figcaption>{label}</figcaption>
      <BarChart width={width} height={height} data={data as Record<string, string | number>[]} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey={category} tick={{ fill: 'var(--muted)', fontSize: 11 }} />
        {/* The axis always holds zero: recharts' own domain of all-negative bars (a release
            that only shrank) spans their values alone, and a −81 B bar then grew from −79 B. */}
        <YAxis tickFormatter={show} tick={{ fill: 'var(--muted)', fontSize: 11 }} width={bytes ? 74 : 48} allowDecimals={false}
          {...(skewed ? { scale: 'sqrt' as const, domain: [min, max], ticks: sqrtTicks(min, max), allowDataOverflow: false }
            : { domain: [min < 0 ? 'auto' : 0, max > 0 ? 'auto' : 0] })} />
        {min < 0 && <ReferenceLine y={0} stroke="var(--muted)" />}
        <Tooltip formatter={(v) => show(Number(v))}
          contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} />
        {series.length > 1 && <Legend />}
        {series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} minPointSize={(v) => (Number(v) === 0 ? 0 : 2)} />)}
      </BarChart>
      {skewed && <p className="chart-note">Square-root scale, so small bars stay visible; hover a bar for its value.</p>}
    </figure>
  );
}
