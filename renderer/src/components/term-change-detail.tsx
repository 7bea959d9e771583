/**
 * How a term change reads on the Delta page, for a whole version's changes and for one
 * file pair's alike: the kind's name and what changed.
 */
import type { ReactNode } from 'react';
import type { TermDeltaSummary } from '../../../electron/shared/models.js';
import type { TermDeltaKind } from '../../../electron/shared/term-names.js';
import { quotedLabels, splitLabels } from '../../../electron/shared/term-labels.js';

/** Each kind of term change as a tab or card names it. */
export const TERM_CHANGE_LABELS: Readonly<Record<TermDeltaKind, string>> = {
  ADDED: 'Added', REMOVED: 'Removed', RELABELLED: 'Relabelled', REDEFINED: 'Redefined', REPARENTED: 'Re-parented', RETYPED: 'Kind changed', DEPRECATED: 'Deprecated',
  UNDEPRECATED: 'No longer deprecated', REPLACED: 'Replacement changed',
};

/** How many changes of `kind` a delta's summary counts. */
export const countOfKind = (summary: TermDeltaSummary, kind: TermDeltaKind): number => summary[kind.toLowerCase() as keyof TermDeltaSummary];

export interface TermChangeDetailProps {
  readonly change: { readonly change: TermDeltaKind; readonly before: string | null; readonly after: string | null };
}

/**
 * A change's before and after: for a relabel or a redefinition, the labels (definitions)
 * removed and added; one for one, a redefinition reads as old → new.
 */
export function TermChangeDetail({ change }: TermChangeDetailProps): ReactNode {
  if (change.before === null && change.after === null) return null;
  const oneForOne = change.before !== null && change.after !== null && splitLabels(change.before).length === 1 && splitLabels(change.after).length === 1;
  if (change.change === 'RELABELLED' || (change.change === 'REDEFINED' && !oneForOne)) {
    return (
      <>
        {change.before !== null && <div>removed {quotedLabels(splitLabels(change.before))}</div>}
        {change.after !== null && <div>added {quotedLabels(splitLabels(change.after))}</div>}
      </>
    );
  }
  if (change.change === 'DEPRECATED') return `replaced by ${change.after ?? ''}`;
  return `${change.before ?? '—'} → ${change.after ?? '—'}`;
}
