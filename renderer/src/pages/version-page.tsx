/**
 * Version: a lazy file tree with filters and path search, and a details pane.
 */
import { useMemo, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { FORMAT_LABELS, formatLabel, type FileFormat } from '../../../electron/shared/formats.js';
import type { FileRecord } from '../../../electron/shared/models.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { Pager, useScopedOffset } from '../components/pager.js';
import { StatCard } from '../components/stat-card.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { HealthCards } from '../components/validation-health.js';
import { FileDetails } from './file-details.js';
import { FileTree } from './file-tree.js';
import { ReleaseDateEditor } from './release-date-editor.js';
import { PinControl } from './pin-control.js';
import { useSearchDraft } from '../lib/use-search-draft.js';

const SEARCH_PAGE = 100;
type Status = 'failed' | 'passed' | 'unvalidated';

/** Formats named on the card before the rest are counted. */
const NAMED_FORMATS = 3;

/** "rdfxml, obo, json and 1 more": the card's value counts every format, so the note says there are more. */
function formatsNote(formats: readonly string[]): string {
  const named = formats.slice(0, NAMED_FORMATS).map(formatLabel).join(', ');
  return formats.length > NAMED_FORMATS ? `${named} and ${formatCount(formats.length - NAMED_FORMATS)} more` : named;
}

/** `/versions/:service/:version?path=&format=&status=&q=` */
export function VersionPage(): ReactNode {
  const { service = '', version = '' } = useParams();
  const ref = `${service}/${version}`;
  const [params, setParams] = useSearchParams();
  const selected = params.get('path');
  const format = params.get('format') ?? '';
  const status = (params.get('status') ?? '') as Status | '';
  const query = params.get('q') ?? '';
  // Another version, search or filter starts at its first page, with the URL's search in the box.
  const [draft, setDraft] = useSearchDraft(query);
  const [offset, setOffset] = useScopedOffset(JSON.stringify([ref, query, format, status]));
  const stats = useQuery('versions:stats', { ref }, [ref]);
  const search = useQuery('files:list', query ? {
    ref, search: query, format: format || undefined, status: status || undefined, offset, limit: SEARCH_PAGE,
  } : null, [ref, query, format, status, offset], { keepWithin: [ref] });

  const update = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) { if (value) next.set(key, value); else next.delete(key); }
    setParams(next, { replace: true });
  };

  const searchColumns = useMemo<DataColumn<FileRecord>[]>(() => [
    { id: 'relpath', header: 'Path', className: 'mono', cell: (f) => f.relpath },
    { id: 'format', header: 'Format', cell: (f) => formatLabel(f.format) },
    { id: 'size', header: 'Size', align: 'right', cell: (f) => formatBytes(f.size_bytes) },
  ], []);

  if (stats.error) return <ErrorState error={stats.error} onRetry={stats.refetch} title={`Cannot open ${ref}`} />;
  const s = stats.data;
  return (
    <section className="page page-split" aria-labelledby="version-title">
      <div className="page-main">
        <header className="page-header">
          <h1 id="version-title">{service} <span className="muted">/</span> {version}
            {s?.is_latest && <span className="badge badge-latest">latest</span>}</h1>
          <nav className="header-links" aria-label="Version views">
            <Link to={`/validation/${ref}`}>Validation</Link>
            <Link to={`/delta?to=${encodeURIComponent(ref)}`}>Compare…</Link>
          </nav>
        </header>
        {/* Keyed: going to another version (Back, a link) with the field open kept the date typed for the one left. */}
        {s && <ReleaseDateEditor key={ref} versionRef={ref} releaseDate={s.release_date} source={s.release_date_source} onSaved={stats.refetch} />}
        {s && <PinControl versionRef={ref} />}
        {!s ? <Skeleton rows={2} label="Loading version" /> : (
          <div className="cards">
            <StatCard label="Files" value={formatCount(s.files)} />
            <StatCard label="Size" value={formatBytes(s.bytes)} />
            <HealthCards health={s.health} />
            <StatCard label="Formats" value={formatCount(s.by_format.length)} note={formatsNote(s.by_format.map((f) => f.format))} />
          </div>
        )}
        <form className="toolbar" role="search" aria-label="Filter files" onSubmit={(event) => { event.preventDefault(); update({ q: draft.trim() || null }); }}>
          <span className="field">
            <label htmlFor="file-search">Path contains</label>
            <input id="file-search" type="search" value={draft} placeholder="e.g. go-basic" onChange={(event) => {
              setDraft(event.target.value);
              if (event.target.value === '') update({ q: null });
            }} />
          </span>
          <button type="submit">Search</button>
          <span className="field">
            <label htmlFor="file-format">Format</label>
            <select id="file-format" value={format} onChange={(event) => { setOffset(0); update({ format: event.target.value || null }); }}>
              <option value="">All formats</option>
              {(s?.by_format ?? []).map((f) => (
                <option key={f.format} value={f.format}>{FORMAT_LABELS[f.format as FileFormat] ?? f.format} ({formatCount(f.files)})</option>
              ))}
            </select>
          </span>
          <span className="field">
            <label htmlFor="file-status">Validation</label>
            <select id="file-status" value={status} onChange={(event) => { setOffset(0); update({ status: event.target.value || null }); }}>
              <option value="">Any status</option>
              <option value="failed">Failed</option>
              <option value="passed">Passed</option>
              <option value="unvalidated">Not validated</option>
            </select>
          </span>
        </form>
        {query ? (
          search.error ? <ErrorState error={search.error} onRetry={search.refetch} /> : !search.data ? <Skeleton label="Searching" /> : (
            <>
              <DataTable label="Matching files" columns={searchColumns} rows={search.data.items} rowKey={(f) => f.file_id} busy={search.loading}
                rowLabel={(f) => f.relpath} selectedKey={search.data.items.find((f) => f.relpath === selected)?.file_id ?? null}
                onActivate={(f) => update({ path: f.relpath })} />
              {search.data.total === 0 && !search.stale && <p className="muted" role="status">No files match “{query}”.</p>}
              <Pager label="Search result pages" offset={offset} limit={SEARCH_PAGE} total={search.data.total} onOffset={setOffset} />
            </>
          )
        ) : (
          <FileTree versionRef={ref} format={format || undefined} status={status || undefined} selected={selected}
            onSelect={(relpath) => update({ path: relpath })} />
        )}
      </div>
      {/* Keyed: each file's panel notes where focus came from, so closing it goes back to that
          file's row (not the row of the first file opened since the panel appeared). */}
      {selected && <FileDetails key={`${ref}\n${selected}`} versionRef={ref} relpath={selected} onClose={() => update({ path: null })} />}
    </section>
  );
}

