/**
 * Storage: bytes by service, version and format, and what deduplication saves.
 */
import { useMemo, type ReactNode } from 'react';
import type { UsageRow } from '../../../electron/shared/models.js';
import { formatLabel } from '../../../electron/shared/formats.js';
import { useQuery } from '../api/api-context.js';
import { BarsChart } from '../components/charts.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { StatCard } from '../components/stat-card.js';
import { ErrorState, NoCatalogHelp, Skeleton } from '../components/states.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { BackupsSection } from './backups-section.js';
import { ParquetSection } from './parquet-section.js';

/** A usage key shown as stored (a service, a version). */
const asStored = (key: string): string => key;

function UsageTable({ label, rows, keyHeader, keyText = asStored }: {
  label: string; rows: readonly UsageRow[]; keyHeader: string; keyText?: (key: string) => string;
}): ReactNode {
  const columns = useMemo<DataColumn<UsageRow>[]>(() => [
    { id: 'key', header: keyHeader, cell: (r) => keyText(r.key) },
    { id: 'files', header: 'Files', align: 'right', cell: (r) => formatCount(r.files) },
    { id: 'bytes', header: 'Size', align: 'right', cell: (r) => formatBytes(r.bytes) },
  ], [keyHeader, keyText]);
  return <DataTable label={label} columns={columns} rows={rows} rowKey={(r) => r.key} />;
}

/** `/storage` */
export function StoragePage(): ReactNode {
  const usage = useQuery('storage:usage', {}, []);
  const backend = useQuery('bucket:status', {}, []);
  const u = usage.data;
  const b = backend.data;
  return (
    <section className="page" aria-labelledby="storage-title">
      <header className="page-header"><h1 id="storage-title">Storage</h1></header>
      {usage.error ? <ErrorState error={usage.error} onRetry={usage.refetch} /> : !u ? <Skeleton rows={4} label="Loading storage usage" />
        : u.versions === 0 ? <NoCatalogHelp /> : (
          <>
            <div className="cards">
              <StatCard label="Files" value={formatCount(u.total_files)} />
              {b ? <StatCard label="Content objects" value={b.kind === 's3' ? 'S3 bucket' : 'Local disk'} note={b.kind === 's3' ? `${b.url ?? ''}${b.endpoint ? ` at ${b.endpoint}` : ''}` : 'ROOT/.cas on this disk'} /> : null}
              <StatCard label="Logical size" value={formatBytes(u.total_bytes)} note="sum over every version" />
              <StatCard label="Unique content" value={formatBytes(u.unique_bytes)} note="bytes stored once" />
              <StatCard label="Saved by deduplication" value={formatBytes(u.total_bytes - u.unique_bytes)} tone="good"
                note={u.total_bytes > 0 ? `${(((u.total_bytes - u.unique_bytes) / u.total_bytes) * 100).toFixed(1)}% of the logical size` : undefined} />
              {u.downloads.files > 0 ? (
                <StatCard label="Kept downloads" value={formatBytes(u.downloads.bytes)}
                  note={`${formatCount(u.downloads.files)} ${u.downloads.files === 1 ? 'file' : 'files'} kept as fetched, in S/V/archives/`} />
              ) : null}
            </div>
            <BarsChart label="Size by format" bytes data={u.by_format.map((r) => ({ format: formatLabel(r.key), bytes: r.bytes }))} category="format"
              series={[{ key: 'bytes', name: 'Size', color: 'var(--accent)' }]} />
            <div className="split">
              <div>
                <h2>By service</h2><UsageTable label="Usage by service" keyHeader="Service" rows={u.by_service} />
                {/* The answer lists the 100 largest services: say when there are more, as for versions. */}
                {u.by_service_total > u.by_service.length ? <p className="muted">The {formatCount(u.by_service.length)} largest of {formatCount(u.by_service_total)} services.</p> : null}
              </div>
              <div><h2>By format</h2><UsageTable label="Usage by format" keyHeader="Format" rows={u.by_format} keyText={formatLabel} /></div>
            </div>
            <h2>By version</h2>
            <UsageTable label="Usage by version" keyHeader="Version" rows={u.by_version} />
            {/* The usage answer keeps the largest versions only (and none without data files): say so, or a version looked for seems to hold nothing. */}
            {u.versions > u.by_version.length ? <p className="muted">The {formatCount(u.by_version.length)} largest of {formatCount(u.versions)} versions.</p> : null}
          </>
        )}
      <BackupsSection />
      <ParquetSection />
    </section>
  );
}
