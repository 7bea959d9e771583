/**
 * Delta: what changed between versions FROM and TO — summary cards, bytes by format, a
 * navigable tree of changes, a paged change table by kind, the term changes over all
 * files of both versions, and the term changes of a modified or renamed ontology file.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ChangeKind, DeltaFormatRow, DeltaSummary, FileChange } from '../../../electron/shared/contract/delta.js';
import { KIND_FILTERS, type KindFilter } from '../../../electron/shared/delta-kinds.js';
import { FORMAT_LABELS, ONTOLOGY_FORMATS, type FileFormat } from '../../../electron/shared/formats.js';
import { useQuery } from '../api/api-context.js';
import { BarsChart } from '../components/charts.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Pager, useScopedOffset } from '../components/pager.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { VersionPicker } from '../components/version-picker.js';
import { formatBytes, formatBytesDelta, formatCount, shortHash } from '../lib/format.js';
import { DeltaTree } from './delta-tree.js';
import { TermChanges } from './term-changes.js';
import { VersionTermDelta } from './version-term-delta.js';

const PAGE = 50;
const KIND_CARDS = ['added', 'removed', 'modified', 'renamed'] as const;

/**
 * Default pair: `to` (when given) or the latest version of the newest service, and the
 * version of the same service released just before it (release order).
 */
function useDefaultPair(enabled: boolean, toHint: string | null): { from: string; to: string } | null | undefined {
  // With a version to compare ("Compare…"), its own service's versions: among the newest
  // 1,000 of every service an older release was missing, and the pair fell back to another
  // service's latest and the version before that (bulk/v999 → mini/2.0).
  const service = toHint?.includes('/') ? toHint.slice(0, toHint.indexOf('/')) : undefined;
  const versions = useQuery('versions:list', enabled ? { service, sort: 'release', direction: 'desc', limit: 1000 } : null, [enabled, service]);
  const items = versions.data?.items ?? [];
  const found = (toHint ? items.find((v) => `${v.service}/${v.version}` === toHint) : undefined) ?? items.find((v) => v.is_latest) ?? items[0];
  const target = toHint?.includes('/') ? toHint : found ? `${found.service}/${found.version}` : null;
  // The version before it is asked of the catalog: it may lie past the newest 1,000.
  const previous = useQuery('versions:previous', enabled && target ? { ref: target } : null, [enabled, target]);
  if (!enabled) return null;
  if (!versions.data) return undefined;
  if (!target) return null;
  if (!previous.data && !previous.error) return undefined;
  return previous.data?.previous ? { from: previous.data.previous, to: target } : null;
}

/** Count of rows a kind filter shows, from the summary. */
function filterCount(summary: DeltaSummary, filter: KindFilter): number {
  const changed = summary.added.count + summary.removed.count + summary.modified.count + summary.renamed.count;
  if (filter === 'changed') return changed;
  if (filter === 'all') return changed + summary.unchanged.count;
  return summary[filter].count;
}

const FILTER_LABELS: Readonly<Record<KindFilter, string>> = {
  changed: 'Changed', added: 'Added', removed: 'Removed', modified: 'Modified', renamed: 'Renamed', unchanged: 'Unchanged', all: 'All',
};
// "changed" is the default, so it comes first.
const FILTER_ORDER: readonly KindFilter[] = ['changed', ...KIND_FILTERS.filter((k) => k !== 'changed')];

/** The file whose term changes are open, as carried in the URL. */
interface Selection { readonly relpath: string; readonly old: string | null; readonly kind: ChangeKind | null; readonly format: string | null }

function formatLabel(format: string | null): string {
  return format ? FORMAT_LABELS[format as FileFormat] ?? format : '';
}

// Bytes that changed: added files (+), removed files (−) and how much the modified files
// grew or shrank (their net change, not their size). Only series with bytes get a bar.
const SERIES = [
  { key: 'added', name: 'Added', color: 'var(--good)' }, { key: 'removed', name: 'Removed', color: 'var(--bad)' },
  { key: 'modified', name: 'Modified (net)', color: 'var(--warn)' },
] as const;

