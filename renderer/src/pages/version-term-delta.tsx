/**
 * The whole-version term delta on the Delta page: counts of terms added, removed,
 * relabelled, redefined, re-parented and deprecated over every ontology file of both
 * versions (`delta:term-impact`, the figures set-latest and Review show), and a paged,
 * filterable table of the changes from the term index (`terms:version-delta`), each term
 * linked to its history.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { VersionTermChange } from '../../../electron/shared/contract/terms.js';
import { OLDER_RULES_MISS, TERM_DELTA_KINDS, type TermDeltaKind } from '../../../electron/shared/term-names.js';
import type { TermImpactFile } from '../../../electron/shared/models.js';
import { otherLabelCount } from '../../../electron/shared/term-labels.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Pager } from '../components/pager.js';
import { StatCard } from '../components/stat-card.js';
import { countOfKind, TERM_CHANGE_LABELS, TermChangeDetail } from '../components/term-change-detail.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { formatCount, formatCountOf } from '../lib/format.js';
import { termHistoryHref } from '../lib/term-links.js';

const PAGE = 50;


/** A file pair's paths as one line (old → new when it moved). */
const pathOf = (file: TermImpactFile): string => (file.old_relpath === file.relpath ? file.relpath : `${file.old_relpath} → ${file.relpath}`);

export interface VersionTermDeltaProps {
  /** SERVICE/VERSION before and after. */
  readonly from: string;
  readonly to: string;
}

/**
 * A term's label and how many more it has (every label in the tooltip and the export):
 * `labels` is the side's sorted list, ' | ' between, as the delta gives it.
 */
function LabelList({ label, labels }: { label: string | null; labels: string | null }): ReactNode {
  if (!labels) return label;
  const others = otherLabelCount(label, labels);
  if (others === 0) return label ?? labels;
  return <span title={labels}>{label ?? ''} <span className="muted">+{others} more</span></span>;
}

