/**
 * A labelled figure for summary rows of cards.
 */
import type { ReactNode } from 'react';

/** One card: a label and a big value, with an optional note. */
export function StatCard({ label, value, note, tone }: { label: string; value: ReactNode; note?: ReactNode; tone?: 'good' | 'bad' | 'warn' }): ReactNode {
  return (
    <div className={`card${tone ? ` card-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {note && <div className="card-note">{note}</div>}
    </div>
  );
}
