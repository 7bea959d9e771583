/**
 * Catalog: services with growth, and every version with its size, validation and latest badge.
 */
import { SourcesNotice } from '../components/sources-notice.js';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ServiceSummary } from '../../../electron/shared/contract.js';
import type { LatestChange, VersionSummary } from '../../../electron/shared/models.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { useToast } from '../components/toast.js';
import { releaseSourceLabel } from '../../../electron/shared/release-order.js';
import { Sparkline } from '../components/sparkline.js';
import { DataTable, type DataColumn, type SortState } from '../components/data-table.js';
import { Pager, useScopedOffset } from '../components/pager.js';
import { EmptyState, ErrorState, NoCatalogHelp, Skeleton } from '../components/states.js';
import { formatBytes, formatCount, formatDate, formatDay } from '../lib/format.js';
import { HealthSummary } from '../components/validation-health.js';
import { IngestButton } from './ingest-form.js';
import { SetLatestDialog } from './set-latest-dialog.js';

const PAGE = 50;
type VersionSort = 'release' | 'created_at' | 'service' | 'version' | 'files' | 'bytes';

function ServiceGrowth({ service }: { service: string }): ReactNode {
  const history = useQuery('versions:list', { service, sort: 'release', direction: 'desc', limit: 30 }, [service]);
  const points = (history.data?.items ?? []).map((v) => ({ label: v.version, value: v.bytes })).reverse();
  return <Sparkline points={points} format={formatBytes} label={`Size of ${service} over its last ${points.length} versions`} />;
}

