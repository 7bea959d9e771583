/**
 * Validation: failures of one version with filters, summary charts, and NEW / FIXED /
 * PERSISTING / GONE (file removed) findings versus the previous version.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Severity, ValidationRecord } from '../../../electron/shared/models.js';
import { formatLabel } from '../../../electron/shared/formats.js';
import type { FindingChange } from '../../../electron/shared/contract/delta.js';
import type { FindingFilter, FindingStatus } from '../../../electron/shared/delta-kinds.js';
import { useQuery } from '../api/api-context.js';
import { BarsChart } from '../components/charts.js';
import { DataTable, type DataColumn, type SortState } from '../components/data-table.js';
import { Pager } from '../components/pager.js';
import { HealthCards } from '../components/validation-health.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { VersionPicker } from '../components/version-picker.js';
import { ExportButtons } from '../components/export-buttons.js';
import { MiddlePath } from '../components/middle-path.js';
import { FindingPanel } from './finding-panel.js';
import { formatCount } from '../lib/format.js';
import { olderRulesSentence } from '../../../electron/shared/validation-health.js';
import { usePreviousVersion } from './use-previous-version.js';

const PAGE = 50;
type SortKey = 'relpath' | 'severity' | 'validator' | 'rule';

const STATUS_FILTERS: readonly { readonly status: FindingStatus; readonly filter: FindingFilter; readonly label: string; readonly none: string }[] = [
  { status: 'NEW', filter: 'new', label: 'NEW', none: 'No new findings.' },
  { status: 'FIXED', filter: 'fixed', label: 'FIXED', none: 'No fixed findings.' },
  { status: 'PERSISTING', filter: 'persisting', label: 'PERSISTING', none: 'No persisting findings.' },
  // Not fixed: the file that had them is no longer in this version.
  { status: 'GONE', filter: 'gone', label: 'GONE · file removed', none: 'No findings of removed files.' },
];

function FindingsVsPrevious({ versionRef: ref, previous }: { versionRef: string; previous: string | null | undefined }): ReactNode {
  const [status, setStatus] = useState<FindingStatus>('NEW');
  const [offset, setOffset] = useState(0);
  const current = STATUS_FILTERS.find((s) => s.status === status) ?? STATUS_FILTERS[0]!;
  const filter = current.filter;
  const rows = useQuery('delta:validations', previous ? { from: previous, to: ref, status: filter, offset, limit: PAGE } : null,
    [previous, ref, filter, offset], { keepWithin: [previous, ref] });
  const columns = useMemo<DataColumn<FindingChange>[]>(() => [
    { id: 'relpath', header: 'File', className: 'path', cell: (r) => r.old_relpath && r.old_relpath !== r.relpath
      ? <><MiddlePath path={r.old_relpath} /> → <MiddlePath path={r.relpath} /></> : <MiddlePath path={r.relpath} /> },
    { id: 'validator', header: 'Validator', cell: (r) => r.validator },
    { id: 'rule', header: 'Rule', className: 'wrap-cell', cell: (r) => r.rule },
    { id: 'severity', header: 'Severity', cell: (r) => <span className={`sev sev-${r.severity.toLowerCase()}`}>{r.severity}</span> },
    { id: 'line', header: 'Line', align: 'right', cell: (r) => r.line ?? r.old_line ?? '' },
    { id: 'message', header: 'Message', className: 'message', cell: (r) => r.message ?? '' },
  ], []);
  if (previous === null) return <p className="muted">This is the first version of its service; there is nothing to compare with.</p>;
  if (rows.error) return <ErrorState error={rows.error} onRetry={rows.refetch} />;
  if (!rows.data) return <Skeleton rows={2} label="Comparing with the previous version" />;
  const { summary, findings } = rows.data;
  const counts: Record<FindingStatus, number> = { NEW: summary.new, FIXED: summary.fixed, PERSISTING: summary.persisting, GONE: summary.gone };
  return (
    <>
      <div className="section-bar">
        <p className="muted">Failed checks compared with {previous}.</p>
        <ExportButtons table="validation-delta" input={{ from: previous, to: ref, status: filter }} what={`${status} findings`} />
      </div>
      <div className="segmented" role="tablist" aria-label="Findings versus previous version">
        {STATUS_FILTERS.map(({ status: s, label }) => (
          <button key={s} type="button" role="tab" aria-selected={status === s} onClick={() => { setStatus(s); setOffset(0); }}>
            {label} <span className="count">{formatCount(counts[s])}</span>
          </button>
        ))}
      </div>
      {status === 'GONE' && <p className="muted small">Findings of files removed in {ref}: the file is gone, so they were not fixed.</p>}
      {findings.total === 0 && !rows.stale ? <p className="muted" role="status">{current.none}</p> : (
        <>
          <DataTable label={`${status} findings`} columns={columns} rows={findings.items} busy={rows.loading}
            rowKey={(r) => `${r.status}|${r.relpath}|${r.validator}|${r.rule}|${r.subject ?? ''}|${r.line ?? ''}|${r.message ?? ''}`} />
          <Pager label="Finding pages" offset={offset} limit={PAGE} total={findings.total} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

/** `/validation/:service/:version` */
export function ValidationPage(): ReactNode {
  const { service = '', version = '' } = useParams();
  const ref = `${service}/${version}`;
  const navigate = useNavigate();
  return (
    <section className="page" aria-labelledby="validation-title">
      <header className="page-header">
        <h1 id="validation-title">Validation</h1>
        <VersionPicker label="Version" value={ref} onChange={(next) => navigate(`/validation/${next}`)} />
      </header>
      {/* Keyed by version: another version starts without the last one's filters, page, open
          finding or comparison page (page 5 of 120 findings showed '201–120 of 120', and the
          open finding asked the new version for a file it does not have). */}
      <VersionValidation key={ref} service={service} version={version} />
    </section>
  );
}

