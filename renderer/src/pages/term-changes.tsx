/**
 * Term-level changes of one ontology file pair (`delta:terms`): a summary and a paged,
 * filterable list of terms added, removed, relabelled, redefined, re-parented, changed in
 * kind and deprecated: the kinds the whole-version delta names, read the same way.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { termIdent } from '../../../electron/shared/curie.js';
import { TERM_CHANGE_KINDS } from '../../../electron/shared/delta-kinds.js';
import type { TermChange, TermChangeKind } from '../../../electron/shared/models.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Pager } from '../components/pager.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { countOfKind, TERM_CHANGE_LABELS, TermChangeDetail } from '../components/term-change-detail.js';
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
    [from, to, relpath, old, change, offset], { keepWithin: [from, to, relpath, old] });
  const columns = useMemo<DataColumn<TermChange>[]>(() => [
    { id: 'change', header: 'Change', cell: (t) => <span className={`kind kind-${t.change.toLowerCase()}`}>{TERM_CHANGE_LABELS[t.change].toLowerCase()}</span> },
    // By the name the whole-version delta and the Terms page use (a CURIE where the prefix is known).
    { id: 'term', header: 'Term', className: 'mono term-cell', cell: (t) => <Link to={termHistoryHref(t.term, to.split('/')[0])} title={t.term}>{termIdent(t.term)}</Link> },
    { id: 'kind', header: 'Kind', cell: (t) => t.term_kind },
    { id: 'label', header: 'Label', className: 'wrap-cell', cell: (t) => t.new_label ?? t.old_label ?? '' },
    { id: 'what', header: 'What changed', className: 'message', cell: (t) => <TermChangeDetail change={t} /> },
  ], [to]);

  if (terms.error) {
    // The handler refuses files that are not RDF or OBO; that is an answer, not a failure.
    return terms.error.code === 'BAD_INPUT' ? <p className="muted" role="status">{terms.error.message}</p>
      : <ErrorState error={terms.error} onRetry={terms.refetch} />;
  }
  if (!terms.data) return <Skeleton rows={3} label="Comparing terms" />;
  const { summary, changes } = terms.data;
  const count = (kind: TermChangeKind): number => countOfKind(summary, kind);
  const total = TERM_CHANGE_KINDS.reduce((sum, kind) => sum + count(kind), 0);
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
            {TERM_CHANGE_LABELS[k].toLowerCase()} <span className="count">{formatCount(count(k))}</span>
          </button>
        ))}
      </div>
      {changes.total === 0 && !terms.stale ? <p className="muted" role="status">{change ? `No term changes of this kind (${TERM_CHANGE_LABELS[change].toLowerCase()}).` : 'No term changes.'}</p> : (
        <>
          <DataTable label={`Term changes in ${relpath}`} columns={columns} rows={changes.items} rowKey={(t) => `${t.change}|${t.term}`} busy={terms.loading}
            rowLabel={(t) => `${t.change} ${t.term}`} />
          <Pager label="Term change pages" offset={offset} limit={PAGE} total={changes.total} onOffset={setOffset} />
        </>
      )}
    </div>
  );
}