/** The moves of one service's latest pointer: when, by whom, from and to. */
function LatestHistory({ service }: { service: string }): ReactNode {
  // Another service starts at its first page: page 2 of one showed another's as an empty table, '11–1 of 1'.
  const [offset, setOffset] = useScopedOffset(service);
  const history = useQuery('latest:history', { service, offset, limit: 10 }, [service, offset], { keepWithin: [service] });
  const columns = useMemo<DataColumn<LatestChange>[]>(() => [
    { id: 'when', header: 'When', cell: (c) => formatDate(c.ts) },
    { id: 'from', header: 'From', cell: (c) => c.previous ?? <span className="muted">none</span> },
    { id: 'to', header: 'To', cell: (c) => <Link to={`/versions/${c.service}/${c.version}`}>{c.version}</Link> },
    { id: 'by', header: 'By', cell: (c) => c.by },
  ], []);
  if (history.error) return <ErrorState error={history.error} onRetry={history.refetch} />;
  if (!history.data) return <Skeleton rows={2} label="Loading latest history" />;
  return (
    <>
      <h3>Latest history of {service}</h3>
      {history.data.total === 0 ? <p className="muted">No latest version was ever set for {service}.</p> : (
        <>
          <DataTable label={`Latest history of ${service}`} columns={columns} rows={history.data.items} rowKey={(c) => c.event_id} busy={history.loading} />
          <Pager label="Latest history pages" offset={offset} limit={10} total={history.data.total} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

/** The landing page. */
export function CatalogPage(): ReactNode {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const service = params.get('service') ?? '';
  // Another service (a row, its link, Show all, Back) starts at the first page of its versions.
  const [offset, setOffset] = useScopedOffset(service);
  const [sort, setSort] = useState<SortState>({ key: 'release', direction: 'desc' });
  const [confirming, setConfirming] = useState<VersionSummary | null>(null);
  const services = useQuery('services:list', {}, []);
  const notify = useToast();
  const undo = useMutation('latest:set');
  const versions = useQuery('versions:list', {
    service: service || undefined, sort: sort.key as VersionSort, direction: sort.direction, offset, limit: PAGE,
  }, [service, sort.key, sort.direction, offset], { keepWithin: [] });

  const serviceColumns = useMemo<DataColumn<ServiceSummary>[]>(() => [
    { id: 'service', header: 'Service', cell: (s) => <Link to={`/?service=${encodeURIComponent(s.service)}`}>{s.service}</Link> },
    { id: 'versions', header: 'Versions', align: 'right', cell: (s) => formatCount(s.versions) },
    {
      // The link opens the version; DataTable keeps it from also toggling the row's service filter.
      id: 'latest', header: 'Latest', cell: (s) => s.latest
        ? <>
          <Link to={`/versions/${s.service}/${s.latest}`}
            aria-label={`Open ${s.service}/${s.latest}, the latest ${s.service}`}>{s.latest}</Link>
          {s.newest !== s.latest && (
            <span className="badge badge-warn" title={`By release order the newest ${s.service} is ${s.newest}`}>
              newer: {s.newest}
            </span>
          )}
        </>
        : <span className="muted">none</span>,
    },
    { id: 'bytes', header: 'Size', align: 'right', cell: (s) => formatBytes(s.bytes) },
    { id: 'growth', header: 'Growth', cell: (s) => <ServiceGrowth service={s.service} /> },
  ], []);

  const versionColumns = useMemo<DataColumn<VersionSummary>[]>(() => [
    { id: 'service', header: 'Service', sortKey: 'service', cell: (v) => v.service },
    {
      id: 'version', header: 'Version', sortKey: 'version', className: 'wrap-cell', cell: (v) => (
        <>
          <Link to={`/versions/${v.service}/${v.version}`}>{v.version}</Link>
          {v.is_latest && <span className="badge badge-latest" aria-label={`${v.version} is the latest ${v.service}`}>latest</span>}
          {v.pinned && <span className="badge" title="Pinned versions are never pruned">pinned</span>}
        </>
      ),
    },
    {
      id: 'released', header: 'Released', sortKey: 'release', cell: (v) => (
        // A release date is a day: in local time 2014-01-01 read as 2013-12-31 16:00 west of UTC.
        <span title={releaseSourceLabel(v.release_date_source)}>{v.release_date_source === 'ingest' || !v.release_date ? '—' : formatDay(v.release_date)}</span>
      ),
    },
    { id: 'created', header: 'Ingested', sortKey: 'created_at', cell: (v) => formatDate(v.created_at) },
    { id: 'files', header: 'Files', sortKey: 'files', align: 'right', cell: (v) => formatCount(v.files) },
    { id: 'bytes', header: 'Size', sortKey: 'bytes', align: 'right', cell: (v) => formatBytes(v.bytes) },
    {
      id: 'validation', header: 'Validation', align: 'right', className: 'wrap-cell', cell: (v) => (
        <Link to={`/validation/${v.service}/${v.version}`}>
          <HealthSummary health={v.health} label={`Validation of ${v.service}/${v.version}`} />
        </Link>
      ),
    },
    ...(undo.refusal ? [] : [{
      id: 'actions', header: 'Actions', cell: (v: VersionSummary) => (
        <span className="row-actions">
          {/* aria-disabled, not disabled: the button that just made its version latest keeps focus. */}
          <button type="button" aria-disabled={v.is_latest} title={v.is_latest ? 'Already the latest' : undefined}
            onClick={() => { if (!v.is_latest) setConfirming(v); }}
            aria-label={`Set as latest: ${v.service}/${v.version}`}>Set as latest</button>
        </span>
      ),
    }]),
  ], [undo.refusal]);

  if (services.error) return <ErrorState error={services.error} onRetry={services.refetch} title="Cannot read the catalog" />;
  const unknownService = service !== '' && services.data !== undefined && !services.data.some((s) => s.service === service);
  const currentLatest = confirming ? services.data?.find((s) => s.service === confirming.service)?.latest ?? null : null;

  return (
    <section className="page" aria-labelledby="catalog-title">
      <header className="page-header">
        <h1 id="catalog-title">Catalog</h1>
        <IngestButton service={service || undefined} />
      </header>
      <SourcesNotice />
      {services.loading && !services.data ? <Skeleton rows={3} label="Loading services" /> : services.data?.length === 0 ? <NoCatalogHelp /> : (
        <>
          <h2>Services</h2>
          <DataTable label="Services" columns={serviceColumns} rows={services.data ?? []} rowKey={(s) => s.service}
            onActivate={(s) => setParams(s.service === service ? {} : { service: s.service })} selectedKey={service || null} />
          {service && !unknownService && <LatestHistory service={service} />}
          <div className="toolbar">
            <h2>{service ? `Versions of ${service}` : 'All versions'}</h2>
            {undo.refusal && <span className="muted small">Setting the latest version: {undo.refusal.toLowerCase()}</span>}
            {service && <button type="button" onClick={() => setParams({})}>Show all services</button>}
          </div>
          {/* '#/?service=nope' showed an empty table, '0–0 of 0', and no word why. */}
          {unknownService ? <EmptyState title={`No service ${service} in this catalog`}><p>It may have been pruned, or the link was mistyped.</p></EmptyState>
            : versions.error ? <ErrorState error={versions.error} onRetry={versions.refetch} /> : versions.loading && !versions.data
            ? <Skeleton label="Loading versions" /> : (
              <>
                <DataTable label="Versions" columns={versionColumns} rows={versions.data?.items ?? []} busy={versions.loading}
                  rowKey={(v) => v.version_id} rowLabel={(v) => `${v.service}/${v.version}`}
                  onActivate={(v) => navigate(`/versions/${v.service}/${v.version}`)}
                  sort={sort} onSort={(next) => { setSort(next); setOffset(0); }} />
                {versions.data && <Pager label="Version pages" offset={offset} limit={PAGE} total={versions.data.total} onOffset={setOffset} />}
              </>
            )}
        </>
      )}
      {confirming && (
        <SetLatestDialog service={confirming.service} version={confirming.version} current={currentLatest}
          onClose={(changed, previous, stamps) => {
            const target = confirming;
            setConfirming(null);
            if (!changed) return;
            services.refetch();
            versions.refetch();
            const back = previous ?? null;
            notify(`${target.service}: latest is now ${target.version}${back ? ` (was ${back})` : ''}.`, 'success', back ? {
              label: 'Undo',
              run: () => {
                // Only while the pointer is where this change left it: another client's later
                // choice is not undone with it. And only to the version the preview showed: its
                // release date, files and findings (and those of the one left) as they were,
                // the stamps sent with Confirm, turned round.
                const reversed = stamps?.from ? { expected_stamps: { to: stamps.from, from: stamps.to } } : {};
                undo.run({ ref: `${target.service}/${back}`, expected_latest: target.version, ...reversed }).then(() => {
                  notify(`Undone: latest ${target.service} is ${back} again.`, 'success');
                  services.refetch();
                  versions.refetch();
                }, (error: Error) => notify(`Could not undo: ${error.message}`, 'error'));
              },
            } : undefined);
          }} />
      )}
    </section>
  );
}
