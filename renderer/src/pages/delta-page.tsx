/**
 * Delta: what changed between versions A and B — summary cards, bytes by format, a
 * navigable tree of changed folders, a paged change table by kind, and term changes.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../../electron/shared/formats.js';
import { useChannelAvailable, useQuery } from '../api/api-context.js';
import { itemsOf, type ChangeKind, type DeltaChange, type DeltaTreeEntry, type TermChange } from '../api/pending-channels.js';
import { BarsChart } from '../components/charts.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { Pager } from '../components/pager.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState, NotAvailable, Skeleton } from '../components/states.js';
import { VersionPicker } from '../components/version-picker.js';
import { formatBytes, formatBytesDelta, formatCount, shortHash } from '../lib/format.js';

const PAGE = 50;
const KINDS: readonly ChangeKind[] = ['added', 'removed', 'modified', 'renamed'];

/** Default A/B: the previous and the latest version of the first service with two versions. */
function useDefaultPair(enabled: boolean): { a: string; b: string } | null | undefined {
  const versions = useQuery('versions:list', enabled ? { sort: 'created_at', direction: 'desc', limit: 200 } : null, [enabled]);
  if (!enabled) return null;
  if (!versions.data) return undefined;
  const items = versions.data.items;
  const latest = items.find((v) => v.is_latest) ?? items[0];
  if (!latest) return null;
  const previous = items.find((v) => v.service === latest.service && v.version_id !== latest.version_id && v.created_at <= latest.created_at)
    ?? items.find((v) => v.service === latest.service && v.version_id !== latest.version_id);
  return previous ? { a: `${previous.service}/${previous.version}`, b: `${latest.service}/${latest.version}` } : null;
}

function TermChanges({ a, b, relpath }: { a: string; b: string; relpath: string }): ReactNode {
  const available = useChannelAvailable('delta:terms');
  const terms = useQuery('delta:terms', available ? { a, b, relpath, limit: 200 } : null, [available, a, b, relpath]);
  const columns = useMemo<DataColumn<TermChange>[]>(() => [
    { id: 'change', header: 'Change', cell: (t) => <span className={`kind kind-${t.change}`}>{t.change}</span> },
    { id: 'term', header: 'Term', className: 'mono', cell: (t) => t.term },
    { id: 'old', header: 'Old label', cell: (t) => t.old_label ?? '' },
    { id: 'new', header: 'New label', cell: (t) => t.new_label ?? '' },
  ], []);
  if (!available) return <NotAvailable feature="Term-level changes" />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={terms.refetch} />;
  if (!terms.data) return <Skeleton rows={3} label="Comparing terms" />;
  const rows = itemsOf(terms.data);
  return rows.length === 0 ? <p className="muted">No term changes.</p>
    : <DataTable label={`Term changes in ${relpath}`} columns={columns} rows={rows} rowKey={(t) => `${t.change}|${t.term}`} />;
}