/** Counts, the files compared one by one or not at all, and the paged change table. */
export function VersionTermDelta({ from, to }: VersionTermDeltaProps): ReactNode {
  const [change, setChange] = useState<TermDeltaKind | ''>('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const impact = useQuery('delta:term-impact', { from, to }, [from, to]);
  const query = search.trim();
  const page = useQuery('terms:version-delta', { a: from, b: to, change: change || undefined, search: query || undefined, offset, limit: PAGE },
    [from, to, change, query, offset], { keepWithin: [from, to] });
  const service = to.split('/')[0];
  const columns = useMemo<DataColumn<VersionTermChange>[]>(() => [
    { id: 'change', header: 'Change', cell: (t) => <span className={`kind kind-${t.change.toLowerCase()}`}>{TERM_CHANGE_LABELS[t.change].toLowerCase()}</span> },
    { id: 'term', header: 'Term', className: 'mono term-cell', cell: (t) => <Link to={termHistoryHref(t.ident, service)} aria-label={`History of ${t.ident}`}>{t.ident}</Link> },
    { id: 'kind', header: 'Kind', cell: (t) => t.kind },
    { id: 'labels', header: 'Label', className: 'wrap-cell', cell: (t) => <LabelList label={t.label} labels={t.new_label ?? t.old_label} /> },
    { id: 'what', header: 'What changed', className: 'message', cell: (t) => <TermChangeDetail change={t} /> },
  ], [service]);

  const pick = (next: TermDeltaKind | ''): void => { setChange(next); setOffset(0); };
  const totals = impact.data?.totals;
  const all = totals ? TERM_DELTA_KINDS.reduce((sum, kind) => sum + countOfKind(totals, kind), 0) : 0;
  const byFile = impact.data?.files.filter((file) => file.summary !== null) ?? [];
  const unreadable = impact.data?.files.filter((file) => file.error !== null) ?? [];
  return (
    <section className="version-term-delta" aria-labelledby="version-terms-title">
      <div className="section-bar">
        <h2 id="version-terms-title">Term changes in all files</h2>
        <ExportButtons table="term-delta" input={{ a: from, b: to, change: change || undefined, search: query || undefined }} what="term changes of the two versions" />
      </div>
      {impact.error ? <ErrorState error={impact.error} onRetry={impact.refetch} /> : !impact.data || !totals ? <Skeleton rows={2} label="Comparing terms of the two versions" /> : (
        <>
          <div className="cards" aria-label="Term change counts">
            {TERM_DELTA_KINDS.map((kind) => <StatCard key={kind} label={TERM_CHANGE_LABELS[kind]} value={formatCount(countOfKind(totals, kind))} />)}
            <StatCard label="Terms" value={`${formatCount(impact.data.index.old_terms)} → ${formatCount(impact.data.index.new_terms)}`}
              note={`term index, ${formatCount(impact.data.index.files_from)} → ${formatCount(impact.data.index.files_to)} files`} />
          </div>
          {byFile.length > 0 && (
            <ul className="not-compared" aria-label="Ontology files compared one by one">
              {byFile.map((file) => <li key={file.relpath}><span className="mono">{pathOf(file)}</span>: +{formatCount(file.summary!.added)} / −{formatCount(file.summary!.removed)}, counted above but not listed below ({file.reason})</li>)}
            </ul>
          )}
          {unreadable.length > 0 && (
            <ul className="not-compared" aria-label="Ontology files that could not be compared">
              {unreadable.map((file) => <li key={file.relpath}><span className="mono">{pathOf(file)}</span>: {file.error}</li>)}
            </ul>
          )}
        </>
      )}
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="Filter term changes of the two versions">
          <button type="button" role="tab" aria-selected={change === ''} onClick={() => pick('')}>
            All {totals && <span className="count">{formatCount(all)}</span>}
          </button>
          {TERM_DELTA_KINDS.map((kind) => (
            <button key={kind} type="button" role="tab" aria-selected={change === kind} onClick={() => pick(kind)}>
              {TERM_CHANGE_LABELS[kind]} {totals && <span className="count">{formatCount(countOfKind(totals, kind))}</span>}
            </button>
          ))}
        </div>
        <span className="field">
          <label htmlFor="version-terms-find">Find a term</label>
          <input id="version-terms-find" type="search" value={search} placeholder="id or label" onChange={(event) => { setSearch(event.target.value); setOffset(0); }} />
        </span>
      </div>
      {page.error ? <ErrorState error={page.error} onRetry={page.refetch} /> : !page.data ? <Skeleton rows={3} label="Reading term changes" /> : (
        <>
          {page.data.outdated_files > 0 && <p className="warn-text" role="status">{formatCountOf(page.data.outdated_files, 'file')} of these versions {page.data.outdated_files === 1 ? 'was' : 'were'} indexed under older rules, which missed {OLDER_RULES_MISS}: such a term may show as redefined until they are read again (<Link to="/terms">the Terms page</Link> does it, as does <span className="mono">ontocat terms backfill</span>).</p>}
          {!page.data.complete && <p className="warn-text" role="status">Some ontology files of these versions are not in the term index (validated before it existed, or they do not parse); the table lists the indexed files only (<Link to="/terms">the Terms page</Link> or <span className="mono">ontocat terms backfill</span> indexes those that parse).</p>}
          {page.data.changes.total === 0 && !page.stale ? <p className="muted" role="status">{change || query ? 'No term changes match.' : 'No term changes between these versions.'}</p> : (
            <>
              <DataTable label="Term changes of the two versions" columns={columns} rows={page.data.changes.items} rowKey={(t) => `${t.change}|${t.ident}`} busy={page.loading}
                rowLabel={(t) => `${TERM_CHANGE_LABELS[t.change].toLowerCase()} ${t.ident}`} />
              <Pager label="Term change pages of the two versions" offset={offset} limit={PAGE} total={page.data.changes.total} onOffset={setOffset} />
            </>
          )}
        </>
      )}
    </section>
  );
}
