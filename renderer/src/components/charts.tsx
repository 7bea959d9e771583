/**
 * Small fixed-size charts (recharts); each sits in a labelled figure for screen readers.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../lib/format.js';

/** A tiny line of bytes over versions. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }): ReactNode {
  if (values.length < 2) return <span className="muted" aria-label={label}>—</span>;
  const data = values.map((value, index) => ({ index, value }));
  return (
    <span className="sparkline" role="img" aria-label={label}>
      <LineChart width={96} height={22} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <Line type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </span>
  );
}

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