function ChangeTree({ a, b, dir, onDir }: { a: string; b: string; dir: string; onDir: (dir: string) => void }): ReactNode {
  const available = useChannelAvailable('delta:tree');
  const tree = useQuery('delta:tree', available ? { a, b, dir } : null, [available, a, b, dir]);
  if (!available) return <NotAvailable feature="The tree of changes" />;
  const parts = dir ? dir.split('/') : [];
  const entries = itemsOf(tree.data).filter((e) => e.kind === 'dir');
  const changed = (e: DeltaTreeEntry): number => (e.added ?? 0) + (e.removed ?? 0) + (e.modified ?? 0) + (e.renamed ?? 0);
  return (
    <div className="delta-tree">
      <nav aria-label="Folder path" className="breadcrumb">
        <button type="button" className="link" onClick={() => onDir('')}>(root)</button>
        {parts.map((part, i) => (
          <span key={i}> / <button type="button" className="link" onClick={() => onDir(parts.slice(0, i + 1).join('/'))}>{part}</button></span>
        ))}
      </nav>
      {tree.error ? <ErrorState error={tree.error} onRetry={tree.refetch} /> : !tree.data ? <Skeleton rows={3} label="Loading changed folders" /> : (
        entries.length === 0 ? <p className="muted">No sub-folders here.</p> : (
          <ul className="folder-list" aria-label="Changed folders">
            {entries.map((e) => (
              <li key={e.relpath}>
                <button type="button" className="link" onClick={() => onDir(e.relpath)} aria-label={`Open folder ${e.name}: ${changed(e)} changes`}>{e.name}/</button>
                <span className="chips">
                  {KINDS.map((k) => (e[k] ?? 0) > 0 && <span key={k} className={`kind kind-${k}`}>{k} {formatCount(e[k] ?? 0)}</span>)}
                  {(e.bytes_added ?? 0) > 0 && <span className="muted">+{formatBytes(e.bytes_added ?? 0)}</span>}
                  {(e.bytes_removed ?? 0) > 0 && <span className="muted">−{formatBytes(e.bytes_removed ?? 0)}</span>}
                </span>
              </li>
            ))}
          </ul>
        )
      )}
    </div>
  );
}

