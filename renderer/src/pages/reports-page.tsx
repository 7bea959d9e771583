/**
 * Reports: the CLI's reports (growth, hotspots, release cadence, validation health) with
 * charts, from the same channels as `ontocat report … --json`, each exportable as CSV/JSON.
 */
import { useMemo, useState, type ReactNode } from 'react';
import type { CadenceRow, CadenceServiceRow, HotspotRow, ValidationHealthRow } from '../../../electron/shared/contract/report.js';
import type { DeltaFormatRow } from '../../../electron/shared/contract/delta.js';
import { useQuery } from '../api/api-context.js';
import { BarsChart } from '../components/charts.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { ErrorState, NoCatalogHelp, Skeleton } from '../components/states.js';
import { errorCount } from '../../../electron/shared/validation-health.js';
import { formatLabel } from '../../../electron/shared/formats.js';
import { knownReleaseDay } from '../../../electron/shared/release-order.js';
import { formatBytes, formatBytesDelta, formatCount, localDay } from '../lib/format.js';

const pct = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

function GrowthReport({ service }: { service: string }): ReactNode {
  const growth = useQuery('report:growth', { service }, [service]);
  const columns = useMemo<DataColumn<DeltaFormatRow>[]>(() => [
    { id: 'format', header: 'Format', cell: (r) => formatLabel(r.format) },
    { id: 'files', header: 'Files', align: 'right', cell: (r) => `${formatCount(r.files_from)} → ${formatCount(r.files_to)}` },
    { id: 'bytes', header: 'Size', align: 'right', cell: (r) => `${formatBytes(r.bytes_from)} → ${formatBytes(r.bytes_to)}` },
    { id: 'net', header: 'Net', align: 'right', cell: (r) => formatBytesDelta(r.net_bytes) },
    { id: 'changes', header: 'Added / removed / modified', cell: (r) => `${r.added_files} / ${r.removed_files} / ${r.modified_files}` },
  ], []);
  if (growth.error) return <p className="muted" role="status">{growth.error.message}</p>;
  if (!growth.data) return <Skeleton rows={3} label="Loading growth" />;
  const g = growth.data;
  return (
    <>
      <p aria-label="Growth summary">
        <span className="mono">{g.from}</span> → <span className="mono">{g.to}</span>: {formatCount(g.summary.files_from)} → {formatCount(g.summary.files_to)} files,
        {' '}{formatBytes(g.summary.bytes_from)} → {formatBytes(g.summary.bytes_to)} (net <span aria-label="Net growth">{formatBytesDelta(g.summary.net_growth)}</span>)
        {g.summary.identical && ' · no-op release'}
      </p>
      {g.rows.length > 0 && (
        <BarsChart label={`Bytes changed by format, ${g.from} → ${g.to}`} bytes category="format"
          data={g.rows.map((r) => ({ format: formatLabel(r.format), added: r.added_bytes, removed: -r.removed_bytes, modified: r.modified_net_bytes }))}
          series={[{ key: 'added', name: 'Added', color: 'var(--good)' }, { key: 'removed', name: 'Removed', color: 'var(--bad)' },
            { key: 'modified', name: 'Modified (net)', color: 'var(--warn)' }]} />
      )}
      <DataTable label="Growth by format" columns={columns} rows={g.rows} rowKey={(r) => r.format} />
    </>
  );
}

function HotspotsReport(): ReactNode {
  const hotspots = useQuery('report:hotspots', {}, []);
  const columns = useMemo<DataColumn<HotspotRow>[]>(() => [
    { id: 'dimension', header: 'By', cell: (r) => r.dimension },
    { id: 'key', header: 'Key', className: 'mono', cell: (r) => r.key },
    { id: 'files', header: 'Files', align: 'right', cell: (r) => formatCount(r.files) },
    { id: 'bytes', header: 'Size', align: 'right', cell: (r) => formatBytes(r.bytes) },
    { id: 'share', header: 'Share of bytes', align: 'right', cell: (r) => pct(r.bytes_share) },
    { id: 'errors', header: 'Errors', align: 'right', cell: (r) => formatCount(r.errors) },
    { id: 'eshare', header: 'Share of errors', align: 'right', cell: (r) => pct(r.errors_share) },
  ], []);
  if (hotspots.error) return <ErrorState error={hotspots.error} onRetry={hotspots.refetch} />;
  if (!hotspots.data) return <Skeleton rows={3} label="Loading hotspots" />;
  const services = hotspots.data.filter((r) => r.dimension === 'service');
  return (
    <>
      {services.length > 0 && (
        <BarsChart label="Size by service (current versions)" bytes category="key"
          data={services.map((r) => ({ key: r.key, bytes: r.bytes }))} series={[{ key: 'bytes', name: 'Size', color: 'var(--accent)' }]} />
      )}
      <DataTable label="Hotspots" columns={columns} rows={hotspots.data} rowKey={(r) => `${r.dimension}|${r.key}`} />
    </>
  );
}

