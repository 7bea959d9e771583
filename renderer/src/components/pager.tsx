/**
 * Previous/next paging for lists paged in the catalog.
 */
import { useCallback, useState, type ReactNode } from 'react';
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

/**
 * A page offset that starts again at 0 whenever `scope` changes (another service, query or
 * filter): a page past the end of a shorter list showed no rows and "151–22 of 22". Reset
 * during render, not in an effect, so the list is never asked for the old offset.
 */
export function useScopedOffset(scope: string): [number, (offset: number) => void] {
  const [state, setState] = useState({ scope, offset: 0 });
  // Forget the old offset too, so coming back to the old scope starts at 0 as well.
  if (state.scope !== scope) setState({ scope, offset: 0 });
  const setOffset = useCallback((offset: number) => setState({ scope, offset }), [scope]);
  return [state.scope === scope ? state.offset : 0, setOffset];
}
