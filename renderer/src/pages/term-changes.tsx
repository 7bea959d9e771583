/**
 * Term-level changes of one ontology file pair (`delta:terms`): a summary and a paged,
 * filterable list of terms added, removed, relabelled and deprecated.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { TERM_CHANGE_KINDS } from '../../../electron/shared/delta-kinds.js';
import type { TermChange, TermChangeKind } from '../../../electron/shared/models.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Pager } from '../components/pager.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { formatCount } from '../lib/format.js';
import { termHistoryHref } from '../lib/term-links.js';

const PAGE = 50;

export interface TermChangesProps {
  readonly from: string;
  readonly to: string;
  /** The path in `to`. */
  readonly relpath: string;
  /** The path in `from` when the file was renamed. */
  readonly oldRelpath?: string | null;
}

/** Summary cards and the change list; a non-ontology file gets a short explanation. */
export function TermChanges({ from, to, relpath, oldRelpath }: TermChangesProps): ReactNode {
  const [change, setChange] = useState<TermChangeKind | ''>('');
  const [offset, setOffset] = useState(0);
  const old = oldRelpath && oldRelpath !== relpath ? oldRelpath : undefined;
  const terms = useQuery('delta:terms', { from, to, relpath, old_relpath: old, change: change || undefined, offset, limit: PAGE },
    [from, to, relpath, old, change, offset]);
  const columns = useMemo<DataColumn<TermChange>[]>(() => [
    { id: 'change', header: 'Change', cell: (t) => <span className={`kind kind-${t.change.toLowerCase()}`}>{t.change.toLowerCase()}</span> },
    { id: 'term', header: 'Term', className: 'mono', cell: (t) => <Link to={termHistoryHref(t.term, to.split('/')[0])}>{t.term}</Link> },
    { id: 'kind', header: 'Kind', cell: (t) => t.term_kind },
    // A relabel carries the labels each side alone has: "removed" and "added" say so.
    { id: 'old', header: 'Old label', className: 'wrap-cell', cell: (t) => (t.change === 'RELABELLED' ? (t.old_label ? `removed ${t.old_label}` : '—') : t.old_label ?? '') },
    { id: 'new', header: 'New label', className: 'wrap-cell', cell: (t) => (t.change === 'RELABELLED' ? (t.new_label ? `added ${t.new_label}` : '—') : t.new_label ?? '') },
  ], [to]);

  if (terms.error) {
    // The handler refuses files that are not RDF or OBO; that is an answer, not a failure.
    return terms.error.code === 'BAD_INPUT' ? <p className="muted" role="status">{terms.error.message}</p>
      : <ErrorState error={terms.error} onRetry={terms.refetch} />;
  }
  if (!terms.data) return <Skeleton rows={3} label="Comparing terms" />;
  const { summary, changes } = terms.data;
  const counts: Record<TermChangeKind, number> = {
    ADDED: summary.added, REMOVED: summary.removed, RELABELLED: summary.relabelled, DEPRECATED: summary.deprecated,
  };
  const total = summary.added + summary.removed + summary.relabelled + summary.deprecated;
  const pick = (next: TermChangeKind | ''): void => { setChange(next); setOffset(0); };
  return (
    <div className="term-changes">
      <p className="muted" aria-label="Term summary">
        {formatCount(terms.data.old_terms)} terms → {formatCount(terms.data.new_terms)} terms
        {terms.data.old_relpath !== terms.data.new_relpath && <> · renamed from <span className="mono">{terms.data.old_relpath}</span></>}
      </p>
      <ExportButtons table="term-changes" input={{ from, to, relpath, old_relpath: old, change: change || undefined }} what={`term changes in ${relpath}`} />
      <div className="segmented" role="tablist" aria-label="Filter term changes">
        <button type="button" role="tab" aria-selected={change === ''} onClick={() => pick('')}>
          All <span className="count">{formatCount(total)}</span>
        </button>
        {TERM_CHANGE_KINDS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={change === k} onClick={() => pick(k)}>
            {k.toLowerCase()} <span className="count">{formatCount(counts[k])}</span>
          </button>
        ))}
      </div>
      {changes.total === 0 ? <p className="muted" role="status">{change ? `No ${change.toLowerCase()} terms.` : 'No term changes.'}</p> : (
        <>
          <DataTable label={`Term changes in ${relpath}`} columns={columns} rows={changes.items} rowKey={(t) => `${t.change}|${t.term}`}
            rowLabel={(t) => `${t.change} ${t.term}`} />
          <Pager label="Term change pages" offset={offset} limit={PAGE} total={changes.total} onOffset={setOffset} />
        </>
      )}
    </div>
  );
}