function CadenceReport(): ReactNode {
  const cadence = useQuery('report:cadence', {}, []);
  const serviceColumns = useMemo<DataColumn<CadenceServiceRow>[]>(() => [
    { id: 'service', header: 'Service', cell: (r) => r.service },
    { id: 'versions', header: 'Versions', align: 'right', cell: (r) => formatCount(r.versions) },
    { id: 'mean', header: 'Mean days', align: 'right', cell: (r) => r.mean_days ?? '—' },
    { id: 'median', header: 'Median days', align: 'right', cell: (r) => r.median_days ?? '—' },
    { id: 'max', header: 'Longest gap', align: 'right', cell: (r) => r.max_days ?? '—' },
    { id: 'noop', header: 'No-op releases', align: 'right', cell: (r) => formatCount(r.noop_releases) },
    { id: 'growth', header: 'Growth per release', align: 'right', cell: (r) => (r.mean_growth_bytes === null ? '—' : formatBytesDelta(r.mean_growth_bytes)) },
  ], []);
  const rowColumns = useMemo<DataColumn<CadenceRow>[]>(() => [
    { id: 'service', header: 'Service', cell: (r) => r.service },
    { id: 'version', header: 'Version', className: 'mono', cell: (r) => r.version },
    // An ingest date is no release date: shown as such, not under "Released".
    { id: 'released', header: 'Released', cell: (r) => knownReleaseDay(r) ?? <span className="muted">not known (ingested {localDay(new Date(r.created_at))})</span> },
    { id: 'days', header: 'Days since previous', align: 'right', cell: (r) => r.days_since_previous ?? '—' },
    { id: 'files', header: 'Files', align: 'right', cell: (r) => formatCount(r.files) },
    { id: 'growth', header: 'Growth', align: 'right', cell: (r) => (r.growth_bytes === null ? '—' : formatBytesDelta(r.growth_bytes)) },
    { id: 'noop', header: 'No-op', cell: (r) => (r.noop ? 'yes' : '') },
  ], []);
  if (cadence.error) return <ErrorState error={cadence.error} onRetry={cadence.refetch} />;
  if (!cadence.data) return <Skeleton rows={3} label="Loading cadence" />;
  const withDays = cadence.data.services.filter((s) => s.mean_days !== null);
  return (
    <>
      {withDays.length > 0 && (
        <BarsChart label="Mean days between releases" category="service"
          data={withDays.map((s) => ({ service: s.service, days: s.mean_days ?? 0 }))} series={[{ key: 'days', name: 'Mean days', color: 'var(--accent)' }]} />
      )}
      <DataTable label="Cadence by service" columns={serviceColumns} rows={cadence.data.services} rowKey={(r) => r.service} />
      <h3>Releases</h3>
      <DataTable label="Releases in order" columns={rowColumns} rows={cadence.data.rows} rowKey={(r) => `${r.service}/${r.version}`} />
    </>
  );
}