/** Everything the page shows of one version; only the error when it cannot be opened. */
function VersionValidation({ service, version }: { service: string; version: string }): ReactNode {
  const ref = `${service}/${version}`;
  const [validator, setValidator] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [format, setFormat] = useState('');
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortState>({ key: 'relpath', direction: 'asc' });
  const [open, setOpen] = useState<ValidationRecord | null>(null);
  const findingLabel = (v: ValidationRecord): string => `${v.relpath}: ${v.rule}${v.line !== null ? ` at line ${v.line}` : ''}`;
  // Closing the finding returns focus to its row, so a keyboard user carries on from there.
  const closeFinding = (): void => {
    const label = open ? findingLabel(open) : null;
    setOpen(null);
    if (label) {
      requestAnimationFrame(() => {
        document.querySelector<HTMLElement>(`table[aria-label="Validation findings"] tr[aria-label="${CSS.escape(label)}"]`)?.focus();
      });
    }
  };
  const summary = useQuery('validations:summary', { ref }, [ref]);
  const rules = useQuery('validations:rules', { ref }, [ref]);
  const olderRules = rules.data ? olderRulesSentence(rules.data) : null;
  const stats = useQuery('versions:stats', { ref }, [ref]);
  const failures = useQuery('validations:list', {
    ref, passed: false, validator: validator || undefined, severity: severity || undefined, format: format || undefined,
    sort: sort.key as SortKey, direction: sort.direction, offset, limit: PAGE,
  }, [ref, validator, severity, format, sort.key, sort.direction, offset], { keepWithin: [ref] });
  const previous = usePreviousVersion(service, version);

  const columns = useMemo<DataColumn<ValidationRecord>[]>(() => [
    { id: 'relpath', header: 'File', sortKey: 'relpath', className: 'path', cell: (v) => <MiddlePath path={v.relpath} /> },
    { id: 'validator', header: 'Validator', sortKey: 'validator', cell: (v) => v.validator },
    { id: 'rule', header: 'Rule', sortKey: 'rule', className: 'wrap-cell', cell: (v) => v.rule },
    { id: 'severity', header: 'Severity', sortKey: 'severity', cell: (v) => <span className={`sev sev-${v.severity.toLowerCase()}`}>{v.severity}</span> },
    { id: 'where', header: 'Line', align: 'right', cell: (v) => v.line === null ? '' : `${v.line}${v.col !== null ? `:${v.col}` : ''}` },
    { id: 'message', header: 'Message', className: 'message', cell: (v) => v.message ?? '' },
  ], []);

  const rows = summary.data ?? [];
  const validators = [...new Set(rows.map((r) => r.validator))].sort();
  const formats = [...new Set(rows.map((r) => r.format))].sort();
  const failedOf = (name: string, severity: Severity): number =>
    rows.filter((r) => r.validator === name && r.severity === severity).reduce((n, r) => n + r.failed, 0);
  const byValidator = validators.map((name) => ({
    validator: name, errors: failedOf(name, 'ERROR'), warnings: failedOf(name, 'WARN'), infos: failedOf(name, 'INFO'),
  }));
  const reset = (fn: () => void) => () => { fn(); setOffset(0); };

  // An unknown version (or one that cannot be read) has nothing else to show: no "first
  // version of its service", no export of findings it does not have.
  if (stats.error) return <ErrorState error={stats.error} onRetry={stats.refetch} title={`Cannot open ${ref}`} />;
  return (
    <>
      {summary.error ? <ErrorState error={summary.error} onRetry={summary.refetch} /> : !summary.data ? <Skeleton rows={3} label="Loading summary" /> : (
        rows.length === 0 ? <EmptyState title="No validations recorded for this version"><p>Validators run during ingest; re-ingest to validate.</p></EmptyState> : (
          <>
            {olderRules && (
              <p className="warn-text" role="status">
                {olderRules}: validate this version again for current findings
                (<span className="mono">ontocat validate {service}/{version}</span>).
              </p>
            )}
            <div className="cards">
              {stats.data ? <HealthCards health={stats.data.health} /> : <Skeleton rows={1} label="Loading health" />}
            </div>
            <BarsChart label="Findings by validator (errors include files that do not parse)" data={byValidator} category="validator"
              series={[{ key: 'errors', name: 'Errors', color: 'var(--bad)' }, { key: 'warnings', name: 'Warnings', color: 'var(--warn)' },
                { key: 'infos', name: 'Info', color: 'var(--muted)' }]} />
          </>
        )
      )}
      <div className="section-bar">
        <h2>Findings</h2>
        <ExportButtons table="validations" what="findings"
          input={{ ref, passed: false, validator: validator || undefined, severity: severity || undefined, format: format || undefined, sort: sort.key, direction: sort.direction }} />
      </div>
      <div className="toolbar" role="group" aria-label="Filter findings">
        <span className="field">
          <label htmlFor="val-validator">Validator</label>
          <select id="val-validator" value={validator} onChange={(e) => reset(() => setValidator(e.target.value))()}>
            <option value="">All validators</option>
            {validators.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </span>
        <span className="field">
          <label htmlFor="val-severity">Severity</label>
          <select id="val-severity" value={severity} onChange={(e) => reset(() => setSeverity(e.target.value as Severity | ''))()}>
            <option value="">All severities</option>
            <option value="ERROR">Error</option>
            <option value="WARN">Warning</option>
            <option value="INFO">Info</option>
          </select>
        </span>
        <span className="field">
          <label htmlFor="val-format">Format</label>
          <select id="val-format" value={format} onChange={(e) => reset(() => setFormat(e.target.value))()}>
            <option value="">All formats</option>
            {formats.map((f) => <option key={f} value={f}>{formatLabel(f)}</option>)}
          </select>
        </span>
      </div>
      {failures.error ? <ErrorState error={failures.error} onRetry={failures.refetch} /> : !failures.data ? <Skeleton label="Loading failures" /> : (
        // An open finding stays beside the message: its panel says when it is gone (validated again elsewhere).
        failures.data.total === 0 && !failures.stale ? <div className={open ? 'with-panel' : undefined}>
          <p className="muted with-panel-main" role="status">No failures match these filters.</p>
          {open && <FindingPanel versionRef={ref} finding={open} onClose={closeFinding} />}
        </div> : (
          <div className={open ? 'with-panel' : undefined}>
            <div className="with-panel-main">
              <DataTable label="Validation findings" columns={columns} rows={failures.data.items} rowKey={(v) => v.validation_id} busy={failures.loading}
                rowLabel={findingLabel} sort={sort}
                onSort={(next) => { setSort(next); setOffset(0); }} selectedKey={open?.validation_id ?? null}
                onActivate={(v) => setOpen(open?.validation_id === v.validation_id ? null : v)} />
              <Pager label="Failure pages" offset={offset} limit={PAGE} total={failures.data.total} onOffset={setOffset} />
            </div>
            {open && <FindingPanel versionRef={ref} finding={open} onClose={closeFinding} />}
          </div>
        )
      )}
      <h2>Versus previous version</h2>
      <FindingsVsPrevious versionRef={ref} previous={previous} />
    </>
  );
}