function ByFormat({ rows }: { rows: readonly DeltaFormatRow[] }): ReactNode {
  const data = rows.map((f) => ({
    format: formatLabel(f.format), added: f.added_bytes, removed: -f.removed_bytes, modified: f.modified_net_bytes,
  }));
  return (
    <div className="by-format">
      <BarsChart label="Bytes changed by format" data={data} category="format" bytes width={Math.min(720, 260 + rows.length * 90)}
        series={SERIES.filter((series) => data.some((row) => row[series.key] !== 0))} />
      <table className="data-table compact" aria-label="Growth by format">
        <thead>
          <tr><th scope="col">Format</th><th scope="col" className="num">Files</th><th scope="col" className="num">Size before</th>
            <th scope="col" className="num">Size after</th><th scope="col" className="num">Added</th><th scope="col" className="num">Removed</th>
            <th scope="col" className="num">Modified (net)</th><th scope="col" className="num">Net</th></tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.format}>
              <td>{formatLabel(f.format)}</td>
              <td className="num">{formatCount(f.files_from)} → {formatCount(f.files_to)}</td>
              <td className="num">{formatBytes(f.bytes_from)}</td>
              <td className="num">{formatBytes(f.bytes_to)}</td>
              <td className="num">{formatBytesDelta(f.added_bytes)}</td>
              <td className="num">{formatBytesDelta(-f.removed_bytes)}</td>
              <td className="num">{formatBytesDelta(f.modified_net_bytes)}</td>
              <td className="num">{formatBytesDelta(f.net_bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SummaryCards({ summary }: { summary: DeltaSummary }): ReactNode {
  return (
    <div className="cards" aria-label="Delta summary">
      {KIND_CARDS.map((k) => (
        <StatCard key={k} label={FILTER_LABELS[k]} value={formatCount(summary[k].count)} note={formatBytes(summary[k].bytes)} />
      ))}
      <StatCard label="Unchanged" value={formatCount(summary.unchanged.count)} note={formatBytes(summary.unchanged.bytes)} />
      <StatCard label="Files" value={`${formatCount(summary.files_from)} → ${formatCount(summary.files_to)}`}
        note={`${formatBytes(summary.bytes_from)} → ${formatBytes(summary.bytes_to)}`} />
      <StatCard label="Net growth" value={formatBytesDelta(summary.net_growth)}
        note={`+${formatBytes(summary.bytes_added)} / −${formatBytes(summary.bytes_removed)}`} tone={summary.net_growth > 0 ? 'warn' : undefined} />
      <StatCard label="Churn" value={formatBytes(summary.churn_bytes)} note="new size of modified files" />
    </div>
  );
}

/** Whether a change can have term changes: modified or renamed, and not a known non-ontology format. */
function hasTerms(selection: Selection): boolean {
  if (selection.kind !== 'MODIFIED' && selection.kind !== 'RENAMED') return false;
  return selection.format === null || ONTOLOGY_FORMATS.has(selection.format as FileFormat);
}

/** `/delta?from=SERVICE/V1&to=SERVICE/V2&kind=&dir=&file=&old=&fk=&fmt=` */
export function DeltaPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const needDefaults = !params.get('from') || !params.get('to');
  const defaults = useDefaultPair(needDefaults, params.get('to'));
  const from = params.get('from') ?? defaults?.from ?? '';
  const to = params.get('to') ?? defaults?.to ?? '';
  const kindParam = params.get('kind');
  const kind: KindFilter = KIND_FILTERS.includes(kindParam as KindFilter) ? kindParam as KindFilter : 'changed';
  const dir = params.get('dir') ?? '';
  const file = params.get('file');
  const selection: Selection | null = file
    ? { relpath: file, old: params.get('old'), kind: params.get('fk') as ChangeKind | null, format: params.get('fmt') } : null;
  // Scoped to what the table lists: another pair (a link such as the ingest toast's, Back),
  // kind or folder starts at its first page; opening a file's term changes keeps the page.
  const [offset, setOffset] = useScopedOffset(JSON.stringify([from, to, kind, dir]));
  const ready = from !== '' && to !== '';
  const delta = useQuery('delta:compute', ready ? { from, to, kind, prefix: dir || undefined, offset, limit: PAGE } : null,
    [ready, from, to, kind, dir, offset], { keepWithin: [ready, from, to] });

  const update = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    if (!next.get('from') && from) next.set('from', from);
    if (!next.get('to') && to) next.set('to', to);
    for (const [key, value] of Object.entries(changes)) { if (value) next.set(key, value); else next.delete(key); }
    setParams(next, { replace: true });
  };
  // The pair chosen by default goes into the address once known: a latest another client sets
  // meanwhile must not swap the delta being read for another one under the curator's eyes.
  const chosen = needDefaults && defaults ? `${defaults.from}|${defaults.to}` : null;
  useEffect(() => {
    if (chosen !== null) update({});
  }, [chosen]);
  const select = (change: { relpath: string; old_relpath: string | null; kind: ChangeKind | null; format?: string | null }): void => update({
    file: change.relpath, old: change.old_relpath, fk: change.kind, fmt: change.format ?? null,
  });
  const noFile = { file: null, old: null, fk: null, fmt: null };

  const columns = useMemo<DataColumn<FileChange>[]>(() => [
    { id: 'kind', header: 'Change', cell: (c) => <span className={`kind kind-${c.kind.toLowerCase()}`}>{c.kind.toLowerCase()}</span> },
    { id: 'relpath', header: 'Path', className: 'mono', cell: (c) => c.old_relpath && c.new_relpath && c.old_relpath !== c.new_relpath ? `${c.old_relpath} → ${c.new_relpath}` : c.relpath },
    { id: 'format', header: 'Format', cell: (c) => formatLabel(c.format) },
    { id: 'old', header: 'Size before', align: 'right', cell: (c) => formatBytes(c.old_size) },
    { id: 'new', header: 'Size after', align: 'right', cell: (c) => formatBytes(c.new_size) },
    { id: 'hash', header: 'SHA-256 before → after', className: 'mono', cell: (c) => `${shortHash(c.old_sha256)} → ${shortHash(c.new_sha256)}` },
  ], []);

  const summary = delta.data?.summary;
  const rowKey = (c: FileChange): string => `${c.kind}|${c.relpath}`;
  const selectedRow = delta.data?.changes.items.find((c) => c.relpath === file);
  return (
    <section className="page" aria-labelledby="delta-title">
      <header className="page-header">
        <h1 id="delta-title">Delta</h1>
        <div className="toolbar">
          <VersionPicker label="From (before)" value={from} onChange={(next) => update({ from: next, dir: null, ...noFile })} />
          <button type="button" className="swap" aria-label="Swap from and to" disabled={!ready}
            onClick={() => update({ from: to, to: from, ...noFile })}>⇄</button>
          <VersionPicker label="To (after)" value={to} onChange={(next) => update({ to: next, dir: null, ...noFile })} />
        </div>
      </header>
      {!ready ? (defaults === undefined ? <Skeleton rows={2} label="Choosing versions" />
        : <EmptyState title="Choose two versions to compare"><p>Pick the versions above; a service needs two versions to compare.</p></EmptyState>)
        : delta.error ? <ErrorState error={delta.error} onRetry={delta.refetch} /> : !summary ? <Skeleton rows={4} label="Comparing versions" /> : (
          <>
            {summary.identical && <p className="state state-empty" role="status">{from} and {to} have identical content{summary.prefix ? ` in ${summary.prefix}/` : ''}.</p>}
            {summary.prefix && <p className="muted scope" role="status">Totals for <span className="mono">{summary.prefix}/</span> only.</p>}
            <SummaryCards summary={summary} />
            {summary.by_format.length > 0 && <ByFormat rows={summary.by_format} />}
            <div className="split">
              <div className="tree-col">
                <h2>Tree of changes</h2>
                <DeltaTree key={`${from}|${to}`} from={from} to={to} dir={dir} selected={file}
                  onDir={(next) => update({ dir: next || null })} onFile={(entry) => select({ ...entry, relpath: entry.new_relpath ?? entry.relpath })} />
              </div>
              <div className="grow">
                <div className="section-bar">
                  <h2>Changes{dir && <> in <span className="mono">{dir}/</span></>}</h2>
                  <ExportButtons table="delta" input={{ from, to, kind, prefix: dir || undefined }} what="changes" />
                </div>
                <div className="segmented" role="tablist" aria-label="Filter changes by kind">
                  {FILTER_ORDER.map((k) => (
                    <button key={k} type="button" role="tab" aria-selected={kind === k} onClick={() => update({ kind: k === 'changed' ? null : k })}>
                      {FILTER_LABELS[k]} {!dir && <span className="count">{formatCount(filterCount(summary, k))}</span>}
                    </button>
                  ))}
                </div>
                {delta.data && delta.data.changes.total === 0 && !delta.stale ? <p className="muted" role="status">No {kind === 'all' ? '' : `${FILTER_LABELS[kind].toLowerCase()} `}files here.</p> : (
                  <>
                    <DataTable label="Changed files" columns={columns} rows={delta.data?.changes.items ?? []} rowKey={rowKey} busy={delta.loading}
                      rowLabel={(c) => `${c.kind.toLowerCase()} ${c.relpath}`} selectedKey={selectedRow ? rowKey(selectedRow) : null}
                      onActivate={(c) => select(c)} />
                    {delta.data && <Pager label="Change pages" offset={offset} limit={PAGE} total={delta.data.changes.total} onOffset={setOffset} />}
                  </>
                )}
              </div>
            </div>
            {!summary.prefix && !summary.identical && <VersionTermDelta key={`${from}|${to}`} from={from} to={to} />}
            {selection && (
              <div className="panel" role="region" aria-label={`Term changes in ${selection.relpath}`}>
                <div className="panel-head">
                  <h2>Term changes in <span className="mono">{selection.relpath}</span></h2>
                  <button type="button" className="icon" aria-label="Close term changes" onClick={() => update(noFile)}>×</button>
                </div>
                {hasTerms(selection)
                  ? <TermChanges key={`${from}|${to}|${selection.relpath}`} from={from} to={to} relpath={selection.relpath} oldRelpath={selection.old} />
                  : <p className="muted">Term changes are shown for modified or renamed ontology files (RDF or OBO).</p>}
              </div>
            )}
          </>
        )}
    </section>
  );
}