function ValidationHealthReport(): ReactNode {
  const health = useQuery('report:validation', {}, []);
  const columns = useMemo<DataColumn<ValidationHealthRow>[]>(() => [
    { id: 'validator', header: 'Validator', cell: (r) => r.validator },
    { id: 'format', header: 'Format', cell: (r) => formatLabel(r.format) },
    { id: 'checked', header: 'Files checked', align: 'right', cell: (r) => formatCount(r.files_checked) },
    { id: 'parse', header: 'Parse rate', align: 'right', cell: (r) => pct(r.parse_rate) },
    { id: 'unparsable', header: 'Unparsable', align: 'right', cell: (r) => formatCount(r.files_unparsable) },
    // Every ERROR, an unparsable file's syntax failure included, as the Catalog's Errors card counts.
    { id: 'errors', header: 'Errors', align: 'right', cell: (r) => formatCount(errorCount(r)) },
    { id: 'warnings', header: 'Warnings', align: 'right', cell: (r) => formatCount(r.warnings) },
  ], []);
  if (health.error) return <ErrorState error={health.error} onRetry={health.refetch} />;
  if (!health.data) return <Skeleton rows={3} label="Loading validation health" />;
  return (
    <>
      {health.data.length > 0 && (
        <BarsChart label="Findings by validator and format (current versions)" category="name"
          data={health.data.map((r) => ({ name: `${r.validator} · ${formatLabel(r.format)}`, errors: errorCount(r), warnings: r.warnings }))}
          series={[{ key: 'errors', name: 'Errors', color: 'var(--bad)' }, { key: 'warnings', name: 'Warnings', color: 'var(--warn)' }]} />
      )}
      <DataTable label="Validation health" columns={columns} rows={health.data} rowKey={(r) => `${r.validator}|${r.format}`} />
    </>
  );
}

/** `/reports` */
export function ReportsPage(): ReactNode {
  const services = useQuery('services:list', {}, []);
  const [picked, setPicked] = useState('');
  const list = services.data ?? [];
  // Growth compares two releases: a service with one version has nothing to compare.
  const comparable = list.filter((s) => s.versions >= 2);
  // A service picked here that another client pruned since (or left with one release) is no
  // longer one to compare: the report falls back to the first that is, and says so, instead of
  // keeping it selected and asking for a report of what is gone.
  const pickedGone = picked !== '' && services.data !== undefined && !comparable.some((s) => s.service === picked);
  const service = (pickedGone ? '' : picked) || comparable[0]?.service || '';
  return (
    <section className="page" aria-labelledby="reports-title">
      <header className="page-header"><h1 id="reports-title">Reports</h1></header>
      {services.error ? <ErrorState error={services.error} onRetry={services.refetch} /> : !services.data ? <Skeleton rows={2} label="Loading services" />
        : list.length === 0 ? <NoCatalogHelp /> : (
          <>
            <section aria-labelledby="growth-title">
              <div className="section-bar">
                <h2 id="growth-title">Growth</h2>
                <span className="field">
                  <label htmlFor="report-service">Service</label>
                  <select id="report-service" value={service} onChange={(e) => setPicked(e.target.value)} disabled={comparable.length === 0}>
                    {comparable.map((s) => <option key={s.service} value={s.service}>{s.service}</option>)}
                  </select>
                </span>
                {service && <ExportButtons table="report-growth" input={{ service }} what="growth" />}
              </div>
              {pickedGone && (
                <p className="warn-text" role="status" aria-label="Service gone">
                  {picked} {list.some((s) => s.service === picked) ? 'has fewer than two releases now' : 'is no longer in the catalog (pruned or removed since)'};
                  {' '}{service ? `showing ${service} instead.` : 'no other service has two releases to compare.'}
                </p>
              )}
              <p className="muted small">The service's latest version (else its newest) against the one released before it.</p>
              {service ? <GrowthReport service={service} /> : <p className="muted">Growth needs a service with at least two releases.</p>}
            </section>
            <section aria-labelledby="hotspots-title">
              <div className="section-bar"><h2 id="hotspots-title">Hotspots</h2><ExportButtons table="report-hotspots" input={{}} what="hotspots" /></div>
              <HotspotsReport />
            </section>
            <section aria-labelledby="cadence-title">
              <div className="section-bar"><h2 id="cadence-title">Release cadence</h2><ExportButtons table="report-cadence" input={{}} what="cadence" /></div>
              <CadenceReport />
            </section>
            <section aria-labelledby="health-title">
              <div className="section-bar"><h2 id="health-title">Validation health</h2><ExportButtons table="report-validation" input={{}} what="validation health" /></div>
              <ValidationHealthReport />
            </section>
          </>
        )}
    </section>
  );
}
