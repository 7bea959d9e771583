/**
 * Bar charts (recharts) in labelled figures; only pages that chart import this module,
 * so recharts loads with them and not with the first screen.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../lib/format.js';

export interface BarSeries { readonly key: string; readonly name: string; readonly color: string }

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
  const tick = bytes ? (v: number) => formatBytes(v) : undefined;
  return (
    <figure className="chart" aria-label={label}>
      <figcaption>{label}</figcaption>
      <BarChart width={width} height={height} data={data as Record<string, string | number>[]} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey={category} tick={{ fill: 'var(--muted)', fontSize: 11 }} />
        <YAxis tickFormatter={tick} tick={{ fill: 'var(--muted)', fontSize: 11 }} width={bytes ? 70 : 45} />
        <Tooltip formatter={bytes ? (v) => formatBytes(Number(v)) : undefined}
          contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} />
        {series.length > 1 && <Legend />}
        {series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />)}
      </BarChart>
    </figure>
  );
}