/** `/delta?a=SERVICE/V1&b=SERVICE/V2&kind=&dir=&file=` */
export function DeltaPage(): ReactNode {
  const available = useChannelAvailable('delta:compute');
  const [params, setParams] = useSearchParams();
  const needDefaults = available && (!params.get('a') || !params.get('b'));
  const defaults = useDefaultPair(needDefaults);
  const a = params.get('a') ?? defaults?.a ?? '';
  const b = params.get('b') ?? defaults?.b ?? '';
  const kind = (params.get('kind') ?? '') as ChangeKind | '';
  const dir = params.get('dir') ?? '';
  const file = params.get('file');
  const [offset, setOffset] = useState(0);
  const ready = available && a !== '' && b !== '';
  const delta = useQuery('delta:compute', ready ? { a, b, kind: kind || undefined, prefix: dir || undefined, offset, limit: PAGE } : null,
    [ready, a, b, kind, dir, offset]);

  const update = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    if (!next.get('a') && a) next.set('a', a);
    if (!next.get('b') && b) next.set('b', b);
    for (const [key, value] of Object.entries(changes)) { if (value) next.set(key, value); else next.delete(key); }
    setParams(next, { replace: true });
    setOffset(0);
  };

  const columns = useMemo<DataColumn<DeltaChange>[]>(() => [
    { id: 'kind', header: 'Change', cell: (c) => <span className={`kind kind-${c.kind}`}>{c.kind}</span> },
    { id: 'relpath', header: 'Path', className: 'mono', cell: (c) => c.kind === 'renamed' ? `${c.old_relpath} → ${c.new_relpath}` : c.relpath },
    { id: 'format', header: 'Format', cell: (c) => c.format ?? '' },
    { id: 'old', header: 'Size A', align: 'right', cell: (c) => formatBytes(c.old_size) },
    { id: 'new', header: 'Size B', align: 'right', cell: (c) => formatBytes(c.new_size) },
    { id: 'hash', header: 'SHA-256 A → B', className: 'mono', cell: (c) => `${shortHash(c.old_sha256)} → ${shortHash(c.new_sha256)}` },
  ], []);

  if (!available) {
    return (
      <section className="page" aria-labelledby="delta-title">
        <header className="page-header"><h1 id="delta-title">Delta</h1></header>
        <NotAvailable feature="Comparing versions" />
      </section>
    );
  }
  const summary = delta.data?.summary;
  const selectedChange = delta.data?.changes.items.find((c) => c.relpath === file);
  const byFormat = (summary?.by_format ?? []).map((f) => ({
    format: f.format,
    added: f.added ?? 0, removed: f.removed ?? 0, modified: f.modified ?? 0, bytes: f.bytes ?? ((f.bytes_b ?? 0) - (f.bytes_a ?? 0)),
  }));
  return (
    <section className="page" aria-labelledby="delta-title">
      <header className="page-header">
        <h1 id="delta-title">Delta</h1>
        <div className="toolbar">
          <VersionPicker label="A (before)" value={a} onChange={(next) => update({ a: next, dir: null, file: null })} />
          <VersionPicker label="B (after)" value={b} onChange={(next) => update({ b: next, dir: null, file: null })} />
        </div>
      </header>
      {!ready ? (defaults === undefined ? <Skeleton rows={2} label="Choosing versions" />
        : <EmptyState title="Choose two versions to compare"><p>Pick A and B above; a service needs two versions to compare.</p></EmptyState>)
        : delta.error ? <ErrorState error={delta.error} onRetry={delta.refetch} /> : !summary ? <Skeleton rows={4} label="Comparing versions" /> : (
          <>
            {summary.identical && <p className="state state-empty" role="status">A and B have identical content.</p>}
            <div className="cards">
              {KINDS.map((k) => (
                <StatCard key={k} label={k[0]!.toUpperCase() + k.slice(1)} value={formatCount(summary[k].count)} note={formatBytes(summary[k].bytes)} />
              ))}
              <StatCard label="Unchanged" value={formatCount(summary.unchanged.count)} note={formatBytes(summary.unchanged.bytes)} />
              <StatCard label="Net growth" value={formatBytesDelta(summary.net_growth)}
                note={`+${formatBytes(summary.bytes_added)} / −${formatBytes(summary.bytes_removed)}`} tone={summary.net_growth > 0 ? 'warn' : undefined} />
              <StatCard label="Churn" value={formatBytes(summary.churn)} />
            </div>
            {byFormat.length > 0 && (
              <BarsChart label="Changed files by format" data={byFormat} category="format" series={[
                { key: 'added', name: 'Added', color: 'var(--good)' }, { key: 'removed', name: 'Removed', color: 'var(--bad)' },
                { key: 'modified', name: 'Modified', color: 'var(--warn)' },
              ]} />
            )}
            <div className="split">
              <div>
                <h2>Changed folders</h2>
                <ChangeTree a={a} b={b} dir={dir} onDir={(next) => update({ dir: next || null, file: null })} />
              </div>
              <div className="grow">
                <h2>Changes{dir && <> in <span className="mono">{dir}/</span></>}</h2>
                <div className="segmented" role="tablist" aria-label="Filter changes by kind">
                  <button type="button" role="tab" aria-selected={kind === ''} onClick={() => update({ kind: null })}>All</button>
                  {KINDS.map((k) => (
                    <button key={k} type="button" role="tab" aria-selected={kind === k} onClick={() => update({ kind: k })}>
                      {k} <span className="count">{formatCount(summary[k].count)}</span>
                    </button>
                  ))}
                </div>
                <DataTable label="Changed files" columns={columns} rows={delta.data?.changes.items ?? []} rowKey={(c) => `${c.kind}|${c.relpath}`}
                  rowLabel={(c) => `${c.kind} ${c.relpath}`} selectedKey={selectedChange ? `${selectedChange.kind}|${selectedChange.relpath}` : null}
                  onActivate={(c) => update({ file: c.relpath })} />
                {delta.data && <Pager label="Change pages" offset={offset} limit={PAGE} total={delta.data.changes.total} onOffset={setOffset} />}
              </div>
            </div>
            {file && (
              <div className="panel">
                <h2>Term changes in <span className="mono">{file}</span></h2>
                {selectedChange && selectedChange.kind === 'modified' && ONTOLOGY_FORMATS.has((selectedChange.format ?? '') as FileFormat)
                  ? <TermChanges a={a} b={b} relpath={file} />
                  : <p className="muted">Term changes are shown for modified ontology files.</p>}
              </div>
            )}
          </>
        )}
    </section>
  );
}
