/**
 * Previous/next paging for lists paged in the catalog.
 */
import type { ReactNode } from 'react';
import { formatCount } from '../lib/format.js';

export interface PagerProps {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly onOffset: (offset: number) => void;
  readonly label?: string;
}

/** "1–50 of 1,234" with previous/next buttons. */
export function Pager({ offset, limit, total, onOffset, label = 'Pages' }: PagerProps): ReactNode {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <span aria-live="polite">{formatCount(first)}–{formatCount(last)} of {formatCount(total)}</span>
      <button type="button" onClick={() => onOffset(Math.max(0, offset - limit))} disabled={offset === 0}>Previous</button>
      <button type="button" onClick={() => onOffset(offset + limit)} disabled={offset + limit >= total}>Next</button>
    </nav>
  );
}
